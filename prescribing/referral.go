package prescribing

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"time"
)

// Errors of the referral lifecycle. Each is wrapped with the referral's ID
// and the values that explain it; messages never carry personal data.
var (
	// ErrInvalidTransition reports a move the lifecycle does not allow
	// (rule REF-1). The error is a [*TransitionError] naming the referral,
	// the from-state and the to-state.
	ErrInvalidTransition = errors.New("invalid referral transition")
	// ErrReasonRequired reports entering rejected, cancelled, declined or
	// on-hold without a reason (rule REF-3).
	ErrReasonRequired = errors.New("reason required")
	// ErrOutcomeRequired reports closing without a known outcome (rule
	// REF-4).
	ErrOutcomeRequired = errors.New("outcome required to close")
	// ErrMessageIncomplete reports closing a referral whose message back to
	// the GP and referrer cannot be produced (rule REF-4).
	ErrMessageIncomplete = errors.New("message back to the GP cannot be produced")
	// ErrMissingDetail reports a change that lacks what it needs: a link
	// worker to accept, an asset to connect to, a valid need.
	ErrMissingDetail = errors.New("missing detail")
)

// TransitionError is the error of a refused transition (rule REF-1). It
// matches [ErrInvalidTransition] with errors.Is.
type TransitionError struct {
	Referral ReferralID `json:"referral"`
	From     State      `json:"from"`
	To       State      `json:"to"`
	// Detail says why, when the table alone does not (on-hold returning
	// elsewhere than it came from, an event whose from-state is stale).
	Detail string `json:"detail"`
}

// Error names the referral, the from-state and the to-state.
func (e *TransitionError) Error() string {
	msg := fmt.Sprintf("referral %s: %s -> %s is not allowed (REF-1)", e.Referral, e.From, e.To)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Is reports whether target is [ErrInvalidTransition].
func (e *TransitionError) Is(target error) bool { return target == ErrInvalidTransition }

// CommunitySupport is a piece of community support: offered as part of a plan, or
// taken up when a person is connected.
type CommunitySupport struct {
	// Need is the need the support answers.
	Need Need `json:"need"`
	// Asset is the community asset, if the support is one; it is required
	// for a connection.
	Asset AssetID `json:"asset,omitzero"`
	// Name describes the support for people reading the message back to the
	// GP ("Tuesday walking group"). Do not put personal data here.
	Name string `json:"name"`
}

// validate checks one piece of support, the i-th of its list (what names
// the list). Its name is not quoted in errors: it is free text.
func (s CommunitySupport) validate(what string, i int, needAsset bool) error {
	if !s.Need.IsValid() {
		return fmt.Errorf("%w: %w: %s %d has need %s", ErrMissingDetail, ErrUnknownValue, what, i+1, s.Need)
	}
	if err := CheckText("its name", s.Name); err != nil {
		return fmt.Errorf("%s %d: %w", what, i+1, err)
	}
	if IsBlank(s.Name) {
		return fmt.Errorf("%w: %s %d for %s has no name", ErrMissingDetail, what, i+1, s.Need)
	}
	if needAsset && s.Asset.IsZero() {
		return fmt.Errorf("%w: %s %d names no community asset", ErrMissingDetail, what, i+1)
	}
	return nil
}

// validateSupport checks every piece of support of a list.
func validateSupport(what string, list []CommunitySupport, needAsset bool) error {
	for i, s := range list {
		if err := s.validate(what, i, needAsset); err != nil {
			return err
		}
	}
	return nil
}

// NewReferral is what a referrer sends: who is referred, from where, and the
// needs they name (which may be none; needs are also identified later).
type NewReferral struct {
	ID       ReferralID     `json:"id"`
	Patient  PatientID      `json:"patient"`
	Practice PracticeID     `json:"practice,omitzero"`
	Source   ReferralSource `json:"source"`
	// Referrer names the referring person or team for the message back
	// ("Dr Patel", "Riverside discharge team"). Staff, not patient, data.
	Referrer string `json:"referrer,omitempty"`
	Needs    []Need `json:"needs,omitempty"`
}

// Referral is one referral to social prescribing and its lifecycle. Every
// change goes through the transition table (rule REF-1), is stamped with the
// caller's time, which never goes backwards (REF-2), and returns the event
// that records it; the history of a referral is the list of those events,
// and replaying them into a zero Referral rebuilds it exactly (REF-7, EV-3).
//
// Make one with [ReceiveReferral]. A Referral is plain data, safe to copy:
// it never writes into a list it holds but replaces the list whole, so
// copies share nothing that either can change; no element of a list it
// keeps is also an element of the events it returns or is given, or of the
// lists its getters and [ClosureMessage] return. (Starting support and
// connecting copy the caller's list for the event and for the referral in
// one allocation, two halves each capped at its length, so the referral
// keeps that allocation alive after the event is dropped: one more copy of
// a short list.) It is not safe to change one Referral concurrently.
//
// Every operation and Apply refuse, with an error and without changing the
// referral (an operation then returns the zero event), what the codec could
// not store or replay could not rebuild equal: a time outside the years 1 to
// 9999 ([ErrTimeOutOfRange]), free text that is not valid UTF-8, holds NUL or
// is longer than [MaxTextBytes] ([ErrInvalidText]), a value outside its
// vocabulary ([ErrUnknownValue]) and a score outside its instrument's range
// ([ErrInvalidMeasure]).
type Referral struct {
	id         ReferralID
	patient    PatientID
	practice   PracticeID
	linkWorker LinkWorkerID
	referrer   string
	reason     string // the reason given for the last transition

	receivedAt     time.Time
	updatedAt      time.Time
	firstContactAt time.Time
	connectedAt    time.Time // first connected (FOLLOW-1)
	closedAt       time.Time

	needs       NeedSet
	offered     []CommunitySupport
	connections []CommunitySupport
	measures    []MeasureChange

	// The contacts' IDs: a step names the contact that prompted it
	// (ANCHOR-1).
	contactIDs contactIDs
	// What few referrals have, kept apart so that the many stay small.
	more *referralMore

	contacts, attended int32
	events             int32
	afterConnection    int32 // attended contacts after connection (DEP-1)

	source   ReferralSource
	state    State
	heldFrom State // the state on-hold returns to
	outcome  Outcome
	// declined is set when first contact was a decline, which decides the
	// SNOMED CT code recorded then (REF-6).
	declined bool
}

// referralMore is what a referral records that most referrals never do:
// steps (ANCHOR-1), follow-ups (FOLLOW-1), earlier referrals (DEP-1),
// buy-in (BUYIN-1) and complexity (CPLX-1). A referral holds it behind a
// pointer, nil until the first such record, and never changes the one it
// holds: a change makes a new one ([Referral.moreToChange]), so copies of
// a referral share it safely.
type referralMore struct {
	steps      []Step
	followUps  []FollowUp
	earlier    []ReferralID
	buyIn      BuyIn
	complexity Complexity
}

// extra returns the referral's less common records, empty if it has none.
func (r *Referral) extra() referralMore {
	if r.more == nil {
		return referralMore{}
	}
	return *r.more
}

// moreToChange returns a copy of the referral's less common records for a
// change, which the caller stores in r.more once every check has passed.
func (r *Referral) moreToChange() *referralMore {
	m := r.extra()
	return &m
}

// ReceiveReferral records a new referral in state received.
func ReceiveReferral(n NewReferral, at time.Time) (Referral, ReferralReceived, error) {
	var r Referral
	e, err := r.Receive(n, at)
	if err != nil {
		return Referral{}, ReferralReceived{}, err
	}
	return r, e, nil
}

// Receive records a new referral into r, which must be the zero Referral:
// [ReceiveReferral] without copying the referral, for callers that keep
// many in place.
func (r *Referral) Receive(n NewReferral, at time.Time) (ReferralReceived, error) {
	needs, err := needSet(n.Needs)
	if err != nil {
		return ReferralReceived{}, fmt.Errorf("referral %s: %w", n.ID, err)
	}
	e := ReferralReceived{
		Referral: n.ID, Patient: n.Patient, Practice: n.Practice,
		Source: n.Source, Referrer: n.Referrer, Needs: needs, At: Stamp(at),
	}
	if err := r.applyReceived(e); err != nil {
		return ReferralReceived{}, err
	}
	return e, nil
}

// ID returns the referral's ID.
func (r *Referral) ID() ReferralID { return r.id }

// Stream returns the referral's stream (kind referral, its ID), or the zero
// Stream before receipt.
func (r *Referral) Stream() Stream { return recordStream(StreamKindReferral, r.id) }

// Patient returns the referred person's ID.
func (r *Referral) Patient() PatientID { return r.patient }

// Practice returns the practice the referral came from or belongs to.
func (r *Referral) Practice() PracticeID { return r.practice }

// Source returns who referred.
func (r *Referral) Source() ReferralSource { return r.source }

// Referrer returns the referring person or team, as given.
func (r *Referral) Referrer() string { return r.referrer }

// LinkWorker returns the link worker who holds the referral, or zero before
// it is accepted.
func (r *Referral) LinkWorker() LinkWorkerID { return r.linkWorker }

// State returns the current state.
func (r *Referral) State() State { return r.state }

// OnHoldFrom returns the state an on-hold referral returns to, or zero.
func (r *Referral) OnHoldFrom() State { return r.heldFrom }

// Reason returns the reason given for the last transition, if any.
func (r *Referral) Reason() string { return r.reason }

// ReceivedAt returns when the referral was received.
func (r *Referral) ReceivedAt() time.Time { return r.receivedAt }

// UpdatedAt returns the time of the last change.
func (r *Referral) UpdatedAt() time.Time { return r.updatedAt }

// FirstContactAt returns when first contact was made (contacted or
// declined), or the zero time.
func (r *Referral) FirstContactAt() time.Time { return r.firstContactAt }

// SNOMED returns the SNOMED CT code recorded at first contact and when, or
// false if first contact has not happened (rule REF-6).
func (r *Referral) SNOMED() (SNOMEDCode, time.Time, bool) {
	var code SNOMEDCode
	switch {
	case r.firstContactAt.IsZero():
		return "", time.Time{}, false
	case r.declined:
		code = SNOMEDSocialPrescribingDeclined
	default:
		code = SNOMEDReferralToSocialPrescribing
	}
	return code, r.firstContactAt, true
}

// Needs returns the needs identified so far, in vocabulary order.
func (r *Referral) Needs() []Need { return r.needs.List() }

// Offered returns the support offered so far.
func (r *Referral) Offered() []CommunitySupport { return slices.Clone(r.offered) }

// Connections returns the support taken up (the community assets the person
// was connected to).
func (r *Referral) Connections() []CommunitySupport { return slices.Clone(r.connections) }

// Outcome returns the outcome of a closed referral, or zero.
func (r *Referral) Outcome() Outcome { return r.outcome }

// Measures returns the outcome measures recorded at closure.
func (r *Referral) Measures() []MeasureChange { return slices.Clone(r.measures) }

// Version returns how many events the referral has applied, counting its
// receipt: a cheap check that a stored copy is up to date, and the expected
// version of a store's optimistic concurrency.
func (r *Referral) Version() int { return int(r.events) }

// String returns "referral <id> (<state>)".
func (r Referral) String() string { return "referral " + r.id.String() + " (" + r.state.String() + ")" }

// Accept records that link worker lw has taken the referral on.
func (r *Referral) Accept(at time.Time, lw LinkWorkerID) (ReferralTransitioned, error) {
	return r.move(ReferralTransitioned{To: StateAccepted, At: at, LinkWorker: lw})
}

// Reject records the referral as inappropriate, with the reason (rule REF-3).
func (r *Referral) Reject(at time.Time, reason string) (ReferralTransitioned, error) {
	return r.move(ReferralTransitioned{To: StateRejected, At: at, Reason: reason})
}

// RecordFirstContact records the first contact, at which the person agrees to support.
// It records SNOMED CT 871731000000106 "Referral to social prescribing
// service" on the referral (rule REF-6).
func (r *Referral) RecordFirstContact(at time.Time) (ReferralTransitioned, error) {
	return r.move(ReferralTransitioned{To: StateContacted, At: at, SNOMED: SNOMEDReferralToSocialPrescribing})
}

// Decline records that the person declined at first contact, with the reason.
// It records SNOMED CT 871711000000103 "Social prescribing declined" (rule
// REF-6).
func (r *Referral) Decline(at time.Time, reason string) (ReferralTransitioned, error) {
	return r.move(ReferralTransitioned{To: StateDeclined, At: at, Reason: reason, SNOMED: SNOMEDSocialPrescribingDeclined})
}

// SupportPlan is what a "what matters to me" conversation adds: needs identified
// and support offered. Both may be empty.
type SupportPlan struct {
	Needs   []Need             `json:"needs,omitempty"`
	Offered []CommunitySupport `json:"offered,omitempty"`
}

// StartSupport records that the "what matters to me" conversation was held
// and a plan agreed, with the needs it identified and the support it offered.
func (r *Referral) StartSupport(at time.Time, plan SupportPlan) (ReferralTransitioned, error) {
	needs, err := needSet(plan.Needs)
	if err != nil {
		return ReferralTransitioned{}, fmt.Errorf("referral %s: %w", r.id, err)
	}
	e, keep := ReferralTransitioned{To: StateInSupport, At: at, Needs: needs}, kept{}
	e.Offered, keep.offered = twoCopies(plan.Offered)
	if err := r.transition(&e, keep); err != nil {
		return ReferralTransitioned{}, err
	}
	return e, nil
}

// Connect records that the person was linked to the given community support
// (at least one, each naming its asset). Connecting shares the person's
// details with each asset (CONS-2), and Connect records the connection
// only: it neither checks nor records that sharing. A service that holds
// the person's [Consents] connects with [Referral.ConnectSharing], which
// refuses without current consent for every asset and records one
// DetailsShared per asset beside the transition. Connect is kept for the
// connection itself, because every connection names an asset, so
// refusing it would leave no way to record one where consent lives
// outside the library (a model that keeps no consents, such as the
// simulation, or a system that records sharing itself); such a caller
// owns the CONS-1 check.
func (r *Referral) Connect(at time.Time, takenUp ...CommunitySupport) (ReferralTransitioned, error) {
	e, keep := ReferralTransitioned{To: StateConnected, At: at}, kept{}
	e.Connections, keep.connections = twoCopies(takenUp)
	if err := r.transition(&e, keep); err != nil {
		return ReferralTransitioned{}, err
	}
	return e, nil
}

// PutOnHold puts an in-support or connected referral on hold, with the reason
// (for example waiting for capacity).
func (r *Referral) PutOnHold(at time.Time, reason string) (ReferralTransitioned, error) {
	return r.move(ReferralTransitioned{To: StateOnHold, At: at, Reason: reason})
}

// Resume returns an on-hold referral to the state it was held from.
func (r *Referral) Resume(at time.Time) (ReferralTransitioned, error) {
	return r.move(ReferralTransitioned{To: r.heldFrom, At: at})
}

// Close ends the referral with an outcome and the outcome measures taken
// before and after support. It refuses to close when the message back to
// the GP and referrer (rule REF-4) could not be produced: no need
// identified, no support offered or taken up, or an outcome of
// connected_and_benefited without a connection; and it refuses a measure
// whose instrument is unknown or whose scores are outside the instrument's
// range ([MeasureChange.Validate]). Once closed, [Referral.ClosureMessage]
// gives the message, built when it is asked for: a caller that only
// records the closing (a replay, the simulation) does not pay for it.
func (r *Referral) Close(at time.Time, outcome Outcome, measures ...MeasureChange) (ReferralTransitioned, error) {
	return r.move(ReferralTransitioned{To: StateClosed, At: at, Outcome: outcome, Measures: cloneList(measures)})
}

// Cancel ends a live referral, with the reason: cancelled by the referrer, or
// the person moved, died or could not be contacted.
func (r *Referral) Cancel(at time.Time, reason string) (ReferralTransitioned, error) {
	return r.move(ReferralTransitioned{To: StateCancelled, At: at, Reason: reason})
}

// EnterInError marks a live referral as recorded by mistake.
func (r *Referral) EnterInError(at time.Time, reason string) (ReferralTransitioned, error) {
	return r.move(ReferralTransitioned{To: StateEnteredInError, At: at, Reason: reason})
}

// UpdatePlan adds needs identified and support offered after support has
// begun (in-support, connected or on-hold).
func (r *Referral) UpdatePlan(at time.Time, plan SupportPlan) (ReferralPlanUpdated, error) {
	needs, err := needSet(plan.Needs)
	if err != nil {
		return ReferralPlanUpdated{}, fmt.Errorf("referral %s: %w", r.id, err)
	}
	e := ReferralPlanUpdated{Referral: r.id, At: Stamp(at), Needs: needs, Offered: cloneList(plan.Offered)}
	if err := r.applyPlanUpdated(e); err != nil {
		return ReferralPlanUpdated{}, err
	}
	return e, nil
}

// Reassign hands a live, accepted referral to another link worker (for
// example when its link worker leaves), with the reason.
func (r *Referral) Reassign(at time.Time, to LinkWorkerID, reason string) (ReferralReassigned, error) {
	e := ReferralReassigned{Referral: r.id, From: r.linkWorker, To: to, At: Stamp(at), Reason: reason}
	if err := r.applyReassigned(e); err != nil {
		return ReferralReassigned{}, err
	}
	return e, nil
}

// move fills in the referral and the from-state, applies the transition and
// returns its event.
func (r *Referral) move(e ReferralTransitioned) (ReferralTransitioned, error) {
	if err := r.transition(&e, kept{}); err != nil {
		return ReferralTransitioned{}, err
	}
	return e, nil
}

// transition fills in e's referral and from-state and applies it, in
// place: events are large, and the hottest operations are transitions.
// keep is what the operation made the referral to keep (see [kept]).
func (r *Referral) transition(e *ReferralTransitioned, keep kept) error {
	e.Referral, e.From, e.At = r.id, r.state, Stamp(e.At)
	return r.applyTransitioned(e, keep)
}

// kept is what a live operation may hand a transition besides its event:
// copies of the event's lists made for the referral to keep (see
// [twoCopies]), so that applying the event need not copy them again.
// Apply, whose event is the caller's, hands none.
type kept struct{ offered, connections []CommunitySupport }

// twoCopies returns two copies of list in one allocation, one for the event
// a live operation returns and one for the referral to keep, each capped at
// its length so that appending to either never writes into the other. Both
// are nil when list is empty.
func twoCopies[T any](list []T) (forEvent, forReferral []T) {
	n := len(list)
	if n == 0 {
		return nil, nil
	}
	both := make([]T, 2*n)
	copy(both, list)
	copy(both[n:], list)
	return both[:n:n], both[n:]
}

// extended returns list followed by more in memory of the referral's own:
// kept, when list is empty and the live operation made it, or a new array.
func extended[T any](list, more, kept []T) []T {
	if len(list) == 0 && kept != nil {
		return kept
	}
	return slices.Concat(list, more)
}

// Apply applies one referral event, checking it exactly as the live
// operation does; on error the referral is unchanged.
func (r *Referral) Apply(e Event) error {
	switch e := e.(type) {
	case ReferralReceived:
		return r.applyReceived(e)
	case ReferralTransitioned:
		return r.applyTransitioned(&e, kept{})
	case ReferralPlanUpdated:
		return r.applyPlanUpdated(e)
	case ReferralReassigned:
		return r.applyReassigned(e)
	case ReferralStepTaken:
		return r.applyStep(e)
	case ReferralFollowedUp:
		return r.applyFollowUp(e)
	case ReferralLinked:
		return r.applyLinked(e)
	case ReferralBuyInRecorded:
		return r.applyBuyIn(e)
	case ReferralComplexityAssessed:
		return r.applyComplexity(e)
	case ContactRecorded:
		// The contact's own time is checked with every change's; the time
		// of the risk assessment it relies on must be one JSON can carry.
		if err := CheckTimeRange(e.Contact.RiskAssessedAt); err != nil {
			return fmt.Errorf("referral %s: contact's risk assessment: %w", r.id, err)
		}
		return r.applyContact(&e)
	default:
		return NotFor(e, "referral")
	}
}

func (r *Referral) applyReceived(e ReferralReceived) error {
	if !r.id.IsZero() {
		return fmt.Errorf("%w: referral %s already received", ErrUnexpectedEvent, r.id)
	}
	if e.Referral.IsZero() || e.Patient.IsZero() {
		return fmt.Errorf("%w: a referral needs its own ID and the patient's", ErrInvalidID)
	}
	if err := CheckTime(time.Time{}, e.At); err != nil {
		return fmt.Errorf("referral %s: %w", e.Referral, err)
	}
	if !e.Source.IsValid() {
		return fmt.Errorf("referral %s: %w: %w: source %s", e.Referral, ErrMissingDetail, ErrUnknownValue, e.Source)
	}
	if err := CheckText("referrer", e.Referrer); err != nil {
		return fmt.Errorf("referral %s: %w", e.Referral, err)
	}
	if err := validNeedSet(e.Needs); err != nil {
		return fmt.Errorf("referral %s: %w", e.Referral, err)
	}
	*r = Referral{
		id: e.Referral, patient: e.Patient, practice: e.Practice, source: e.Source, referrer: e.Referrer,
		state: StateReceived, receivedAt: e.At, updatedAt: e.At, events: 1,
	}
	r.needs = e.Needs
	return nil
}

// checkChange checks what every change after receipt must satisfy.
func (r *Referral) checkChange(id ReferralID, at time.Time) error {
	if r.id.IsZero() {
		return fmt.Errorf("%w: referral %s has not been received", ErrUnexpectedEvent, id)
	}
	if id != r.id {
		return fmt.Errorf("%w: event for referral %s applied to referral %s", ErrWrongSubject, id, r.id)
	}
	if err := CheckTime(r.updatedAt, at); err != nil {
		return fmt.Errorf("referral %s: %w (REF-2)", r.id, err)
	}
	return nil
}

func (r *Referral) applyTransitioned(e *ReferralTransitioned, keep kept) error {
	if err := r.checkChange(e.Referral, e.At); err != nil {
		return err
	}
	refuse := func(detail string) error {
		return &TransitionError{Referral: r.id, From: r.state, To: e.To, Detail: detail}
	}
	if e.From != r.state {
		return refuse("the event says it moves from " + e.From.String())
	}
	if !CanTransition(r.state, e.To) {
		return refuse("")
	}
	if r.state == StateOnHold && e.To != r.heldFrom && e.To.IsLive() {
		return refuse("on-hold returns only to " + r.heldFrom.String())
	}
	if err := CheckText("reason", e.Reason); err != nil {
		return fmt.Errorf("referral %s: %w", r.id, err)
	}
	if RequiresReason(e.To) && IsBlank(e.Reason) {
		return fmt.Errorf("referral %s: %w to enter %s (REF-3)", r.id, ErrReasonRequired, e.To)
	}
	if err := r.checkDetails(e); err != nil {
		return err
	}

	// All checks passed: change state.
	switch e.To {
	case StateAccepted:
		r.linkWorker = e.LinkWorker
	case StateContacted, StateDeclined:
		// checkDetails has made sure the event carries the code this state
		// records, which SNOMED gives back from declined.
		r.firstContactAt, r.declined = e.At, e.To == StateDeclined
	case StateInSupport:
		if r.state != StateOnHold {
			r.needs = r.needs | e.Needs
			r.offered = extended(r.offered, e.Offered, keep.offered)
		}
	case StateConnected:
		if r.state != StateOnHold {
			r.connections = extended(r.connections, e.Connections, keep.connections)
			if r.connectedAt.IsZero() {
				r.connectedAt = e.At
			}
		}
	case StateOnHold:
		r.heldFrom = r.state
	case StateClosed:
		r.outcome = e.Outcome
		r.measures = slices.Concat(r.measures, e.Measures)
		r.closedAt = e.At
	}
	if r.state == StateOnHold {
		r.heldFrom = 0
	}
	r.state, r.reason, r.updatedAt = e.To, e.Reason, e.At
	r.events++
	return nil
}

// checkDetails checks the data a transition carries: what its target state
// needs, and nothing that belongs to another.
func (r *Referral) checkDetails(e *ReferralTransitioned) error {
	resuming := r.state == StateOnHold
	stray := func(what string) error {
		return fmt.Errorf("%w: referral %s: %s -> %s carries %s", ErrUnexpectedEvent, r.id, r.state, e.To, what)
	}
	// SNOMED CT codes are recorded at first contact only (rule REF-6).
	var wantCode SNOMEDCode
	switch e.To {
	case StateContacted:
		wantCode = SNOMEDReferralToSocialPrescribing
	case StateDeclined:
		wantCode = SNOMEDSocialPrescribingDeclined
	}
	if e.SNOMED != wantCode {
		if wantCode == "" {
			return stray("SNOMED CT code " + string(e.SNOMED) + " (REF-6: recorded at first contact only)")
		}
		return fmt.Errorf("%w: referral %s: first contact must record SNOMED CT %s (REF-6)", ErrMissingDetail, r.id, wantCode)
	}
	if e.To == StateAccepted {
		if e.LinkWorker.IsZero() {
			return fmt.Errorf("referral %s: %w: accepting needs a link worker", r.id, ErrMissingDetail)
		}
	} else if !e.LinkWorker.IsZero() {
		return stray("a link worker (use Reassign)")
	}
	if e.To == StateInSupport && !resuming {
		if err := validNeedSet(e.Needs); err != nil {
			return fmt.Errorf("referral %s: %w", r.id, err)
		}
		if err := validateSupport("support offered", e.Offered, false); err != nil {
			return fmt.Errorf("referral %s: %w", r.id, err)
		}
	} else if !e.Needs.IsEmpty() || len(e.Offered) > 0 {
		return stray("a plan (plans come with the start of support, or UpdatePlan)")
	}
	if e.To == StateConnected && !resuming {
		if len(e.Connections) == 0 {
			return fmt.Errorf("referral %s: %w: connecting needs at least one community asset", r.id, ErrMissingDetail)
		}
		if err := validateSupport("connection", e.Connections, true); err != nil {
			return fmt.Errorf("referral %s: %w", r.id, err)
		}
	} else if len(e.Connections) > 0 {
		return stray("connections")
	}
	if e.To == StateClosed {
		return r.checkClosure(e)
	}
	if e.Outcome != 0 || len(e.Measures) > 0 {
		return stray("an outcome")
	}
	return nil
}

// checkClosure checks that closing gives an outcome and that the message
// back to the GP and referrer can be produced (rule REF-4).
func (r *Referral) checkClosure(e *ReferralTransitioned) error {
	switch {
	case e.Outcome == 0:
		return fmt.Errorf("referral %s: %w (REF-4)", r.id, ErrOutcomeRequired)
	case !e.Outcome.IsValid():
		return fmt.Errorf("referral %s: %w: %w: outcome %s (REF-4)", r.id, ErrOutcomeRequired, ErrUnknownValue, e.Outcome)
	}
	for i, m := range e.Measures {
		if err := m.Validate(); err != nil {
			return fmt.Errorf("referral %s: measure %d: %w", r.id, i+1, err)
		}
	}
	incomplete := func(why string) error {
		return fmt.Errorf("referral %s: %w: %s (REF-4)", r.id, ErrMessageIncomplete, why)
	}
	switch {
	case r.needs.IsEmpty():
		return incomplete("no need has been identified")
	case len(r.offered) == 0 && len(r.connections) == 0:
		return incomplete("no support has been offered or taken up")
	case e.Outcome == OutcomeConnectedAndBenefited && len(r.connections) == 0:
		return incomplete("outcome connected_and_benefited but the person was never connected")
	}
	return nil
}

func (r *Referral) applyPlanUpdated(e ReferralPlanUpdated) error {
	if err := r.checkChange(e.Referral, e.At); err != nil {
		return err
	}
	switch r.state {
	case StateInSupport, StateConnected, StateOnHold:
	default:
		return fmt.Errorf("%w: referral %s: the plan can change only once support has begun, not in %s", ErrUnexpectedEvent, r.id, r.state)
	}
	if e.Needs.IsEmpty() && len(e.Offered) == 0 {
		return fmt.Errorf("referral %s: %w: a plan update adds no need and no support", r.id, ErrMissingDetail)
	}
	if err := validNeedSet(e.Needs); err != nil {
		return fmt.Errorf("referral %s: %w", r.id, err)
	}
	if err := validateSupport("support offered", e.Offered, false); err != nil {
		return fmt.Errorf("referral %s: %w", r.id, err)
	}
	r.needs = r.needs | e.Needs
	r.offered = slices.Concat(r.offered, e.Offered)
	r.updatedAt = e.At
	r.events++
	return nil
}

func (r *Referral) applyReassigned(e ReferralReassigned) error {
	if err := r.checkChange(e.Referral, e.At); err != nil {
		return err
	}
	if r.linkWorker.IsZero() || !r.state.IsLive() {
		return fmt.Errorf("%w: referral %s in %s has no link worker to hand over from", ErrUnexpectedEvent, r.id, r.state)
	}
	if e.From != r.linkWorker {
		return fmt.Errorf("%w: referral %s: the event hands over from link worker %s but %s holds it", ErrWrongSubject, r.id, e.From, r.linkWorker)
	}
	if e.To.IsZero() || e.To == r.linkWorker {
		return fmt.Errorf("referral %s: %w: reassigning needs another link worker", r.id, ErrMissingDetail)
	}
	if err := CheckText("reason", e.Reason); err != nil {
		return fmt.Errorf("referral %s: %w", r.id, err)
	}
	if IsBlank(e.Reason) {
		return fmt.Errorf("referral %s: %w to reassign", r.id, ErrReasonRequired)
	}
	r.linkWorker, r.reason, r.updatedAt = e.To, e.Reason, e.At
	r.events++
	return nil
}

// cloneList returns a copy of list for an event, nil when it is empty, so
// that an event shares no memory with its caller and equals the event that
// decoding it gives back.
func cloneList[T any](list []T) []T {
	if len(list) == 0 {
		return nil
	}
	return slices.Clone(list)
}

// needSet returns the set of the given needs, refusing any that is not a
// need: a set would silently drop it.
func needSet(ns []Need) (NeedSet, error) {
	if err := validNeeds(ns); err != nil {
		return 0, err
	}
	return SetOf(ns...), nil
}

// validNeedSet checks that a set holds needs only: one built from bits
// rather than [SetOf] or JSON can hold anything.
func validNeedSet(s NeedSet) error {
	for rest := uint64(s); rest != 0; rest &= rest - 1 {
		if n := Need(bits.TrailingZeros64(rest)); !n.IsValid() {
			return fmt.Errorf("%w: %w: need %s", ErrMissingDetail, ErrUnknownValue, n)
		}
	}
	return nil
}

func validNeeds(ns []Need) error {
	for _, n := range ns {
		if !n.IsValid() {
			return fmt.Errorf("%w: %w: need %s", ErrMissingDetail, ErrUnknownValue, n)
		}
	}
	return nil
}

// contactIDs is the IDs of a referral's contacts. The newest few are kept
// in the referral itself, so copying a referral copies them; older ones
// move, a full block at a time, into a chain of blocks that never change
// once made and that copies share. Copies therefore never see each other's
// contacts (the copy rule), and recording a contact allocates once per
// block rather than once per contact or a copy of every earlier ID.
type contactIDs struct {
	recent [contactBlockLen]ContactID
	n      int32 // IDs held in recent
	older  *contactBlock
}

// contactBlockLen is how many IDs a referral keeps in itself and each
// block holds: four 16-byte IDs, one cache line.
const contactBlockLen = 4

// contactBlock is a full block of older contact IDs.
type contactBlock struct {
	ids  [contactBlockLen]ContactID
	next *contactBlock
}

// add records id, moving the recent IDs to a new block when they fill it.
func (l *contactIDs) add(id ContactID) {
	if l.n == contactBlockLen {
		l.older = &contactBlock{ids: l.recent, next: l.older}
		l.recent, l.n = [contactBlockLen]ContactID{}, 0
	}
	l.recent[l.n] = id
	l.n++
}

// contains reports whether id was recorded.
func (l *contactIDs) contains(id ContactID) bool {
	if slices.Contains(l.recent[:l.n], id) {
		return true
	}
	for b := l.older; b != nil; b = b.next {
		if slices.Contains(b.ids[:], id) {
			return true
		}
	}
	return false
}

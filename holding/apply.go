package holding

import (
	"fmt"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Apply applies one holding event, checking it exactly as the live
// operation does; on error the episode is unchanged.
func (e *Episode) Apply(ev prescribing.Event) error {
	switch ev := ev.(type) {
	case Started:
		return e.applyStarted(&ev)
	case ReasonAdded:
		return e.applyReasonAdded(&ev)
	case ReadinessReached:
		return e.applyReady(&ev)
	case Reviewed:
		return e.applyReviewed(&ev)
	case EpisodeEnded:
		return e.applyEnded(&ev)
	default:
		return prescribing.NotFor(ev, "holding")
	}
}

func (e *Episode) applyStarted(s *Started) error {
	s.At, s.Endpoint, s.SignOff = prescribing.Stamp(s.At), stampEndpoint(s.Endpoint), stampSignOff(s.SignOff)
	switch {
	case !e.id.IsZero():
		return fmt.Errorf("%w: episode %s has already started", prescribing.ErrUnexpectedEvent, e.id)
	case s.Episode.IsZero() || s.Patient.IsZero() || s.LinkWorker.IsZero():
		return fmt.Errorf("%w: an episode needs its own ID, a person and a link worker (HOLD-1)", prescribing.ErrInvalidID)
	}
	if err := prescribing.CheckTime(time.Time{}, s.At); err != nil {
		return fmt.Errorf("episode %s: %w", s.Episode, err)
	}
	if err := checkReasons(s.Episode, s.Reasons, s.Need, s.Awaited); err != nil {
		return err
	}
	if err := checkEndpoint(s.Episode, s.Endpoint, s.SignOff, s.At, s.Reasons); err != nil {
		return err
	}
	*e = Episode{
		id: s.Episode, referral: s.Referral, patient: s.Patient, linkWorker: s.LinkWorker,
		reasons: s.Reasons, need: s.Need, awaited: s.Awaited,
		start: s.At, endpoint: s.Endpoint, signOff: signOffOf(s.SignOff), updatedAt: s.At, events: 1,
	}
	return nil
}

// signOffOf keeps a sign-off only when there is one.
func signOffOf(s SignOff) *SignOff {
	if s.IsZero() {
		return nil
	}
	// A copy made here, not &s: taking the parameter's address would move
	// it to the heap on every call, sign-off or not.
	p := new(SignOff)
	*p = s
	return p
}

// checkReasons checks an episode's reasons: at least one, all known, and a
// need named exactly when lack of provision is among them (HOLD-1, HOLD-2).
func checkReasons(id EpisodeID, rs ReasonSet, need prescribing.Need, awaited prescribing.AssetID) error {
	if rs.IsEmpty() {
		return fmt.Errorf("episode %s: %w (HOLD-1)", id, ErrNoReason)
	}
	for _, r := range rs.List() {
		if !r.IsValid() {
			return fmt.Errorf("episode %s: %w: %w: %s", id, ErrNoReason, prescribing.ErrUnknownValue, r)
		}
	}
	if err := checkKnown(id, need); err != nil {
		return err
	}
	if rs.Has(ReasonLackOfProvision) != need.IsValid() {
		return fmt.Errorf("episode %s: %w: lack_of_provision names the need without provision, and only it does (HOLD-2)",
			id, prescribing.ErrMissingDetail)
	}
	if !awaited.IsZero() && !rs.Has(ReasonLackOfProvision) {
		return fmt.Errorf("episode %s: %w: an awaited asset without lack_of_provision", id, prescribing.ErrMissingDetail)
	}
	return nil
}

// checkKnown refuses a value outside its vocabulary, a need or an ending,
// whether or not one is required there (the caller's rule): the codec
// could not store it.
func checkKnown[V interface {
	~uint8
	IsValid() bool
	String() string
}](id EpisodeID, v V) error {
	if v != 0 && !v.IsValid() {
		return fmt.Errorf("episode %s: %w: %s", id, prescribing.ErrUnknownValue, v)
	}
	return nil
}

// checkEndpoint checks a planned endpoint set at time at (HOLD-1, HOLD-5):
// a known plan, dates JSON can carry, and a sign-off exactly when the
// endpoint is open.
func checkEndpoint(id EpisodeID, ep Endpoint, so SignOff, at time.Time, rs ReasonSet) error {
	switch {
	case ep.Plan == 0:
		return fmt.Errorf("episode %s: %w: no plan for the endpoint (HOLD-1)", id, ErrNoEndpoint)
	case !ep.Plan.IsValid():
		return fmt.Errorf("episode %s: %w: %w: %s (HOLD-1)", id, ErrNoEndpoint, prescribing.ErrUnknownValue, ep.Plan)
	}
	if err := prescribing.CheckTimeRange(ep.At); err != nil {
		return fmt.Errorf("episode %s: the endpoint: %w", id, err)
	}
	if err := checkSignOffFields(id, so); err != nil {
		return err
	}
	if (ep.Plan == EndpointPlanConnect) == ep.Asset.IsZero() {
		return fmt.Errorf("episode %s: %w: a connect endpoint names its asset, and only it does", id, ErrNoEndpoint)
	}
	if !ep.Open {
		if !ep.At.After(at) {
			return fmt.Errorf("episode %s: %w: the endpoint must come after %s (HOLD-1)", id, ErrNoEndpoint, at.Format(time.RFC3339))
		}
		if !so.IsZero() {
			return fmt.Errorf("episode %s: %w: a sign-off belongs to an open endpoint", id, prescribing.ErrUnexpectedEvent)
		}
		return nil
	}
	switch {
	case !rs.Has(ReasonUnfixableProblems):
		return fmt.Errorf("episode %s: %w: only unfixable_problems may have an open endpoint (HOLD-5)", id, ErrNoEndpoint)
	case !ep.At.IsZero():
		return fmt.Errorf("episode %s: %w: an open endpoint has no date", id, ErrNoEndpoint)
	case prescribing.IsBlank(so.Supervisor) || so.At.IsZero() || so.At.After(at):
		return fmt.Errorf("episode %s: %w: no supervisor's sign-off recorded by %s (HOLD-5)", id, ErrNoSignOff, at.Format(time.RFC3339))
	case !so.ReviewBy.After(at):
		return fmt.Errorf("episode %s: %w: the sign-off's review date must come after %s (HOLD-5)", id, ErrNoSignOff, at.Format(time.RFC3339))
	}
	return nil
}

// checkSignOffFields refuses a sign-off the codec could not store: a
// supervisor's name that is not valid text, or dates outside the years JSON
// can carry. Whether a sign-off is required is checkEndpoint's rule.
func checkSignOffFields(id EpisodeID, so SignOff) error {
	if err := prescribing.CheckText("the supervisor", so.Supervisor); err != nil {
		return fmt.Errorf("episode %s: the sign-off: %w", id, err)
	}
	for _, t := range [...]time.Time{so.At, so.ReviewBy} {
		if err := prescribing.CheckTimeRange(t); err != nil {
			return fmt.Errorf("episode %s: the sign-off: %w", id, err)
		}
	}
	return nil
}

// checkChange checks what every change after the start must satisfy.
func (e *Episode) checkChange(id EpisodeID, at time.Time) error {
	switch {
	case e.id.IsZero():
		return fmt.Errorf("%w: episode %s has not started", prescribing.ErrUnexpectedEvent, id)
	case id != e.id:
		return fmt.Errorf("%w: event for episode %s applied to episode %s", prescribing.ErrWrongSubject, id, e.id)
	case !e.ended.IsZero():
		return fmt.Errorf("episode %s: %w", e.id, ErrEnded)
	}
	if err := prescribing.CheckTime(e.updatedAt, at); err != nil {
		return fmt.Errorf("episode %s: %w", e.id, err)
	}
	return nil
}

func (e *Episode) applyReasonAdded(ev *ReasonAdded) error {
	ev.At = prescribing.Stamp(ev.At)
	if err := e.checkChange(ev.Episode, ev.At); err != nil {
		return err
	}
	switch {
	case ev.Reason == 0:
		return fmt.Errorf("episode %s: %w", e.id, ErrNoReason)
	case !ev.Reason.IsValid():
		return fmt.Errorf("episode %s: %w: %w: %s", e.id, ErrNoReason, prescribing.ErrUnknownValue, ev.Reason)
	}
	if err := checkKnown(e.id, ev.Need); err != nil {
		return err
	}
	need := e.need
	if ev.Reason == ReasonLackOfProvision {
		switch {
		case !ev.Need.IsValid():
			return fmt.Errorf("episode %s: %w: lack_of_provision names the need (HOLD-2)", e.id, prescribing.ErrMissingDetail)
		case e.need.IsValid() && e.need != ev.Need:
			return fmt.Errorf("episode %s: %w: it already waits for provision for %s, not %s", e.id, prescribing.ErrUnexpectedEvent, e.need, ev.Need)
		}
		need = ev.Need
	} else if ev.Need != 0 {
		return fmt.Errorf("episode %s: %w: only lack_of_provision names a need", e.id, prescribing.ErrUnexpectedEvent)
	}
	e.reasons, e.need, e.updatedAt = e.reasons.With(ev.Reason), need, ev.At
	e.events++
	return nil
}

func (e *Episode) applyReady(ev *ReadinessReached) error {
	ev.At = prescribing.Stamp(ev.At)
	if err := e.checkChange(ev.Episode, ev.At); err != nil {
		return err
	}
	e.ready, e.updatedAt = true, ev.At
	e.events++
	return nil
}

func (e *Episode) applyReviewed(ev *Reviewed) error {
	ev.At, ev.Endpoint, ev.SignOff = prescribing.Stamp(ev.At), stampEndpoint(ev.Endpoint), stampSignOff(ev.SignOff)
	if err := e.checkChange(ev.Episode, ev.At); err != nil {
		return err
	}
	if err := ev.Ratings.Validate(); err != nil {
		return fmt.Errorf("episode %s: %w", e.id, err)
	}
	if ev.Decision != 0 && !ev.Decision.IsValid() {
		return fmt.Errorf("episode %s: %w: %w: %s (HOLD-3)", e.id, ErrDecisionRequired, prescribing.ErrUnknownValue, ev.Decision)
	}
	if err := checkKnown(e.id, ev.Ending); err != nil {
		return err
	}
	if err := prescribing.CheckText("the rationale", ev.Rationale); err != nil {
		return fmt.Errorf("episode %s: %w", e.id, err)
	}
	stray := func(what string) error {
		return fmt.Errorf("episode %s: %w: a %s review carries %s", e.id, prescribing.ErrUnexpectedEvent, ev.Decision, what)
	}
	reached := !ev.At.Before(e.Due())
	switch ev.Decision {
	case DecisionContinue:
		if reached {
			return fmt.Errorf("episode %s: %w: the endpoint was due %s (HOLD-3)", e.id, ErrDecisionRequired,
				e.Due().Format(time.RFC3339))
		}
		if ev.Endpoint != (Endpoint{}) || ev.Rationale != "" || !ev.SignOff.IsZero() || ev.Ending != 0 {
			return stray("an endpoint, rationale, sign-off or outcome")
		}
	case DecisionExtend:
		if prescribing.IsBlank(ev.Rationale) {
			return fmt.Errorf("episode %s: %w (HOLD-3)", e.id, ErrNoRationale)
		}
		if err := checkEndpoint(e.id, ev.Endpoint, ev.SignOff, ev.At, e.reasons); err != nil {
			return err
		}
		if ev.Ending != 0 {
			return stray("an outcome")
		}
	case DecisionEnd:
		if !ev.Ending.IsValid() {
			return fmt.Errorf("episode %s: %w: ending needs an outcome (HOLD-3)", e.id, ErrDecisionRequired)
		}
		if ev.Endpoint != (Endpoint{}) || ev.Rationale != "" || !ev.SignOff.IsZero() {
			return stray("an endpoint, rationale or sign-off")
		}
	default:
		return fmt.Errorf("episode %s: %w: decision %s (HOLD-3)", e.id, ErrDecisionRequired, ev.Decision)
	}

	rising := e.reviews > 0 && ev.Ratings.Rising(e.last.assessment())
	e.prev, e.last = e.last, toRating(ev.Ratings)
	e.reviews++
	if rising {
		e.stalled = 0
	}
	switch ev.Decision {
	case DecisionExtend:
		e.extensions++
		if !rising {
			e.stalled++
		}
		e.endpoint, e.signOff = ev.Endpoint, signOffOf(ev.SignOff)
	case DecisionEnd:
		e.ended, e.outcome = ev.At, ev.Ending
	}
	e.updatedAt = ev.At
	e.events++
	return nil
}

func (e *Episode) applyEnded(ev *EpisodeEnded) error {
	ev.At = prescribing.Stamp(ev.At)
	if err := e.checkChange(ev.Episode, ev.At); err != nil {
		return err
	}
	if err := checkKnown(e.id, ev.Ending); err != nil {
		return err
	}
	switch ev.Ending {
	case EndingConnected, EndingDisengaged, EndingTransferred:
	case EndingNeedResolved, EndingReferredToSpecialist, EndingDischarged:
		return fmt.Errorf("episode %s: %w: %s is a decision, taken at a review (HOLD-3)", e.id, ErrDecisionRequired, ev.Ending)
	default:
		return fmt.Errorf("episode %s: %w: outcome %s", e.id, prescribing.ErrMissingDetail, ev.Ending)
	}
	if !ev.Asset.IsZero() && ev.Ending != EndingConnected {
		return fmt.Errorf("episode %s: %w: only a connection names an asset", e.id, prescribing.ErrUnexpectedEvent)
	}
	e.ended, e.outcome, e.updatedAt = ev.At, ev.Ending, ev.At
	e.events++
	return nil
}

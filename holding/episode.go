package holding

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Errors of holding episodes. Each is wrapped with the episode's ID and the
// values that explain it.
//
// Besides these, a live operation and [Episode.Apply] refuse what the codec
// could not store or would bring back different, with the shared sentinels
// of package prescribing: a time outside the years 1 to 9999
// ([prescribing.ErrTimeOutOfRange]), free text (a rationale, a supervisor's
// name) that is not valid UTF-8, holds a NUL or is longer than
// [prescribing.MaxTextBytes] ([prescribing.ErrInvalidText]), and a reason,
// need, plan, decision or outcome outside its vocabulary
// ([prescribing.ErrUnknownValue], wrapped together with the rule's own
// sentinel where there is one). A refused operation returns the zero event
// and changes nothing.
var (
	// ErrNoReason reports an episode, or a reason added, without a valid
	// reason (rule HOLD-1); a reason outside the vocabulary wraps
	// [prescribing.ErrUnknownValue] as well.
	ErrNoReason = errors.New("holding needs a reason")
	// ErrNoEndpoint reports an episode, or an extension, without a planned
	// endpoint after its time, or an open endpoint where none is allowed
	// (rules HOLD-1, HOLD-5).
	ErrNoEndpoint = errors.New("holding needs a planned endpoint")
	// ErrNoSignOff reports an open endpoint without a supervisor's sign-off
	// (naming a supervisor, not blank) that has a review date (rule HOLD-5).
	ErrNoSignOff = errors.New("an open endpoint needs a supervisor's sign-off with a review date")
	// ErrDecisionRequired reports a review at or past the endpoint that
	// neither ends nor extends the episode, or an ending by decision outside
	// a review (rule HOLD-3).
	ErrDecisionRequired = errors.New("the endpoint needs a review decision: end or extend")
	// ErrNoRationale reports an extension without a rationale, or with one
	// of only white space (rule HOLD-3).
	ErrNoRationale = errors.New("extending needs a rationale")
	// ErrEnded reports a change to an episode that has ended.
	ErrEnded = errors.New("holding episode has ended")
	// ErrProvisionAvailable reports starting holding for lack of provision
	// when matching found provision with room (rule HOLD-2).
	ErrProvisionAvailable = errors.New("the need has provision with room")
	// ErrInvalidRatings reports readiness or confidence outside 0-10.
	ErrInvalidRatings = errors.New("assessment out of range")
)

// EpisodeID identifies a holding [Episode].
type EpisodeID = prescribing.ID[Episode]

// Endpoint is where an episode is meant to go and by when (rule HOLD-1): a
// date and what should happen then. An open endpoint has no date; only
// episodes held for [ReasonUnfixableProblems] may have one, with a supervisor's
// [SignOff] (rule HOLD-5).
type Endpoint struct {
	At   time.Time    `json:"at,omitzero"`
	Plan EndpointPlan `json:"plan"`
	// Asset is the community asset to connect to, for [EndpointPlanConnect].
	Asset prescribing.AssetID `json:"asset,omitzero"`
	// Open marks an endpoint without a date.
	Open bool `json:"open,omitempty"`
}

// SignOff is a supervisor's agreement to an open endpoint, which must itself
// be reviewed by a date (rule HOLD-5).
type SignOff struct {
	// Supervisor names who signed off (staff, not patient, data): not
	// blank, and text as [prescribing.CheckText] accepts it.
	Supervisor string    `json:"supervisor"`
	At         time.Time `json:"at"`
	ReviewBy   time.Time `json:"review_by"`
}

// IsZero reports whether no sign-off is recorded.
func (s SignOff) IsZero() bool { return s == SignOff{} }

// Ratings is what a review records of the person (rule HOLD-6): their
// motivation and their capacity given the other demands in their life, which
// together are their readiness, and their confidence. Each is rated 0-10 by
// the link worker with the person; the scale is this library's choice, as the
// research names the qualities but gives no instrument.
type Ratings struct {
	Motivation int `json:"motivation"`
	Capacity   int `json:"capacity"`
	Confidence int `json:"confidence"`
}

// Readiness is motivation plus capacity, 0-20.
func (a Ratings) Readiness() int { return a.Motivation + a.Capacity }

// Validate reports a rating outside 0-10.
func (a Ratings) Validate() error {
	for _, v := range [...]int{a.Motivation, a.Capacity, a.Confidence} {
		if v < 0 || v > 10 {
			return fmt.Errorf("%w: ratings are 0-10, got %d", ErrInvalidRatings, v)
		}
	}
	return nil
}

// Rising reports whether a shows the person moving forward since prev:
// readiness or confidence higher, and neither lower.
func (a Ratings) Rising(prev Ratings) bool {
	r, pr := a.Readiness(), prev.Readiness()
	return (r > pr || a.Confidence > prev.Confidence) && r >= pr && a.Confidence >= prev.Confidence
}

// Limits holds the numbers a service sets for holding.
type Limits struct {
	// MaxStalledExtensions is how many extensions in a row without readiness
	// or confidence rising an episode may have before it is at risk of
	// indefinite holding (rule HOLD-4); zero (or less) means the default, 3.
	MaxStalledExtensions int `json:"max_stalled_extensions"`
}

// DefaultMaxStalledExtensions is the default of [Limits.MaxStalledExtensions].
const DefaultMaxStalledExtensions = 3

func (p Limits) maxStalled() int {
	if p.MaxStalledExtensions <= 0 {
		return DefaultMaxStalledExtensions
	}
	return p.MaxStalledExtensions
}

// Start is what starting an episode takes (rule HOLD-1).
type Start struct {
	ID         EpisodeID                `json:"id"`
	Referral   prescribing.ReferralID   `json:"referral,omitzero"`
	Patient    prescribing.PatientID    `json:"patient"`
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	// Reasons are why the person is held: at least one.
	Reasons ReasonSet `json:"reasons"`
	// Need is, for [ReasonLackOfProvision], the need without provision, and
	// Awaited the asset waited for, if any (rule HOLD-2). A need outside
	// its vocabulary is refused whatever the reasons.
	Need    prescribing.Need    `json:"need,omitzero"`
	Awaited prescribing.AssetID `json:"awaited,omitzero"`
	At      time.Time           `json:"at"`
	// Endpoint is the planned endpoint, after At.
	Endpoint Endpoint `json:"endpoint"`
	// SignOff is required for an open endpoint.
	SignOff SignOff `json:"sign_off,omitzero"`
}

// Episode is one holding episode: a link worker giving a person ongoing
// support for one or more reasons, towards a planned endpoint, reviewed
// along the way. Every change is an event. Make one with [Begin]; rebuild
// one by replaying its stream (kind holding_episode, its ID) into a zero
// Episode, as for every [prescribing.StreamRecord].
//
// An Episode holds no slices or maps, so it is cheap to copy and its
// operations do not allocate. Its one pointer, to an open endpoint's
// sign-off, is never written through (a new sign-off replaces it whole), so
// plain copies share nothing that either changes, and no event shares memory
// with the episode. It is plain data: safe to copy, not to change
// concurrently.
type Episode struct {
	id         EpisodeID
	referral   prescribing.ReferralID
	patient    prescribing.PatientID
	linkWorker prescribing.LinkWorkerID
	reasons    ReasonSet
	need       prescribing.Need
	awaited    prescribing.AssetID
	ready      bool

	start     time.Time
	endpoint  Endpoint
	signOff   *SignOff // nil unless the endpoint is open; never changed in place, so copies may share it
	updatedAt time.Time

	extensions int32
	reviews    int32
	stalled    int32  // extensions in a row without a rising assessment
	last, prev rating // the assessments of the last two reviews

	ended   time.Time
	outcome Ending
	events  int32
}

// rating is an Assessment stored compactly: each rating is 0-10.
type rating [3]int8

func toRating(a Ratings) rating {
	return rating{int8(a.Motivation), int8(a.Capacity), int8(a.Confidence)}
}

func (r rating) assessment() Ratings {
	return Ratings{Motivation: int(r[0]), Capacity: int(r[1]), Confidence: int(r[2])}
}

// Begin starts an episode (rule HOLD-1): it needs at least one reason, a
// person, a link worker and a planned endpoint after its start; an episode
// for [ReasonLackOfProvision] names the need (HOLD-2); an open endpoint is allowed
// only for [ReasonUnfixableProblems] with a supervisor's sign-off (HOLD-5). Times
// are kept in UTC. A refusal returns the zero Episode and the zero event.
func Begin(s Start) (Episode, Started, error) {
	var ep Episode
	e, err := ep.Begin(s)
	if err != nil {
		return Episode{}, Started{}, err
	}
	return ep, e, nil
}

// Begin starts an episode in e, which must be the zero Episode: the package
// function [Begin] without copying the episode, for callers that keep many
// in place (the simulation's pool).
func (e *Episode) Begin(s Start) (Started, error) {
	ev := Started{
		Episode: s.ID, Referral: s.Referral, Patient: s.Patient, LinkWorker: s.LinkWorker,
		Reasons: s.Reasons, Need: s.Need, Awaited: s.Awaited, At: prescribing.Stamp(s.At),
		Endpoint: stampEndpoint(s.Endpoint), SignOff: stampSignOff(s.SignOff),
	}
	if err := e.applyStarted(&ev); err != nil {
		return Started{}, err
	}
	return ev, nil
}

// BeginForLackOfProvision starts an episode for [ReasonLackOfProvision] from what
// matching said of a need (rule HOLD-2): np must say the need has no
// provision or provision that is full, and the episode names the need and
// the asset awaited. Reasons in s are kept and the reason is added to them.
func BeginForLackOfProvision(s Start, np prescribing.NeedProvision) (Episode, Started, error) {
	switch np.Provision {
	case prescribing.ProvisionFull, prescribing.ProvisionNone:
	case prescribing.ProvisionAvailable:
		return Episode{}, Started{}, fmt.Errorf("episode %s: %w: %s (HOLD-2)", s.ID, ErrProvisionAvailable, np.Need)
	case 0:
		return Episode{}, Started{}, fmt.Errorf("episode %s: %w: provision %s", s.ID, prescribing.ErrMissingDetail, np.Provision)
	default:
		return Episode{}, Started{}, fmt.Errorf("episode %s: %w: %w: provision %s", s.ID, prescribing.ErrMissingDetail, prescribing.ErrUnknownValue, np.Provision)
	}
	s.Reasons = s.Reasons.With(ReasonLackOfProvision)
	s.Need, s.Awaited = np.Need, np.Awaited
	return Begin(s)
}

// ID returns the episode's ID.
func (e *Episode) ID() EpisodeID { return e.id }

// Stream returns the episode's stream (kind holding_episode, its ID), or
// the zero Stream before it starts.
func (e *Episode) Stream() prescribing.Stream {
	if e.id.IsZero() {
		return prescribing.Stream{}
	}
	return prescribing.StreamOf(prescribing.StreamKindHoldingEpisode, e.id)
}

// Version returns how many events the episode has applied, its start
// included.
func (e *Episode) Version() int { return int(e.events) }

// Referral returns the referral the episode belongs to.
func (e *Episode) Referral() prescribing.ReferralID { return e.referral }

// Patient returns the person held.
func (e *Episode) Patient() prescribing.PatientID { return e.patient }

// LinkWorker returns the link worker holding the person.
func (e *Episode) LinkWorker() prescribing.LinkWorkerID { return e.linkWorker }

// Reasons returns why the person is held. Reasons accumulate: one added
// later stays in the record.
func (e *Episode) Reasons() ReasonSet { return e.reasons }

// Need returns the need without provision, for [ReasonLackOfProvision], and the
// asset awaited, if any.
func (e *Episode) Need() (prescribing.Need, prescribing.AssetID) { return e.need, e.awaited }

// Ready reports whether the person has been marked ready to connect.
func (e *Episode) Ready() bool { return e.ready }

// Started returns when the episode began.
func (e *Episode) Started() time.Time { return e.start }

// Endpoint returns the current planned endpoint.
func (e *Episode) Endpoint() Endpoint { return e.endpoint }

// SignOff returns the supervisor's sign-off of an open endpoint, if any.
func (e *Episode) SignOff() SignOff {
	if e.signOff == nil {
		return SignOff{}
	}
	return *e.signOff
}

// Extensions returns how many times the endpoint has been extended.
func (e *Episode) Extensions() int { return int(e.extensions) }

// Reviews returns how many reviews have been held.
func (e *Episode) Reviews() int { return int(e.reviews) }

// LastRatings returns the ratings of the latest review, and false
// before any review.
func (e *Episode) LastRatings() (Ratings, bool) { return e.last.assessment(), e.reviews > 0 }

// Open reports whether the episode has not ended.
func (e *Episode) Open() bool { return e.ended.IsZero() }

// Ended returns when and how the episode ended, and false while it is open.
func (e *Episode) Ended() (time.Time, Ending, bool) { return e.ended, e.outcome, !e.ended.IsZero() }

// Duration returns how long the episode has lasted at time at, or lasted if
// it has ended.
func (e *Episode) Duration(at time.Time) time.Duration {
	if !e.ended.IsZero() {
		return e.ended.Sub(e.start)
	}
	return at.Sub(e.start)
}

// Due returns when the episode must next be reviewed: the endpoint's date,
// or for an open endpoint the sign-off's review date.
func (e *Episode) Due() time.Time {
	if e.endpoint.Open && e.signOff != nil {
		return e.signOff.ReviewBy
	}
	return e.endpoint.At
}

// Overdue reports whether the episode is open and past its endpoint (or, for
// an open endpoint, past its sign-off's review date) at time at without the
// review that must end or extend it (rule HOLD-4).
func (e *Episode) Overdue(at time.Time) bool { return e.Open() && at.After(e.Due()) }

// AtRisk reports whether the open episode has been extended more times in a
// row than the policy allows without readiness or confidence rising between
// reviews: at risk of indefinite holding (rule HOLD-4).
func (e *Episode) AtRisk(p Limits) bool { return e.Open() && int(e.stalled) > p.maxStalled() }

// StalledExtensions returns how many extensions in a row came at reviews
// where readiness and confidence did not rise.
func (e *Episode) StalledExtensions() int { return int(e.stalled) }

// Class says whether the episode shows cherishing or static holding from
// its recent reviews (rule HOLD-6): cherishing when the latest review shows
// readiness or confidence rising from the one before (and neither falling);
// static when they are flat or falling and the episode has been extended at
// least once; unclassified before two reviews, or when flat before any
// extension.
func (e *Episode) Class() Class {
	switch {
	case e.reviews < 2:
		return ClassUnclassified
	case e.last.assessment().Rising(e.prev.assessment()):
		return ClassCherishing
	case e.extensions >= 1:
		return ClassStatic
	default:
		return ClassUnclassified
	}
}

// AddReason records another reason for holding; for [ReasonLackOfProvision] it
// names the need without provision.
func (e *Episode) AddReason(r Reason, need prescribing.Need, at time.Time) (ReasonAdded, error) {
	ev := ReasonAdded{Episode: e.id, Reason: r, Need: need, At: prescribing.Stamp(at)}
	if err := e.applyReasonAdded(&ev); err != nil {
		return ReasonAdded{}, err
	}
	return ev, nil
}

// MarkReady records that the person is now ready to connect (relevant to
// [ReasonAwaitingReadiness]). The reason stays in the record; a place that appears
// for their need can now end the episode.
func (e *Episode) MarkReady(at time.Time) (ReadinessReached, error) {
	ev := ReadinessReached{Episode: e.id, At: prescribing.Stamp(at)}
	if err := e.applyReady(&ev); err != nil {
		return ReadinessReached{}, err
	}
	return ev, nil
}

// Decision is what a review decides (rule HOLD-3).
type Decision uint8

// Review decisions.
const (
	// Continue: carry on towards the same endpoint; only before it is
	// reached.
	DecisionContinue Decision = iota + 1
	// Extend: set a new endpoint, with a rationale.
	DecisionExtend
	// End: end the episode with an outcome.
	DecisionEnd
)

var decisions = prescribing.NewVocabulary[Decision]("review decision", "continue", "extend", "end")

// Decisions returns every review decision in order. The slice is the caller's.
func Decisions() []Decision { return decisions.Values() }

// String returns the decision's text form ("extend").
func (d Decision) String() string { return decisions.String(d) }

// IsValid reports whether d is a known decision.
func (d Decision) IsValid() bool { return decisions.Valid(d) }

// MarshalText implements [encoding.TextMarshaler].
func (d Decision) MarshalText() ([]byte, error) { return decisions.MarshalText(d) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (d *Decision) UnmarshalText(b []byte) (err error) { *d, err = decisions.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (d *Decision) Scan(src any) (err error) { *d, err = decisions.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (d Decision) Value() (driver.Value, error) { return decisions.Value(d) }

// Review is one review of an episode: the assessment of the person and the
// decision taken.
type Review struct {
	At       time.Time `json:"at"`
	Ratings  Ratings   `json:"assessment"`
	Decision Decision  `json:"decision"`
	// Endpoint and Rationale, for Extend: the new endpoint, after At, and
	// why (not blank; text as [prescribing.CheckText] accepts it). An open
	// endpoint needs SignOff too.
	Endpoint  Endpoint `json:"endpoint,omitzero"`
	Rationale string   `json:"rationale,omitempty"`
	SignOff   SignOff  `json:"sign_off,omitzero"`
	// Ending, for End.
	Ending Ending `json:"outcome,omitzero"`
}

// Review records a review (rules HOLD-3, HOLD-6). At or past the endpoint it
// must end or extend the episode; Continue is only for reviews before it.
// Ending by decision (discharged, need resolved, referred to a specialist)
// happens only at a review. Like every change, a refused review returns the
// zero event and leaves the episode unchanged.
func (e *Episode) Review(r Review) (Reviewed, error) {
	ev := Reviewed{Episode: e.id, At: prescribing.Stamp(r.At), Ratings: r.Ratings, Decision: r.Decision,
		Endpoint: stampEndpoint(r.Endpoint), Rationale: r.Rationale, SignOff: stampSignOff(r.SignOff), Ending: r.Ending}
	if err := e.applyReviewed(&ev); err != nil {
		return Reviewed{}, err
	}
	return ev, nil
}

// Finish ends the episode on something that happened rather than a review
// decision: the person was connected onward, disengaged, or was transferred
// to another link worker. Other outcomes are decisions and need a review
// (rule HOLD-3).
func (e *Episode) Finish(at time.Time, o Ending) (EpisodeEnded, error) {
	ev := EpisodeEnded{Episode: e.id, At: prescribing.Stamp(at), Ending: o}
	if err := e.applyEnded(&ev); err != nil {
		return EpisodeEnded{}, err
	}
	return ev, nil
}

// Waiting reports whether a place for need would let the episode end: it is
// open, held for [ReasonLackOfProvision] of that need, and the person is not still
// awaiting readiness.
func (e *Episode) Waiting(need prescribing.Need) bool {
	return e.Open() && e.reasons.Has(ReasonLackOfProvision) && e.need == need &&
		(!e.reasons.Has(ReasonAwaitingReadiness) || e.ready)
}

// PlaceAvailable ends the episode, connected to asset, when a place appears
// for the need it waits for (rule HOLD-2). It reports false, and records
// nothing, if the episode is not [Episode.Waiting] for need. A need outside
// its vocabulary (an error wrapping [prescribing.ErrUnknownValue]) or a
// missing asset ([prescribing.ErrInvalidID]) is refused.
func (e *Episode) PlaceAvailable(need prescribing.Need, asset prescribing.AssetID, at time.Time) (EpisodeEnded, bool, error) {
	switch {
	case !need.IsValid():
		return EpisodeEnded{}, false, fmt.Errorf("episode %s: a place: %w: need %s", e.id, prescribing.ErrUnknownValue, need)
	case asset.IsZero():
		return EpisodeEnded{}, false, fmt.Errorf("episode %s: %w: a place names its asset (HOLD-2)", e.id, prescribing.ErrInvalidID)
	}
	if !e.Waiting(need) {
		return EpisodeEnded{}, false, nil
	}
	ev := EpisodeEnded{Episode: e.id, At: prescribing.Stamp(at), Ending: EndingConnected, Asset: asset}
	if err := e.applyEnded(&ev); err != nil {
		return EpisodeEnded{}, false, err
	}
	return ev, true, nil
}

// FirstWaiting returns the index of the episode that a new place for need
// should go to: the open episode waiting for that need that started
// earliest (ties: lowest ID), or -1.
func FirstWaiting(episodes []Episode, need prescribing.Need) int {
	best := -1
	for i := range episodes {
		ep := &episodes[i]
		if !ep.Waiting(need) {
			continue
		}
		if best < 0 || ep.start.Before(episodes[best].start) ||
			(ep.start.Equal(episodes[best].start) && ep.id.Compare(episodes[best].id) < 0) {
			best = i
		}
	}
	return best
}

// String returns "holding episode <id> (<reasons>, open|ended)".
func (e Episode) String() string {
	state := "open"
	if !e.Open() {
		state = "ended " + e.outcome.String()
	}
	return "holding episode " + e.id.String() + " (" + e.reasons.String() + ", " + state + ")"
}

func stampEndpoint(ep Endpoint) Endpoint {
	if !ep.At.IsZero() {
		ep.At = prescribing.Stamp(ep.At)
	}
	return ep
}

func stampSignOff(s SignOff) SignOff {
	if !s.At.IsZero() {
		s.At = prescribing.Stamp(s.At)
	}
	if !s.ReviewBy.IsZero() {
		s.ReviewBy = prescribing.Stamp(s.ReviewBy)
	}
	return s
}

package liminality

import (
	"errors"
	"fmt"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Errors of journeys.
var (
	// ErrInvalidMove reports a move between phases the journey does not
	// allow (rule LIM-1). The error is a [*MoveError].
	ErrInvalidMove = errors.New("invalid liminality move")
	// ErrUnaddressed reports incorporation while themes present have no
	// support recorded against them, or with no support at all (rule LIM-2).
	ErrUnaddressed = errors.New("themes of liminality not addressed")
)

// MoveError is the error of a refused move (rule LIM-1); it matches
// [ErrInvalidMove].
type MoveError struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	From       Phase                    `json:"from"`
	To         Phase                    `json:"to"`
	Detail     string                   `json:"detail"`
}

// Error names the link worker and both phases.
func (e *MoveError) Error() string {
	msg := fmt.Sprintf("link worker %s: %s -> %s is not allowed (LIM-1)", e.LinkWorker, e.From, e.To)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Is reports whether target is [ErrInvalidMove].
func (e *MoveError) Is(target error) bool { return target == ErrInvalidMove }

// CanMove reports whether a journey may go from one phase to another:
// separation to liminal, liminal to incorporated, incorporated back to
// liminal (only through a disruption), and any phase but left to left.
func CanMove(from, to Phase) bool {
	switch from {
	case PhaseSeparation:
		return to == PhaseLiminal || to == PhaseLeft
	case PhaseLiminal:
		return to == PhaseIncorporated || to == PhaseLeft
	case PhaseIncorporated:
		return to == PhaseLiminal || to == PhaseLeft
	}
	return false
}

// Threshold is how long a liminal spell may last before it counts as
// prolonged (rule LIM-3).
type Threshold struct {
	// Months; zero (or less) means the default, [DefaultProlongedMonths].
	Months int `json:"months"`
}

// DefaultProlongedMonths is the default [Threshold].
const DefaultProlongedMonths = 6

func (t Threshold) months() int {
	if t.Months <= 0 {
		return DefaultProlongedMonths
	}
	return t.Months
}

// Journey is one link worker's passage into the role (rule LIM-1): the
// phase they are in, the themes of liminality present in the current
// liminal spell and the supports recorded against them (LIM-2), and the
// time spent liminal (LIM-3). Every change is an event. The zero Journey
// has not begun: [Begin] starts one, and replaying its stream (kind
// journey, the link worker's ID) into a zero Journey ([prescribing.Replay])
// rebuilds it, as for every [prescribing.StreamRecord].
//
// A Journey holds no slices, maps or pointers, so its changes do not
// allocate (the simulation drives thousands) and a plain copy shares no
// memory with the original: copies are independent values. A Journey is
// not safe to change concurrently.
//
// A refused operation returns the zero event and changes nothing. Its error
// wraps [ErrInvalidMove] or [ErrUnaddressed] for the rules of the passage,
// or a sentinel of package prescribing for what the record cannot take:
// [prescribing.ErrNoTime], [prescribing.ErrTimeOutOfRange] (a year outside
// 1 to 9999), [prescribing.ErrTimeWentBackwards], [prescribing.ErrUnknownValue]
// (a phase, theme, support or disruption outside its vocabulary),
// [prescribing.ErrMissingDetail], [prescribing.ErrWrongSubject] or
// [prescribing.ErrUnexpectedEvent].
type Journey struct {
	linkWorker prescribing.LinkWorkerID
	phase      Phase
	startedAt  time.Time
	since      time.Time // when the current phase began
	updatedAt  time.Time

	present   ThemeSet
	addressed [themeSlots]prescribing.Set[RoleSupport] // per theme, this spell
	supported prescribing.Set[RoleSupport]             // any support this spell

	liminalDone time.Duration // completed liminal spells
	spells      int
	disruptions int
	events      int32
}

// themeSlots sizes per-theme arrays: a slot for each theme and the unused
// zero slot.
const themeSlots = int(ThemeInstability) + 1

// Begin starts a link worker's journey in separation. The time must be
// within the years 1 to 9999; it is kept in UTC.
func Begin(lw prescribing.LinkWorkerID, at time.Time) (Journey, Started, error) {
	e := Started{LinkWorker: lw, At: prescribing.Stamp(at)}
	var j Journey
	if err := j.applyStarted(&e); err != nil {
		return Journey{}, Started{}, err
	}
	return j, e, nil
}

// LinkWorker returns whose journey it is.
func (j *Journey) LinkWorker() prescribing.LinkWorkerID { return j.linkWorker }

// Stream returns the journey's stream (kind journey, the link worker's
// ID), or the zero Stream before it begins.
func (j *Journey) Stream() prescribing.Stream {
	if j.linkWorker.IsZero() {
		return prescribing.Stream{}
	}
	return prescribing.StreamOf(prescribing.StreamKindJourney, j.linkWorker)
}

// Version returns how many events the journey has applied, its start
// included.
func (j *Journey) Version() int { return int(j.events) }

// Phase returns the current phase and when it began.
func (j *Journey) Phase() (Phase, time.Time) { return j.phase, j.since }

// Started returns when the journey began.
func (j *Journey) Started() time.Time { return j.startedAt }

// Present returns the themes noted in the current liminal spell.
func (j *Journey) Present() ThemeSet { return j.present }

// Addressed returns the themes present that have support recorded against
// them.
func (j *Journey) Addressed() ThemeSet {
	var s ThemeSet
	for _, t := range j.present.List() {
		if !j.addressed[t].IsEmpty() {
			s = s.With(t)
		}
	}
	return s
}

// Missing returns what incorporation still needs (rule LIM-2): the themes
// present with no support against them.
func (j *Journey) Missing() ThemeSet { return j.present.Without(j.Addressed()) }

// SupportsFor returns the kinds of support recorded against a theme in the
// current spell.
func (j *Journey) SupportsFor(t Theme) prescribing.Set[RoleSupport] {
	if !t.IsValid() {
		return 0
	}
	return j.addressed[t]
}

// Spells returns how many liminal spells the journey has had, and
// Disruptions how many times an incorporated worker was moved back.
func (j *Journey) Spells() int { return j.spells }

// Disruptions returns how many times a disruption moved the worker back to
// liminal.
func (j *Journey) Disruptions() int { return j.disruptions }

// LiminalTime returns the total time spent liminal up to at, the current
// spell included.
func (j *Journey) LiminalTime(at time.Time) time.Duration {
	d := j.liminalDone
	if j.phase == PhaseLiminal && at.After(j.since) {
		d += at.Sub(j.since)
	}
	return d
}

// Prolonged reports whether the worker is liminal at time at and the
// current spell has lasted longer than the threshold (rule LIM-3). A spell
// is measured from its own start, when the worker last entered liminal
// (from separation or through a disruption), not from the journey's start:
// a spell that lasts exactly the threshold is not prolonged, one instant
// longer is.
func (j *Journey) Prolonged(at time.Time, t Threshold) bool {
	return j.phase == PhaseLiminal && at.After(j.since.AddDate(0, t.months(), 0))
}

// EnterLiminal moves a worker from separation into liminality.
func (j *Journey) EnterLiminal(at time.Time) (PhaseChanged, error) {
	return j.move(PhaseChanged{To: PhaseLiminal, At: at})
}

// NoteTheme records a theme of liminality present in the current spell.
func (j *Journey) NoteTheme(t Theme, at time.Time) (ThemeNoted, error) {
	e := ThemeNoted{LinkWorker: j.linkWorker, Theme: t, At: prescribing.Stamp(at)}
	if err := j.applyTheme(&e); err != nil {
		return ThemeNoted{}, err
	}
	return e, nil
}

// RecordSupport records support given against one or more themes in the
// current liminal spell (rule LIM-2).
func (j *Journey) RecordSupport(s RoleSupport, against ThemeSet, at time.Time) (SupportRecorded, error) {
	e := SupportRecorded{LinkWorker: j.linkWorker, Support: s, Themes: against, At: prescribing.Stamp(at)}
	if err := j.applySupport(&e); err != nil {
		return SupportRecorded{}, err
	}
	return e, nil
}

// Incorporate moves a liminal worker to incorporated. It needs support
// recorded in this spell, against every theme present; otherwise it fails
// with an error wrapping [ErrUnaddressed] that names what is missing (rule
// LIM-2).
func (j *Journey) Incorporate(at time.Time) (PhaseChanged, error) {
	return j.move(PhaseChanged{To: PhaseIncorporated, At: at})
}

// Disrupt moves an incorporated worker back into liminality (rule LIM-1);
// the new spell starts with the theme the disruption raises.
func (j *Journey) Disrupt(d Disruption, at time.Time) (PhaseChanged, error) {
	return j.move(PhaseChanged{To: PhaseLiminal, Disruption: d, At: at})
}

// Leave records that the worker left the role.
func (j *Journey) Leave(at time.Time) (PhaseChanged, error) {
	return j.move(PhaseChanged{To: PhaseLeft, At: at})
}

func (j *Journey) move(e PhaseChanged) (PhaseChanged, error) {
	e.LinkWorker, e.From, e.At = j.linkWorker, j.phase, prescribing.Stamp(e.At)
	if err := j.applyPhase(&e); err != nil {
		return PhaseChanged{}, err
	}
	return e, nil
}

// Apply applies a journey event, checking it as the live operation would;
// it changes nothing when it returns an error. Times are kept in UTC, as
// the live operations keep them.
func (j *Journey) Apply(ev prescribing.Event) error {
	switch e := ev.(type) {
	case Started:
		e.At = prescribing.Stamp(e.At)
		return j.applyStarted(&e)
	case PhaseChanged:
		e.At = prescribing.Stamp(e.At)
		return j.applyPhase(&e)
	case ThemeNoted:
		e.At = prescribing.Stamp(e.At)
		return j.applyTheme(&e)
	case SupportRecorded:
		e.At = prescribing.Stamp(e.At)
		return j.applySupport(&e)
	default:
		return prescribing.NotFor(ev, "liminality")
	}
}

func (j *Journey) applyStarted(e *Started) error {
	switch {
	case !j.linkWorker.IsZero():
		return fmt.Errorf("%w: the journey of %s has begun", prescribing.ErrUnexpectedEvent, j.linkWorker)
	case e.LinkWorker.IsZero():
		return fmt.Errorf("%w: a journey belongs to a link worker", prescribing.ErrInvalidID)
	}
	if err := prescribing.CheckTime(time.Time{}, e.At); err != nil {
		return fmt.Errorf("journey of %s: %w", e.LinkWorker, err)
	}
	*j = Journey{linkWorker: e.LinkWorker, phase: PhaseSeparation, startedAt: e.At, since: e.At, updatedAt: e.At, events: 1}
	return nil
}

func (j *Journey) checkChange(lw prescribing.LinkWorkerID, at time.Time) error {
	switch {
	case j.linkWorker.IsZero():
		return fmt.Errorf("%w: the journey of %s has not begun", prescribing.ErrUnexpectedEvent, lw)
	case lw != j.linkWorker:
		return fmt.Errorf("%w: event for %s applied to the journey of %s", prescribing.ErrWrongSubject, lw, j.linkWorker)
	}
	if err := prescribing.CheckTime(j.updatedAt, at); err != nil {
		return fmt.Errorf("journey of %s: %w", j.linkWorker, err)
	}
	return nil
}

func (j *Journey) applyPhase(e *PhaseChanged) error {
	if err := j.checkChange(e.LinkWorker, e.At); err != nil {
		return err
	}
	switch {
	case !e.To.IsValid():
		return fmt.Errorf("journey of %s: %w: phase %s", j.linkWorker, prescribing.ErrUnknownValue, e.To)
	case e.From != 0 && !e.From.IsValid():
		return fmt.Errorf("journey of %s: %w: phase %s", j.linkWorker, prescribing.ErrUnknownValue, e.From)
	case e.Disruption != 0 && !e.Disruption.IsValid():
		return fmt.Errorf("journey of %s: %w: disruption %s", j.linkWorker, prescribing.ErrUnknownValue, e.Disruption)
	}
	refuse := func(detail string) error {
		return &MoveError{LinkWorker: j.linkWorker, From: j.phase, To: e.To, Detail: detail}
	}
	switch {
	case e.From != j.phase:
		return refuse("the event says it moves from " + e.From.String())
	case !CanMove(j.phase, e.To):
		return refuse("")
	case j.phase == PhaseIncorporated && e.To == PhaseLiminal && !e.Disruption.IsValid():
		return refuse("only a disruption moves an incorporated worker back")
	case e.Disruption != 0 && !(j.phase == PhaseIncorporated && e.To == PhaseLiminal):
		return refuse("a disruption moves only an incorporated worker, back to liminal")
	}
	if e.To == PhaseIncorporated {
		if j.supported.IsEmpty() {
			return fmt.Errorf("journey of %s: %w: no support recorded in this liminal spell (LIM-2)", j.linkWorker, ErrUnaddressed)
		}
		if missing := j.Missing(); !missing.IsEmpty() {
			return fmt.Errorf("journey of %s: %w: no support against %s (LIM-2)", j.linkWorker, ErrUnaddressed, missing)
		}
	}
	if j.phase == PhaseLiminal {
		j.liminalDone += e.At.Sub(j.since)
	}
	if e.To == PhaseLiminal {
		j.spells++
		j.present, j.addressed, j.supported = 0, [themeSlots]prescribing.Set[RoleSupport]{}, 0
		if e.Disruption.IsValid() {
			j.disruptions++
			j.present = j.present.With(e.Disruption.Raises())
		}
	}
	j.phase, j.since, j.updatedAt = e.To, e.At, e.At
	j.events++
	return nil
}

func (j *Journey) applyTheme(e *ThemeNoted) error {
	if err := j.checkChange(e.LinkWorker, e.At); err != nil {
		return err
	}
	if j.phase != PhaseLiminal {
		return fmt.Errorf("%w: themes of liminality are noted while liminal, not %s", prescribing.ErrUnexpectedEvent, j.phase)
	}
	switch {
	case e.Theme == 0:
		return fmt.Errorf("journey of %s: %w: a theme noted names the theme", j.linkWorker, prescribing.ErrMissingDetail)
	case !e.Theme.IsValid():
		return fmt.Errorf("journey of %s: %w: theme %s", j.linkWorker, prescribing.ErrUnknownValue, e.Theme)
	}
	j.present, j.updatedAt = j.present.With(e.Theme), e.At
	j.events++
	return nil
}

func (j *Journey) applySupport(e *SupportRecorded) error {
	if err := j.checkChange(e.LinkWorker, e.At); err != nil {
		return err
	}
	if j.phase != PhaseLiminal {
		return fmt.Errorf("%w: support against liminality is recorded while liminal, not %s", prescribing.ErrUnexpectedEvent, j.phase)
	}
	switch {
	case e.Support == 0 || e.Themes.IsEmpty():
		return fmt.Errorf("journey of %s: %w: support needs a kind and the themes it addresses", j.linkWorker, prescribing.ErrMissingDetail)
	case !e.Support.IsValid():
		return fmt.Errorf("journey of %s: %w: support %s", j.linkWorker, prescribing.ErrUnknownValue, e.Support)
	}
	for _, t := range e.Themes.List() {
		if !t.IsValid() {
			return fmt.Errorf("journey of %s: %w: theme %s", j.linkWorker, prescribing.ErrUnknownValue, t)
		}
	}
	for _, t := range e.Themes.List() {
		j.addressed[t] = j.addressed[t].With(e.Support)
	}
	j.supported, j.updatedAt = j.supported.With(e.Support), e.At
	j.events++
	return nil
}

// String returns "journey of <id> (<phase>)".
func (j Journey) String() string {
	return "journey of " + j.linkWorker.String() + " (" + j.phase.String() + ")"
}

// Started records the start of a link worker's journey, in separation.
type Started struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.started".
func (Started) EventType() string { return "liminality.started" }

// EventTime returns e.At.
func (e Started) EventTime() time.Time { return e.At }

// EventStream returns the journey stream of the link worker.
func (e Started) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindJourney, e.LinkWorker)
}

// PhaseChanged records a move between phases; a disruption names what moved
// an incorporated worker back (rule LIM-1).
type PhaseChanged struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	From       Phase                    `json:"from"`
	To         Phase                    `json:"to"`
	Disruption Disruption               `json:"disruption,omitzero"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.phase_changed".
func (PhaseChanged) EventType() string { return "liminality.phase_changed" }

// EventTime returns e.At.
func (e PhaseChanged) EventTime() time.Time { return e.At }

// EventStream returns the journey stream of the link worker.
func (e PhaseChanged) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindJourney, e.LinkWorker)
}

// ThemeNoted records a theme of liminality present.
type ThemeNoted struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Theme      Theme                    `json:"theme"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.theme_noted".
func (ThemeNoted) EventType() string { return "liminality.theme_noted" }

// EventTime returns e.At.
func (e ThemeNoted) EventTime() time.Time { return e.At }

// EventStream returns the journey stream of the link worker.
func (e ThemeNoted) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindJourney, e.LinkWorker)
}

// SupportRecorded records support given against themes (rule LIM-2).
type SupportRecorded struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Support    RoleSupport              `json:"support"`
	Themes     ThemeSet                 `json:"themes"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.support_recorded".
func (SupportRecorded) EventType() string { return "liminality.support_recorded" }

// EventTime returns e.At.
func (e SupportRecorded) EventTime() time.Time { return e.At }

// EventStream returns the journey stream of the link worker.
func (e SupportRecorded) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindJourney, e.LinkWorker)
}

package discretion

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrInvalidAct reports an act missing what a micro-discretion records
// (rule DISC-3), or recorded twice. Acts are never refused for going beyond
// a policy (rule DISC-4).
var ErrInvalidAct = errors.New("invalid micro-discretion")

// ActID identifies a micro-discretion ([Act]).
type ActID = prescribing.ID[Act]

// Act is a micro-discretion: an action or advice a link worker gave on their
// own judgement in an interaction with a patient, practice staff or a VCSE
// organisation (rule DISC-3).
type Act struct {
	ID         ActID                    `json:"id"`
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	At         time.Time                `json:"at"`
	Aspect     Aspect                   `json:"aspect"`
	// Counterpart is who the act was with; Patient is the patient it
	// concerned (required when the counterpart is the patient, optional
	// otherwise), for the equity report.
	Counterpart Counterpart           `json:"counterpart"`
	Patient     prescribing.PatientID `json:"patient,omitzero"`
	// What was done ("stayed an extra half hour to help fill in a PIP
	// form"). Do not put personal data here.
	What   string `json:"what"`
	Motive Motive `json:"motive"`
	// Level is how much discretion the act used, on the policies' scale.
	Level Level `json:"level"`
}

// Validate reports an act missing what a micro-discretion records.
func (a Act) Validate() error {
	switch {
	case a.ID.IsZero() || a.LinkWorker.IsZero():
		return fmt.Errorf("%w: an act needs its ID and the link worker", ErrInvalidAct)
	case a.At.IsZero():
		return fmt.Errorf("act %s: %w", a.ID, prescribing.ErrNoTime)
	case !a.Aspect.Valid():
		return fmt.Errorf("%w: act %s names no aspect", ErrInvalidAct, a.ID)
	case !a.Counterpart.IsValid():
		return fmt.Errorf("%w: act %s has no counterpart", ErrInvalidAct, a.ID)
	case a.Counterpart == WithPatient && a.Patient.IsZero():
		return fmt.Errorf("%w: act %s with a patient names the patient", ErrInvalidAct, a.ID)
	case strings.TrimSpace(a.What) == "":
		return fmt.Errorf("%w: act %s says nothing of what was done", ErrInvalidAct, a.ID)
	case !a.Motive.IsValid():
		return fmt.Errorf("%w: act %s has no motive", ErrInvalidAct, a.ID)
	case !a.Level.IsValid():
		return fmt.Errorf("%w: act %s has no level on the scale", ErrInvalidAct, a.ID)
	}
	return nil
}

// Check is an act checked against a policy (rule DISC-4).
type Check struct {
	Act     ActID    `json:"act"`
	Policy  PolicyID `json:"policy"`
	Verdict Verdict  `json:"verdict"`
	// Allowed is where the policy places the aspect (zero if not covered);
	// Used is the act's level; Steps is Used minus Allowed.
	Allowed Level  `json:"allowed,omitzero"`
	Used    Level  `json:"used"`
	Steps   int    `json:"steps"`
	Reason  string `json:"reason"`
}

// CheckAct says whether an act stayed within a policy, reached its boundary
// or went beyond it, and why (rule DISC-4). It judges; it never stops an act
// being recorded.
func CheckAct(p *Policy, a Act) Check {
	c := Check{Act: a.ID, Policy: p.id, Used: a.Level}
	allowed, ok := p.Level(a.Aspect)
	if !ok {
		c.Verdict = NotCovered
		c.Reason = fmt.Sprintf("%s's policy does not cover %s", p.site, a.Aspect)
		return c
	}
	c.Allowed, c.Steps = allowed, int(a.Level)-int(allowed)
	switch {
	case c.Steps < 0:
		c.Verdict = Within
		c.Reason = fmt.Sprintf("%s at %s is %s; the act was %s, within it", a.Aspect, p.site, allowed, a.Level)
	case c.Steps == 0:
		c.Verdict = AtBoundary
		c.Reason = fmt.Sprintf("%s at %s is %s; the act was %s too, at the boundary", a.Aspect, p.site, allowed, a.Level)
	default:
		c.Verdict = Beyond
		c.Reason = fmt.Sprintf("%s at %s is %s; the act was %s, beyond it by %d step%s",
			a.Aspect, p.site, allowed, a.Level, c.Steps, plural(c.Steps))
	}
	return c
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Log is a record of micro-discretions. Recording never refuses an act for
// going beyond a policy (rule DISC-4); it refuses only an act missing what
// it must record, or one recorded twice. A Log's copies share its index of
// acts, so pass a *Log rather than copying one; it is not safe to change
// concurrently. The zero Log is empty and ready to use.
type Log struct {
	acts []Act
	ids  map[ActID]bool
}

// Record adds an act to the log and returns its event.
func (l *Log) Record(a Act) (ActRecorded, error) {
	a.At = prescribing.Stamp(a.At)
	e := ActRecorded{Act: a}
	return e, l.Apply(e)
}

// Acts returns the acts recorded, in the order recorded. The slice is the
// caller's.
func (l *Log) Acts() []Act { return slices.Clone(l.acts) }

// Apply applies an [ActRecorded] event.
func (l *Log) Apply(ev prescribing.Event) error {
	e, ok := ev.(ActRecorded)
	if !ok {
		return prescribing.NotFor(ev, "discretion")
	}
	if err := e.Act.Validate(); err != nil {
		return err
	}
	if l.ids[e.Act.ID] {
		return fmt.Errorf("%w: act %s recorded twice", ErrInvalidAct, e.Act.ID)
	}
	if l.ids == nil {
		l.ids = map[ActID]bool{}
	}
	l.ids[e.Act.ID] = true
	l.acts = append(l.acts[:len(l.acts):len(l.acts)], e.Act)
	return nil
}

// ActRecorded records a micro-discretion.
type ActRecorded struct {
	Act Act `json:"act"`
}

// EventType returns "discretion.act_recorded".
func (ActRecorded) EventType() string { return "discretion.act_recorded" }

// EventTime returns the act's time.
func (e ActRecorded) EventTime() time.Time { return e.Act.At }

// EventSubject returns the act's UUID.
func (e ActRecorded) EventSubject() uuid.UUID { return e.Act.ID.UUID() }

// EventKinds returns the kinds of every discretion event, for
// [prescribing.NewEventCodec]. The slice is the caller's.
func EventKinds() []prescribing.EventKind {
	return []prescribing.EventKind{
		prescribing.KindOf[PolicyAdopted](),
		prescribing.KindOf[PolicyChanged](),
		prescribing.KindOf[ActRecorded](),
	}
}

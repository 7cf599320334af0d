package discretion

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrInvalidAct reports an act missing what a micro-discretion records
// (rule DISC-3), or recorded twice. Acts are never refused for going beyond
// a policy (rule DISC-4). Errors that wrap it wrap also
// [prescribing.ErrInvalidText], [prescribing.ErrUnknownValue] or
// [prescribing.ErrTimeOutOfRange] when one of those is the cause.
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
	// form"), at most [prescribing.MaxTextBytes] of valid UTF-8. Do not put
	// personal data here.
	What   string `json:"what"`
	Motive Motive `json:"motive"`
	// Level is how much discretion the act used, on the policies' scale.
	Level Level `json:"level"`
}

// Validate reports an act missing what a micro-discretion records, or
// holding what the event codec cannot carry back unchanged: an ID and the
// link worker; a time (else [prescribing.ErrNoTime]) in the years 1 to
// 9999; an aspect ([Aspect.Check]); a counterpart, motive and level from
// their vocabularies; the patient when the act was with the patient; and
// what was done, not blank and valid text.
func (a Act) Validate() error {
	switch {
	case a.ID.IsZero() || a.LinkWorker.IsZero():
		return fmt.Errorf("%w: an act needs its ID and the link worker", ErrInvalidAct)
	case a.At.IsZero():
		return fmt.Errorf("act %s: %w", a.ID, prescribing.ErrNoTime)
	}
	if err := prescribing.CheckTimeRange(a.At); err != nil {
		return fmt.Errorf("%w: act %s: %w", ErrInvalidAct, a.ID, err)
	}
	if err := a.Aspect.Check(); err != nil {
		return fmt.Errorf("%w: act %s: %w", ErrInvalidAct, a.ID, err)
	}
	if err := prescribing.CheckText("what was done", a.What); err != nil {
		return fmt.Errorf("%w: act %s: %w", ErrInvalidAct, a.ID, err)
	}
	for _, v := range []struct {
		what     string
		zero, ok bool
		value    fmt.Stringer
	}{
		{"counterpart", a.Counterpart == 0, a.Counterpart.IsValid(), a.Counterpart},
		{"motive", a.Motive == 0, a.Motive.IsValid(), a.Motive},
		{"level on the scale", a.Level == 0, a.Level.IsValid(), a.Level},
	} {
		switch {
		case v.zero:
			return fmt.Errorf("%w: act %s has no %s", ErrInvalidAct, a.ID, v.what)
		case !v.ok:
			return fmt.Errorf("%w: act %s: %w: %s", ErrInvalidAct, a.ID, prescribing.ErrUnknownValue, v.value)
		}
	}
	switch {
	case a.Counterpart == CounterpartPatient && a.Patient.IsZero():
		return fmt.Errorf("%w: act %s with a patient names the patient", ErrInvalidAct, a.ID)
	case prescribing.IsBlank(a.What):
		return fmt.Errorf("%w: act %s says nothing of what was done", ErrInvalidAct, a.ID)
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
		c.Verdict = VerdictNotCovered
		c.Reason = fmt.Sprintf("%s's policy does not cover %s", p.site, a.Aspect)
		return c
	}
	c.Allowed, c.Steps = allowed, int(a.Level)-int(allowed)
	switch {
	case c.Steps < 0:
		c.Verdict = VerdictWithin
		c.Reason = fmt.Sprintf("%s at %s is %s; the act was %s, within it", a.Aspect, p.site, allowed, a.Level)
	case c.Steps == 0:
		c.Verdict = VerdictAtBoundary
		c.Reason = fmt.Sprintf("%s at %s is %s; the act was %s too, at the boundary", a.Aspect, p.site, allowed, a.Level)
	default:
		c.Verdict = VerdictBeyond
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

// Log is one link worker's record of micro-discretions. Recording never
// refuses an act for going beyond a policy (rule DISC-4); it refuses only
// an act missing what it must record ([Act.Validate]), one of another link
// worker ([prescribing.ErrWrongSubject]), or one recorded twice. Acts are
// kept in the order recorded, which need not be the order they happened: a
// link worker may write up last week's acts today, so an act may be dated
// before the log's last change, or its opening.
//
// Make one with [OpenLog]; rebuild one by replaying its stream (kind
// act_log, the link worker's ID) into a zero Log, as for every
// [prescribing.StreamRecord]. The zero Log is not open and takes no act.
//
// A Log is a value that is safe to copy: Apply never writes into a slice it
// holds but builds a new one, so copies share nothing that either changes
// and can be changed independently (each by one goroutine). A single Log
// is not safe to change concurrently. Recording costs time in proportion
// to the acts already held.
type Log struct {
	linkWorker prescribing.LinkWorkerID
	openedAt   time.Time
	acts       []Act
	events     int32
}

// OpenLog opens the log of micro-discretions of a link worker, empty, at
// time at. A zero link worker ([prescribing.ErrInvalidID]) or a time the
// codec cannot carry is refused with the zero log and event.
func OpenLog(lw prescribing.LinkWorkerID, at time.Time) (Log, LogOpened, error) {
	e := LogOpened{LinkWorker: lw, At: prescribing.Stamp(at)}
	var l Log
	if err := l.Apply(e); err != nil {
		return Log{}, LogOpened{}, err
	}
	return l, e, nil
}

// LinkWorker returns whose log it is.
func (l *Log) LinkWorker() prescribing.LinkWorkerID { return l.linkWorker }

// OpenedAt returns when the log was opened.
func (l *Log) OpenedAt() time.Time { return l.openedAt }

// Stream returns the log's stream (kind act_log, the link worker's ID), or
// the zero Stream before it is opened.
func (l *Log) Stream() prescribing.Stream {
	if l.linkWorker.IsZero() {
		return prescribing.Stream{}
	}
	return prescribing.StreamOf(prescribing.StreamKindActLog, l.linkWorker)
}

// Version returns how many events the log has applied, its opening
// included.
func (l *Log) Version() int { return int(l.events) }

// Record adds an act to the log and returns its event. A refused act
// returns the zero event and changes nothing.
func (l *Log) Record(a Act) (ActRecorded, error) {
	a.At = prescribing.Stamp(a.At)
	e := ActRecorded{Act: a}
	if err := l.Apply(e); err != nil {
		return ActRecorded{}, err
	}
	return e, nil
}

// Acts returns the acts recorded, in the order recorded. The slice is the
// caller's.
func (l *Log) Acts() []Act { return slices.Clone(l.acts) }

// Apply applies a [LogOpened] or [ActRecorded] event, checking it as
// [OpenLog] or [Log.Record] does; on error the log is unchanged.
func (l *Log) Apply(ev prescribing.Event) error {
	switch e := ev.(type) {
	case LogOpened:
		switch {
		case !l.linkWorker.IsZero():
			return fmt.Errorf("%w: the log of %s is already open", prescribing.ErrUnexpectedEvent, l.linkWorker)
		case e.LinkWorker.IsZero():
			return fmt.Errorf("%w: a log belongs to a link worker", prescribing.ErrInvalidID)
		}
		if err := prescribing.CheckTime(time.Time{}, e.At); err != nil {
			return fmt.Errorf("log of %s: %w", e.LinkWorker, err)
		}
		*l = Log{linkWorker: e.LinkWorker, openedAt: prescribing.Stamp(e.At), events: 1}
		return nil
	case ActRecorded:
		if l.linkWorker.IsZero() {
			return fmt.Errorf("%w: the log of %s is not open", prescribing.ErrUnexpectedEvent, e.Act.LinkWorker)
		}
		if err := e.Act.Validate(); err != nil {
			return err
		}
		if e.Act.LinkWorker != l.linkWorker {
			return fmt.Errorf("%w: act %s of link worker %s applied to the log of %s", prescribing.ErrWrongSubject, e.Act.ID, e.Act.LinkWorker, l.linkWorker)
		}
		if slices.ContainsFunc(l.acts, func(a Act) bool { return a.ID == e.Act.ID }) {
			return fmt.Errorf("%w: act %s recorded twice", ErrInvalidAct, e.Act.ID)
		}
		a := e.Act
		a.At = prescribing.Stamp(a.At)
		l.acts = append(l.acts[:len(l.acts):len(l.acts)], a)
		l.events++
		return nil
	default:
		return prescribing.NotFor(ev, "discretion")
	}
}

// LogOpened records a link worker's log of micro-discretions opened, empty:
// the first event of its stream.
type LogOpened struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	At         time.Time                `json:"at"`
}

// EventType returns "discretion.log_opened".
func (LogOpened) EventType() string { return "discretion.log_opened" }

// EventTime returns e.At.
func (e LogOpened) EventTime() time.Time { return e.At }

// EventStream returns the act log stream of the link worker.
func (e LogOpened) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindActLog, e.LinkWorker)
}

// ActRecorded records a micro-discretion.
type ActRecorded struct {
	Act Act `json:"act"`
}

// EventType returns "discretion.act_recorded".
func (ActRecorded) EventType() string { return "discretion.act_recorded" }

// EventTime returns the act's time.
func (e ActRecorded) EventTime() time.Time { return e.Act.At }

// EventStream returns the act log stream of the link worker.
func (e ActRecorded) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindActLog, e.Act.LinkWorker)
}

// EventKinds returns the kinds of every discretion event, for
// [prescribing.NewEventCodec]. The slice is the caller's.
func EventKinds() []prescribing.EventKind {
	return []prescribing.EventKind{
		prescribing.KindOf[PolicyAdopted](),
		prescribing.KindOf[PolicyChanged](),
		prescribing.KindOf[LogOpened](),
		prescribing.KindOf[ActRecorded](),
	}
}

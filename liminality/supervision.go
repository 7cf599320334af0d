package liminality

import (
	"errors"
	"fmt"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Errors of supervision (rule SUP-1).
var (
	// ErrInvalidFrequency reports an agreed frequency of supervision
	// outside 1 to [MaxSupervisionDays] days.
	ErrInvalidFrequency = errors.New("invalid supervision frequency")
	// ErrNotSupervisor reports a session recorded with someone who is not
	// the link worker's current supervisor.
	ErrNotSupervisor = errors.New("not the current supervisor")
	// ErrSupervisionEnded reports a session or an ending recorded after the
	// supervision has ended; a change of supervisor resumes it.
	ErrSupervisionEnded = errors.New("supervision has ended")
)

// MaxSupervisionDays bounds the agreed frequency of supervision: at least
// one session a year. A longer gap is not an arrangement a supervisor's
// report can hold anyone to.
const MaxSupervisionDays = 366

// Supervisor is the member of staff a [SupervisorID] identifies: a manager,
// a clinician or a senior link worker who supervises link workers. The
// library keeps only the ID, never a supervisor's name or any other
// personal data; a service maps IDs to people in its own staff records.
type Supervisor struct{}

// SupervisorID identifies a [Supervisor]: a staff ID.
type SupervisorID = prescribing.ID[Supervisor]

// Supervision is one link worker's supervision as an ongoing relationship
// (rule SUP-1): who supervises them, how often they agreed to meet (every
// so many days), the sessions held, and whether the relationship has ended.
// A session is due the agreed number of days after the last session, or
// after the supervision was agreed (or resumed) if that is later; once that
// instant has passed without a session the supervision is overdue. Public
// involvement groups asked for a management tool for supervisors and
// stressed peer support and supervision (the study's blog, March and July
// 2024); the 2020 national survey of link workers found 61% without
// clinical supervision.
//
// Make one with [AgreeSupervision]; rebuild one by replaying its stream
// (kind supervision, the link worker's ID) into a zero Supervision, as for
// every [prescribing.StreamRecord]. The zero Supervision has not been
// agreed.
//
// A Supervision holds no slices, maps or pointers: a plain copy shares no
// memory with the original. It is not safe to change concurrently.
//
// A refused operation returns the zero event and changes nothing. Its error
// wraps [ErrInvalidFrequency], [ErrNotSupervisor] or [ErrSupervisionEnded],
// or a sentinel of package prescribing: [prescribing.ErrInvalidID] (no link
// worker or supervisor), [prescribing.ErrNoTime],
// [prescribing.ErrTimeOutOfRange], [prescribing.ErrTimeWentBackwards],
// [prescribing.ErrInvalidText] (an ending's reason),
// [prescribing.ErrMissingDetail] (a blank reason, or a change that changes
// nothing), [prescribing.ErrWrongSubject] or [prescribing.ErrUnexpectedEvent].
type Supervision struct {
	linkWorker  prescribing.LinkWorkerID
	supervisor  SupervisorID
	everyDays   int32
	agreedAt    time.Time // when the current arrangement began or resumed
	lastSession time.Time
	sessions    int32
	endedAt     time.Time
	updatedAt   time.Time
	events      int32
}

// AgreeSupervision starts a link worker's supervision with a supervisor
// and a frequency, a session every everyDays days (1 to
// [MaxSupervisionDays]), at time at.
func AgreeSupervision(lw prescribing.LinkWorkerID, supervisor SupervisorID, everyDays int, at time.Time) (Supervision, SupervisionAgreed, error) {
	e := SupervisionAgreed{LinkWorker: lw, Supervisor: supervisor, EveryDays: everyDays, At: prescribing.Stamp(at)}
	var s Supervision
	if err := s.applyAgreed(e); err != nil {
		return Supervision{}, SupervisionAgreed{}, err
	}
	return s, e, nil
}

// LinkWorker returns whose supervision it is.
func (s *Supervision) LinkWorker() prescribing.LinkWorkerID { return s.linkWorker }

// Stream returns the supervision's stream (kind supervision, the link
// worker's ID), or the zero Stream before it is agreed.
func (s *Supervision) Stream() prescribing.Stream {
	if s.linkWorker.IsZero() {
		return prescribing.Stream{}
	}
	return prescribing.StreamOf(prescribing.StreamKindSupervision, s.linkWorker)
}

// Version returns how many events the supervision has applied, its
// agreement included.
func (s *Supervision) Version() int { return int(s.events) }

// Supervisor returns the current (or, once ended, the last) supervisor.
func (s *Supervision) Supervisor() SupervisorID { return s.supervisor }

// EveryDays returns the agreed frequency: a session every so many days.
func (s *Supervision) EveryDays() int { return int(s.everyDays) }

// Sessions returns how many sessions have been held, and LastSession when
// the last one was (zero if none).
func (s *Supervision) Sessions() int { return int(s.sessions) }

// LastSession returns when the last session was held, or the zero time.
func (s *Supervision) LastSession() time.Time { return s.lastSession }

// Ended returns when the supervision ended, and whether it has.
func (s *Supervision) Ended() (time.Time, bool) { return s.endedAt, !s.endedAt.IsZero() }

// Due returns when the next session is due: the agreed number of days
// after the last session, or after the supervision was agreed or resumed if
// that is later. It returns the zero time for supervision not agreed or
// ended: nothing is due.
func (s *Supervision) Due() time.Time {
	if s.linkWorker.IsZero() || !s.endedAt.IsZero() {
		return time.Time{}
	}
	from := s.agreedAt
	if s.lastSession.After(from) {
		from = s.lastSession
	}
	return from.AddDate(0, 0, int(s.everyDays))
}

// Overdue reports whether a session is overdue at time at (rule SUP-1):
// the supervision is ongoing and at is after the instant it was due. At
// exactly the due instant it is not yet overdue; one instant later it is.
func (s *Supervision) Overdue(at time.Time) bool {
	due := s.Due()
	return !due.IsZero() && at.After(due)
}

// OverdueBy returns how long a session has been overdue at time at, or
// zero if it is not.
func (s *Supervision) OverdueBy(at time.Time) time.Duration {
	if !s.Overdue(at) {
		return 0
	}
	return at.Sub(s.Due())
}

// HoldSession records a session held with the current supervisor at time
// at, no earlier than the supervision's last change.
func (s *Supervision) HoldSession(supervisor SupervisorID, at time.Time) (SupervisionSessionHeld, error) {
	e := SupervisionSessionHeld{LinkWorker: s.linkWorker, Supervisor: supervisor, At: prescribing.Stamp(at)}
	if err := s.applySession(e); err != nil {
		return SupervisionSessionHeld{}, err
	}
	return e, nil
}

// Change records a new supervisor, a new frequency, or both, from time at;
// the next session is due the new number of days after the last session.
// Changing ended supervision resumes it, with the next session due the
// agreed number of days after at. A change that changes nothing of ongoing
// supervision is refused ([prescribing.ErrMissingDetail]).
func (s *Supervision) Change(supervisor SupervisorID, everyDays int, at time.Time) (SupervisionChanged, error) {
	e := SupervisionChanged{LinkWorker: s.linkWorker, From: s.supervisor, To: supervisor, EveryDays: everyDays, At: prescribing.Stamp(at)}
	if err := s.applyChanged(e); err != nil {
		return SupervisionChanged{}, err
	}
	return e, nil
}

// End records that the supervision ended at time at, for a reason: not
// blank, and text as [prescribing.CheckText] accepts it. Do not put
// personal data in the reason. Nothing is due after the end.
func (s *Supervision) End(reason string, at time.Time) (SupervisionEnded, error) {
	e := SupervisionEnded{LinkWorker: s.linkWorker, Supervisor: s.supervisor, Reason: reason, At: prescribing.Stamp(at)}
	if err := s.applyEnded(e); err != nil {
		return SupervisionEnded{}, err
	}
	return e, nil
}

// Apply applies a supervision event, checking it as the live operation
// would; it changes nothing when it returns an error. Times are kept in
// UTC, as the live operations keep them.
func (s *Supervision) Apply(ev prescribing.Event) error {
	switch e := ev.(type) {
	case SupervisionAgreed:
		e.At = prescribing.Stamp(e.At)
		return s.applyAgreed(e)
	case SupervisionSessionHeld:
		e.At = prescribing.Stamp(e.At)
		return s.applySession(e)
	case SupervisionChanged:
		e.At = prescribing.Stamp(e.At)
		return s.applyChanged(e)
	case SupervisionEnded:
		e.At = prescribing.Stamp(e.At)
		return s.applyEnded(e)
	default:
		return prescribing.NotFor(ev, "supervision")
	}
}

func checkFrequency(days int) error {
	if days < 1 || days > MaxSupervisionDays {
		return fmt.Errorf("%w: a session every %d days; the frequency is 1 to %d days (SUP-1)", ErrInvalidFrequency, days, MaxSupervisionDays)
	}
	return nil
}

func (s *Supervision) applyAgreed(e SupervisionAgreed) error {
	switch {
	case !s.linkWorker.IsZero():
		return fmt.Errorf("%w: the supervision of %s has been agreed", prescribing.ErrUnexpectedEvent, s.linkWorker)
	case e.LinkWorker.IsZero():
		return fmt.Errorf("%w: supervision belongs to a link worker", prescribing.ErrInvalidID)
	case e.Supervisor.IsZero():
		return fmt.Errorf("%w: supervision of %s names the supervisor", prescribing.ErrInvalidID, e.LinkWorker)
	}
	if err := prescribing.CheckTime(time.Time{}, e.At); err != nil {
		return fmt.Errorf("supervision of %s: %w", e.LinkWorker, err)
	}
	if err := checkFrequency(e.EveryDays); err != nil {
		return fmt.Errorf("supervision of %s: %w", e.LinkWorker, err)
	}
	*s = Supervision{linkWorker: e.LinkWorker, supervisor: e.Supervisor, everyDays: int32(e.EveryDays),
		agreedAt: e.At, updatedAt: e.At, events: 1}
	return nil
}

func (s *Supervision) checkChange(lw prescribing.LinkWorkerID, at time.Time) error {
	switch {
	case s.linkWorker.IsZero():
		return fmt.Errorf("%w: the supervision of %s has not been agreed", prescribing.ErrUnexpectedEvent, lw)
	case lw != s.linkWorker:
		return fmt.Errorf("%w: event for %s applied to the supervision of %s", prescribing.ErrWrongSubject, lw, s.linkWorker)
	}
	if err := prescribing.CheckTime(s.updatedAt, at); err != nil {
		return fmt.Errorf("supervision of %s: %w", s.linkWorker, err)
	}
	return nil
}

func (s *Supervision) applySession(e SupervisionSessionHeld) error {
	if err := s.checkChange(e.LinkWorker, e.At); err != nil {
		return err
	}
	switch {
	case !s.endedAt.IsZero():
		return fmt.Errorf("supervision of %s: %w: no session after the end", s.linkWorker, ErrSupervisionEnded)
	case e.Supervisor != s.supervisor:
		return fmt.Errorf("supervision of %s: %w: the session names %s, the supervisor is %s", s.linkWorker, ErrNotSupervisor, e.Supervisor, s.supervisor)
	}
	s.lastSession, s.updatedAt = e.At, e.At
	s.sessions++
	s.events++
	return nil
}

func (s *Supervision) applyChanged(e SupervisionChanged) error {
	if err := s.checkChange(e.LinkWorker, e.At); err != nil {
		return err
	}
	switch {
	case e.To.IsZero():
		return fmt.Errorf("%w: a change of supervision names the supervisor", prescribing.ErrInvalidID)
	case e.From != s.supervisor:
		return fmt.Errorf("supervision of %s: %w: the change says it is from %s, the supervisor is %s", s.linkWorker, ErrNotSupervisor, e.From, s.supervisor)
	}
	if err := checkFrequency(e.EveryDays); err != nil {
		return fmt.Errorf("supervision of %s: %w", s.linkWorker, err)
	}
	ended := !s.endedAt.IsZero()
	if !ended && e.To == s.supervisor && e.EveryDays == int(s.everyDays) {
		return fmt.Errorf("supervision of %s: %w: the change changes neither the supervisor nor the frequency", s.linkWorker, prescribing.ErrMissingDetail)
	}
	if ended {
		s.agreedAt, s.endedAt = e.At, time.Time{}
	}
	s.supervisor, s.everyDays, s.updatedAt = e.To, int32(e.EveryDays), e.At
	s.events++
	return nil
}

func (s *Supervision) applyEnded(e SupervisionEnded) error {
	if err := s.checkChange(e.LinkWorker, e.At); err != nil {
		return err
	}
	if !s.endedAt.IsZero() {
		return fmt.Errorf("supervision of %s: %w", s.linkWorker, ErrSupervisionEnded)
	}
	if e.Supervisor != s.supervisor {
		return fmt.Errorf("supervision of %s: %w: the ending names %s, the supervisor is %s", s.linkWorker, ErrNotSupervisor, e.Supervisor, s.supervisor)
	}
	if err := prescribing.CheckText("the reason", e.Reason); err != nil {
		return fmt.Errorf("supervision of %s: %w", s.linkWorker, err)
	}
	if prescribing.IsBlank(e.Reason) {
		return fmt.Errorf("supervision of %s: %w: an ending gives its reason", s.linkWorker, prescribing.ErrMissingDetail)
	}
	s.endedAt, s.updatedAt = e.At, e.At
	s.events++
	return nil
}

// String returns "supervision of <id>" and whether it is ongoing; it never
// shows the reason of an ending.
func (s Supervision) String() string {
	state := "ongoing"
	switch {
	case s.linkWorker.IsZero():
		state = "not agreed"
	case !s.endedAt.IsZero():
		state = "ended"
	}
	return "supervision of " + s.linkWorker.String() + " (" + state + ")"
}

// SupervisionAgreed records the start of a link worker's supervision: the
// supervisor and the agreed frequency, a session every EveryDays days.
type SupervisionAgreed struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Supervisor SupervisorID             `json:"supervisor"`
	EveryDays  int                      `json:"every_days"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.supervision_agreed".
func (SupervisionAgreed) EventType() string { return "liminality.supervision_agreed" }

// EventTime returns e.At.
func (e SupervisionAgreed) EventTime() time.Time { return e.At }

// EventStream returns the supervision stream of the link worker.
func (e SupervisionAgreed) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindSupervision, e.LinkWorker)
}

// SupervisionSessionHeld records a supervision session held.
type SupervisionSessionHeld struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Supervisor SupervisorID             `json:"supervisor"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.supervision_session_held".
func (SupervisionSessionHeld) EventType() string { return "liminality.supervision_session_held" }

// EventTime returns e.At.
func (e SupervisionSessionHeld) EventTime() time.Time { return e.At }

// EventStream returns the supervision stream of the link worker.
func (e SupervisionSessionHeld) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindSupervision, e.LinkWorker)
}

// SupervisionChanged records a change of supervisor or of frequency, or
// supervision resumed after it ended. From is the supervisor before the
// change.
type SupervisionChanged struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	From       SupervisorID             `json:"from"`
	To         SupervisorID             `json:"to"`
	EveryDays  int                      `json:"every_days"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.supervision_changed".
func (SupervisionChanged) EventType() string { return "liminality.supervision_changed" }

// EventTime returns e.At.
func (e SupervisionChanged) EventTime() time.Time { return e.At }

// EventStream returns the supervision stream of the link worker.
func (e SupervisionChanged) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindSupervision, e.LinkWorker)
}

// SupervisionEnded records the end of a link worker's supervision with
// their supervisor, and why.
type SupervisionEnded struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Supervisor SupervisorID             `json:"supervisor"`
	Reason     string                   `json:"reason"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.supervision_ended".
func (SupervisionEnded) EventType() string { return "liminality.supervision_ended" }

// EventTime returns e.At.
func (e SupervisionEnded) EventTime() time.Time { return e.At }

// EventStream returns the supervision stream of the link worker.
func (e SupervisionEnded) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindSupervision, e.LinkWorker)
}

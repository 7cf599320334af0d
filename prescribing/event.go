package prescribing

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Event is one recorded change of state (rule EV-1). Every package of
// linkwork records its changes as events: concrete struct types that carry the
// time the caller gave and the IDs involved. Live operations return the
// event they applied; [Replay] applies a stored stream to rebuild the same
// state (rule EV-3); an [EventCodec] writes and reads them as JSON (EV-2).
//
// An event type is a value type with value-receiver methods, and its
// EventType is a constant, so the zero value of the type reports it too.
//
// Events are records of what happened. A record shares no memory with the
// events it returns or is given: changing an event's lists afterwards
// changes neither the record nor its history. A refused operation returns
// the zero event with its error, so a caller who stores the event before
// checking the error stores nothing that looks like a change.
type Event interface {
	// EventType is the stable name written in the JSON "type" field,
	// "package.change" ("referral.transitioned"). It never changes once
	// released.
	EventType() string
	// EventTime is when the change happened, as given by the caller.
	EventTime() time.Time
	// EventStream is the stream of the record the event changes: its kind
	// and ID. Every event type belongs to one kind of record, so a mixed
	// log splits by stream before replay, and a store appends the event to
	// this stream.
	EventStream() Stream
}

// Applier is a record whose state is built by applying events in order.
// Apply checks the event against the record's rules, as the live operation
// would, and changes nothing when it returns an error.
type Applier interface {
	Apply(e Event) error
}

// StreamRecord is what every record type of linkwork is, in every package:
// [Patient], [Consents], [Measures], [Referral], [Concern], [Asset],
// [Practice], [PCN], [LinkWorker], and the records of packages holding,
// embeddedness, discretion and liminality. They share one pattern:
//
//   - A constructor (RegisterPatient, OpenConsents, ReceiveReferral, ...)
//     makes the record and returns its creation event, which is always the
//     first event of the record's stream.
//   - The zero value is a record not yet created. Replaying the stream into
//     it ([Replay] with a pointer to a zero value) rebuilds the record
//     equal to the live one; this is the one way to rebuild a record.
//   - Stream names the record's stream, the one its events name in
//     [Event.EventStream]; it is the zero Stream until the creation event
//     is applied.
//   - Version counts the events applied, the creation event included: 0
//     for the zero value, 1 just after creation. A store compares it with
//     a stream's length for optimistic concurrency.
type StreamRecord interface {
	Applier
	Stream() Stream
	Version() int
}

// Errors wrapped by Apply and by the live operations of every package when a
// change does not fit the record's history.
var (
	// ErrNoTime reports a change without a time.
	ErrNoTime = errors.New("no time given")
	// ErrTimeWentBackwards reports a change stamped earlier than the
	// record's last change (rule REF-2 and its kin in other packages).
	ErrTimeWentBackwards = errors.New("time went backwards")
	// ErrWrongSubject reports an event about another record: another
	// stream than the record's.
	ErrWrongSubject = errors.New("event is about another record")
	// ErrUnexpectedEvent reports an event type the record does not take, a
	// creation event applied to a record that exists, or a change applied
	// before the creation event.
	ErrUnexpectedEvent = errors.New("unexpected event")
)

// ReplayError reports the first event of a stream that could not be applied.
// It wraps the error Apply returned, so errors.Is sees the rule's sentinel.
type ReplayError struct {
	// Position is the 0-based index of the event in the stream.
	Position int `json:"position"`
	// Type is the event's type.
	Type string `json:"type"`
	// Err is what Apply returned.
	Err error `json:"-"`
}

// Error describes the failure and its position.
func (e *ReplayError) Error() string {
	return fmt.Sprintf("replay refused event %d (%s): %v", e.Position, e.Type, e.Err)
}

// Unwrap returns the error Apply returned.
func (e *ReplayError) Unwrap() error { return e.Err }

// Replay applies events to into in order and stops at the first one that
// breaks a rule, returning a [*ReplayError] with its position; the events
// before it stay applied (rule EV-3).
func Replay(into Applier, events []Event) error {
	for i, e := range events {
		if err := into.Apply(e); err != nil {
			return &ReplayError{Position: i, Type: eventType(e), Err: err}
		}
	}
	return nil
}

func eventType(e Event) string {
	if e == nil {
		return "nil"
	}
	return e.EventType()
}

// NotFor returns the error an Apply gives for an event that is not one of
// its record's (or is nil): "unexpected event: <type> is not a(n) <what>
// event", wrapping [ErrUnexpectedEvent]. Every package's records use it.
func NotFor(e Event, what string) error {
	article := "a"
	if what != "" && strings.ContainsRune("aeiou", rune(what[0])) {
		article = "an"
	}
	return fmt.Errorf("%w: %s is not %s %s event", ErrUnexpectedEvent, eventType(e), article, what)
}

// Stamp normalises a caller's time for an event: UTC, without a monotonic
// clock reading, so that an event decoded from JSON equals the one written.
// Every package's live operations stamp the times they are given.
func Stamp(at time.Time) time.Time { return at.UTC() }

// CheckTime enforces that a change has a time (else [ErrNoTime]) that JSON
// can carry (else [ErrTimeOutOfRange], see [CheckTimeRange]) and that does
// not go back before the record's last change (else [ErrTimeWentBackwards]).
// Every record's Apply calls it.
func CheckTime(last, at time.Time) error {
	if at.IsZero() {
		return ErrNoTime
	}
	if err := CheckTimeRange(at); err != nil {
		return err
	}
	if at.Before(last) {
		return fmt.Errorf("%w: %s is before the last change at %s", ErrTimeWentBackwards,
			at.UTC().Format(time.RFC3339Nano), last.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

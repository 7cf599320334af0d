package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Errors of the store. Each is wrapped, with the stream, versions or
// positions that explain it, by the methods of every [Store]; none holds
// personal data.
var (
	// ErrConflict reports an append whose expected version is not the
	// stream's current version: another writer appended first, or the
	// stream exists when none was expected. Nothing was written.
	ErrConflict = errors.New("stream version conflict")
	// ErrInvalidAppend reports an append that cannot be stored: no events,
	// a nil event, an event the codec refuses or does not read back as it
	// was, an event whose [prescribing.Event.EventStream] is not the stream
	// appended to (such errors wrap [prescribing.ErrWrongSubject] too), an
	// event time that is zero, not in UTC or outside the years 1 to 9999,
	// or an expected version below [ExpectAny]. Nothing was written.
	ErrInvalidAppend = errors.New("invalid append")
	// ErrInvalidRead reports a read with a negative version or position or
	// a limit outside 1 to [MaxReadLimit].
	ErrInvalidRead = errors.New("invalid read")
	// ErrInvalidErasure reports an erasure whose rewrite changed what it
	// must keep (the event type, time or stream) or that the codec
	// refuses. Nothing was changed.
	ErrInvalidErasure = errors.New("invalid erasure")
	// ErrClock reports a store clock that returned the zero time or a time
	// outside the years 1 to 9999. Nothing was written.
	ErrClock = errors.New("store clock gave an unusable time")
	// ErrCorrupt reports a stored event that does not decode, or whose
	// stored columns disagree with its payload. It wraps the codec's error
	// when there is one: a stored schema version newer than the codec
	// reads, or older without upcasters up to the current one, gives an
	// error wrapping both ErrCorrupt and [prescribing.ErrUnknownVersion].
	ErrCorrupt = errors.New("corrupt stored event")
)

// MaxReadLimit is the largest page [Store.ReadAll] and [Store.Erasures]
// return at once.
const MaxReadLimit = 10000

// ExpectedVersion is the version a writer expects a stream to have before
// its append: the number of events in the stream, 0 for a stream that has
// none. [ExpectNoStream] and [ExpectAny] name the two special cases; any
// other value is a version, ExpectedVersion(3).
type ExpectedVersion int64

const (
	// ExpectAny appends whatever the stream's version is.
	ExpectAny ExpectedVersion = -1
	// ExpectNoStream appends only to a stream that has no events yet.
	ExpectNoStream ExpectedVersion = 0
)

// String returns "any", "no stream" or the version.
func (v ExpectedVersion) String() string {
	switch v {
	case ExpectAny:
		return "any"
	case ExpectNoStream:
		return "no stream"
	}
	return fmt.Sprint(int64(v))
}

// Metadata says who made a change and why: the actor and the IDs that tie
// the events of one request (correlation) and the message that caused them
// (causation). Every event of one append carries the same Metadata. Zero
// fields mean "not given".
type Metadata struct {
	// Actor is the member of staff who made the change.
	Actor StaffID `json:"actor"`
	// Correlation ties together the events of one request or workflow.
	Correlation uuid.UUID `json:"correlation"`
	// Causation is the ID of the command or message that caused the change.
	Causation uuid.UUID `json:"causation"`
}

// Envelope is one stored event and what the store knows about it.
//
// An Envelope returned by a store is the caller's: its Data shares no memory
// with the store.
type Envelope struct {
	// Position is the event's place in the store's global order, from 1,
	// without gaps: the n-th event the store committed has position n.
	Position int64 `json:"position"`
	// Stream is the stream the event belongs to: the event's
	// [prescribing.Event.EventStream].
	Stream prescribing.Stream `json:"stream"`
	// Version is the event's place in its stream, from 1, without gaps.
	Version int64 `json:"version"`
	// Type is the event type, as [prescribing.Event.EventType] gives it.
	Type string `json:"type"`
	// SchemaVersion is the schema version the event's body is stored at
	// ([prescribing.EventKind.Version] when it was written). It may be older
	// than the codec's current version: Event is then the body brought up
	// to date by the codec's upcasters, while Data is the body as stored.
	SchemaVersion int `json:"schema_version"`
	// EventTime is the time of the change, as the caller gave it in the
	// event (in UTC).
	EventTime time.Time `json:"event_time"`
	// RecordedAt is when the store recorded the event, from the store's
	// clock (in UTC).
	RecordedAt time.Time `json:"recorded_at"`
	// Metadata is the actor, correlation and causation of the append.
	Metadata
	// Data is the event's body as stored, at SchemaVersion: the JSON that
	// [prescribing.EventCodec.MarshalBody] wrote, without the envelope (the
	// type and schema version are columns of their own). It holds personal
	// details in full, as the storage form does, so the default JSON of an
	// Envelope leaves it out (rule PRIV-1).
	Data []byte `json:"-"`
	// Event is Data decoded by the store's codec, upcast to the current
	// schema version.
	Event prescribing.Event `json:"event"`
}

// Erasure records that the personal data in a stream was erased (UK GDPR
// right to erasure). It holds no personal data: only the stream, how many
// events were rewritten, and who asked and when.
type Erasure struct {
	// Sequence is the erasure's place in the store's erasure log, from 1.
	Sequence int64 `json:"sequence"`
	// Stream is the stream whose events were rewritten.
	Stream prescribing.Stream `json:"stream"`
	// ThroughVersion is the stream's version when it was erased: events up
	// to it were looked at.
	ThroughVersion int64 `json:"through_version"`
	// Rewritten is how many events changed.
	Rewritten int `json:"rewritten"`
	// RecordedAt is when the store erased them, from the store's clock.
	RecordedAt time.Time `json:"recorded_at"`
	// Metadata is who asked and why.
	Metadata
}

// Rewrite returns an event with personal data removed, or the event itself
// when it holds none. It must keep the event's type, time and stream, so
// that versions, order and replay stay as they were. See [ErasePatient].
type Rewrite func(prescribing.Event) prescribing.Event

// ErasePatient returns the Rewrite that clears the personal details a
// patient's events hold, as [prescribing.ErasePersonalDetails] does for a
// stream in memory (rule PRIV-2). The details live in the patient's own
// stream ([PatientStream]); erase it with
//
//	s.Erase(ctx, store.PatientStream(id), store.ErasePatient(id), meta)
func ErasePatient(patient prescribing.PatientID) Rewrite {
	return func(e prescribing.Event) prescribing.Event {
		return prescribing.ErasePersonalDetails([]prescribing.Event{e}, patient)[0]
	}
}

// PatientStream returns the stream of a patient's record, the one stream
// whose events hold their personal details.
func PatientStream(patient prescribing.PatientID) prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindPatient, patient)
}

// Codec turns events into their stored form and back: the event type, the
// schema version and the body, each kept in a column of its own.
// *[prescribing.EventCodec] is one. UnmarshalBody reads a body stored at an
// older schema version through the codec's upcasters and refuses a newer
// one with an error wrapping [prescribing.ErrUnknownVersion].
type Codec interface {
	MarshalBody(prescribing.Event) (eventType string, version int, body []byte, err error)
	UnmarshalBody(eventType string, version int, body []byte) (prescribing.Event, error)
}

var _ Codec = (*prescribing.EventCodec)(nil)

// Store keeps streams of events. Every implementation behaves the same, as
// the conformance suite in package storetest checks, and is safe for
// concurrent use. Methods given a stream that is not valid (the zero
// Stream, an unknown kind, a nil ID) return an error wrapping
// [prescribing.ErrInvalidStream].
type Store interface {
	// Append adds events to the end of stream, all or none, if the stream's
	// version is expected (else an error wrapping [ErrConflict]). It returns
	// the envelopes it stored, in order. Every event's EventStream must be
	// stream.
	Append(ctx context.Context, stream prescribing.Stream, expected ExpectedVersion, meta Metadata, events ...prescribing.Event) ([]Envelope, error)
	// Load returns the events of stream from version from on (0 or 1 for
	// all), in order. A stream without events gives none and no error.
	Load(ctx context.Context, stream prescribing.Stream, from int64) ([]Envelope, error)
	// ReadAll returns up to limit events of every stream from global
	// position from on (0 or 1 for the start), in global order. The next
	// page starts at the last position returned plus one. An event
	// committed after a page was read never has a position before it.
	ReadAll(ctx context.Context, from int64, limit int) ([]Envelope, error)
	// Erase rewrites the stored events of stream with rewrite, keeping
	// their versions, positions and types, and records an [Erasure]. It
	// returns the record.
	Erase(ctx context.Context, stream prescribing.Stream, rewrite Rewrite, meta Metadata) (Erasure, error)
	// Erasures returns up to limit erasure records from sequence from on.
	Erasures(ctx context.Context, from int64, limit int) ([]Erasure, error)
}

// Option configures a store.
type Option func(*config)

type config struct {
	clock func() time.Time
}

// WithClock sets the store's clock, which stamps [Envelope.RecordedAt] and
// [Erasure.RecordedAt]. The default is time.Now.
func WithClock(clock func() time.Time) Option {
	return func(c *config) {
		if clock != nil {
			c.clock = clock
		}
	}
}

func newConfig(opts []Option) config {
	c := config{clock: time.Now}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// now returns the clock's time in UTC without a monotonic reading.
func (c config) now() (time.Time, error) {
	t := c.clock()
	if t.IsZero() {
		return time.Time{}, fmt.Errorf("%w: zero time", ErrClock)
	}
	if err := prescribing.CheckTimeRange(t); err != nil {
		return time.Time{}, fmt.Errorf("%w: %w", ErrClock, err)
	}
	return t.UTC().Round(0), nil
}

// pending is one event ready to be stored.
type pending struct {
	typ           string
	schemaVersion int
	eventTime     time.Time
	data          []byte
}

// row returns p as the stored row it becomes at position, as version of
// stream, recorded at recordedAt with meta.
func (p pending) row(position int64, stream prescribing.Stream, version int64, recordedAt time.Time, meta Metadata) stored {
	return stored{
		position:      position,
		stream:        stream,
		version:       version,
		typ:           p.typ,
		schemaVersion: p.schemaVersion,
		eventTime:     p.eventTime,
		recordedAt:    recordedAt,
		meta:          meta,
		data:          p.data,
	}
}

// encodeAppend checks an append and encodes its events.
func encodeAppend(codec Codec, stream prescribing.Stream, expected ExpectedVersion, events []prescribing.Event) ([]pending, error) {
	if err := stream.Check(); err != nil {
		return nil, err
	}
	if expected < ExpectAny {
		return nil, fmt.Errorf("%w: expected version %d", ErrInvalidAppend, int64(expected))
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("%w: no events", ErrInvalidAppend)
	}
	out := make([]pending, len(events))
	for i, e := range events {
		p, err := encodeEvent(codec, stream, e)
		if err != nil {
			return nil, fmt.Errorf("%w: event %d: %w", ErrInvalidAppend, i, err)
		}
		out[i] = p
	}
	return out, nil
}

var (
	errNilEvent    = errors.New("nil event")
	errNoEventTime = errors.New("no event time")
	errNotUTC      = errors.New("event time not in UTC (stamp it with prescribing.Stamp)")
)

// encodeEvent checks one event against stream and encodes it.
func encodeEvent(codec Codec, stream prescribing.Stream, e prescribing.Event) (pending, error) {
	if e == nil {
		return pending{}, errNilEvent
	}
	at := e.EventTime()
	if at.IsZero() {
		return pending{}, errNoEventTime
	}
	if err := prescribing.CheckTimeRange(at); err != nil {
		return pending{}, err
	}
	if at.Location() != time.UTC {
		// The codec would write the offset and read back another
		// location: refuse rather than change the event.
		return pending{}, errNotUTC
	}
	if got := e.EventStream(); got != stream {
		return pending{}, fmt.Errorf("%w: %s belongs to stream %s, not %s", prescribing.ErrWrongSubject, e.EventType(), got, stream)
	}
	typ, version, body, err := codec.MarshalBody(e)
	if err != nil {
		return pending{}, err
	}
	if typ != e.EventType() {
		return pending{}, errors.New("the codec wrote another type than the event's")
	}
	// What the store accepts it must read back: decode it now.
	back, err := codec.UnmarshalBody(typ, version, body)
	if err != nil {
		return pending{}, fmt.Errorf("the codec does not read back what it wrote: %w", err)
	}
	if !sameEvent(back, e) {
		return pending{}, errors.New("the codec reads back another event than it was given (invalid UTF-8 in a text, or a field it does not keep)")
	}
	return pending{typ: typ, schemaVersion: version, eventTime: at.UTC().Round(0), data: body}, nil
}

// stored is one event as a store keeps it: the columns of the SQL table.
type stored struct {
	position      int64
	stream        prescribing.Stream
	version       int64
	typ           string
	schemaVersion int
	eventTime     time.Time
	recordedAt    time.Time
	meta          Metadata
	data          []byte // the body, at schemaVersion
}

// decode returns the envelope of a stored event, decoding its body with
// codec (which upcasts an older schema version) and checking it against
// the columns. Errors wrap [ErrCorrupt] and the codec's error, and name the
// position, never the payload.
func (s stored) decode(codec Codec) (Envelope, error) {
	fail := func(format string, args ...any) (Envelope, error) {
		return Envelope{}, fmt.Errorf("%w: position %d (%s version %d): %w", ErrCorrupt, s.position, s.stream, s.version, fmt.Errorf(format, args...))
	}
	if s.position < 1 || s.version < 1 || s.stream.Check() != nil {
		return fail("position, version or stream out of range")
	}
	e, err := codec.UnmarshalBody(s.typ, s.schemaVersion, s.data)
	if err != nil {
		return fail("payload: %w", err)
	}
	switch {
	case e.EventType() != s.typ:
		return fail("stored type disagrees with the payload")
	case !e.EventTime().Equal(s.eventTime):
		return fail("stored event time disagrees with the payload")
	case e.EventStream() != s.stream:
		return fail("payload belongs to another stream than the stored one")
	}
	return envelopeOf(s, e), nil
}

// envelopeOf returns the envelope of a stored event and its decoded
// payload, with its own copy of the stored bytes: the memory store's and
// the SQL stores' reads alike.
func envelopeOf(s stored, e prescribing.Event) Envelope {
	return Envelope{
		Position:      s.position,
		Stream:        s.stream,
		Version:       s.version,
		Type:          s.typ,
		SchemaVersion: s.schemaVersion,
		EventTime:     s.eventTime,
		RecordedAt:    s.recordedAt,
		Metadata:      s.meta,
		Data:          bytes.Clone(s.data),
		Event:         e,
	}
}

// checkExpected reports a conflict between the expected and current version.
func checkExpected(stream prescribing.Stream, expected ExpectedVersion, current int64) error {
	if expected == ExpectAny || int64(expected) == current {
		return nil
	}
	if expected == ExpectNoStream {
		return fmt.Errorf("%w: %s: expected no stream, found version %d", ErrConflict, stream, current)
	}
	return fmt.Errorf("%w: %s: expected version %d, found %d", ErrConflict, stream, int64(expected), current)
}

func checkLoad(stream prescribing.Stream, from int64) error {
	if err := stream.Check(); err != nil {
		return err
	}
	if from < 0 {
		return fmt.Errorf("%w: from version %d", ErrInvalidRead, from)
	}
	return nil
}

func checkErase(stream prescribing.Stream, rewrite Rewrite) error {
	if err := stream.Check(); err != nil {
		return err
	}
	if rewrite == nil {
		return fmt.Errorf("%w: nil rewrite", ErrInvalidErasure)
	}
	return nil
}

func checkPage(from int64, limit int) error {
	if from < 0 {
		return fmt.Errorf("%w: from %d", ErrInvalidRead, from)
	}
	if limit < 1 || limit > MaxReadLimit {
		return fmt.Errorf("%w: limit %d outside 1 to %d", ErrInvalidRead, limit, MaxReadLimit)
	}
	return nil
}

// rewriteEvent applies rewrite to one stored event and returns its new
// body and schema version (the codec writes its current version, which may
// be newer than the one stored), or a nil body when it is unchanged.
func rewriteEvent(codec Codec, rewrite Rewrite, s stored) ([]byte, int, error) {
	env, err := s.decode(codec)
	if err != nil {
		return nil, 0, err
	}
	n := rewrite(env.Event)
	if n == nil {
		return nil, 0, fmt.Errorf("%w: version %d rewritten to nil", ErrInvalidErasure, s.version)
	}
	if n.EventType() != env.Event.EventType() || !n.EventTime().Equal(env.Event.EventTime()) || n.EventStream() != env.Event.EventStream() {
		return nil, 0, fmt.Errorf("%w: version %d: the rewrite changed the event's type, time or stream", ErrInvalidErasure, s.version)
	}
	if sameEvent(n, env.Event) {
		return nil, 0, nil // nothing to erase: the stored body stays as it is, at its version
	}
	p, err := encodeEvent(codec, s.stream, n)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: version %d: %w", ErrInvalidErasure, s.version, err)
	}
	return p.data, p.schemaVersion, nil
}

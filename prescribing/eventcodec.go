package prescribing

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Errors of event encoding and decoding (rule EV-2).
var (
	// ErrUnknownEventType reports an event type the codec was not built with.
	ErrUnknownEventType = errors.New("unknown event type")
	// ErrMalformedEvent reports JSON that is not an event of the form the
	// codec writes: bad syntax, missing or extra fields, wrong field types,
	// values out of their vocabulary, trailing data.
	ErrMalformedEvent = errors.New("malformed event")
)

// EventKind tells an [EventCodec] how to decode one event type. Each package
// exports the kinds of its events (see [EventKinds]); a codec is built from
// the kinds a program uses.
type EventKind struct {
	typ    string
	decode func([]byte) (Event, error)
}

// KindOf returns the kind of event type T. T's EventType, called on its zero
// value, gives the type name.
//
// A kind decodes strictly (see [EventCodec]) and refuses, with an error
// wrapping [ErrMalformedEvent] that names what is missing, a body that lacks
// a field T's encoding always writes (every JSON field of T not marked
// omitempty or omitzero), and an event whose EventTime is the zero time or
// whose EventSubject is the nil UUID. The required fields are found once,
// here, from T's struct tags.
func KindOf[T Event]() EventKind {
	var zero T
	required := requiredFields(reflect.TypeFor[T]())
	return EventKind{
		typ: zero.EventType(),
		decode: func(data []byte) (Event, error) {
			var v T
			if err := decodeStrict(data, &v); err != nil {
				return nil, err
			}
			if err := checkRequired(data, required); err != nil {
				return nil, err
			}
			if v.EventTime().IsZero() {
				return nil, fmt.Errorf("%w: no time", ErrMalformedEvent)
			}
			if v.EventSubject() == uuid.Nil {
				return nil, fmt.Errorf("%w: no subject (the ID of the record it changes)", ErrMalformedEvent)
			}
			return v, nil
		},
	}
}

// requiredFields returns the JSON names of the fields of struct type t that
// its encoding always writes: exported, not "-", not omitempty or omitzero.
// The fields of an embedded struct without a JSON name are its own, as
// encoding/json flattens them. A type that is not a struct, or that decodes
// itself, has none.
func requiredFields(t reflect.Type) []string {
	if t.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	var out []string
	for f := range t.Fields() {
		tag, hasTag := f.Tag.Lookup("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, requiredFields(ft)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" || !hasTag {
			name = f.Name
		}
		omit := false
		for o := range strings.SplitSeq(opts, ",") {
			omit = omit || o == "omitempty" || o == "omitzero"
		}
		if !omit {
			out = append(out, name)
		}
	}
	return out
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// checkRequired reports the first of the required fields that the JSON
// object data lacks. Names are matched exactly, as the codec writes them.
func checkRequired(data []byte, required []string) error {
	if len(required) == 0 {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedEvent, err)
	}
	for _, name := range required {
		if _, ok := fields[name]; !ok {
			return fmt.Errorf("%w: no %s field", ErrMalformedEvent, quoteShort(name))
		}
	}
	return nil
}

// EventKinds returns the kinds of every event of this package, for
// [NewEventCodec]. The slice is the caller's.
func EventKinds() []EventKind {
	return []EventKind{
		KindOf[PatientRegistered](),
		KindOf[PatientDetailsChanged](),
		KindOf[PatientAnonymised](),
		KindOf[RiskAssessed](),
		KindOf[ReferralReceived](),
		KindOf[ReferralTransitioned](),
		KindOf[ReferralPlanUpdated](),
		KindOf[ReferralReassigned](),
		KindOf[ContactRecorded](),
		KindOf[ONS4Recorded](),
		KindOf[SWEMWBSRecorded](),
		KindOf[ConcernRaised](),
		KindOf[ConcernEscalated](),
		KindOf[ConsentGiven](),
		KindOf[ConsentWithdrawn](),
		KindOf[DetailsShared](),
		KindOf[AssetListed](),
		KindOf[AssetUpdated](),
		KindOf[AssetStatusChanged](),
		KindOf[PlaceTaken](),
		KindOf[PlaceReleased](),
	}
}

// Type returns the event type name of the kind.
func (k EventKind) Type() string { return k.typ }

// EventCodec encodes events as JSON objects {"type": ..., "event": {...}} and
// decodes them back to the same values (rule EV-2). It is the storage form,
// so events that hold personal details are written in full: json.Marshal of
// such an event on its own is redacted. Decoding is strict:
// unknown types, unknown or missing envelope fields, unknown event fields,
// missing required event fields (see [KindOf]), events without a time or a
// subject, values outside a vocabulary and trailing data are errors wrapping
// [ErrUnknownEventType] or [ErrMalformedEvent], never panics.
//
// An EventCodec is immutable once built and safe for concurrent use.
type EventCodec struct {
	kinds map[string]EventKind
}

// NewEventCodec returns a codec for the given kinds. Kinds of several
// packages combine:
//
//	codec, err := prescribing.NewEventCodec(slices.Concat(
//		prescribing.EventKinds(), holding.EventKinds())...)
//
// A type given twice, or a kind without a type, is an error.
func NewEventCodec(kinds ...EventKind) (*EventCodec, error) {
	c := &EventCodec{kinds: make(map[string]EventKind, len(kinds))}
	for _, k := range kinds {
		if k.typ == "" || k.decode == nil {
			return nil, errors.New("prescribing: event kind without a type; make kinds with KindOf")
		}
		if _, dup := c.kinds[k.typ]; dup {
			return nil, fmt.Errorf("prescribing: event type %q given twice", k.typ)
		}
		c.kinds[k.typ] = k
	}
	return c, nil
}

// Types returns the event types the codec knows, sorted.
func (c *EventCodec) Types() []string {
	out := make([]string, 0, len(c.kinds))
	for t := range c.kinds {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// personalDataEvent is an event that holds personal details. Its default JSON
// is redacted (rule PRIV-1); the codec writes the storage form instead, which
// the default decoding reads back.
type personalDataEvent interface {
	exportJSON() ([]byte, error)
}

// envelope is the JSON form of one event.
type envelope struct {
	Type  string          `json:"type"`
	Event json.RawMessage `json:"event"`
}

// Marshal encodes e. An event whose type the codec does not know is an
// error, so that everything written can be read back.
func (c *EventCodec) Marshal(e Event) ([]byte, error) {
	if e == nil {
		return nil, fmt.Errorf("%w: nil event", ErrUnknownEventType)
	}
	t := e.EventType()
	if _, ok := c.kinds[t]; !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownEventType, quoteShort(t))
	}
	var body []byte
	var err error
	if x, ok := e.(personalDataEvent); ok {
		body, err = x.exportJSON()
	} else {
		body, err = json.Marshal(e)
	}
	if err != nil {
		return nil, fmt.Errorf("encoding %s event: %w", t, err)
	}
	return json.Marshal(envelope{Type: t, Event: body})
}

// Unmarshal decodes one event written by Marshal.
func (c *EventCodec) Unmarshal(data []byte) (Event, error) {
	var env envelope
	if err := decodeStrict(data, &env); err != nil {
		return nil, err
	}
	if env.Type == "" {
		return nil, fmt.Errorf("%w: no type", ErrMalformedEvent)
	}
	k, ok := c.kinds[env.Type]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownEventType, quoteShort(env.Type))
	}
	if len(env.Event) == 0 || string(env.Event) == "null" {
		return nil, fmt.Errorf("%w: %s without an event body", ErrMalformedEvent, env.Type)
	}
	e, err := k.decode(env.Event)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", env.Type, err)
	}
	return e, nil
}

// Canonical decodes one event and encodes it again: the normal form of a
// stored event (field order, spelling of times and values), and a check
// that it decodes. Canonical of its own output returns the same bytes.
func (c *EventCodec) Canonical(data []byte) ([]byte, Event, error) {
	e, err := c.Unmarshal(data)
	if err != nil {
		return nil, nil, err
	}
	out, err := c.Marshal(e)
	if err != nil {
		return nil, nil, fmt.Errorf("%s decoded but does not encode: %w", e.EventType(), err)
	}
	return out, e, nil
}

// Encode writes events as JSON Lines, one event per line.
func (c *EventCodec) Encode(w io.Writer, events []Event) error {
	bw := bufio.NewWriter(w)
	for i, e := range events {
		b, err := c.Marshal(e)
		if err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Decode reads JSON Lines written by Encode. Blank lines are skipped. The
// first line that does not decode stops it with an error naming the line
// (1-based); the events before it are returned with the error.
func (c *EventCodec) Decode(r io.Reader) ([]Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	var out []Event
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		e, err := c.Unmarshal(b)
		if err != nil {
			return out, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("line %d: %w: %w", line+1, ErrMalformedEvent, err)
	}
	return out, nil
}

// decodeStrict decodes one event body into v strictly (see
// decodeStrictValue); errors wrap ErrMalformedEvent, and also the sentinel of
// a field's own decoder (such as ErrUnknownValue) when there is one.
func decodeStrict(data []byte, v any) error {
	if err := decodeStrictValue(data, v); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedEvent, err)
	}
	return nil
}

// errTrailingData reports data after the one JSON value expected.
var errTrailingData = errors.New("data after the JSON value")

// decodeStrictValue decodes one JSON value into v, refusing unknown fields
// and trailing data. Types with their own UnmarshalJSON call it too, because
// a decoder's DisallowUnknownFields does not reach inside them.
func decodeStrictValue(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	// More reports only values; a stray closing bracket is caught by Token.
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w at offset %d", errTrailingData, dec.InputOffset())
	}
	return nil
}

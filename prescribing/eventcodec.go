package prescribing

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Errors of event encoding and decoding (rule EV-2).
var (
	// ErrUnknownEventType reports an event type the codec was not built with.
	ErrUnknownEventType = errors.New("unknown event type")
	// ErrMalformedEvent reports JSON that is not an event of the form the
	// codec writes: bad syntax, missing or extra fields, wrong field types,
	// values out of their vocabulary, trailing data.
	ErrMalformedEvent = errors.New("malformed event")
	// ErrUnknownVersion reports a stored event whose schema version the
	// codec cannot read: newer than the version this program knows, or
	// older with no upcaster to bring it up to date.
	ErrUnknownVersion = errors.New("unknown event schema version")
)

// Upcaster turns the JSON body of an event stored at one schema version
// into the body of the next version. It is given the stored body and
// returns a new one; it must not keep or change the slice it is given. Its
// output is decoded as strictly as a stored body of the current version, so
// an upcaster that writes something the event type does not take is caught.
// Its errors are wrapped in the codec's, so like them they must not hold
// personal data.
type Upcaster func(body []byte) ([]byte, error)

// EventKind tells an [EventCodec] how to decode one event type: its name,
// its current schema version, and the upcasters that read its older
// versions. Each package exports the kinds of its events (see
// [EventKinds]); a codec is built from the kinds a program uses.
type EventKind struct {
	typ       string
	version   int
	upcasters map[int]Upcaster // by the version each reads; never written after made
	// decode decodes a body; scanned says it has passed scanStrict already.
	decode func(data []byte, scanned bool) (Event, error)
}

// Versioned is implemented by an event type whose stored form has changed
// since it was released: SchemaVersion returns the version of the form the
// type writes now, 2 or more. Event types without it are at version 1.
// Like EventType it must return a constant, so the zero value reports it.
type Versioned interface {
	SchemaVersion() int
}

// KindOf returns the kind of event type T. T's EventType and, if T is
// [Versioned], its SchemaVersion, called on its zero value, give the type
// name and the current schema version (1 for a type that is not
// Versioned).
//
// A kind decodes strictly (see [EventCodec]) and refuses, with an error
// wrapping [ErrMalformedEvent] that names what is missing, a body that lacks
// a field T's encoding always writes (every JSON field of T not marked
// omitempty or omitzero), and an event whose EventTime is the zero time or
// whose EventStream is not valid (no kind or a nil ID). The required fields
// are found once, here, from T's struct tags.
func KindOf[T Event]() EventKind {
	var zero T
	version := 1
	if v, ok := any(zero).(Versioned); ok {
		version = v.SchemaVersion()
	}
	shape := shapeOf(reflect.TypeFor[T](), 0)
	return EventKind{
		typ:     zero.EventType(),
		version: version,
		decode: func(data []byte, scanned bool) (Event, error) {
			var v T
			if err := decodeShaped(data, &v, shape, scanned); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrMalformedEvent, err)
			}
			if v.EventTime().IsZero() {
				return nil, fmt.Errorf("%w: no time", ErrMalformedEvent)
			}
			if err := v.EventStream().Check(); err != nil {
				return nil, fmt.Errorf("%w: no stream (the ID of the record it changes): %w", ErrMalformedEvent, err)
			}
			return v, nil
		},
	}
}

// WithUpcaster returns a copy of k that reads bodies stored at schema
// version from (1 or more, below k's version) by passing them through up,
// which must return the body of version from+1. A codec reads an old
// version by running the chain of upcasters from it to the current
// version; a version with a gap in the chain is refused with
// [ErrUnknownVersion]. [NewEventCodec] refuses a kind with an upcaster from
// a version outside 1 to k's version minus 1, or without a function.
//
// A program registers upcasters when it builds its codec:
//
//	kinds := prescribing.EventKinds()
//	for i, k := range kinds {
//		if k.Type() == "referral.reassigned" {
//			kinds[i] = k.WithUpcaster(1, reassignedV1ToV2)
//		}
//	}
//	codec, err := prescribing.NewEventCodec(kinds...)
func (k EventKind) WithUpcaster(from int, up Upcaster) EventKind {
	ups := make(map[int]Upcaster, len(k.upcasters)+1)
	for v, f := range k.upcasters {
		ups[v] = f
	}
	ups[from] = up
	k.upcasters = ups
	return k
}

// WithVersion returns a copy of k whose current schema version is v. It is
// for tests and for programs that must read a form newer than the event
// type declares; an event type that changes declares its version with
// [Versioned] instead.
func (k EventKind) WithVersion(v int) EventKind {
	k.version = v
	return k
}

// jsonShape is what the encoding of a struct type always writes: each
// field's JSON name, whether it is always written (exported, not "-", not
// omitempty or omitzero), and, for a field holding structs (directly, behind
// a pointer or in a list) that do not decode themselves, their own shape. The
// codec checks a stored body against its event type's shape, so that a field
// missing anywhere in it, nested or not, is refused rather than decoded as
// its zero value.
type jsonShape struct {
	fields []jsonField
}

type jsonField struct {
	name     string
	required bool
	shape    *jsonShape
}

// maxShapeDepth bounds how deep shapeOf follows nested structs; the
// library's events nest two levels at most.
const maxShapeDepth = 8

// shapeOf returns the shape of struct type t, or nil for a type that is not
// a struct or that decodes itself. The fields of an embedded struct without a
// JSON name are its own, as encoding/json flattens them.
func shapeOf(t reflect.Type, depth int) *jsonShape {
	if t.Kind() != reflect.Struct || decodesItself(t) || depth > maxShapeDepth {
		return nil
	}
	var s jsonShape
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
				if inner := shapeOf(ft, depth+1); inner != nil {
					s.fields = append(s.fields, inner.fields...)
				}
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
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice || ft.Kind() == reflect.Array {
			ft = ft.Elem()
		}
		s.fields = append(s.fields, jsonField{name: name, required: !omit, shape: shapeOf(ft, depth+1)})
	}
	return &s
}

// decodesItself reports whether JSON decoding of t is t's own (an
// UnmarshalJSON or UnmarshalText method), so its fields are not the codec's
// to check.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(unmarshalerType) || p.Implements(textUnmarshalerType)
}

// errMissingField reports a field the encoding always writes that the
// input lacks.
var errMissingField = errors.New("missing field")

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// checkShape reports the first field that shape s requires and the JSON
// object data lacks, at any depth, by its path ("contact.mode") after path,
// the path of data itself ("" at the top). A null or a value that is not an
// object is left to the decoder, which has already accepted it.
func checkShape(data json.RawMessage, s *jsonShape, path string) error {
	if s == nil {
		return nil
	}
	members, ok := objectMembers(data)
	if !ok {
		return nil // not an object, or malformed: the decoder's to judge
	}
	for _, f := range s.fields {
		raw, found := lookupMember(members, f.name)
		if !found {
			if f.required {
				return fmt.Errorf("%w: no %s field", errMissingField, quoteShort(path+f.name))
			}
			continue
		}
		if f.shape == nil || len(raw) == 0 {
			continue
		}
		if raw[0] == '[' {
			items, _ := arrayItems(raw)
			for i, item := range items {
				if err := checkShape(item, f.shape, fmt.Sprintf("%s%s[%d].", path, f.name, i)); err != nil {
					return err
				}
			}
			continue
		}
		if err := checkShape(raw, f.shape, path+f.name+"."); err != nil {
			return err
		}
	}
	return nil
}

// member is one key of a JSON object and the bytes of its value; key holds
// the raw bytes between the quotes.
type member struct {
	key, value []byte
}

// lookupMember returns the value of the member whose key is name exactly,
// as encoding/json writes it (a key with escapes never matches a field
// name of this library, all plain ASCII).
func lookupMember(members []member, name string) ([]byte, bool) {
	for _, m := range members {
		if string(m.key) == name {
			return m.value, true
		}
	}
	return nil, false
}

// objectMembers splits a JSON object into its members without decoding
// them; ok is false for anything that is not a well-formed object.
func objectMembers(data []byte) (members []member, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil, true
	}
	for i < len(data) {
		if data[i] != '"' {
			return nil, false
		}
		end, _ := scanString(data, i)
		if end < 0 {
			return nil, false
		}
		key := data[i+1 : end]
		i = skipSpace(data, end+1)
		if i >= len(data) || data[i] != ':' {
			return nil, false
		}
		i = skipSpace(data, i+1)
		vend := skipValue(data, i)
		if vend < 0 {
			return nil, false
		}
		members = append(members, member{key: key, value: data[i:vend]})
		i = skipSpace(data, vend)
		if i >= len(data) {
			return nil, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return members, true
		default:
			return nil, false
		}
	}
	return nil, false
}

// arrayItems splits a JSON array into its items without decoding them.
func arrayItems(data []byte) (items [][]byte, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return nil, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return nil, true
	}
	for i < len(data) {
		end := skipValue(data, i)
		if end < 0 {
			return nil, false
		}
		items = append(items, data[i:end])
		i = skipSpace(data, end)
		if i >= len(data) {
			return nil, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			return items, true
		default:
			return nil, false
		}
	}
	return nil, false
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value starting at
// data[i], or -1 if it does not end.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return -1
	}
	switch data[i] {
	case '"':
		end, _ := scanString(data, i)
		if end < 0 {
			return -1
		}
		return end + 1
	case '{', '[':
		depth := 0
		for ; i < len(data); i++ {
			switch data[i] {
			case '"':
				end, _ := scanString(data, i)
				if end < 0 {
					return -1
				}
				i = end
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	default:
		for ; i < len(data); i++ {
			switch data[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return i
	}
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
		KindOf[MeasuresOpened](),
		KindOf[ONS4Recorded](),
		KindOf[SWEMWBSRecorded](),
		KindOf[ConcernRaised](),
		KindOf[ConcernEscalated](),
		KindOf[ConsentsOpened](),
		KindOf[ConsentGiven](),
		KindOf[ConsentWithdrawn](),
		KindOf[DetailsShared](),
		KindOf[AssetListed](),
		KindOf[AssetUpdated](),
		KindOf[AssetStatusChanged](),
		KindOf[PlaceTaken](),
		KindOf[PlaceReleased](),
		KindOf[PracticeRegistered](),
		KindOf[PracticeChanged](),
		KindOf[PCNRegistered](),
		KindOf[PCNChanged](),
		KindOf[LinkWorkerRegistered](),
		KindOf[LinkWorkerChanged](),
		KindOf[ReferralStepTaken](),
		KindOf[ReferralFollowedUp](),
		KindOf[ReferralLinked](),
		KindOf[ReferralBuyInRecorded](),
		KindOf[ReferralComplexityAssessed](),
		KindOf[PatientPreferencesRecorded](),
	}
}

// Type returns the event type name of the kind.
func (k EventKind) Type() string { return k.typ }

// Version returns the kind's current schema version: the version the codec
// writes, 1 or more.
func (k EventKind) Version() int { return k.version }

// EventCodec encodes events as JSON objects
// {"type": ..., "version": ..., "event": {...}} and decodes them back to the
// same values (rule EV-2). "version" is the schema version of the event
// type's stored form ([EventKind.Version]). It is the storage form, so
// events that hold personal details are written in full: json.Marshal of
// such an event on its own is redacted.
//
// Decoding is strict: unknown types, unknown or missing envelope fields,
// unknown event fields, missing required event fields (see [KindOf]),
// events without a time or a stream, values outside a vocabulary and
// trailing data are errors wrapping [ErrUnknownEventType] or
// [ErrMalformedEvent], never panics. A version newer than the codec's, or
// an older one without upcasters up to the current one, is an error
// wrapping [ErrUnknownVersion]; an older version with upcasters is brought
// up to date before it is decoded ([EventKind.WithUpcaster]). A version
// must be a whole number from 1; an envelope without "version" is read as
// version 1, the form written before versions were recorded (every event
// type started at version 1), and is written back with it.
//
// An EventCodec is immutable once built and safe for concurrent use.
type EventCodec struct {
	kinds map[string]EventKind
}

// MaxSchemaVersion bounds the schema version of an event kind, so a
// corrupt version cannot start a long chain of upcasts.
const MaxSchemaVersion = 1000

// NewEventCodec returns a codec for the given kinds. Kinds of several
// packages combine:
//
//	codec, err := prescribing.NewEventCodec(slices.Concat(
//		prescribing.EventKinds(), holding.EventKinds())...)
//
// A type given twice, a kind without a type, a version outside 1 to
// [MaxSchemaVersion], and an upcaster from a version that is not older
// than the kind's, or without a function, are errors.
func NewEventCodec(kinds ...EventKind) (*EventCodec, error) {
	c := &EventCodec{kinds: make(map[string]EventKind, len(kinds))}
	for _, k := range kinds {
		if k.typ == "" || k.decode == nil {
			return nil, errors.New("prescribing: event kind without a type; make kinds with KindOf")
		}
		if _, dup := c.kinds[k.typ]; dup {
			return nil, fmt.Errorf("prescribing: event type %q given twice", k.typ)
		}
		if k.version < 1 || k.version > MaxSchemaVersion {
			return nil, fmt.Errorf("prescribing: event type %q at schema version %d, want 1 to %d", k.typ, k.version, MaxSchemaVersion)
		}
		for from, up := range k.upcasters {
			if from < 1 || from >= k.version || up == nil {
				return nil, fmt.Errorf("prescribing: event type %q at version %d has an upcaster from version %d", k.typ, k.version, from)
			}
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

// Version returns the schema version the codec writes for an event type,
// and false for a type it does not know.
func (c *EventCodec) Version(eventType string) (int, bool) {
	k, ok := c.kinds[eventType]
	return k.version, ok
}

// personalDataEvent is an event that holds personal details. Its default JSON
// is redacted (rule PRIV-1); the codec writes the storage form instead, which
// the default decoding reads back.
type personalDataEvent interface {
	exportJSON() ([]byte, error)
}

// envelope is the JSON form of one event, as written.
type envelope struct {
	Type    string          `json:"type"`
	Version int             `json:"version"`
	Event   json.RawMessage `json:"event"`
}

// storedEnvelope is the JSON form of one event, as read: the version is
// kept raw, so that an envelope without it can be told from one with null
// or 0.
type storedEnvelope struct {
	Type    string          `json:"type"`
	Version json.RawMessage `json:"version,omitempty"` // absent: version 1
	Event   json.RawMessage `json:"event,omitempty"`   // absent: refused after the type is known
}

// Marshal encodes e in its envelope. An event whose type the codec does not
// know is an error, so that everything written can be read back.
func (c *EventCodec) Marshal(e Event) ([]byte, error) {
	t, v, body, err := c.MarshalBody(e)
	if err != nil {
		return nil, err
	}
	return json.Marshal(envelope{Type: t, Version: v, Event: body})
}

// MarshalBody encodes e without the envelope, for a store that keeps the
// type and schema version in columns of their own: it returns the event
// type, the schema version the body is written at, and the body (the
// "event" field of [EventCodec.Marshal]). [EventCodec.UnmarshalBody] reads
// the three back.
func (c *EventCodec) MarshalBody(e Event) (eventType string, version int, body []byte, err error) {
	if e == nil {
		return "", 0, nil, fmt.Errorf("%w: nil event", ErrUnknownEventType)
	}
	t := e.EventType()
	k, ok := c.kinds[t]
	if !ok {
		return "", 0, nil, fmt.Errorf("%w: %s", ErrUnknownEventType, quoteShort(t))
	}
	if x, ok := e.(personalDataEvent); ok {
		body, err = x.exportJSON()
	} else {
		body, err = json.Marshal(e)
	}
	if err != nil {
		return "", 0, nil, fmt.Errorf("encoding %s event: %w", t, err)
	}
	return t, k.version, body, nil
}

// Unmarshal decodes one event written by Marshal, upcasting an older
// schema version to the current one.
func (c *EventCodec) Unmarshal(data []byte) (Event, error) {
	var env storedEnvelope
	if err := decodeStrict(data, &env); err != nil {
		return nil, err
	}
	if env.Type == "" {
		return nil, fmt.Errorf("%w: no type", ErrMalformedEvent)
	}
	version := 1 // no "version": the form written before versions were recorded
	if env.Version != nil {
		v, err := strconv.Atoi(string(env.Version))
		if err != nil || v < 1 || v > MaxSchemaVersion {
			return nil, fmt.Errorf("%w: %s: the schema version is not a whole number from 1 to %d", ErrMalformedEvent, quoteShort(env.Type), MaxSchemaVersion)
		}
		version = v
	}
	if len(env.Event) == 0 || string(env.Event) == "null" {
		if _, ok := c.kinds[env.Type]; !ok {
			return nil, fmt.Errorf("%w: %s", ErrUnknownEventType, quoteShort(env.Type))
		}
		return nil, fmt.Errorf("%w: %s without an event body", ErrMalformedEvent, env.Type)
	}
	// The body is part of data, which decodeStrict has scanned.
	return c.unmarshalBody(env.Type, version, env.Event, true)
}

// UnmarshalBody decodes the body of an event of the given type stored at the
// given schema version, as [EventCodec.MarshalBody] wrote it: strictly, as
// [EventCodec.Unmarshal] does, running the type's upcasters from version up
// to the current one first. A version newer than the codec's, or older
// without a chain of upcasters, is an error wrapping [ErrUnknownVersion].
func (c *EventCodec) UnmarshalBody(eventType string, version int, body []byte) (Event, error) {
	return c.unmarshalBody(eventType, version, body, false)
}

// unmarshalBody is UnmarshalBody, told whether body has passed scanStrict
// already.
func (c *EventCodec) unmarshalBody(eventType string, version int, body []byte, scanned bool) (Event, error) {
	k, ok := c.kinds[eventType]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownEventType, quoteShort(eventType))
	}
	switch {
	case version < 1:
		return nil, fmt.Errorf("%w: %s at schema version %d: versions start at 1", ErrMalformedEvent, eventType, version)
	case version > k.version:
		return nil, fmt.Errorf("%w: %s at version %d is newer than this program reads (version %d)", ErrUnknownVersion, eventType, version, k.version)
	}
	for v := version; v < k.version; v++ {
		up := k.upcasters[v]
		if up == nil {
			return nil, fmt.Errorf("%w: %s at version %d: no upcaster from version %d to %d", ErrUnknownVersion, eventType, version, v, v+1)
		}
		next, err := up(bytes.Clone(body))
		if err != nil {
			return nil, fmt.Errorf("%s: %w: upcasting from version %d: %w", eventType, ErrMalformedEvent, v, err)
		}
		body, scanned = next, false
	}
	e, err := k.decode(body, scanned)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", eventType, err)
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

// decodeStrictValue decodes one JSON value into v, refusing input that is
// not valid UTF-8 (the decoder would rewrite it to U+FFFD), a key given
// twice in one object (the decoder would keep the last silently), unknown
// fields, trailing data, and, for a struct, any field its encoding always
// writes but the input lacks, at any depth (see [jsonShape]). Types with
// their own UnmarshalJSON call it too, because a decoder's
// DisallowUnknownFields does not reach inside them.
func decodeStrictValue(data []byte, v any) error {
	var s *jsonShape
	if t := reflect.TypeOf(v); t != nil && t.Kind() == reflect.Pointer {
		s = cachedShape(t.Elem())
	}
	return decodeShaped(data, v, s, false)
}

// decodeShaped is decodeStrictValue given s, the shape of the type v
// points to (nil for none); when scanned, data has passed scanStrict
// already (it is part of a document that did) and is not scanned again.
func decodeShaped(data []byte, v any, s *jsonShape, scanned bool) error {
	if !scanned {
		if err := scanStrict(data); err != nil {
			return err
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	// More reports only values; a stray closing bracket is caught by Token.
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w at offset %d", errTrailingData, dec.InputOffset())
	}
	return checkShape(data, s, "")
}

var errNotUTF8 = errors.New("not valid UTF-8")

// scanStrict refuses JSON that is not valid UTF-8 or gives a key twice in
// one object. Both hold for every part of a document that passes.
func scanStrict(data []byte) error {
	if !utf8.Valid(data) {
		return errNotUTF8
	}
	return checkDuplicateKeys(data)
}

// shapes caches shapeOf by type; a shape never changes once made.
var shapes sync.Map // reflect.Type -> *jsonShape

func cachedShape(t reflect.Type) *jsonShape {
	if s, ok := shapes.Load(t); ok {
		return s.(*jsonShape)
	}
	s, _ := shapes.LoadOrStore(t, shapeOf(t, 0))
	return s.(*jsonShape)
}

// errDuplicateKey reports a key given twice in one JSON object.
var errDuplicateKey = errors.New("key given twice")

// checkDuplicateKeys scans a JSON document and refuses an object with a
// key given twice. Keys that differ only in case count as the same, as
// encoding/json matches both to one field. It is a plain scan of the bytes
// (json.Decoder's Token would allocate for every token, and every stored
// event passes here); malformed JSON is left to the decoder, which reports
// it.
func checkDuplicateKeys(data []byte) error {
	// keys holds the keys of every open object, innermost last; each entry
	// of stack is where its object's keys start in keys, or -1 for an
	// array.
	var keys [][]byte
	var stack []int
	inObject := func() bool { return len(stack) > 0 && stack[len(stack)-1] >= 0 }
	expectKey := false
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{':
			stack = append(stack, len(keys))
			expectKey = true
		case '[':
			stack = append(stack, -1)
			expectKey = false
		case '}', ']':
			if len(stack) == 0 {
				return nil
			}
			if from := stack[len(stack)-1]; from >= 0 {
				keys = keys[:from]
			}
			stack = stack[:len(stack)-1]
			expectKey = false
		case ',':
			expectKey = inObject()
		case '"':
			end, escaped := scanString(data, i)
			if end < 0 {
				return nil
			}
			if expectKey && inObject() {
				key := data[i+1 : end]
				if escaped {
					var k string
					if err := json.Unmarshal(data[i:end+1], &k); err != nil {
						return nil
					}
					key = []byte(k)
				}
				for _, have := range keys[stack[len(stack)-1]:] {
					if bytes.EqualFold(have, key) {
						return fmt.Errorf("%w: %s", errDuplicateKey, quoteShort(string(key)))
					}
				}
				keys = append(keys, key)
				expectKey = false
			}
			i = end
		}
	}
	return nil
}

// scanString returns the index of the quote that closes the JSON string
// opening at data[start], and whether it holds an escape; -1 if it is not
// closed.
func scanString(data []byte, start int) (end int, escaped bool) {
	for i := start + 1; i < len(data); i++ {
		switch data[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			return i, escaped
		}
	}
	return -1, escaped
}

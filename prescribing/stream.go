package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// ErrInvalidStream is wrapped by every error that reports text or a database
// value that is not a stream in the form "kind/uuid". Errors that wrap it
// wrap also [ErrUnknownValue] (an unknown kind) or [ErrInvalidID] (a bad
// ID) when one of those is the cause.
var ErrInvalidStream = errors.New("invalid stream")

// StreamKind is the kind of record a [Stream] rebuilds. Every record type
// of linkwork has one kind, listed here so that this package, which the
// others import, can name them all; each kind's comment says which package
// and type it belongs to. A kind's text form never changes once released.
type StreamKind uint8

// Stream kinds, one per record type.
const (
	// StreamKindPatient is a [Patient], keyed by its [PatientID].
	StreamKindPatient StreamKind = iota + 1
	// StreamKindConsents is a person's [Consents], keyed by their
	// [PatientID]: the same ID as the patient's stream, another kind.
	StreamKindConsents
	// StreamKindMeasures is a person's outcome [Measures], keyed by their
	// [PatientID].
	StreamKindMeasures
	// StreamKindReferral is a [Referral], keyed by its [ReferralID].
	StreamKindReferral
	// StreamKindConcern is a safeguarding [Concern], keyed by its
	// [ConcernID].
	StreamKindConcern
	// StreamKindAsset is a community [Asset], keyed by its [AssetID].
	StreamKindAsset
	// StreamKindPractice is a GP [Practice], keyed by its [PracticeID].
	StreamKindPractice
	// StreamKindPCN is a primary care network ([PCN]), keyed by its
	// [PCNID].
	StreamKindPCN
	// StreamKindLinkWorker is a [LinkWorker]'s staff record, keyed by
	// their [LinkWorkerID].
	StreamKindLinkWorker
	// StreamKindHoldingEpisode is a holding episode (package holding's
	// Episode), keyed by its episode ID.
	StreamKindHoldingEpisode
	// StreamKindEmbeddedness is a link worker's embeddedness record
	// (package embeddedness's Record), keyed by their [LinkWorkerID].
	StreamKindEmbeddedness
	// StreamKindSitePolicy is a site's discretion policy (package
	// discretion's Policy), keyed by its policy ID.
	StreamKindSitePolicy
	// StreamKindActLog is a link worker's log of micro-discretions
	// (package discretion's Log), keyed by their [LinkWorkerID].
	StreamKindActLog
	// StreamKindJourney is a link worker's journey into the role (package
	// liminality's Journey), keyed by their [LinkWorkerID].
	StreamKindJourney
	// StreamKindTraining is a link worker's training record (package
	// liminality's TrainingRecord), keyed by their [LinkWorkerID].
	StreamKindTraining
	// StreamKindSupervision is a link worker's supervision (package
	// liminality's Supervision), keyed by their [LinkWorkerID].
	StreamKindSupervision
)

var streamKinds = NewVocabulary[StreamKind]("stream kind",
	"patient", "consents", "measures", "referral", "concern", "asset",
	"practice", "pcn", "link_worker", "holding_episode", "embeddedness",
	"site_policy", "act_log", "journey", "training", "supervision")

// StreamKinds returns every stream kind in order.
func StreamKinds() []StreamKind { return streamKinds.Values() }

// String returns the kind's text form ("referral").
func (k StreamKind) String() string { return streamKinds.String(k) }

// IsValid reports whether k is a known kind.
func (k StreamKind) IsValid() bool { return streamKinds.Valid(k) }

// MarshalText implements [encoding.TextMarshaler].
func (k StreamKind) MarshalText() ([]byte, error) { return streamKinds.MarshalText(k) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *StreamKind) UnmarshalText(b []byte) (err error) {
	*k, err = streamKinds.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (k *StreamKind) Scan(src any) (err error) { *k, err = streamKinds.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (k StreamKind) Value() (driver.Value, error) { return streamKinds.Value(k) }

// Stream names the events of one record: its kind and its ID. Every event
// names its stream ([Event.EventStream]), and every record reports its own
// (Stream methods), so a mixed log splits by stream without a type switch,
// and a store keys its streams by it. Two records of different kinds may
// share an ID (a patient's record, consents and measures all carry the
// patient's ID) and still have different streams.
//
// A Stream is a small comparable value. Its text form is "kind/uuid"
// ("referral/1b4e28ba-2fa1-11d2-883f-0016d3cca427"), the same in JSON and
// database/sql; the zero Stream means "none" and has the empty text form.
type Stream struct {
	Kind StreamKind
	ID   uuid.UUID
}

// StreamOf returns the stream of the record of kind k whose ID is id.
func StreamOf[E any](k StreamKind, id ID[E]) Stream { return Stream{Kind: k, ID: id.UUID()} }

// recordStream is a record's Stream method: the zero Stream until the
// record has an ID.
func recordStream[E any](k StreamKind, id ID[E]) Stream {
	if id.IsZero() {
		return Stream{}
	}
	return StreamOf(k, id)
}

// IsZero reports whether s is the zero Stream.
func (s Stream) IsZero() bool { return s == Stream{} }

// IsValid reports whether s has a known kind and an ID that is not nil.
func (s Stream) IsValid() bool { return s.Kind.IsValid() && s.ID != uuid.Nil }

// Check returns nil for a valid stream, or an error wrapping
// [ErrInvalidStream] that says what is missing.
func (s Stream) Check() error {
	switch {
	case s.Kind == 0:
		return fmt.Errorf("%w: no kind", ErrInvalidStream)
	case !s.Kind.IsValid():
		return fmt.Errorf("%w: %w: %s", ErrInvalidStream, ErrUnknownValue, s.Kind)
	case s.ID == uuid.Nil:
		return fmt.Errorf("%w: %s has no ID", ErrInvalidStream, s.Kind)
	}
	return nil
}

// String returns the text form "kind/uuid", or "none" for the zero Stream.
func (s Stream) String() string {
	if s.IsZero() {
		return "none"
	}
	return s.Kind.String() + "/" + s.ID.String()
}

// MarshalText returns "kind/uuid", no bytes for the zero Stream, and an
// error wrapping [ErrInvalidStream] for a stream that is not valid.
func (s Stream) MarshalText() ([]byte, error) {
	if s.IsZero() {
		return []byte{}, nil
	}
	if err := s.Check(); err != nil {
		return nil, err
	}
	return []byte(s.String()), nil
}

// ParseStream parses the text form "kind/uuid": a known kind, a slash and
// an ID in the canonical UUID form (either case), not the nil UUID. The
// empty string parses as the zero Stream. Errors wrap [ErrInvalidStream]
// and never quote the text: a corrupt stored value may hold anything.
func ParseStream(text string) (Stream, error) {
	if text == "" {
		return Stream{}, nil
	}
	kind, id, ok := strings.Cut(text, "/")
	if !ok {
		return Stream{}, fmt.Errorf("%w: no slash between kind and ID (want kind/uuid)", ErrInvalidStream)
	}
	k, err := streamKinds.Parse(kind)
	if err != nil || k == 0 {
		return Stream{}, fmt.Errorf("%w: %w: the kind is not one of the stream kinds", ErrInvalidStream, ErrUnknownValue)
	}
	u, err := ParseID[Stream](id)
	if err != nil {
		return Stream{}, fmt.Errorf("%w: %w", ErrInvalidStream, err)
	}
	if u.IsZero() {
		return Stream{}, fmt.Errorf("%w: %s has no ID", ErrInvalidStream, k)
	}
	return Stream{Kind: k, ID: u.UUID()}, nil
}

// UnmarshalText parses text as [ParseStream] does.
func (s *Stream) UnmarshalText(text []byte) error {
	v, err := ParseStream(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Scan implements [database/sql.Scanner]: the text form as string or
// []byte, or NULL for the zero Stream.
func (s *Stream) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s = Stream{}
		return nil
	case string:
		return s.UnmarshalText([]byte(v))
	case []byte:
		return s.UnmarshalText(v)
	default:
		return fmt.Errorf("%w: cannot scan %T into a stream", ErrInvalidStream, src)
	}
}

// Value implements [database/sql/driver.Valuer]: the text form, or NULL for
// the zero Stream.
func (s Stream) Value() (driver.Value, error) {
	if s.IsZero() {
		return nil, nil
	}
	b, err := s.MarshalText()
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

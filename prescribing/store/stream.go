package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// ErrInvalidStream is wrapped by every error that reports a stream ID that
// is not of the form kind/uuid (see [ParseStreamID]).
var ErrInvalidStream = errors.New("invalid stream ID")

// MaxKindBytes is the longest stream kind [NewStreamID] accepts.
const MaxKindBytes = 64

// StreamID names one stream: the kind of record ("referral", "patient",
// "holding_episode") and the record's UUID. Its text form is
// "kind/uuid", such as "referral/1b4e28ba-2fa1-11d2-883f-0016d3cca427".
//
// A kind starts with a lower-case ASCII letter and holds only lower-case
// letters, digits, '_', '.' and '-', at most [MaxKindBytes] bytes; the UUID
// is not the nil UUID. The zero StreamID names no stream and is refused by
// every store method.
//
// StreamID is a small comparable value: use it as a map key, compare it
// with ==, copy it freely.
type StreamID struct {
	kind string
	id   uuid.UUID
}

// NewStreamID returns the stream of the record of the given kind and ID.
// Errors wrap [ErrInvalidStream].
func NewStreamID(kind string, id uuid.UUID) (StreamID, error) {
	if err := checkKind(kind); err != nil {
		return StreamID{}, err
	}
	if id == uuid.Nil {
		return StreamID{}, fmt.Errorf("%w: nil UUID", ErrInvalidStream)
	}
	return StreamID{kind: kind, id: id}, nil
}

// ParseStreamID parses the text form "kind/uuid". The UUID must be in its
// canonical lower-case 36-character form, so every stream has exactly one
// text form. Errors wrap [ErrInvalidStream] and never quote the text.
func ParseStreamID(text string) (StreamID, error) {
	kind, rest, ok := strings.Cut(text, "/")
	if !ok {
		return StreamID{}, fmt.Errorf("%w: no '/' between kind and UUID", ErrInvalidStream)
	}
	if err := checkKind(kind); err != nil {
		return StreamID{}, err
	}
	id, err := parseCanonicalUUID(rest)
	if err != nil {
		return StreamID{}, fmt.Errorf("%w: %w", ErrInvalidStream, err)
	}
	return NewStreamID(kind, id)
}

// MustStreamID is like [NewStreamID] but panics on an invalid kind or nil
// UUID. It is for kinds that are constants in a program, as
// regexp.MustCompile is for constant patterns.
func MustStreamID(kind string, id uuid.UUID) StreamID {
	s, err := NewStreamID(kind, id)
	if err != nil {
		panic(err)
	}
	return s
}

func checkKind(kind string) error {
	switch {
	case kind == "":
		return fmt.Errorf("%w: empty kind", ErrInvalidStream)
	case len(kind) > MaxKindBytes:
		return fmt.Errorf("%w: kind of %d bytes, more than %d", ErrInvalidStream, len(kind), MaxKindBytes)
	case kind[0] < 'a' || kind[0] > 'z':
		return fmt.Errorf("%w: kind does not start with a lower-case letter", ErrInvalidStream)
	}
	for i := 0; i < len(kind); i++ {
		c := kind[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return fmt.Errorf("%w: kind holds a character other than a-z, 0-9, '_', '.', '-' at byte %d", ErrInvalidStream, i)
		}
	}
	return nil
}

// errNotCanonicalUUID reports text that is not a UUID in the canonical
// lower-case form.
var errNotCanonicalUUID = errors.New("not a UUID in canonical lower-case form")

func parseCanonicalUUID(text string) (uuid.UUID, error) {
	if len(text) != 36 {
		return uuid.Nil, errNotCanonicalUUID
	}
	u, err := uuid.Parse(text)
	if err != nil || u.String() != text {
		return uuid.Nil, errNotCanonicalUUID
	}
	return u, nil
}

// Kind returns the kind of record the stream holds.
func (s StreamID) Kind() string { return s.kind }

// ID returns the UUID of the record the stream holds.
func (s StreamID) ID() uuid.UUID { return s.id }

// IsZero reports whether s is the zero StreamID, which names no stream.
func (s StreamID) IsZero() bool { return s == StreamID{} }

// String returns "kind/uuid", or "" for the zero StreamID.
func (s StreamID) String() string {
	if s.IsZero() {
		return ""
	}
	return s.kind + "/" + s.id.String()
}

// MarshalText returns the text form; the zero StreamID is an error.
func (s StreamID) MarshalText() ([]byte, error) {
	if s.IsZero() {
		return nil, fmt.Errorf("%w: zero stream", ErrInvalidStream)
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses the text form with [ParseStreamID].
func (s *StreamID) UnmarshalText(text []byte) error {
	v, err := ParseStreamID(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

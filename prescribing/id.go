package prescribing

import (
	"bytes"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// ErrInvalidID is wrapped by every error that reports text or a database
// value that is not an ID in the canonical UUID form.
var ErrInvalidID = errors.New("invalid ID")

// ID identifies one entity of type E. It is a UUID whose Go type carries the
// entity it names, so an ID[Patient] cannot be passed where an
// ID[LinkWorker] is expected (rule ID-1). E is only a marker: any type may
// be used, which lets other packages give their own entities IDs
// (holding uses ID[holding.Episode]).
//
// The zero ID means "none"; [ID.IsZero] reports it. IDs are small
// comparable values: use them as map keys, compare them with ==, copy them
// freely. They print and parse in the canonical UUID form
// (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) and round-trip through text, JSON and
// database/sql. New IDs come from an [IDSource].
type ID[E any] struct {
	u uuid.UUID
}

// Aliases for the IDs of the entities of this package.
type (
	// PatientID identifies a [Patient].
	PatientID = ID[Patient]
	// LinkWorkerID identifies a [LinkWorker].
	LinkWorkerID = ID[LinkWorker]
	// PracticeID identifies a [Practice].
	PracticeID = ID[Practice]
	// PCNID identifies a [PCN].
	PCNID = ID[PCN]
	// ReferralID identifies a [Referral].
	ReferralID = ID[Referral]
	// AssetID identifies a community [Asset].
	AssetID = ID[Asset]
)

// IDFromUUID returns the ID holding u.
func IDFromUUID[E any](u uuid.UUID) ID[E] { return ID[E]{u: u} }

// ParseID parses the canonical 36-character UUID form, in either case.
// Other UUID spellings (braces, urn:uuid:, no hyphens) are refused so that
// every ID has exactly one text form. The empty string parses as the zero
// ID. Errors wrap [ErrInvalidID] and say what is wrong without quoting the
// text: in a corrupt stored record, a field meant for an ID may hold
// anything, personal data included.
func ParseID[E any](text string) (ID[E], error) {
	if text == "" {
		return ID[E]{}, nil
	}
	if len(text) != 36 {
		return ID[E]{}, fmt.Errorf("%w: %d bytes, want 36 (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", ErrInvalidID, len(text))
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		hyphen := i == 8 || i == 13 || i == 18 || i == 23
		if hyphen != (c == '-') || (!hyphen && !isHex(c)) {
			return ID[E]{}, fmt.Errorf("%w: byte %d is not where the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx puts a hex digit or hyphen", ErrInvalidID, i+1)
		}
	}
	u, err := uuid.Parse(text)
	if err != nil { // not reached for text of the form checked above
		return ID[E]{}, fmt.Errorf("%w: not a UUID", ErrInvalidID)
	}
	return ID[E]{u: u}, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// UUID returns the underlying UUID.
func (id ID[E]) UUID() uuid.UUID { return id.u }

// Compare orders IDs by their bytes, for sorting: -1, 0 or +1.
func (id ID[E]) Compare(other ID[E]) int { return bytes.Compare(id.u[:], other.u[:]) }

// IsZero reports whether id is the zero ID ("none").
func (id ID[E]) IsZero() bool { return id.u == uuid.Nil }

// String returns the canonical lower-case UUID form; the zero ID prints as
// the nil UUID.
func (id ID[E]) String() string { return id.u.String() }

// MarshalText returns the canonical UUID form, or no bytes for the zero ID.
func (id ID[E]) MarshalText() ([]byte, error) {
	if id.IsZero() {
		return []byte{}, nil
	}
	b := make([]byte, 36)
	id.appendTo(b[:0])
	return b, nil
}

// AppendText appends the canonical UUID form to b (nothing for the zero ID).
func (id ID[E]) AppendText(b []byte) ([]byte, error) {
	if id.IsZero() {
		return b, nil
	}
	return id.appendTo(b), nil
}

func (id ID[E]) appendTo(b []byte) []byte {
	const hex = "0123456789abcdef"
	for i, c := range id.u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hex[c>>4], hex[c&0x0f])
	}
	return b
}

// UnmarshalText parses text as [ParseID] does.
func (id *ID[E]) UnmarshalText(text []byte) error {
	v, err := ParseID[E](string(text))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// Scan implements [database/sql.Scanner]: it accepts the canonical text form
// as string or []byte, 16 raw bytes (a binary UUID column), or NULL for the
// zero ID.
func (id *ID[E]) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		*id = ID[E]{}
		return nil
	case string:
		return id.UnmarshalText([]byte(s))
	case []byte:
		if len(s) == 16 {
			copy(id.u[:], s)
			return nil
		}
		return id.UnmarshalText(s)
	default:
		return fmt.Errorf("%w: cannot scan %T into an ID", ErrInvalidID, src)
	}
}

// Value implements [database/sql/driver.Valuer]: the canonical text form, or
// NULL for the zero ID.
func (id ID[E]) Value() (driver.Value, error) {
	if id.IsZero() {
		return nil, nil
	}
	return id.String(), nil
}

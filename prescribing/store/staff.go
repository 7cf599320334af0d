package store

import (
	"errors"
	"fmt"
)

// ErrInvalidStaffID is wrapped by every error that reports text that is not
// a staff ID (see [ParseStaffID]).
var ErrInvalidStaffID = errors.New("invalid staff ID")

// MaxStaffIDBytes is the longest staff ID [ParseStaffID] accepts.
const MaxStaffIDBytes = 64

// StaffID identifies the member of staff (or the system account) who made a
// change: the actor in an [Envelope]. It is an opaque identifier, never
// personal data: a short token of ASCII letters, digits, '_', '-' and ':'
// that starts with a letter or digit, such as a UUID, an account number or
// "ods:G81001-42". Names, e-mail addresses and
// anything with spaces, '@' or '.' are refused, so an envelope cannot carry
// a person's name by mistake.
//
// The zero StaffID means the actor was not given. StaffID is a small
// comparable value.
type StaffID struct {
	s string
}

// ParseStaffID parses a staff ID. Errors wrap [ErrInvalidStaffID] and never
// quote the text. The empty string parses as the zero StaffID.
func ParseStaffID(text string) (StaffID, error) {
	if text == "" {
		return StaffID{}, nil
	}
	if len(text) > MaxStaffIDBytes {
		return StaffID{}, fmt.Errorf("%w: %d bytes, more than %d", ErrInvalidStaffID, len(text), MaxStaffIDBytes)
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if i == 0 && !alnum {
			return StaffID{}, fmt.Errorf("%w: does not start with a letter or digit", ErrInvalidStaffID)
		}
		if !alnum && c != '_' && c != '-' && c != ':' {
			return StaffID{}, fmt.Errorf("%w: holds a character other than A-Z, a-z, 0-9, '_', '-', ':' at byte %d", ErrInvalidStaffID, i)
		}
	}
	return StaffID{s: text}, nil
}

// String returns the staff ID as given, or "" for the zero StaffID.
func (a StaffID) String() string { return a.s }

// IsZero reports whether a is the zero StaffID (no actor given).
func (a StaffID) IsZero() bool { return a.s == "" }

// MarshalText returns the staff ID's text.
func (a StaffID) MarshalText() ([]byte, error) { return []byte(a.s), nil }

// UnmarshalText parses text with [ParseStaffID].
func (a *StaffID) UnmarshalText(text []byte) error {
	v, err := ParseStaffID(string(text))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

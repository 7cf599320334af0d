package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// ErrInvalidNHSNumber is wrapped by every error that reports text which is
// not a valid NHS number. The messages say why (length, a character, the
// grouping or the check digit) and never repeat the digits.
var ErrInvalidNHSNumber = errors.New("invalid NHS number")

// NHSNumber is a patient's 10-digit NHS number whose last digit is a modulus
// 11 check digit (rule ID-3). The zero value means "not known".
//
// An NHS number identifies a person, so every default encoding redacts it
// (rule PRIV-1): String, every fmt verb (%v, %+v, %#v, %s, %d, ...), slog, and
// MarshalText (so JSON) show only the last three digits, as "*** *** *919".
// The explicit exports are [NHSNumber.Grouped], [NHSNumber.Digits] and the
// database/sql Value, which stores the ten digits. UnmarshalText and Scan
// parse the full number; reading a redacted form back is an error, so a
// redacted copy never passes silently for the number.
type NHSNumber struct {
	d [10]byte // ASCII digits; all zero bytes for the zero value
}

// ParseNHSNumber parses an NHS number written in one of three ways: ten
// digits ("9434765919"), or the 3-3-4 grouping with spaces
// ("943 476 5919") or with dashes ("943-476-5919") between the groups.
// Anything else, such as mixed separators ("943-476 5919"), a leading or
// trailing space or dash, or a number whose check digit does not match, is
// an error wrapping [ErrInvalidNHSNumber] that says why.
func ParseNHSNumber(text string) (NHSNumber, error) {
	s := text
	if strings.TrimSpace(s) == "" {
		return NHSNumber{}, fmt.Errorf("%w: empty", ErrInvalidNHSNumber)
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return NHSNumber{}, fmt.Errorf("%w: leading or trailing space", ErrInvalidNHSNumber)
	}
	var n NHSNumber
	digits, seps := 0, 0
	var sep byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits == 10 {
				return NHSNumber{}, fmt.Errorf("%w: more than 10 digits", ErrInvalidNHSNumber)
			}
			n.d[digits] = c
			digits++
		case c == ' ' || c == '-':
			// A separator may stand only between the groups, once each.
			if (digits != 3 || seps != 0) && (digits != 6 || seps != 1) {
				return NHSNumber{}, fmt.Errorf("%w: separator at position %d does not split the digits 3-3-4", ErrInvalidNHSNumber, i+1)
			}
			if seps == 1 && c != sep {
				return NHSNumber{}, fmt.Errorf("%w: mixes a space and a dash between the groups; use one kind", ErrInvalidNHSNumber)
			}
			sep = c
			seps++
		default:
			return NHSNumber{}, fmt.Errorf("%w: unexpected character %s at position %d", ErrInvalidNHSNumber, quoteRune(s, i), i+1)
		}
	}
	if digits != 10 {
		return NHSNumber{}, fmt.Errorf("%w: %d digits, want 10", ErrInvalidNHSNumber, digits)
	}
	if seps == 1 {
		return NHSNumber{}, fmt.Errorf("%w: only one group separator; write 3-3-4 or no separators", ErrInvalidNHSNumber)
	}
	check, ok := nhsCheckDigit(n.d[:9])
	if !ok {
		return NHSNumber{}, fmt.Errorf("%w: check digit would be 10, so no NHS number has these first nine digits", ErrInvalidNHSNumber)
	}
	if n.d[9] != check {
		return NHSNumber{}, fmt.Errorf("%w: check digit does not match", ErrInvalidNHSNumber)
	}
	return n, nil
}

// nhsCheckDigit computes the modulus 11 check digit of the first nine digits:
// weights 10 down to 2; check = 11 - (sum mod 11); 11 means 0; 10 means no
// valid number, reported as ok == false.
func nhsCheckDigit(nine []byte) (byte, bool) {
	sum := 0
	for i, c := range nine {
		sum += int(c-'0') * (10 - i)
	}
	check := 11 - sum%11
	switch check {
	case 11:
		return '0', true
	case 10:
		return 0, false
	default:
		return byte('0' + check), true
	}
}

// quoteRune quotes the character starting at byte i of s for an error message.
func quoteRune(s string, i int) string {
	r := []rune(s[i:])
	if len(r) == 0 {
		return strconv.Quote(s[i : i+1])
	}
	return strconv.QuoteRune(r[0])
}

// IsZero reports whether n is the zero value ("not known").
func (n NHSNumber) IsZero() bool { return n.d[0] == 0 }

// Digits returns the ten digits with no separators, or "" for the zero value.
// It is an explicit export of personal data: do not log it.
func (n NHSNumber) Digits() string {
	if n.IsZero() {
		return ""
	}
	return string(n.d[:])
}

// Grouped returns the number in the standard 3-3-4 display form,
// "943 476 5919", or "" for the zero value. It is an explicit export of
// personal data: do not log it.
func (n NHSNumber) Grouped() string {
	if n.IsZero() {
		return ""
	}
	return string(n.d[0:3]) + " " + string(n.d[3:6]) + " " + string(n.d[6:10])
}

// Redacted returns the form safe to show anywhere: "*** *** *919", keeping the
// last three digits as a stable hint, or "none" for the zero value.
func (n NHSNumber) Redacted() string {
	if n.IsZero() {
		return "none"
	}
	return "*** *** *" + string(n.d[7:10])
}

// String returns [NHSNumber.Redacted] (rule PRIV-1).
func (n NHSNumber) String() string { return n.Redacted() }

// GoString returns the redacted form, so %#v does not show the digits.
func (n NHSNumber) GoString() string {
	return "prescribing.NHSNumber(" + strconv.Quote(n.Redacted()) + ")"
}

// Format implements [fmt.Formatter] so that every verb, not only %v and %s,
// prints the redacted form.
func (n NHSNumber) Format(f fmt.State, verb rune) { writeRedacted(f, verb, n.Redacted(), n.GoString()) }

// LogValue implements [slog.LogValuer] with the redacted form.
func (n NHSNumber) LogValue() slog.Value { return slog.StringValue(n.Redacted()) }

// MarshalText returns the redacted form, or no bytes for the zero value, so
// an NHS number inside any struct a logger encodes as JSON stays redacted.
func (n NHSNumber) MarshalText() ([]byte, error) {
	if n.IsZero() {
		return []byte{}, nil
	}
	return []byte(n.Redacted()), nil
}

// UnmarshalText parses text as [ParseNHSNumber] does; empty text gives the
// zero value.
func (n *NHSNumber) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*n = NHSNumber{}
		return nil
	}
	v, err := ParseNHSNumber(string(text))
	if err != nil {
		return err
	}
	*n = v
	return nil
}

// Value implements [database/sql/driver.Valuer]: the ten digits, or NULL for
// the zero value. Storing is an explicit export.
func (n NHSNumber) Value() (driver.Value, error) {
	if n.IsZero() {
		return nil, nil
	}
	return n.Digits(), nil
}

// Scan implements [database/sql.Scanner]: the number as text, or NULL.
func (n *NHSNumber) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		*n = NHSNumber{}
		return nil
	case string:
		return n.UnmarshalText([]byte(s))
	case []byte:
		return n.UnmarshalText(s)
	default:
		return fmt.Errorf("%w: cannot scan %T into an NHS number", ErrInvalidNHSNumber, src)
	}
}

// writeRedacted writes a redacted form for any fmt verb: goSyntax for %#v,
// plain (quoted for %q) otherwise.
func writeRedacted(f fmt.State, verb rune, plain, goSyntax string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(goSyntax))
	case verb == 'q':
		_, _ = f.Write([]byte(strconv.Quote(plain)))
	default:
		_, _ = f.Write([]byte(plain))
	}
}

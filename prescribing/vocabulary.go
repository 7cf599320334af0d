package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
)

// ErrUnknownValue is wrapped by every error that reports text, a number or a
// database value that is not a member of a vocabulary (an unknown referral
// state, need, source and so on).
var ErrUnknownValue = errors.New("not a known value")

// Vocabulary is the closed list of names of a typed enumeration, such as
// [State] or [Need]. Value i is named names[i-1]; the zero value of the
// enumeration means "unset" and has no name, following the convention that
// enumerations start at 1.
//
// Every enumeration in linkwork keeps one unexported Vocabulary and delegates
// String, MarshalText, UnmarshalText, Scan and Value to it, so text, JSON and
// database forms are the same everywhere and checked in one place. Other
// packages (holding, embeddedness, discretion, liminality) use it the same
// way.
//
// A Vocabulary is immutable once made and safe for concurrent use.
type Vocabulary[E ~uint8] struct {
	kind  string
	names []string
}

// NewVocabulary returns the vocabulary of an enumeration whose values 1..n
// carry the given names. kind names the enumeration in error messages
// ("referral state"). It panics if a name is empty or repeated, or if there
// are more names than E can hold: vocabularies are package-level constants,
// so such a mistake is a programming error caught by any test.
func NewVocabulary[E ~uint8](kind string, names ...string) Vocabulary[E] {
	if len(names) > 254 {
		panic("prescribing: vocabulary " + kind + " has too many names")
	}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if n == "" || seen[n] {
			panic("prescribing: vocabulary " + kind + " has an empty or repeated name " + strconv.Quote(n))
		}
		seen[n] = true
	}
	return Vocabulary[E]{kind: kind, names: append([]string(nil), names...)}
}

// Kind returns what the vocabulary names, as used in error messages.
func (v Vocabulary[E]) Kind() string { return v.kind }

// Len returns the number of named values.
func (v Vocabulary[E]) Len() int { return len(v.names) }

// Valid reports whether e is a named value (not zero, not out of range).
func (v Vocabulary[E]) Valid(e E) bool { return e >= 1 && int(e) <= len(v.names) }

// Values returns every named value in order. The slice is the caller's.
func (v Vocabulary[E]) Values() []E {
	out := make([]E, len(v.names))
	for i := range out {
		out[i] = E(i + 1)
	}
	return out
}

// Name returns the text form of e, or "" if e is zero or out of range.
func (v Vocabulary[E]) Name(e E) string {
	if !v.Valid(e) {
		return ""
	}
	return v.names[e-1]
}

// String returns the text form of e for display: its name, "unset" for the
// zero value, and kind(N) for a value out of range.
func (v Vocabulary[E]) String(e E) string {
	switch {
	case e == 0:
		return "unset"
	case v.Valid(e):
		return v.names[e-1]
	default:
		return v.kind + "(" + strconv.Itoa(int(e)) + ")"
	}
}

// Parse returns the value named text. The empty string parses as the zero
// value, so an unset value round-trips through text. Anything else that is not
// a name is an error wrapping [ErrUnknownValue].
func (v Vocabulary[E]) Parse(text string) (E, error) {
	if text == "" {
		return 0, nil
	}
	for i, n := range v.names {
		if n == text {
			return E(i + 1), nil
		}
	}
	return 0, fmt.Errorf("%w: %s %s", ErrUnknownValue, v.kind, quoteShort(text))
}

// MarshalText returns the name of e, "" for the zero value, and an error
// wrapping [ErrUnknownValue] for a value out of range.
func (v Vocabulary[E]) MarshalText(e E) ([]byte, error) {
	if e == 0 {
		return []byte{}, nil
	}
	if !v.Valid(e) {
		return nil, fmt.Errorf("%w: %s %d", ErrUnknownValue, v.kind, e)
	}
	return []byte(v.names[e-1]), nil
}

// Scan converts a database value (a name as string or []byte, or NULL for the
// zero value) into a value of the vocabulary.
func (v Vocabulary[E]) Scan(src any) (E, error) {
	switch s := src.(type) {
	case nil:
		return 0, nil
	case string:
		return v.Parse(s)
	case []byte:
		return v.Parse(string(s))
	default:
		return 0, fmt.Errorf("%w: cannot scan %T into %s", ErrUnknownValue, src, v.kind)
	}
}

// Value converts e for a database: its name, or NULL for the zero value.
func (v Vocabulary[E]) Value(e E) (driver.Value, error) {
	if e == 0 {
		return nil, nil
	}
	b, err := v.MarshalText(e)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// quoteShort quotes input for an error message, cut to a length that keeps
// messages readable when the input is large or hostile.
func quoteShort(s string) string {
	const limit = 40
	if len(s) > limit {
		return strconv.Quote(s[:limit]) + "..."
	}
	return strconv.Quote(s)
}

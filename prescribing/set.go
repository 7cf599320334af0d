package prescribing

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
)

// Set is a set of values of an enumeration such as [Need] or [Barrier], held
// as bits: a small comparable value, cheap to copy and test. It holds values
// 1 to 63, which covers every vocabulary of linkwork. In JSON it is an array
// of the values' names, in order.
type Set[E Member] uint64

// Member is what a [Set] holds: an enumeration that knows its valid values.
type Member interface {
	~uint8
	IsValid() bool
}

// NeedSet is a set of [Need]s.
type NeedSet = Set[Need]

// BarrierSet is a set of [Barrier]s.
type BarrierSet = Set[Barrier]

// SetOf returns the set of the given values; values outside 1..63 are left
// out.
func SetOf[E Member](values ...E) Set[E] {
	var s Set[E]
	for _, v := range values {
		s = s.With(v)
	}
	return s
}

// With returns s with v added (unchanged if v is outside 1..63).
func (s Set[E]) With(v E) Set[E] {
	if v == 0 || v > 63 {
		return s
	}
	return s | 1<<v
}

// Has reports whether v is in s.
func (s Set[E]) Has(v E) bool { return v > 0 && v <= 63 && s&(1<<v) != 0 }

// Len returns how many values s holds.
func (s Set[E]) Len() int { return bits.OnesCount64(uint64(s)) }

// IsEmpty reports whether s holds nothing.
func (s Set[E]) IsEmpty() bool { return s == 0 }

// Intersect returns the values in both s and t.
func (s Set[E]) Intersect(t Set[E]) Set[E] { return s & t }

// Without returns the values of s that are not in t.
func (s Set[E]) Without(t Set[E]) Set[E] { return s &^ t }

// List returns the values in ascending order.
func (s Set[E]) List() []E {
	out := make([]E, 0, s.Len())
	for rest := uint64(s); rest != 0; rest &= rest - 1 {
		out = append(out, E(bits.TrailingZeros64(rest)))
	}
	return out
}

// String returns the names of the values joined by ", ", or "none".
func (s Set[E]) String() string {
	if s == 0 {
		return "none"
	}
	parts := make([]string, 0, s.Len())
	for _, v := range s.List() {
		parts = append(parts, fmt.Sprint(v))
	}
	return strings.Join(parts, ", ")
}

// MarshalJSON writes the values' names as a JSON array.
func (s Set[E]) MarshalJSON() ([]byte, error) { return json.Marshal(s.List()) }

// UnmarshalJSON reads a JSON array of names; each must be a known value
// that a set can hold.
func (s *Set[E]) UnmarshalJSON(b []byte) error {
	var list []E
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	var out Set[E]
	for _, v := range list {
		if !v.IsValid() || v > 63 {
			return fmt.Errorf("%w: %d is not a value this set can hold", ErrUnknownValue, v)
		}
		out = out.With(v)
	}
	*s = out
	return nil
}

package prescribing

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// ErrInvalidMeasure reports an outcome measure without an instrument, or
// with a score that is not a finite number.
var ErrInvalidMeasure = errors.New("invalid outcome measure")

// Score is one measured value that may be missing. The zero Score is
// missing, which is distinct from a measured 0. In JSON a missing score is
// null.
type Score struct {
	v  float64
	ok bool
}

// ScoreOf returns the measured value v.
func ScoreOf(v float64) Score { return Score{v: v, ok: true} }

// Value returns the value and whether it was measured.
func (s Score) Value() (float64, bool) { return s.v, s.ok }

// Known reports whether the score was measured.
func (s Score) Known() bool { return s.ok }

// String returns the value in its shortest decimal form, or "not recorded".
func (s Score) String() string {
	if !s.ok {
		return "not recorded"
	}
	return strconv.FormatFloat(s.v, 'f', -1, 64)
}

// MarshalJSON returns the number, or null when missing.
func (s Score) MarshalJSON() ([]byte, error) {
	if !s.ok {
		return []byte("null"), nil
	}
	if math.IsNaN(s.v) || math.IsInf(s.v, 0) {
		return nil, fmt.Errorf("%w: score is not finite", ErrInvalidMeasure)
	}
	return strconv.AppendFloat(nil, s.v, 'g', -1, 64), nil
}

// UnmarshalJSON reads a number, or null for a missing score.
func (s *Score) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*s = Score{}
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(v, 0) {
		return fmt.Errorf("%w: score %s is not a finite number", ErrInvalidMeasure, quoteShort(string(b)))
	}
	*s = ScoreOf(v)
	return nil
}

// MeasureChange is an outcome measure taken before and after support, as
// reported in the message back to the GP (rule REF-4): for example the
// SWEMWBS metric score, or one ONS4 item. Either score may be missing.
type MeasureChange struct {
	// Instrument names the measure ("SWEMWBS", "ONS4").
	Instrument string `json:"instrument"`
	// Item names the item within the instrument, if the instrument is
	// reported per item ("life_satisfaction"); empty otherwise.
	Item   string `json:"item,omitempty"`
	Before Score  `json:"before"`
	After  Score  `json:"after"`
}

// Change returns After minus Before, and false unless both are known.
func (m MeasureChange) Change() (float64, bool) {
	if !m.Before.ok || !m.After.ok {
		return 0, false
	}
	return m.After.v - m.Before.v, true
}

// Validate reports a measure without an instrument or with a score that is
// not finite.
func (m MeasureChange) Validate() error {
	if m.Instrument == "" {
		return fmt.Errorf("%w: no instrument named", ErrInvalidMeasure)
	}
	for _, s := range [...]Score{m.Before, m.After} {
		if s.ok && (math.IsNaN(s.v) || math.IsInf(s.v, 0)) {
			return fmt.Errorf("%w: %s score is not finite", ErrInvalidMeasure, m.Instrument)
		}
	}
	return nil
}

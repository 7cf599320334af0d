package prescribing

import (
	"bytes"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// ErrInvalidMeasure reports an outcome measure of a closure without a known
// instrument, or with a score outside the instrument's range.
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
		return fmt.Errorf("%w: a score is not a finite number", ErrInvalidMeasure)
	}
	*s = ScoreOf(v)
	return nil
}

// Instrument names the outcome measure a [MeasureChange] reports.
type Instrument uint8

// The instruments a closure can report (rule REF-4), each with its range.
const (
	// InstrumentONS4 is one ONS4 question (rule OUT-1), named by the
	// change's Item: a whole number from 0 to 10.
	InstrumentONS4 Instrument = iota + 1
	// InstrumentSWEMWBS is the SWEMWBS metric score (rule OUT-2): from
	// 7.00 to 35.00, as the conversion table gives it.
	InstrumentSWEMWBS
)

var instruments = NewVocabulary[Instrument]("measure instrument", "ons4", "swemwbs")

// Instruments returns every instrument in order.
func Instruments() []Instrument { return instruments.Values() }

// String returns the instrument's text form ("swemwbs").
func (i Instrument) String() string { return instruments.String(i) }

// IsValid reports whether i is a known instrument.
func (i Instrument) IsValid() bool { return instruments.Valid(i) }

// MarshalText implements [encoding.TextMarshaler].
func (i Instrument) MarshalText() ([]byte, error) { return instruments.MarshalText(i) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (i *Instrument) UnmarshalText(b []byte) (err error) {
	*i, err = instruments.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (i *Instrument) Scan(src any) (err error) { *i, err = instruments.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (i Instrument) Value() (driver.Value, error) { return instruments.Value(i) }

// MeasureChange is an outcome measure taken before and after support, as
// reported in the message back to the GP (rule REF-4): the SWEMWBS metric
// score, or one ONS4 question. Either score may be missing.
type MeasureChange struct {
	// Instrument names the measure.
	Instrument Instrument `json:"instrument"`
	// Item names the ONS4 question when Instrument is [InstrumentONS4];
	// it is zero for SWEMWBS, which is reported on its metric score.
	Item   ONS4Item `json:"item,omitzero"`
	Before Score    `json:"before"`
	After  Score    `json:"after"`
}

// Change returns After minus Before, and false unless both are known.
func (m MeasureChange) Change() (float64, bool) {
	if !m.Before.ok || !m.After.ok {
		return 0, false
	}
	return m.After.v - m.Before.v, true
}

// Validate reports, with an error wrapping [ErrInvalidMeasure], a measure
// whose instrument or ONS4 item is not a known value (also wrapping
// [ErrUnknownValue]) or whose known scores are outside the instrument's
// range (also wrapping [ErrOutOfRange]; NaN and infinities also wrap
// [ErrNotFinite]): an ONS4 answer is a whole number from 0 to 10, a SWEMWBS
// metric score a number from 7 to 35.
func (m MeasureChange) Validate() error {
	switch m.Instrument {
	case InstrumentONS4:
		if !m.Item.IsValid() {
			return fmt.Errorf("%w: %w: ONS4 item %s", ErrInvalidMeasure, ErrUnknownValue, m.Item)
		}
	case InstrumentSWEMWBS:
		if m.Item != 0 {
			return fmt.Errorf("%w: SWEMWBS is reported on its metric score, not an item (%s)", ErrInvalidMeasure, m.Item)
		}
	default:
		return fmt.Errorf("%w: %w: instrument %s", ErrInvalidMeasure, ErrUnknownValue, m.Instrument)
	}
	for _, s := range [...]struct {
		when  string
		score Score
	}{{"before", m.Before}, {"after", m.After}} {
		var err error
		if m.Instrument == InstrumentONS4 {
			err = checkAnswer(s.score, 0, 10)
		} else {
			err = checkRange(s.score, swemwbsMetric[0], swemwbsMetric[len(swemwbsMetric)-1])
		}
		if err != nil {
			return fmt.Errorf("%w: %s score %s: %w", ErrInvalidMeasure, m.Instrument, s.when, err)
		}
	}
	return nil
}

// checkRange reports a known score that is not a finite number in lo..hi.
func checkRange(s Score, lo, hi float64) error {
	if !s.ok {
		return nil
	}
	if err := CheckFinite("score", s.v); err != nil {
		return fmt.Errorf("%w: %w", ErrOutOfRange, err)
	}
	if s.v < lo || s.v > hi {
		return fmt.Errorf("%w: a score is not from %g to %g (the value is health data, so not shown)", ErrOutOfRange, lo, hi)
	}
	return nil
}

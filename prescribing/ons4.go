package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrOutOfRange reports an answer outside the scale of its instrument (0-10
// for ONS4, 1-5 for SWEMWBS) or not a whole number.
var ErrOutOfRange = errors.New("answer out of range")

// ONS4 is the Office for National Statistics personal wellbeing measure: four
// questions each answered 0-10 (rule OUT-1). The four are reported one by
// one and never summed, so ONS4 has no total. An unanswered question is a
// missing [Score], distinct from 0.
type ONS4 struct {
	// LifeSatisfaction: "Overall, how satisfied are you with your life
	// nowadays?"
	LifeSatisfaction Score `json:"life_satisfaction"`
	// Worthwhile: "Overall, to what extent do you feel that the things you
	// do in your life are worthwhile?"
	Worthwhile Score `json:"worthwhile"`
	// Happiness: "Overall, how happy did you feel yesterday?"
	Happiness Score `json:"happiness"`
	// Anxiety: "Overall, how anxious did you feel yesterday?" Here a high
	// score is worse.
	Anxiety Score `json:"anxiety"`
}

// ONS4Item names one of the four ONS4 questions.
type ONS4Item uint8

// The ONS4 questions.
const (
	ONS4ItemLifeSatisfaction ONS4Item = iota + 1
	ONS4ItemWorthwhile
	ONS4ItemHappiness
	ONS4ItemAnxiety
)

var ons4Items = NewVocabulary[ONS4Item]("ONS4 item", "life_satisfaction", "worthwhile", "happiness", "anxiety")

// ONS4Items returns the four questions in order.
func ONS4Items() []ONS4Item { return ons4Items.Values() }

// String returns the item's text form ("life_satisfaction").
func (i ONS4Item) String() string { return ons4Items.String(i) }

// IsValid reports whether i is one of the four questions.
func (i ONS4Item) IsValid() bool { return ons4Items.Valid(i) }

// MarshalText implements [encoding.TextMarshaler].
func (i ONS4Item) MarshalText() ([]byte, error) { return ons4Items.MarshalText(i) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (i *ONS4Item) UnmarshalText(b []byte) (err error) { *i, err = ons4Items.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (i *ONS4Item) Scan(src any) (err error) { *i, err = ons4Items.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (i ONS4Item) Value() (driver.Value, error) { return ons4Items.Value(i) }

// ONS4Band is a threshold band of an ONS4 answer, as the ONS publishes them.
type ONS4Band uint8

// ONS4 bands. Life satisfaction, worthwhile and happiness use low, medium,
// high and very high; anxiety uses very low, low, medium and high.
const (
	ONS4BandVeryLow ONS4Band = iota + 1
	ONS4BandLow
	ONS4BandMedium
	ONS4BandHigh
	ONS4BandVeryHigh
)

var bands = NewVocabulary[ONS4Band]("ONS4 band", "very_low", "low", "medium", "high", "very_high")

// ONS4Bands returns every ONS4 band in order. The slice is the caller's.
func ONS4Bands() []ONS4Band { return bands.Values() }

// String returns the band's text form ("very_high").
func (b ONS4Band) String() string { return bands.String(b) }

// IsValid reports whether b is a known band.
func (b ONS4Band) IsValid() bool { return bands.Valid(b) }

// MarshalText implements [encoding.TextMarshaler].
func (b ONS4Band) MarshalText() ([]byte, error) { return bands.MarshalText(b) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (b *ONS4Band) UnmarshalText(t []byte) (err error) { *b, err = bands.Parse(string(t)); return }

// Scan implements [database/sql.Scanner].
func (b *ONS4Band) Scan(src any) (err error) { *b, err = bands.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (b ONS4Band) Value() (driver.Value, error) { return bands.Value(b) }

// Answer returns the score given to item.
func (m ONS4) Answer(item ONS4Item) Score {
	switch item {
	case ONS4ItemLifeSatisfaction:
		return m.LifeSatisfaction
	case ONS4ItemWorthwhile:
		return m.Worthwhile
	case ONS4ItemHappiness:
		return m.Happiness
	case ONS4ItemAnxiety:
		return m.Anxiety
	}
	return Score{}
}

// Validate reports an answer that is not a whole number from 0 to 10.
// Missing answers are allowed.
func (m ONS4) Validate() error {
	for _, item := range ONS4Items() {
		if err := checkAnswer(m.Answer(item), 0, 10); err != nil {
			return fmt.Errorf("ONS4 %s: %w", item, err)
		}
	}
	return nil
}

// Complete reports whether all four questions were answered.
func (m ONS4) Complete() bool {
	return m.LifeSatisfaction.ok && m.Worthwhile.ok && m.Happiness.ok && m.Anxiety.ok
}

// Band returns the ONS threshold band of item's answer (rule OUT-1): for
// life satisfaction, worthwhile and happiness 0-4 low, 5-6 medium, 7-8 high,
// 9-10 very high; for anxiety 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
// It returns false for a missing or out-of-range answer.
func (m ONS4) Band(item ONS4Item) (ONS4Band, bool) {
	s := m.Answer(item)
	if !s.ok || checkAnswer(s, 0, 10) != nil {
		return 0, false
	}
	v := int(s.v)
	if item == ONS4ItemAnxiety {
		switch {
		case v <= 1:
			return ONS4BandVeryLow, true
		case v <= 3:
			return ONS4BandLow, true
		case v <= 5:
			return ONS4BandMedium, true
		default:
			return ONS4BandHigh, true
		}
	}
	switch {
	case v <= 4:
		return ONS4BandLow, true
	case v <= 6:
		return ONS4BandMedium, true
	case v <= 8:
		return ONS4BandHigh, true
	default:
		return ONS4BandVeryHigh, true
	}
}

// UnmarshalJSON reads the four answers strictly and validates them, so an
// out-of-range answer is an error at the boundary. All four keys are
// required, as MarshalJSON writes them: an unanswered question is null, and
// a key left out is refused rather than read as unanswered.
func (m *ONS4) UnmarshalJSON(b []byte) error {
	type plain ONS4
	var v plain
	if err := decodeStrictValue(b, &v); err != nil {
		return fmt.Errorf("ONS4: %w", err)
	}
	if err := ONS4(v).Validate(); err != nil {
		return err
	}
	*m = ONS4(v)
	return nil
}

// checkAnswer reports a known score that is not a whole number in lo..hi.
func checkAnswer(s Score, lo, hi float64) error {
	if !s.ok {
		return nil
	}
	if err := CheckFinite("answer", s.v); err != nil {
		return fmt.Errorf("%w: %w", ErrOutOfRange, err)
	}
	if s.v != math.Trunc(s.v) || s.v < lo || s.v > hi {
		return fmt.Errorf("%w: an answer is not a whole number from %g to %g (the value is health data, so not shown)", ErrOutOfRange, lo, hi)
	}
	return nil
}

// ONS4Recorded records an ONS4 measurement of a person (rule OUT-1), within
// a referral if there is one. [Measures.RecordONS4] makes one.
type ONS4Recorded struct {
	Patient  PatientID  `json:"patient"`
	Referral ReferralID `json:"referral,omitzero"`
	At       time.Time  `json:"at"`
	Answers  ONS4       `json:"answers"`
}

// EventType returns "measure.ons4_recorded".
func (ONS4Recorded) EventType() string { return "measure.ons4_recorded" }

// EventTime returns e.At.
func (e ONS4Recorded) EventTime() time.Time { return e.At }

// EventStream returns the measures stream of the patient.
func (e ONS4Recorded) EventStream() Stream {
	return StreamOf(StreamKindMeasures, e.Patient)
}

// CompareONS4 reports the change between two ONS4 measurements of the same
// person, item by item (rule OUT-3): one [MeasureChange] per question, in
// question order. Measurements of different people, or an "after" taken
// before the "before", are errors wrapping [ErrNotComparable].
func CompareONS4(before, after ONS4Recorded) ([]MeasureChange, error) {
	if err := comparable(before.Patient, after.Patient, before.At, after.At); err != nil {
		return nil, err
	}
	out := make([]MeasureChange, 0, 4)
	for _, item := range ONS4Items() {
		out = append(out, MeasureChange{Instrument: InstrumentONS4, Item: item,
			Before: before.Answers.Answer(item), After: after.Answers.Answer(item)})
	}
	return out, nil
}

// ErrNotComparable reports two measurements that cannot be compared: of
// different people, or in the wrong order.
var ErrNotComparable = errors.New("measurements are not comparable")

func comparable(p1, p2 PatientID, t1, t2 time.Time) error {
	if p1 != p2 || p1.IsZero() {
		return fmt.Errorf("%w: they are of different people", ErrNotComparable)
	}
	if t2.Before(t1) {
		return fmt.Errorf("%w: the later measurement was taken first", ErrNotComparable)
	}
	return nil
}

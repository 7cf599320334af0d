package prescribing

import (
	"fmt"
	"time"
)

// SWEMWBS is the Short Warwick-Edinburgh Mental Wellbeing Scale: seven
// statements each answered 1 (none of the time) to 5 (all of the time)
// (rule OUT-2). The raw total, 7-35, converts to a metric score by the
// published conversion table. A missing item makes the score incomplete:
// Raw and Metric then report false rather than a number, so an incomplete
// score is never mistaken for a low one.
//
// The items in order: optimistic about the future; feeling useful; feeling
// relaxed; dealing with problems well; thinking clearly; feeling close to
// other people; able to make up my own mind about things.
type SWEMWBS struct {
	Items [7]Score `json:"items"`
}

// swemwbsMetric converts raw totals 7..35 (index raw-7) to metric scores, as
// published in the Warwick SWEMWBS scoring guidance.
var swemwbsMetric = [29]float64{
	7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36,
	16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21,
	24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00,
}

// SWEMWBSMetric converts a raw total (7-35) to the metric score, and false
// for a total outside the scale.
func SWEMWBSMetric(raw int) (float64, bool) {
	if raw < 7 || raw > 35 {
		return 0, false
	}
	return swemwbsMetric[raw-7], true
}

// NewSWEMWBS returns the measure with all seven items answered. It is an
// error wrapping [ErrOutOfRange] unless there are exactly seven answers, each
// 1-5.
func NewSWEMWBS(answers ...int) (SWEMWBS, error) {
	if len(answers) != 7 {
		return SWEMWBS{}, fmt.Errorf("%w: SWEMWBS has 7 items, got %d answers", ErrOutOfRange, len(answers))
	}
	var m SWEMWBS
	for i, a := range answers {
		m.Items[i] = ScoreOf(float64(a))
	}
	return m, m.Validate()
}

// Validate reports an answered item that is not a whole number from 1 to 5.
func (m SWEMWBS) Validate() error {
	for i, s := range m.Items {
		if err := checkAnswer(s, 1, 5); err != nil {
			return fmt.Errorf("SWEMWBS item %d: %w", i+1, err)
		}
	}
	return nil
}

// Complete reports whether all seven items were answered.
func (m SWEMWBS) Complete() bool {
	for _, s := range m.Items {
		if !s.ok {
			return false
		}
	}
	return true
}

// Raw returns the raw total, 7-35, and false if any item is missing or out
// of range.
func (m SWEMWBS) Raw() (int, bool) {
	if !m.Complete() || m.Validate() != nil {
		return 0, false
	}
	raw := 0
	for _, s := range m.Items {
		raw += int(s.v)
	}
	return raw, true
}

// Metric returns the metric score from the conversion table, as a [Score]
// that is missing when the measure is incomplete.
func (m SWEMWBS) Metric() Score {
	raw, ok := m.Raw()
	if !ok {
		return Score{}
	}
	v, _ := SWEMWBSMetric(raw)
	return ScoreOf(v)
}

// UnmarshalJSON reads the seven items strictly and validates them. Exactly
// seven items are required (null for a missing one): encoding/json would
// otherwise drop extra array elements without a word.
func (m *SWEMWBS) UnmarshalJSON(b []byte) error {
	var v struct {
		Items []Score `json:"items"`
	}
	if err := decodeStrictValue(b, &v); err != nil {
		return fmt.Errorf("SWEMWBS: %w", err)
	}
	if len(v.Items) != 7 {
		return fmt.Errorf("%w: SWEMWBS has 7 items, got %d", ErrOutOfRange, len(v.Items))
	}
	var out SWEMWBS
	copy(out.Items[:], v.Items)
	if err := out.Validate(); err != nil {
		return err
	}
	*m = out
	return nil
}

// SWEMWBSRecorded records a SWEMWBS measurement of a person (rule OUT-2),
// within a referral if there is one. [Measures.RecordSWEMWBS] makes one.
type SWEMWBSRecorded struct {
	Patient  PatientID  `json:"patient"`
	Referral ReferralID `json:"referral,omitzero"`
	At       time.Time  `json:"at"`
	Answers  SWEMWBS    `json:"answers"`
}

// EventType returns "measure.swemwbs_recorded".
func (SWEMWBSRecorded) EventType() string { return "measure.swemwbs_recorded" }

// EventTime returns e.At.
func (e SWEMWBSRecorded) EventTime() time.Time { return e.At }

// EventStream returns the measures stream of the patient.
func (e SWEMWBSRecorded) EventStream() Stream {
	return StreamOf(StreamKindMeasures, e.Patient)
}

// CompareSWEMWBS reports the change between two SWEMWBS measurements of the
// same person on the metric score (rule OUT-3). If either is incomplete its
// score is missing and the change is unknown ([MeasureChange.Change] reports
// false). Measurements of different people, or out of order, are errors
// wrapping [ErrNotComparable].
func CompareSWEMWBS(before, after SWEMWBSRecorded) (MeasureChange, error) {
	if err := comparable(before.Patient, after.Patient, before.At, after.At); err != nil {
		return MeasureChange{}, err
	}
	return MeasureChange{Instrument: InstrumentSWEMWBS, Before: before.Answers.Metric(), After: after.Answers.Metric()}, nil
}

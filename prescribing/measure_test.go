package prescribing

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScoreMissingIsNotZero(t *testing.T) {
	var missing Score
	zero := ScoreOf(0)
	assert.NotEqual(t, missing, zero)
	assert.False(t, missing.Known())
	assert.True(t, zero.Known())
	assert.Equal(t, "not recorded", missing.String())
	assert.Equal(t, "0", zero.String())

	for _, s := range []Score{missing, zero, ScoreOf(23.21), ScoreOf(-4)} {
		b, err := json.Marshal(s)
		require.NoError(t, err)
		var back Score
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, s, back, string(b))
	}
	b, _ := json.Marshal(missing)
	assert.Equal(t, "null", string(b))

	_, err := json.Marshal(ScoreOf(math.Inf(1)))
	assert.ErrorIs(t, err, ErrInvalidMeasure)
	var s Score
	for _, bad := range []string{`"7"`, `true`, `1e999`, `{}`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &s), bad)
	}
}

func TestMeasureChange(t *testing.T) {
	m := MeasureChange{Instrument: InstrumentONS4, Item: ONS4ItemAnxiety, Before: ScoreOf(8), After: ScoreOf(3)}
	d, ok := m.Change()
	require.True(t, ok)
	assert.Equal(t, -5.0, d)
	_, ok = MeasureChange{Instrument: InstrumentSWEMWBS, Before: ScoreOf(20)}.Change()
	assert.False(t, ok, "no after score, no change")
	require.NoError(t, m.Validate())
	assert.ErrorIs(t, MeasureChange{}.Validate(), ErrInvalidMeasure)
	assert.ErrorIs(t, MeasureChange{Instrument: Instrument(9), After: ScoreOf(math.NaN())}.Validate(), ErrInvalidMeasure)
}

// TestREF_4_MeasureScoresAreRangeChecked checks each instrument's range at
// its exact ends, from both sides: what a closure reports must be a score
// the instrument can give.
func TestREF_4_MeasureScoresAreRangeChecked(t *testing.T) {
	cases := []struct {
		name string
		m    MeasureChange
		want []error // nil: valid
	}{
		{"SWEMWBS at its lowest", swemwbsChange(7, 7), nil},
		{"SWEMWBS at its highest", swemwbsChange(35, 35), nil},
		{"SWEMWBS below its lowest", swemwbsChange(math.Nextafter(7, 0), 20), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"SWEMWBS above its highest", swemwbsChange(20, math.Nextafter(35, 99)), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"SWEMWBS -400 -> 999", swemwbsChange(-400, 999), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"SWEMWBS scores missing", MeasureChange{Instrument: InstrumentSWEMWBS}, nil},
		{"SWEMWBS NaN", swemwbsChange(math.NaN(), 20), []error{ErrInvalidMeasure, ErrNotFinite}},
		{"SWEMWBS with an item", MeasureChange{Instrument: InstrumentSWEMWBS, Item: ONS4ItemAnxiety}, []error{ErrInvalidMeasure}},
		{"ONS4 at its lowest and highest", ons4Change(ONS4ItemHappiness, 0, 10), nil},
		{"ONS4 below its lowest", ons4Change(ONS4ItemHappiness, -1, 5), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"ONS4 above its highest", ons4Change(ONS4ItemHappiness, 5, 11), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"ONS4 not a whole number", ons4Change(ONS4ItemHappiness, 9.5, 10), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"ONS4 infinite", ons4Change(ONS4ItemHappiness, 5, math.Inf(1)), []error{ErrInvalidMeasure, ErrNotFinite}},
		{"ONS4 without its question", ons4Change(0, 5, 6), []error{ErrInvalidMeasure, ErrUnknownValue}},
		{"no instrument", MeasureChange{Before: ScoreOf(20)}, []error{ErrInvalidMeasure, ErrUnknownValue}},
		{"an instrument out of the vocabulary", MeasureChange{Instrument: Instrument(3)}, []error{ErrInvalidMeasure, ErrUnknownValue}},
	}
	for _, c := range cases {
		err := c.m.Validate()
		if c.want == nil {
			assert.NoError(t, err, c.name)
			continue
		}
		for _, want := range c.want {
			assert.ErrorIs(t, err, want, c.name)
		}
	}

	// In JSON, the instrument and item are named in snake_case.
	b, err := json.Marshal(ons4Change(ONS4ItemLifeSatisfaction, 4, 7))
	require.NoError(t, err)
	assert.JSONEq(t, `{"instrument":"ons4","item":"life_satisfaction","before":4,"after":7}`, string(b))
	b, err = json.Marshal(swemwbsChange(17.43, 21.54))
	require.NoError(t, err)
	assert.JSONEq(t, `{"instrument":"swemwbs","before":17.43,"after":21.54}`, string(b))
	var m MeasureChange
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"instrument":"SWEMWBS","before":1,"after":2}`), &m), ErrUnknownValue)
}

// TestOUT_1_RefusedMeasurementReturnsNoEvent checks that recording a
// measurement refuses what cannot be stored, with the zero event.
func TestOUT_1_RefusedMeasurementReturnsNoEvent(t *testing.T) {
	f := newFixture(t)
	ref := NewID[Referral](f.ids)
	m, _ := f.openMeasures()
	at := f.tick()
	var none Measures
	for _, c := range []struct {
		name string
		do   func() (Event, error)
		want error
	}{
		{"ONS4 answer 11", func() (Event, error) {
			return m.RecordONS4(ref, ONS4{Anxiety: ScoreOf(11)}, at)
		}, ErrOutOfRange},
		{"ONS4 answer NaN", func() (Event, error) {
			return m.RecordONS4(ref, ONS4{Anxiety: ScoreOf(math.NaN())}, at)
		}, ErrNotFinite},
		{"ONS4 in year 10000", func() (Event, error) { return m.RecordONS4(ref, ONS4{}, yearAfter) }, ErrTimeOutOfRange},
		{"ONS4 in year 0 in UTC", func() (Event, error) { return m.RecordONS4(ref, ONS4{}, zonedBeforeStart) }, ErrTimeOutOfRange},
		{"ONS4 of no record", func() (Event, error) { return none.RecordONS4(ref, ONS4{}, at) }, ErrUnexpectedEvent},
		{"ONS4 before the record's last change", func() (Event, error) { return m.RecordONS4(ref, ONS4{}, at.Add(-48*time.Hour)) }, ErrTimeWentBackwards},
		{"SWEMWBS item 6", func() (Event, error) {
			var answers SWEMWBS
			answers.Items[3] = ScoreOf(6)
			return m.RecordSWEMWBS(ref, answers, at)
		}, ErrOutOfRange},
		{"SWEMWBS item -Inf", func() (Event, error) {
			var answers SWEMWBS
			answers.Items[0] = ScoreOf(math.Inf(-1))
			return m.RecordSWEMWBS(ref, answers, at)
		}, ErrNotFinite},
		{"SWEMWBS at no time", func() (Event, error) { return m.RecordSWEMWBS(ref, SWEMWBS{}, time.Time{}) }, ErrNoTime},
		{"SWEMWBS in year 10000 in UTC", func() (Event, error) { return m.RecordSWEMWBS(ref, SWEMWBS{}, zonedPastEnd) }, ErrTimeOutOfRange},
	} {
		before := m
		e, err := c.do()
		assert.ErrorIs(t, err, c.want, c.name)
		assert.True(t, reflect.ValueOf(e).IsZero(), "%s: a refusal returns the zero event", c.name)
		assert.Equal(t, before, m, "%s: a refusal changes nothing", c.name)
	}
	_, err := m.RecordONS4(ref, ONS4{LifeSatisfaction: ScoreOf(0), Anxiety: ScoreOf(10)}, lastInstant)
	assert.NoError(t, err, "the last instant and both ends of the scale")
}

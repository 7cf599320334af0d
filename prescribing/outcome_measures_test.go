package prescribing

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ons4(life, worth, happy, anxious int) ONS4 {
	return ONS4{LifeSatisfaction: ScoreOf(float64(life)), Worthwhile: ScoreOf(float64(worth)),
		Happiness: ScoreOf(float64(happy)), Anxiety: ScoreOf(float64(anxious))}
}

func TestOUT_1_ONS4BandsAtEveryBoundary(t *testing.T) {
	positive := map[int]ONS4Band{0: ONS4BandLow, 4: ONS4BandLow, 5: ONS4BandMedium, 6: ONS4BandMedium, 7: ONS4BandHigh, 8: ONS4BandHigh, 9: ONS4BandVeryHigh, 10: ONS4BandVeryHigh}
	anxiety := map[int]ONS4Band{0: ONS4BandVeryLow, 1: ONS4BandVeryLow, 2: ONS4BandLow, 3: ONS4BandLow, 4: ONS4BandMedium, 5: ONS4BandMedium, 6: ONS4BandHigh, 10: ONS4BandHigh}
	for v, want := range positive {
		m := ons4(v, v, v, 0)
		for _, item := range []ONS4Item{ONS4ItemLifeSatisfaction, ONS4ItemWorthwhile, ONS4ItemHappiness} {
			got, ok := m.Band(item)
			require.True(t, ok)
			assert.Equal(t, want, got, "%s %d", item, v)
		}
	}
	for v, want := range anxiety {
		got, ok := ons4(0, 0, 0, v).Band(ONS4ItemAnxiety)
		require.True(t, ok)
		assert.Equal(t, want, got, "anxiety %d", v)
	}
	_, ok := ONS4{}.Band(ONS4ItemHappiness)
	assert.False(t, ok, "no band for a missing answer")
}

func TestOUT_1_ONS4OutOfRangeIsAnError(t *testing.T) {
	for _, bad := range []ONS4{ons4(11, 5, 5, 5), ons4(5, -1, 5, 5), ons4(5, 5, 5, 12),
		{Happiness: ScoreOf(6.5)}} {
		assert.ErrorIs(t, bad.Validate(), ErrOutOfRange)
		m, _, err := OpenMeasures(NewID[Patient](RandomIDs()), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		_, err = m.RecordONS4(ReferralID{}, bad, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
		assert.ErrorIs(t, err, ErrOutOfRange)
	}
	require.NoError(t, ons4(0, 10, 0, 10).Validate())
	require.NoError(t, ONS4{Anxiety: ScoreOf(3)}.Validate(), "missing answers are allowed")
	assert.False(t, ONS4{Anxiety: ScoreOf(3)}.Complete())
	assert.True(t, ons4(1, 2, 3, 4).Complete())

	var m ONS4
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"life_satisfaction":11,"worthwhile":null,"happiness":null,"anxiety":null}`), &m), ErrOutOfRange)
	assert.Error(t, json.Unmarshal([]byte(`{"total":20}`), &m), "unknown field")
	assert.Error(t, json.Unmarshal([]byte(`{"life_satisfaction":7,"anxiety":null}`), &m),
		"every question is written, null when unanswered: a question left out is a form this library never wrote")
	require.NoError(t, json.Unmarshal([]byte(`{"life_satisfaction":7,"worthwhile":null,"happiness":null,"anxiety":null}`), &m))
	assert.Equal(t, ONS4{LifeSatisfaction: ScoreOf(7)}, m)
}

func TestOUT_1_ONS4IsNeverSummed(t *testing.T) {
	typ := reflect.TypeFor[ONS4]()
	for i := range typ.NumMethod() {
		name := strings.ToLower(typ.Method(i).Name)
		assert.NotContains(t, name, "total", "ONS4 offers no total")
		assert.NotContains(t, name, "sum")
	}
}

func TestOUT_2_SWEMWBSConversionTable(t *testing.T) {
	// The table as docs/rules.md (OUT-2) quotes it, raw 7..35.
	published := strings.Fields(`7.00 9.51 11.25 12.40 13.33 14.08 14.75 15.32 15.84 16.36 16.88 17.43
		17.98 18.59 19.25 19.98 20.73 21.54 22.35 23.21 24.11 25.03 26.02 27.03 28.13 29.31 30.70 32.55 35.00`)
	require.Len(t, published, 29)
	for raw := 7; raw <= 35; raw++ {
		got, ok := SWEMWBSMetric(raw)
		require.True(t, ok)
		assert.Equal(t, published[raw-7], strings.TrimSpace(formatMetric(got)), "raw %d", raw)
	}
	for _, raw := range []int{6, 36, 0} {
		_, ok := SWEMWBSMetric(raw)
		assert.False(t, ok, raw)
	}

	m, err := NewSWEMWBS(3, 3, 3, 3, 3, 3, 3)
	require.NoError(t, err)
	raw, ok := m.Raw()
	require.True(t, ok)
	assert.Equal(t, 21, raw)
	v, ok := m.Metric().Value()
	require.True(t, ok)
	assert.Equal(t, 19.25, v)
}

func formatMetric(v float64) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if !strings.Contains(s, ".") {
		s += ".00"
	} else if len(s)-strings.Index(s, ".") == 2 {
		s += "0"
	}
	return s
}

func TestOUT_2_IncompleteIsNotZero(t *testing.T) {
	m, err := NewSWEMWBS(1, 1, 1, 1, 1, 1, 1)
	require.NoError(t, err)
	m.Items[4] = Score{}
	require.NoError(t, m.Validate(), "a missing item is allowed")
	assert.False(t, m.Complete())
	_, ok := m.Raw()
	assert.False(t, ok)
	assert.False(t, m.Metric().Known(), "incomplete, not 0")
	assert.NotEqual(t, ScoreOf(0), m.Metric())

	for _, bad := range [][]int{{0, 1, 1, 1, 1, 1, 1}, {6, 1, 1, 1, 1, 1, 1}, {1, 1, 1}} {
		_, err := NewSWEMWBS(bad...)
		assert.ErrorIs(t, err, ErrOutOfRange, "%v", bad)
	}
	var j SWEMWBS
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"items":[1,2,3,4,5,6,1]}`), &j), ErrOutOfRange)
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"items":[1,2,3,4,5,1,1,1]}`), &j), ErrOutOfRange, "eight items are not silently cut to seven")
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"items":[1,2]}`), &j), ErrOutOfRange)
	require.NoError(t, json.Unmarshal([]byte(`{"items":[1,2,3,4,5,null,1]}`), &j))
	assert.False(t, j.Complete())
}

func TestOUT_3_ChangeBetweenTwoMeasurements(t *testing.T) {
	f := newFixture(t)
	r := NewID[Referral](f.ids)
	m, _ := f.openMeasures()
	b4, err := m.RecordONS4(r, ons4(3, 4, 2, 8), f.tick())
	require.NoError(t, err)
	after, err := m.RecordONS4(r, ONS4{LifeSatisfaction: ScoreOf(6), Worthwhile: ScoreOf(6), Anxiety: ScoreOf(4)}, f.tick())
	require.NoError(t, err)
	changes, err := CompareONS4(b4, after)
	require.NoError(t, err)
	require.Len(t, changes, 4)
	want := map[ONS4Item]float64{ONS4ItemLifeSatisfaction: 3, ONS4ItemWorthwhile: 2, ONS4ItemAnxiety: -4}
	for _, c := range changes {
		assert.Equal(t, InstrumentONS4, c.Instrument)
		d, ok := c.Change()
		if c.Item == ONS4ItemHappiness {
			assert.False(t, ok, "happiness was not answered after")
			continue
		}
		require.True(t, ok, c.Item)
		assert.Equal(t, want[c.Item], d, c.Item)
	}

	s1, _ := NewSWEMWBS(2, 2, 3, 2, 3, 2, 3) // raw 17 -> 16.88
	s2, _ := NewSWEMWBS(4, 3, 3, 4, 4, 3, 4) // raw 25 -> 22.35
	w1, err := m.RecordSWEMWBS(r, s1, f.tick())
	require.NoError(t, err)
	w2, err := m.RecordSWEMWBS(r, s2, f.tick())
	require.NoError(t, err)
	c, err := CompareSWEMWBS(w1, w2)
	require.NoError(t, err)
	d, ok := c.Change()
	require.True(t, ok)
	assert.InDelta(t, 22.35-16.88, d, 1e-9, "on the metric score, not the raw total")

	w2.Answers.Items[0] = Score{}
	c, err = CompareSWEMWBS(w1, w2)
	require.NoError(t, err)
	_, ok = c.Change()
	assert.False(t, ok, "an incomplete measure has no change")

	stranger, _, err := OpenMeasures(NewID[Patient](f.ids), f.tick())
	require.NoError(t, err)
	other, err := stranger.RecordSWEMWBS(r, s2, f.tick())
	require.NoError(t, err)
	_, err = CompareSWEMWBS(w1, other)
	assert.ErrorIs(t, err, ErrNotComparable, "different people")
	_, err = CompareONS4(after, b4)
	assert.ErrorIs(t, err, ErrNotComparable, "wrong order")

	// The record keeps every measurement, in order, and its stream
	// rebuilds it.
	assert.Equal(t, []ONS4Recorded{b4, after}, m.ONS4())
	require.Len(t, m.SWEMWBS(), 2)
	assert.Equal(t, 5, m.Version())
	assert.Equal(t, StreamOf(StreamKindMeasures, f.pat), m.Stream())
	assert.NotEqual(t, StreamOf(StreamKindPatient, f.pat), m.Stream(), "a person's measures are not their patient record")
}

// TestPRIV_1_WellbeingScoresStayOutOfErrors: a wellbeing score is health
// data, so an error about one says what is wrong without quoting it.
func TestPRIV_1_WellbeingScoresStayOutOfErrors(t *testing.T) {
	var m ONS4
	err := json.Unmarshal([]byte(`{"life_satisfaction":123457,"worthwhile":null,"happiness":null,"anxiety":null}`), &m)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.NotContains(t, err.Error(), "123457")
	err = MeasureChange{Instrument: InstrumentSWEMWBS, Before: ScoreOf(-400.5), After: ScoreOf(999.25)}.Validate()
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.NotContains(t, err.Error(), "400.5")
	assert.NotContains(t, err.Error(), "999.25")
	var s Score
	err = json.Unmarshal([]byte(`"98765"`), &s)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "98765")
}

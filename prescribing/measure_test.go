package prescribing

import (
	"encoding/json"
	"math"
	"testing"

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
	m := MeasureChange{Instrument: InstrumentONS4, Item: ONS4Anxiety, Before: ScoreOf(8), After: ScoreOf(3)}
	d, ok := m.Change()
	require.True(t, ok)
	assert.Equal(t, -5.0, d)
	_, ok = MeasureChange{Instrument: InstrumentSWEMWBS, Before: ScoreOf(20)}.Change()
	assert.False(t, ok, "no after score, no change")
	require.NoError(t, m.Validate())
	assert.ErrorIs(t, MeasureChange{}.Validate(), ErrInvalidMeasure)
	assert.ErrorIs(t, MeasureChange{Instrument: Instrument(9), After: ScoreOf(math.NaN())}.Validate(), ErrInvalidMeasure)
}

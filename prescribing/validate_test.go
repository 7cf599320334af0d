package prescribing

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestCheckTimeRangeBoundsTheYearsJSONCarries(t *testing.T) {
	for _, tc := range []struct {
		at time.Time
		ok bool
	}{
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), true},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(0, 12, 31, 23, 59, 59, 0, time.UTC), false},
		// 9999-12-31 23:30 at UTC-1 is year 10000 in UTC.
		{time.Date(9999, 12, 31, 23, 30, 0, 0, time.FixedZone("", -3600)), false},
	} {
		err := CheckTimeRange(tc.at)
		assert.Equal(t, tc.ok, err == nil, "%v", tc.at)
		if !tc.ok {
			assert.ErrorIs(t, err, ErrTimeOutOfRange)
			if tc.at.UTC().Year() > MaxYear {
				// Events store UTC ([Stamp]); year 0 JSON could carry, but
				// the issue and time's zero value put the floor at year 1.
				_, jerr := tc.at.UTC().MarshalJSON()
				assert.Error(t, jerr, "JSON carries %v, so the bound is too tight", tc.at)
			}
		}
	}
	assert.ErrorIs(t, CheckTime(time.Time{}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), ErrTimeOutOfRange)
	assert.ErrorIs(t, CheckTime(time.Time{}, time.Time{}), ErrNoTime)

	// The bounds in seconds are the years' first instants, and the test is
	// exact on both sides of each, to the nanosecond and in any zone.
	first, afterLast := time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, first.Unix(), int64(minUnix))
	assert.Equal(t, afterLast.Unix(), int64(afterMaxUnix))
	east := time.FixedZone("", 5*3600)
	for _, tc := range []struct {
		at time.Time
		ok bool
	}{
		{first, true}, {first.Add(-time.Nanosecond), false}, {first.In(east), true}, {first.Add(-time.Nanosecond).In(east), false},
		{afterLast, false}, {afterLast.Add(-time.Nanosecond), true}, {afterLast.In(east), false}, {afterLast.Add(-time.Nanosecond).In(east), true},
	} {
		assert.Equal(t, tc.ok, CheckTimeRange(tc.at) == nil, "%v", tc.at)
	}
}

func TestCheckTextRefusesWhatJSONOrADatabaseWouldChange(t *testing.T) {
	assert.NoError(t, CheckText("note", "plain, café ☕"))
	assert.NoError(t, CheckText("note", strings.Repeat("a", MaxTextBytes)))
	for name, s := range map[string]string{
		"invalid UTF-8": "bad \xff byte",
		"NUL":           "a\x00b",
		"too long":      strings.Repeat("a", MaxTextBytes+1),
	} {
		err := CheckText("note", s)
		assert.ErrorIs(t, err, ErrInvalidText, name)
		assert.Contains(t, err.Error(), "note", name)
		assert.NotContains(t, err.Error(), "\xff", name)
	}
}

func TestCheckFiniteAndIsBlank(t *testing.T) {
	assert.NoError(t, CheckFinite("score", -1.5))
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		assert.ErrorIs(t, CheckFinite("score", v), ErrNotFinite)
	}
	assert.True(t, IsBlank(" \t\n "))
	assert.True(t, IsBlank(""))
	assert.False(t, IsBlank(" x "))
	assert.True(t, IsBlank("\u200b \u2060\ufeff"), "zero-width and other invisible characters show nothing")
	assert.False(t, IsBlank("\u200bx"))
}

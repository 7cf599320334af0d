package simulation

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWritersPutTheArmsColumnsBeforeEachRow(t *testing.T) {
	arm := []Column{Label("policy", "none"), Label("share", "0.4"), Label("surges", `[{"from_day": 1}]`)}
	row := []Column{Label("replication", "0"), Count("n", 3), Measured("mean", 1.23456789), Measured("neg", -2)}
	var c, j bytes.Buffer
	cw, jw := NewCSVWriter(&c), NewJSONWriter(&j)
	for range 2 {
		require.NoError(t, cw.Write(arm, row))
		require.NoError(t, jw.Write(arm, row))
	}
	rows, err := csv.NewReader(&c).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"policy", "share", "surges", "replication", "n", "mean", "neg"},
		{"none", "0.4", `[{"from_day": 1}]`, "0", "3", "1.234568", "-2"},
		{"none", "0.4", `[{"from_day": 1}]`, "0", "3", "1.234568", "-2"}}, rows)
	line, _, _ := strings.Cut(j.String(), "\n")
	assert.Equal(t, `{"policy":"none","share":0.4,"surges":"[{\"from_day\": 1}]","replication":0,"n":3,"mean":1.234568,"neg":-2}`, line)
	var back map[string]any
	require.NoError(t, json.Unmarshal([]byte(line), &back))
}

func TestWritersRefuseRowsWhoseColumnsDiffer(t *testing.T) {
	var b bytes.Buffer
	for _, w := range []interface{ Write(...[]Column) error }{NewCSVWriter(&b), NewJSONWriter(&b)} {
		require.NoError(t, w.Write([]Column{Count("a", 1)}))
		assert.ErrorIs(t, w.Write([]Column{Count("b", 1)}), ErrColumns)
		assert.ErrorIs(t, w.Write([]Column{Count("a", 1), Count("b", 1)}), ErrColumns)
	}
	assert.ErrorIs(t, NewCSVWriter(&b).Write([]Column{Count("a", 1), Count("a", 2)}), ErrColumns, "a key twice")
	assert.ErrorIs(t, NewJSONWriter(&b).Write([]Column{Count("a", 1)}, []Column{Count("a", 2)}), ErrColumns)
}

func TestJSONNumbersAreOnlyWhatJSONCallsNumbers(t *testing.T) {
	for s, want := range map[string]bool{"0": true, "-1.5": true, "1e3": true, "01": false, "1.": false, ".5": false,
		"NaN": false, "+1": false, "": false, "0x10": false, "1 ": false} {
		assert.Equal(t, want, isJSONNumber(s), s)
	}
}

func TestSummaryPairsTheArmsReplicationByReplication(t *testing.T) {
	s := NewSummary([][]Column{{Label("share", "0.2")}, {Label("share", "0.8")}})
	base := []float64{10, 20, 30, 40}
	for r, x := range base {
		require.NoError(t, s.Add(0, r, []Column{Label("replication", "x"), Measured("y", x)}))
		require.NoError(t, s.Add(1, r, []Column{Label("replication", "x"), Measured("y", x+1+0.1*float64(r))}))
	}
	lines := s.Lines()
	require.Len(t, lines, 3)
	assert.Equal(t, "0", lines[0].Arm)
	assert.InDelta(t, 25, lines[0].Mean, 1e-12)
	d := lines[2]
	assert.Equal(t, "1-0", d.Arm)
	assert.Equal(t, []Column{Label("share", "0.8 - 0.2")}, d.Parameters)
	assert.Equal(t, 4, d.N)
	assert.InDelta(t, 1.15, d.Mean, 1e-12)
	// The paired interval is far narrower than either arm's.
	assert.Less(t, d.High-d.Low, 1.0)
	assert.Greater(t, lines[0].High-lines[0].Low, 20.0)
	want := Estimated([]float64{1, 1.1, 1.2, 1.3})
	assert.InDelta(t, want.Low, d.Low, 1e-9)

	// Only replications both arms have are paired.
	require.NoError(t, s.Add(1, 9, []Column{Label("replication", "x"), Measured("y", 100)}))
	assert.Equal(t, 4, s.Lines()[2].N)
	assert.ErrorIs(t, s.Add(0, 5, []Column{Measured("z", 1)}), ErrColumns)
	assert.ErrorIs(t, s.Add(2, 5, []Column{Measured("y", 1)}), ErrColumns)
	assert.ErrorIs(t, s.Add(0, 5, []Column{{Key: "y", Value: "many", Measure: true}}), ErrColumns)

	var b bytes.Buffer
	require.NoError(t, s.WriteCSV(&b))
	rows, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"arm", "share", "result", "n", "mean", "sd", "ci95_low", "ci95_high"}, rows[0])
	assert.Equal(t, []string{"1-0", "0.8 - 0.2", "y", "4", "1.15"}, rows[3][:5])
}

func TestSummaryOfOneReplicationHasNoInterval(t *testing.T) {
	s := NewSummary(nil)
	require.NoError(t, s.Add(0, 0, []Column{Measured("y", 2.5)}))
	var c, tb bytes.Buffer
	require.NoError(t, s.WriteCSV(&c))
	assert.Equal(t, "arm,result,n,mean,sd,ci95_low,ci95_high\n0,y,1,2.5,NA,NA,NA\n", c.String())
	require.NoError(t, s.WriteTable(&tb, "title"))
	assert.Contains(t, tb.String(), "title\n")
	assert.Regexp(t, `y\s+1\s+2\.5\s+-\n`, tb.String())
}

func TestDisplayedRoundsToTheIntervalsPrecision(t *testing.T) {
	for _, c := range []struct {
		e        Estimate
		mean, ci string
	}{
		{Estimate{Mean: 118234.567, Low: 118134.567, High: 118334.567}, "118235", "118135 to 118335"},
		{Estimate{Mean: 5.123456, Low: 5.1, High: 5.146912}, "5.123", "5.100 to 5.147"},
		{Estimate{Mean: 3, Low: 3, High: 3}, "3", "3 to 3"},
		{Estimate{Mean: 3, Low: math.NaN(), High: math.NaN()}, "3", "-"},
	} {
		mean, ci := displayed(c.e)
		assert.Equal(t, c.mean, mean)
		assert.Equal(t, c.ci, ci)
	}
}

func TestRecordTakesAPointAtEachIntervalAndTheEnd(t *testing.T) {
	sim := NewEngine[int](4)
	for d := range 25 {
		sim.At(float64(d)+0.5, d)
	}
	seen := 0
	points, err := Record(context.Background(), sim, 2, 20, 7, func(int) { seen++ }, func(day float64) [2]float64 {
		return [2]float64{day, float64(seen)}
	})
	require.NoError(t, err)
	assert.Equal(t, [][2]float64{{0, 2}, {7, 9}, {14, 16}}, points, "day 21 is past the span")
	assert.Equal(t, 22.0, sim.Now())
	assert.Equal(t, 22, seen)

	// The span's end is a point when the interval divides it, whatever the rounding.
	sim = NewEngine[int](1)
	days, err := Record(context.Background(), sim, 0, 0.3, 0.1, func(int) {}, func(day float64) float64 { return day })
	require.NoError(t, err)
	assert.Len(t, days, 4)

	// A done context stops it at the next point.
	ctx, cancel := context.WithCancel(context.Background())
	sim = NewEngine[int](1)
	days, err = Record(ctx, sim, 0, 100, 10, func(int) {}, func(day float64) float64 {
		if day == 30 {
			cancel()
		}
		return day
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, []float64{0, 10, 20, 30}, days)
	assert.Equal(t, 30.0, sim.Now())
}

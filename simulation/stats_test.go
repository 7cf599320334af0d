package simulation

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStudentTQuantilesMatchTables checks the quantiles against published
// values (R's qt, to the digits shown).
func TestStudentTQuantilesMatchTables(t *testing.T) {
	for _, c := range []struct{ p, df, want float64 }{
		{0.975, 1, 12.706204736},
		{0.975, 2, 4.302652730},
		{0.975, 3, 3.182446305},
		{0.975, 5, 2.570581836},
		{0.975, 9, 2.262157163},
		{0.975, 10, 2.228138852},
		{0.975, 29, 2.045229642},
		{0.975, 30, 2.042272456},
		{0.975, 100, 1.983971519},
		{0.975, 1000, 1.962339081},
		{0.95, 10, 1.812461123},
		{0.995, 4, 4.604094871},
		{0.6, 7, 0.263166861},
		{0.025, 10, -2.228138852},
		{0.975, 2.5, 3.574654842}, // checked by integrating the density
		{0.975, math.Inf(1), 1.959963985},
		{0.5, 3, 0},
	} {
		assert.InDelta(t, c.want, StudentT(c.p, c.df), 5e-9, "p %v df %v", c.p, c.df)
	}
}

func TestStudentTRefusesWhatIsNotADistribution(t *testing.T) {
	for _, c := range []struct{ p, df float64 }{{0, 5}, {1, 5}, {-0.1, 5}, {math.NaN(), 5}, {0.9, 0}, {0.9, -1}, {0.9, math.NaN()}} {
		assert.True(t, math.IsNaN(StudentT(c.p, c.df)), "p %v df %v", c.p, c.df)
	}
}

func TestEstimatedGivesTheTInterval(t *testing.T) {
	// mean 5, sd sqrt(2.5), n 5: half-width 2.776445105 * sqrt(2.5/5).
	e := Estimated([]float64{3, 4, 5, 6, 7})
	assert.Equal(t, 5, e.N)
	assert.InDelta(t, 5, e.Mean, 1e-12)
	assert.InDelta(t, math.Sqrt(2.5), e.SD, 1e-12)
	half := 2.776445105 * math.Sqrt(0.5)
	assert.InDelta(t, 5-half, e.Low, 1e-8)
	assert.InDelta(t, 5+half, e.High, 1e-8)

	one := Estimated([]float64{4})
	assert.Equal(t, 4.0, one.Mean)
	assert.True(t, math.IsNaN(one.Low) && math.IsNaN(one.High), "no interval from one value")
	assert.True(t, math.IsNaN(Estimated(nil).Mean))
}

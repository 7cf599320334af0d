package liminality

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLIM_6_TheModelSaysWhatItRestsOn checks that the coefficients carry
// their units, outcome and period, and that they are adjusted odds ratios
// of a multivariable model; that a model says the base rate it was
// calibrated to; and that the model has no liminality covariate.
func TestLIM_6_TheModelSaysWhatItRestsOn(t *testing.T) {
	for _, c := range []struct {
		coef    Coefficient
		outcome Intention
		per     float64
		unit    string
	}{
		{GapThought(), IntentionThoughtAboutLeaving, 30, "job discrepancy"},
		{GapPlanning(), IntentionPlanningToLeave, 30, "job discrepancy"},
		{SelfEfficacyThought(), IntentionThoughtAboutLeaving, 10, "occupational self-efficacy"},
	} {
		assert.True(t, c.coef.Adjusted, "%s: an adjusted odds ratio of a multivariable model", c.coef.Covariate)
		assert.Equal(t, c.outcome, c.coef.Outcome)
		assert.Equal(t, c.per, c.coef.PerUnits)
		assert.Contains(t, c.coef.Unit, c.unit)
	}
	assert.Equal(t, "in the past 6 months", IntentionThoughtAboutLeaving.Period())
	assert.Equal(t, "in the next 6 months", IntentionPlanningToLeave.Period())
	assert.Empty(t, Intention(9).Period())

	thought := NewModel(IntentionThoughtAboutLeaving)
	assert.Contains(t, thought.Provenance(), "not calibrated")
	cohort := []Covariates{{Gap: 10, SelfEfficacy: 70}, {Gap: 40, SelfEfficacy: 50}, {Gap: 70, SelfEfficacy: 30}}
	m, err := Calibrate(thought, cohort, NALW2020())
	require.NoError(t, err)
	assert.Equal(t, NALW2020(), m.CalibratedTo, "the model carries its base rate")
	assert.Equal(t, 0.29, m.CalibratedTo.Rate)
	assert.Contains(t, m.CalibratedTo.Population, "2020")
	assert.Contains(t, m.CalibratedTo.Period, "within a year")
	p := m.Provenance()
	for _, want := range []string{"thought_about_leaving in the past 6 months", "multivariable", "342", "per 30 points",
		"self-efficacy per 10 points decrease", "0.29", "NALW national survey 2020", "within a year", "approximation",
		"No liminality covariate", "separate flag"} {
		assert.Contains(t, p, want)
	}
	planning, err := Calibrate(NewModel(IntentionPlanningToLeave), cohort, NALW2020())
	require.NoError(t, err)
	assert.Contains(t, planning.Provenance(), "in the next 6 months")
	assert.NotContains(t, planning.Provenance(), "self-efficacy", "no self-efficacy term for planning to leave")

	// The published model has no liminality covariate, and neither has
	// this one: its fields are the outcome, the intercept, the two
	// published slopes and the base rate.
	var fields []string
	for f := range reflect.TypeFor[Model]().Fields() {
		fields = append(fields, f.Name)
	}
	assert.Equal(t, []string{"Intention", "Intercept", "Gap", "SelfEfficacy", "CalibratedTo"}, fields)
	for _, f := range fields {
		assert.NotContains(t, strings.ToLower(f), "limin")
		assert.NotContains(t, strings.ToLower(f), "prolong")
	}
}

// TestLIM_6_CovariatesOutsideTheirRangeAreErrors checks both ends of both
// ranges, on both sides, in Validate, Estimate and Calibrate.
func TestLIM_6_CovariatesOutsideTheirRangeAreErrors(t *testing.T) {
	assert.Equal(t, ScoreRange{Min: 0, Max: 100}, GapRange())
	assert.Equal(t, ScoreRange{Min: 0, Max: 100}, SelfEfficacyRange())
	thought, err := Calibrate(NewModel(IntentionThoughtAboutLeaving), []Covariates{{Gap: 20, SelfEfficacy: 60}, {Gap: 50, SelfEfficacy: 40}}, NALW2020())
	require.NoError(t, err)
	below, above := math.Nextafter(0, -1), math.Nextafter(100, 101)
	for _, c := range []struct {
		name string
		c    Covariates
		ok   bool
	}{
		{"both at the bottom", Covariates{Gap: 0, SelfEfficacy: 0}, true},
		{"both at the top", Covariates{Gap: 100, SelfEfficacy: 100}, true},
		{"gap just below", Covariates{Gap: below, SelfEfficacy: 50}, false},
		{"gap just above", Covariates{Gap: above, SelfEfficacy: 50}, false},
		{"self-efficacy just below", Covariates{Gap: 50, SelfEfficacy: below}, false},
		{"self-efficacy just above", Covariates{Gap: 50, SelfEfficacy: above}, false},
		{"gap far out", Covariates{Gap: 1e300, SelfEfficacy: 50}, false},
	} {
		t.Run("LIM_6 "+c.name, func(t *testing.T) {
			p, err := thought.Estimate(c.c)
			_, calErr := Calibrate(thought, []Covariates{{Gap: 50, SelfEfficacy: 50}, c.c}, NALW2020())
			if c.ok {
				assert.NoError(t, c.c.Validate())
				assert.NoError(t, err)
				assert.Equal(t, thought.Probability(c.c), p)
				assert.NoError(t, calErr)
				return
			}
			assert.ErrorIs(t, c.c.Validate(), ErrCovariateOutOfRange)
			assert.ErrorIs(t, err, ErrCovariateOutOfRange)
			assert.Zero(t, p)
			assert.ErrorIs(t, calErr, ErrCovariateOutOfRange)
			assert.ErrorIs(t, calErr, ErrCalibration)
		})
	}
	_, err = thought.Estimate(Covariates{Gap: math.NaN()})
	assert.ErrorIs(t, err, prescribing.ErrNotFinite)
	_, err = Model{Intention: Intention(7)}.Estimate(Covariates{})
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
}

// TestLIM_6_TheBaseRateNamesItsPopulationAndPeriod checks that a base rate
// must say whom and what period it describes, in text the codec can carry.
func TestLIM_6_TheBaseRateNamesItsPopulationAndPeriod(t *testing.T) {
	cohort := []Covariates{{Gap: 20, SelfEfficacy: 60}}
	m := NewModel(IntentionPlanningToLeave)
	assert.NoError(t, NALW2020().Validate())
	for _, c := range []struct {
		name string
		b    BaseRate
		want error
	}{
		{"no population", BaseRate{Rate: 0.29, Period: "within a year"}, prescribing.ErrMissingDetail},
		{"blank period", BaseRate{Rate: 0.29, Population: "link workers", Period: " \u200b"}, prescribing.ErrMissingDetail},
		{"population not UTF-8", BaseRate{Rate: 0.29, Population: "link\xff", Period: "p"}, prescribing.ErrInvalidText},
		{"period too long", BaseRate{Rate: 0.29, Population: "p", Period: strings.Repeat("x", prescribing.MaxTextBytes+1)}, prescribing.ErrInvalidText},
		{"rate 0", BaseRate{Rate: 0, Population: "p", Period: "p"}, ErrCalibration},
		{"rate 1", BaseRate{Rate: 1, Population: "p", Period: "p"}, ErrCalibration},
		{"rate NaN", BaseRate{Rate: math.NaN(), Population: "p", Period: "p"}, prescribing.ErrNotFinite},
	} {
		t.Run("LIM_6 "+c.name, func(t *testing.T) {
			assert.ErrorIs(t, c.b.Validate(), c.want)
			assert.ErrorIs(t, c.b.Validate(), ErrCalibration)
			got, err := Calibrate(m, cohort, c.b)
			assert.ErrorIs(t, err, c.want)
			assert.Zero(t, got)
		})
	}
}

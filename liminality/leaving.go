package liminality

import (
	"errors"
	"fmt"
	"math"
)

// ErrCalibration reports a model that cannot be calibrated: a target rate
// outside (0, 1), an empty cohort, or covariates that are not finite.
var ErrCalibration = errors.New("cannot calibrate the model")

// Source is where the intention-to-leave coefficients come from.
const Source = "Tierney S, Moore L, et al. Social prescribing link workers considering leaving their role: " +
	"a survey of 342 link workers in England. BJGP Open 2025"

// Coefficient is a published odds ratio turned into a logistic regression
// coefficient per unit (rule LIM-4): ln(OddsRatio) / PerUnits, negated when
// the odds ratio is published per decrease.
type Coefficient struct {
	// Covariate names what is measured.
	Covariate string
	// OddsRatio is the published odds ratio for a change of PerUnits.
	OddsRatio float64
	PerUnits  float64
	// PerDecrease: the odds ratio is published for a decrease.
	PerDecrease bool
	// Source cites where the odds ratio was published.
	Source string
}

// PerUnit returns the logistic coefficient per unit increase of the
// covariate.
func (c Coefficient) PerUnit() float64 {
	b := math.Log(c.OddsRatio) / c.PerUnits
	if c.PerDecrease {
		return -b
	}
	return b
}

// Outcome is what the model estimates.
type Outcome uint8

// Outcomes of the survey.
const (
	// ThoughtAboutLeaving: having thought about leaving in the past 6 months.
	ThoughtAboutLeaving Outcome = iota + 1
	// PlanningToLeave: planning to leave in the next 6 months.
	PlanningToLeave
)

// String returns "thought_about_leaving" or "planning_to_leave".
func (o Outcome) String() string {
	switch o {
	case ThoughtAboutLeaving:
		return "thought_about_leaving"
	case PlanningToLeave:
		return "planning_to_leave"
	}
	return "unset"
}

// Published coefficients (rule LIM-4), from the survey of 342 link workers:
// a larger gap between the expected and the actual job predicted having
// thought about leaving (odds ratio 6.86 per 30-unit increase) and planning
// to leave (4.86 per 30 units); lower confidence in the role (occupational
// self-efficacy) predicted having thought about leaving (1.91 per 10-unit
// decrease) but not planning to leave. Covariates are in the survey's own
// score units.
var (
	GapThought          = Coefficient{Covariate: "expectation-reality gap", OddsRatio: 6.86, PerUnits: 30, Source: Source}
	GapPlanning         = Coefficient{Covariate: "expectation-reality gap", OddsRatio: 4.86, PerUnits: 30, Source: Source}
	SelfEfficacyThought = Coefficient{Covariate: "occupational self-efficacy", OddsRatio: 1.91, PerUnits: 10,
		PerDecrease: true, Source: Source}
)

// Covariates are one link worker's scores, in the survey's units.
type Covariates struct {
	// Gap is the gap between the job expected and the job found.
	Gap float64 `json:"gap"`
	// SelfEfficacy is occupational self-efficacy: confidence in the role.
	SelfEfficacy float64 `json:"self_efficacy"`
}

// Model estimates the probability of intention to leave by logistic
// regression: logit p = Intercept + Gap*gap + SelfEfficacy*self_efficacy.
// The slopes come from the published odds ratios; the intercept is the
// caller's, calibrated to a base rate ([Calibrate]). A Model is a small
// value, safe to copy and to use concurrently.
type Model struct {
	Outcome      Outcome `json:"outcome"`
	Intercept    float64 `json:"intercept"`
	Gap          float64 `json:"gap"`
	SelfEfficacy float64 `json:"self_efficacy"`
}

// NewModel returns the model of an outcome with the published slopes and a
// zero intercept: planning to leave has no self-efficacy term, as the survey
// found none.
func NewModel(o Outcome) Model {
	switch o {
	case ThoughtAboutLeaving:
		return Model{Outcome: o, Gap: GapThought.PerUnit(), SelfEfficacy: SelfEfficacyThought.PerUnit()}
	case PlanningToLeave:
		return Model{Outcome: o, Gap: GapPlanning.PerUnit()}
	}
	return Model{}
}

// Probability returns the estimated probability for one link worker.
func (m Model) Probability(c Covariates) float64 {
	return logistic(m.Intercept + m.Gap*c.Gap + m.SelfEfficacy*c.SelfEfficacy)
}

// OddsRatio returns the model's odds ratio between two link workers: how
// many times the odds of b are those of a.
func (m Model) OddsRatio(a, b Covariates) float64 {
	return math.Exp(m.Gap*(b.Gap-a.Gap) + m.SelfEfficacy*(b.SelfEfficacy-a.SelfEfficacy))
}

// MeanProbability returns the mean estimated probability over a cohort.
func (m Model) MeanProbability(cohort []Covariates) float64 {
	if len(cohort) == 0 {
		return 0
	}
	sum := 0.0
	for _, c := range cohort {
		sum += m.Probability(c)
	}
	return sum / float64(len(cohort))
}

// Calibrate returns the model with the intercept that makes its mean
// probability over the cohort equal the target rate (rule LIM-4): for
// example 0.29, the share of link workers considering leaving within a year
// in the 2020 national survey. The mean probability rises strictly with the
// intercept, so the solution is unique; it is found by bisection to within
// 1e-12.
func Calibrate(m Model, cohort []Covariates, rate float64) (Model, error) {
	switch {
	case !(rate > 0 && rate < 1):
		return Model{}, fmt.Errorf("%w: the target rate %g is not between 0 and 1", ErrCalibration, rate)
	case len(cohort) == 0:
		return Model{}, fmt.Errorf("%w: an empty cohort", ErrCalibration)
	}
	for _, c := range cohort {
		if math.IsNaN(c.Gap) || math.IsInf(c.Gap, 0) || math.IsNaN(c.SelfEfficacy) || math.IsInf(c.SelfEfficacy, 0) {
			return Model{}, fmt.Errorf("%w: a covariate is not a finite number", ErrCalibration)
		}
	}
	// The linear predictors lie within [min, max]; the intercept that gives
	// the target lies within logit(rate) - max .. logit(rate) - min.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range cohort {
		x := m.Gap*c.Gap + m.SelfEfficacy*c.SelfEfficacy
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	target := math.Log(rate / (1 - rate))
	a, b := target-hi-1, target-lo+1
	for range 200 {
		m.Intercept = (a + b) / 2
		if m.MeanProbability(cohort) < rate {
			a = m.Intercept
		} else {
			b = m.Intercept
		}
		if b-a < 1e-12 {
			break
		}
	}
	m.Intercept = (a + b) / 2
	return m, nil
}

func logistic(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

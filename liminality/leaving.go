package liminality

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"math"

	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrCalibration reports a model that cannot be calibrated: a target rate
// outside (0, 1), an empty cohort, or a model, covariates or rate that are
// not finite (those errors wrap [prescribing.ErrNotFinite] too).
var ErrCalibration = errors.New("cannot calibrate the model")

// Citation is where the intention-to-leave coefficients come from.
const Citation = "Tierney S, Moore L, et al. Social prescribing link workers considering leaving their role: " +
	"a survey of 342 link workers in England. BJGP Open 2025"

// Coefficient is a published odds ratio turned into a logistic regression
// coefficient per unit (rule LIM-4): ln(OddsRatio) / PerUnits, negated when
// the odds ratio is published per decrease.
type Coefficient struct {
	// Covariate names what is measured.
	Covariate string `json:"covariate"`
	// OddsRatio is the published odds ratio for a change of PerUnits.
	OddsRatio float64 `json:"odds_ratio"`
	PerUnits  float64 `json:"per_units"`
	// PerDecrease: the odds ratio is published for a decrease.
	PerDecrease bool `json:"per_decrease"`
	// Source cites where the odds ratio was published.
	Citation string `json:"source"`
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

// Intention is what the model estimates.
type Intention uint8

// Outcomes of the survey.
const (
	// ThoughtAboutLeaving: having thought about leaving in the past 6 months.
	IntentionThoughtAboutLeaving Intention = iota + 1
	// PlanningToLeave: planning to leave in the next 6 months.
	IntentionPlanningToLeave
)

var outcomes = prescribing.NewVocabulary[Intention]("intention to leave", "thought_about_leaving", "planning_to_leave")

// Intentions returns both outcomes in order.
func Intentions() []Intention { return outcomes.Values() }

// String returns "thought_about_leaving" or "planning_to_leave".
func (o Intention) String() string { return outcomes.String(o) }

// IsValid reports whether o is a known outcome.
func (o Intention) IsValid() bool { return outcomes.Valid(o) }

// MarshalText implements [encoding.TextMarshaler].
func (o Intention) MarshalText() ([]byte, error) { return outcomes.MarshalText(o) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (o *Intention) UnmarshalText(b []byte) (err error) { *o, err = outcomes.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (o *Intention) Scan(src any) (err error) { *o, err = outcomes.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (o Intention) Value() (driver.Value, error) { return outcomes.Value(o) }

// The published coefficients (rule LIM-4), from the survey of 342 link
// workers ([Citation]): a larger gap between the expected and the actual job
// predicted having thought about leaving (odds ratio 6.86 per 30-unit
// increase) and planning to leave (4.86 per 30 units); lower confidence in
// the role (occupational self-efficacy) predicted having thought about
// leaving (1.91 per 10-unit decrease) but not planning to leave. Covariates
// are in the survey's own score units. They are functions, not variables,
// so that no caller can change the published figures for everyone else.

// GapThought returns the coefficient of the expectation-reality gap for
// having thought about leaving: odds ratio 6.86 per 30-unit increase
// (Tierney, Moore et al., BJGP Open 2025).
func GapThought() Coefficient {
	return Coefficient{Covariate: "expectation-reality gap", OddsRatio: 6.86, PerUnits: 30, Citation: Citation}
}

// GapPlanning returns the coefficient of the expectation-reality gap for
// planning to leave: odds ratio 4.86 per 30-unit increase (Tierney, Moore et
// al., BJGP Open 2025).
func GapPlanning() Coefficient {
	return Coefficient{Covariate: "expectation-reality gap", OddsRatio: 4.86, PerUnits: 30, Citation: Citation}
}

// SelfEfficacyThought returns the coefficient of occupational self-efficacy
// for having thought about leaving: odds ratio 1.91 per 10-unit decrease
// (Tierney, Moore et al., BJGP Open 2025). The survey found no such effect
// on planning to leave.
func SelfEfficacyThought() Coefficient {
	return Coefficient{Covariate: "occupational self-efficacy", OddsRatio: 1.91, PerUnits: 10, PerDecrease: true, Citation: Citation}
}

// Covariates are one link worker's scores, in the survey's units.
type Covariates struct {
	// Gap is the gap between the job expected and the job found.
	Gap float64 `json:"gap"`
	// SelfEfficacy is occupational self-efficacy: confidence in the role.
	SelfEfficacy float64 `json:"self_efficacy"`
}

// Validate returns an error wrapping [prescribing.ErrNotFinite] if a score
// is NaN or infinite.
func (c Covariates) Validate() error {
	if err := prescribing.CheckFinite("the gap", c.Gap); err != nil {
		return err
	}
	return prescribing.CheckFinite("self-efficacy", c.SelfEfficacy)
}

// Model estimates the probability of intention to leave by logistic
// regression: logit p = Intercept + Gap*gap + SelfEfficacy*self_efficacy.
// The slopes come from the published odds ratios; the intercept is the
// caller's, calibrated to a base rate ([Calibrate]). A Model is a small
// value, safe to copy and to use concurrently.
type Model struct {
	Intention    Intention `json:"outcome"`
	Intercept    float64   `json:"intercept"`
	Gap          float64   `json:"gap"`
	SelfEfficacy float64   `json:"self_efficacy"`
}

// NewModel returns the model of an outcome with the published slopes and a
// zero intercept: planning to leave has no self-efficacy term, as the survey
// found none.
func NewModel(o Intention) Model {
	switch o {
	case IntentionThoughtAboutLeaving:
		return Model{Intention: o, Gap: GapThought().PerUnit(), SelfEfficacy: SelfEfficacyThought().PerUnit()}
	case IntentionPlanningToLeave:
		return Model{Intention: o, Gap: GapPlanning().PerUnit()}
	}
	return Model{}
}

// Validate returns an error if the outcome is not a known one (wrapping
// [prescribing.ErrUnknownValue]) or a coefficient is NaN or infinite
// (wrapping [prescribing.ErrNotFinite]).
func (m Model) Validate() error {
	if !m.Intention.IsValid() {
		return fmt.Errorf("%w: outcome %s", prescribing.ErrUnknownValue, m.Intention)
	}
	for _, c := range []struct {
		what string
		v    float64
	}{{"the intercept", m.Intercept}, {"the gap coefficient", m.Gap}, {"the self-efficacy coefficient", m.SelfEfficacy}} {
		if err := prescribing.CheckFinite(c.what, c.v); err != nil {
			return err
		}
	}
	return nil
}

// Probability returns the estimated probability for one link worker. It
// does not check its input: a model or covariates that are not finite (see
// their Validate methods) give NaN.
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
	if err := prescribing.CheckFinite("the target rate", rate); err != nil {
		return Model{}, fmt.Errorf("%w: %w", ErrCalibration, err)
	}
	switch {
	case !(rate > 0 && rate < 1):
		return Model{}, fmt.Errorf("%w: the target rate %g is not between 0 and 1", ErrCalibration, rate)
	case len(cohort) == 0:
		return Model{}, fmt.Errorf("%w: an empty cohort", ErrCalibration)
	}
	if err := m.Validate(); err != nil {
		return Model{}, fmt.Errorf("%w: %w", ErrCalibration, err)
	}
	for i, c := range cohort {
		if err := c.Validate(); err != nil {
			return Model{}, fmt.Errorf("%w: covariates %d: %w", ErrCalibration, i, err)
		}
		if err := prescribing.CheckFinite("a linear predictor", m.Gap*c.Gap+m.SelfEfficacy*c.SelfEfficacy); err != nil {
			return Model{}, fmt.Errorf("%w: covariates %d: %w", ErrCalibration, i, err)
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
		m.Intercept = a/2 + b/2 // halves first: no overflow at the extremes
		if m.MeanProbability(cohort) < rate {
			a = m.Intercept
		} else {
			b = m.Intercept
		}
		if b-a < 1e-12 {
			break
		}
	}
	m.Intercept = a/2 + b/2 // halves first: no overflow at the extremes
	return m, nil
}

func logistic(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

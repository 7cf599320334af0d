package liminality

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrCalibration reports a model that cannot be calibrated: a target rate
// outside (0, 1), a base rate that does not name its population and period,
// an empty cohort, or a model, covariates or rate that are not finite
// (those errors wrap [prescribing.ErrNotFinite] too) or covariates outside
// their range (wrapping [ErrCovariateOutOfRange] too).
var ErrCalibration = errors.New("cannot calibrate the model")

// ErrCovariateOutOfRange reports a covariate outside the range of its
// instrument's scale ([GapRange], [SelfEfficacyRange]): the published odds
// ratios say nothing about scores no respondent could have given (rule
// LIM-6).
var ErrCovariateOutOfRange = errors.New("covariate outside its range")

// Citation is where the intention-to-leave coefficients come from.
const Citation = "Tierney S, Moore L, et al. Factors associated with link workers considering leaving their role: " +
	"a cross-sectional survey of 342 link workers in the United Kingdom. BJGP Open 2025. doi:10.3399/BJGPO.2024.0128"

// Coefficient is a published odds ratio turned into a logistic regression
// coefficient per unit (rule LIM-4): ln(OddsRatio) / PerUnits, negated when
// the odds ratio is published per decrease.
//
// The published odds ratios come from a multivariable logistic model fitted
// to the survey's 342 respondents (rule LIM-6): each is adjusted for the
// model's other covariates, so it is the association of its covariate with
// the other covariates held fixed. This library keeps only the two
// covariates whose odds ratios were published; the rest of the published
// model is absorbed into the intercept the caller calibrates ([Calibrate]),
// which is an approximation, not the published model.
type Coefficient struct {
	// Covariate names what is measured.
	Covariate string `json:"covariate"`
	// Unit says what one unit of the covariate is: a point on its
	// instrument's scale.
	Unit string `json:"unit"`
	// OddsRatio is the published odds ratio for a change of PerUnits.
	OddsRatio float64 `json:"odds_ratio"`
	PerUnits  float64 `json:"per_units"`
	// PerDecrease: the odds ratio is published for a decrease.
	PerDecrease bool `json:"per_decrease"`
	// Adjusted: the odds ratio is adjusted for the other covariates of a
	// multivariable model, not a crude (one-covariate) association.
	Adjusted bool `json:"adjusted"`
	// Outcome is the outcome the odds ratio is for, with its period.
	Outcome Intention `json:"outcome"`
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

// Outcomes of the survey, each over its own six months (rule LIM-6).
const (
	// ThoughtAboutLeaving: having thought about leaving the role in the
	// past 6 months (the survey's "past intention to leave").
	IntentionThoughtAboutLeaving Intention = iota + 1
	// PlanningToLeave: planning to leave the role in the next 6 months (the
	// survey's "future intention to leave").
	IntentionPlanningToLeave
)

// Period returns the period the outcome covers: "in the past 6 months" or
// "in the next 6 months", or "" for an unknown outcome.
func (o Intention) Period() string {
	switch o {
	case IntentionThoughtAboutLeaving:
		return "in the past 6 months"
	case IntentionPlanningToLeave:
		return "in the next 6 months"
	}
	return ""
}

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
// workers in the United Kingdom at the end of 2023 ([Citation]): a larger gap
// between the expected and the actual job (job discrepancy) predicted
// having thought about leaving in the past 6 months (odds ratio 6.86 per
// 30-unit increase) and planning to leave in the next 6 months (4.86 per 30
// units); lower confidence in the role (occupational self-efficacy)
// predicted having thought about leaving (1.91 per 10-unit decrease) but not
// planning to leave. The odds ratios are adjusted ones, from a
// multivariable logistic model (rule LIM-6). Covariates are in the
// instruments' own score units ([GapRange], [SelfEfficacyRange]). They are
// functions, not variables, so that no caller can change the published
// figures for everyone else.

// Units of the two covariates (rule LIM-6).
const (
	gapUnit          = "one point on the job discrepancy scale (expected against actual job)"
	selfEfficacyUnit = "one point on the occupational self-efficacy scale"
)

// GapThought returns the coefficient of the expectation-reality gap for
// having thought about leaving in the past 6 months: adjusted odds ratio
// 6.86 per 30-unit increase (Tierney, Moore et al., BJGP Open 2025).
func GapThought() Coefficient {
	return Coefficient{Covariate: "expectation-reality gap", Unit: gapUnit, OddsRatio: 6.86, PerUnits: 30,
		Adjusted: true, Outcome: IntentionThoughtAboutLeaving, Citation: Citation}
}

// GapPlanning returns the coefficient of the expectation-reality gap for
// planning to leave in the next 6 months: adjusted odds ratio 4.86 per
// 30-unit increase (Tierney, Moore et al., BJGP Open 2025).
func GapPlanning() Coefficient {
	return Coefficient{Covariate: "expectation-reality gap", Unit: gapUnit, OddsRatio: 4.86, PerUnits: 30,
		Adjusted: true, Outcome: IntentionPlanningToLeave, Citation: Citation}
}

// SelfEfficacyThought returns the coefficient of occupational self-efficacy
// for having thought about leaving in the past 6 months: adjusted odds
// ratio 1.91 per 10-unit decrease (Tierney, Moore et al., BJGP Open 2025).
// The survey found no such effect on planning to leave.
func SelfEfficacyThought() Coefficient {
	return Coefficient{Covariate: "occupational self-efficacy", Unit: selfEfficacyUnit, OddsRatio: 1.91, PerUnits: 10,
		PerDecrease: true, Adjusted: true, Outcome: IntentionThoughtAboutLeaving, Citation: Citation}
}

// ScoreRange is the range of an instrument's scale, both ends included.
type ScoreRange struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Contains reports whether v lies within the range, both ends included.
func (r ScoreRange) Contains(v float64) bool { return v >= r.Min && v <= r.Max }

// GapRange returns the range of the job discrepancy score: 0 (the job is as
// expected) to 100 (rule LIM-6). The published abstract gives the odds
// ratio per 30 units but not the scale's range, and this library could not
// confirm it; 0 to 100 is its choice, a bound wide enough that a 30-unit
// step is a fraction of it, as the published unit implies. A caller whose
// instrument scores differently must rescale to it.
func GapRange() ScoreRange { return ScoreRange{Min: 0, Max: 100} }

// SelfEfficacyRange returns the range of the occupational self-efficacy
// score: 0 to 100 (rule LIM-6). As for [GapRange], the published abstract
// gives the odds ratio per 10 units but not the scale's range, which this
// library could not confirm; 0 to 100 is its choice, and a caller whose
// instrument scores differently must rescale to it.
func SelfEfficacyRange() ScoreRange { return ScoreRange{Min: 0, Max: 100} }

// Covariates are one link worker's scores, in the instruments' units.
type Covariates struct {
	// Gap is the gap between the job expected and the job found (job
	// discrepancy), within [GapRange].
	Gap float64 `json:"gap"`
	// SelfEfficacy is occupational self-efficacy: confidence in the role,
	// within [SelfEfficacyRange].
	SelfEfficacy float64 `json:"self_efficacy"`
}

// Validate returns an error wrapping [prescribing.ErrNotFinite] if a score
// is NaN or infinite, or [ErrCovariateOutOfRange] if it lies outside its
// range ([GapRange], [SelfEfficacyRange]); both ends are in range (rule
// LIM-6).
func (c Covariates) Validate() error {
	if err := prescribing.CheckFinite("the gap", c.Gap); err != nil {
		return err
	}
	if err := prescribing.CheckFinite("self-efficacy", c.SelfEfficacy); err != nil {
		return err
	}
	if r := GapRange(); !r.Contains(c.Gap) {
		return fmt.Errorf("%w: the gap %g is outside %g to %g (LIM-6)", ErrCovariateOutOfRange, c.Gap, r.Min, r.Max)
	}
	if r := SelfEfficacyRange(); !r.Contains(c.SelfEfficacy) {
		return fmt.Errorf("%w: self-efficacy %g is outside %g to %g (LIM-6)", ErrCovariateOutOfRange, c.SelfEfficacy, r.Min, r.Max)
	}
	return nil
}

// BaseRate is a share of link workers with an intention to leave, with the
// population it was measured in and the period it covers, which a
// calibrated [Model] carries so that its estimate can say what it rests on
// (rule LIM-6). Population and Period are required: not blank, and text as
// [prescribing.CheckText] accepts it.
type BaseRate struct {
	// Rate is the share, strictly between 0 and 1.
	Rate float64 `json:"rate"`
	// Population is who was measured ("link workers in England, NALW
	// national survey 2020").
	Population string `json:"population"`
	// Period is the outcome and its period ("considering leaving within a
	// year").
	Period string `json:"period"`
}

// NALW2020 returns the base rate of the National Association of Link
// Workers' national survey of 2020: 29% of link workers considering leaving
// within a year. Its population (link workers in 2020, before the
// 2023 survey) and period (within a year) differ from both outcomes of
// the published model (past 6 months, next 6 months), so a model calibrated
// to it is an approximation (rule LIM-6).
func NALW2020() BaseRate {
	return BaseRate{Rate: 0.29, Population: "link workers in the NALW national survey 2020",
		Period: "considering leaving within a year"}
}

// Validate returns an error wrapping [ErrCalibration] for a rate not
// strictly between 0 and 1 (or not finite, wrapping
// [prescribing.ErrNotFinite] too), or a population or period that is blank
// ([prescribing.ErrMissingDetail] too) or not valid text
// ([prescribing.ErrInvalidText] too).
func (b BaseRate) Validate() error {
	if err := prescribing.CheckFinite("the base rate", b.Rate); err != nil {
		return fmt.Errorf("%w: %w", ErrCalibration, err)
	}
	if !(b.Rate > 0 && b.Rate < 1) {
		return fmt.Errorf("%w: the base rate %g is not between 0 and 1", ErrCalibration, b.Rate)
	}
	for _, f := range []struct{ what, v string }{{"the base rate's population", b.Population}, {"the base rate's period", b.Period}} {
		if err := prescribing.CheckText(f.what, f.v); err != nil {
			return fmt.Errorf("%w: %w", ErrCalibration, err)
		}
		if prescribing.IsBlank(f.v) {
			return fmt.Errorf("%w: %w: %s is not named (LIM-6)", ErrCalibration, prescribing.ErrMissingDetail, f.what)
		}
	}
	return nil
}

// Model estimates the probability of intention to leave by logistic
// regression: logit p = Intercept + Gap*gap + SelfEfficacy*self_efficacy.
// The slopes come from the published adjusted odds ratios of a
// multivariable model; the intercept is the caller's, calibrated to a base
// rate ([Calibrate]) whose population and period the model carries in
// CalibratedTo (rule LIM-6).
//
// The model has no liminality covariate, because the published model has
// none: prolonged liminality (rule LIM-3) is linked to leaving in the
// interview study, but with no published effect size, so the library does
// not add it to the estimate. Report it beside the estimate as its own flag
// ([Overview]).
//
// A Model is a small value, safe to copy and to use concurrently.
type Model struct {
	Intention    Intention `json:"outcome"`
	Intercept    float64   `json:"intercept"`
	Gap          float64   `json:"gap"`
	SelfEfficacy float64   `json:"self_efficacy"`
	// CalibratedTo is the base rate the intercept was calibrated to; zero
	// before calibration.
	CalibratedTo BaseRate `json:"calibrated_to,omitzero"`
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
// their Validate methods) give NaN, and covariates outside their range give
// a number the published model does not support. [Model.Estimate] checks.
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

// Estimate returns the estimated probability for one link worker, after
// checking the model ([Model.Validate]) and the covariates
// ([Covariates.Validate]: finite, and within their ranges, rule LIM-6).
func (m Model) Estimate(c Covariates) (float64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if err := c.Validate(); err != nil {
		return 0, err
	}
	return m.Probability(c), nil
}

// Provenance says in one paragraph what an estimate of the model rests on
// (rule LIM-6): the outcome and its period, that the slopes are adjusted
// odds ratios of a multivariable model of 342 respondents, the base rate
// the intercept was calibrated to with its population and period, and that
// calibrating to a base rate of another population or period is an
// approximation. It holds no personal data.
func (m Model) Provenance() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Outcome: %s %s. ", m.Intention, m.Intention.Period())
	b.WriteString("Slopes: adjusted odds ratios from a multivariable logistic model of 342 link workers surveyed at the end of 2023 " +
		"(Tierney, Moore et al., BJGP Open 2025): job discrepancy per 30 points")
	if m.SelfEfficacy != 0 {
		b.WriteString(", occupational self-efficacy per 10 points decrease")
	}
	b.WriteString("; the model's other covariates are not included. ")
	if m.CalibratedTo == (BaseRate{}) {
		b.WriteString("Intercept: not calibrated. ")
	} else {
		fmt.Fprintf(&b, "Intercept: calibrated to %g of %s, %s; that population and period differ from the outcome's, "+
			"so the estimate is an approximation. ", m.CalibratedTo.Rate, m.CalibratedTo.Population, m.CalibratedTo.Period)
	}
	b.WriteString("No liminality covariate: prolonged liminality is reported as a separate flag.")
	return b.String()
}

// Calibrate returns the model with the intercept that makes its mean
// probability over the cohort equal the base rate (rules LIM-4, LIM-6), and
// records the base rate in the model's CalibratedTo. The caller names the
// base rate's population and period ([BaseRate]); [NALW2020] is the 29% of
// link workers considering leaving within a year in the 2020 national
// survey, whose population and period differ from the model's outcomes, so
// calibrating to it is an approximation. Every covariate of the cohort must
// be finite and within its range ([Covariates.Validate]). The mean
// probability rises strictly with the intercept, so the solution is unique;
// it is found by bisection to within 1e-12.
func Calibrate(m Model, cohort []Covariates, base BaseRate) (Model, error) {
	if err := base.Validate(); err != nil {
		return Model{}, err
	}
	rate := base.Rate
	if len(cohort) == 0 {
		return Model{}, fmt.Errorf("%w: an empty cohort", ErrCalibration)
	}
	if err := m.Validate(); err != nil {
		return Model{}, fmt.Errorf("%w: %w", ErrCalibration, err)
	}
	// The linear predictors lie within [min, max]; the intercept that gives
	// the target lies within logit(rate) - max .. logit(rate) - min.
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, c := range cohort {
		if err := c.Validate(); err != nil {
			return Model{}, fmt.Errorf("%w: covariates %d: %w", ErrCalibration, i, err)
		}
		x := m.Gap*c.Gap + m.SelfEfficacy*c.SelfEfficacy
		if err := prescribing.CheckFinite("a linear predictor", x); err != nil {
			return Model{}, fmt.Errorf("%w: covariates %d: %w", ErrCalibration, i, err)
		}
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
	m.CalibratedTo = base
	return m, nil
}

func logistic(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

package embeddedness

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Errors of frameworks and assessments.
var (
	// ErrUnknownIndicator reports an observation of an indicator the
	// framework does not have.
	ErrUnknownIndicator = errors.New("unknown indicator")
	// ErrInvalidIndicator reports an indicator without a key or a concept,
	// or a key given twice.
	ErrInvalidIndicator = errors.New("invalid indicator")
	// ErrInvalidObservation reports a score outside 0-1, or an indicator
	// observed twice in one assessment.
	ErrInvalidObservation = errors.New("invalid observation")
)

// Indicator is an observable sign of embeddedness, tied to one of the four
// concepts (rule EMB-2).
type Indicator struct {
	// Key identifies the indicator in observations ("room").
	Key     string  `json:"key"`
	Concept Concept `json:"concept"`
	// Description says what is observed.
	Description string `json:"description"`
}

// The default indicators: what the study saw in practice (Tierney et al.,
// BJGP 2025).
const (
	IndicatorClinicalSystem       = "clinical_system_access"
	IndicatorRoom                 = "room"
	IndicatorSupervision          = "supervision"
	IndicatorTeamMeetings         = "team_meetings"
	IndicatorStaffKnowRole        = "staff_know_role"
	IndicatorAppropriateReferrals = "appropriate_referrals"
	IndicatorFeedbackShown        = "feedback_shown"
)

// DefaultIndicators returns the indicators seen in practice, each tied to
// its concept. The slice is the caller's.
func DefaultIndicators() []Indicator {
	return []Indicator{
		{IndicatorTeamMeetings, ConceptPower, "invited to practice team meetings"},
		{IndicatorStaffKnowRole, ConceptIdentity, "staff know who the link worker is and what to refer"},
		{IndicatorAppropriateReferrals, ConceptIdentity, "few inappropriate referrals from the practice (EMB-5)"},
		{IndicatorFeedbackShown, ConceptEffect, "feedback and outcomes shown to the practice"},
		{IndicatorClinicalSystem, ConceptInfrastructure, "access to the clinical IT system and medical records"},
		{IndicatorRoom, ConceptInfrastructure, "a room to see people in"},
		{IndicatorSupervision, ConceptInfrastructure, "supervision"},
	}
}

// Thresholds turn an overall score into a position: below FittingIn is
// bolted on, below Belonging is fitting in, the rest belonging (before rule
// EMB-3 is applied).
type Thresholds struct {
	FittingIn float64 `json:"fitting_in"`
	Belonging float64 `json:"belonging"`
}

// DefaultThresholds split the 0-1 score in thirds.
func DefaultThresholds() Thresholds { return Thresholds{FittingIn: 1.0 / 3, Belonging: 2.0 / 3} }

// Framework is a set of indicators that assessments are scored against,
// with the thresholds between positions. It is immutable once made and safe
// for concurrent use.
type Framework struct {
	indicators []Indicator
	byKey      map[string]int
	thresholds Thresholds
}

// DefaultFramework returns the framework of [DefaultIndicators] and
// [DefaultThresholds].
func DefaultFramework() *Framework {
	f, err := NewFramework(DefaultThresholds(), DefaultIndicators()...)
	if err != nil {
		panic("embeddedness: default framework: " + err.Error()) // the defaults are constants
	}
	return f
}

// NewFramework returns a framework of the given indicators. Every concept
// needs at least one indicator; keys must be unique, not blank, and keys and
// descriptions valid text ([prescribing.CheckText]); thresholds must be
// finite and satisfy 0 < FittingIn < Belonging <= 1. Errors wrap
// [ErrInvalidIndicator], and also [prescribing.ErrNotFinite] or
// [prescribing.ErrInvalidText] when those are the cause.
func NewFramework(t Thresholds, indicators ...Indicator) (*Framework, error) {
	for _, v := range []struct {
		what string
		v    float64
	}{{"the fitting in threshold", t.FittingIn}, {"the belonging threshold", t.Belonging}} {
		if err := prescribing.CheckFinite(v.what, v.v); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidIndicator, err)
		}
	}
	if !(0 < t.FittingIn && t.FittingIn < t.Belonging && t.Belonging <= 1) {
		return nil, fmt.Errorf("%w: thresholds must satisfy 0 < fitting in (%g) < belonging (%g) <= 1",
			ErrInvalidIndicator, t.FittingIn, t.Belonging)
	}
	f := &Framework{byKey: make(map[string]int, len(indicators)), thresholds: t}
	var covered prescribing.Set[Concept]
	for i, in := range indicators {
		if err := prescribing.CheckText(fmt.Sprintf("the key of indicator %d", i), in.Key); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidIndicator, err)
		}
		if err := prescribing.CheckText(fmt.Sprintf("the description of indicator %d", i), in.Description); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidIndicator, err)
		}
		switch {
		case prescribing.IsBlank(in.Key):
			return nil, fmt.Errorf("%w: an indicator needs a key", ErrInvalidIndicator)
		case in.Concept == 0:
			return nil, fmt.Errorf("%w: indicator %s is tied to no concept", ErrInvalidIndicator, quoteKey(in.Key))
		case !in.Concept.IsValid():
			return nil, fmt.Errorf("%w: indicator %s: %w: %s", ErrInvalidIndicator, quoteKey(in.Key), prescribing.ErrUnknownValue, in.Concept)
		}
		if _, dup := f.byKey[in.Key]; dup {
			return nil, fmt.Errorf("%w: indicator %s given twice", ErrInvalidIndicator, quoteKey(in.Key))
		}
		f.byKey[in.Key] = len(f.indicators)
		f.indicators = append(f.indicators, in)
		covered = covered.With(in.Concept)
	}
	if covered.Len() != len(Concepts()) {
		return nil, fmt.Errorf("%w: every concept needs an indicator; missing %s", ErrInvalidIndicator,
			prescribing.SetOf(Concepts()...).Without(covered))
	}
	return f, nil
}

// With returns a framework with the extra indicators added (rule EMB-2:
// callers extend the default set).
func (f *Framework) With(extra ...Indicator) (*Framework, error) {
	return NewFramework(f.thresholds, slices.Concat(f.indicators, extra)...)
}

// Indicators returns the framework's indicators. The slice is the caller's.
func (f *Framework) Indicators() []Indicator { return slices.Clone(f.indicators) }

// Indicator returns the indicator with the key, and false if there is none.
func (f *Framework) Indicator(key string) (Indicator, bool) {
	i, ok := f.byKey[key]
	if !ok {
		return Indicator{}, false
	}
	return f.indicators[i], true
}

// Observation is how far one indicator is in place, from 0 (not at all) to
// 1 (fully).
type Observation struct {
	Indicator string  `json:"indicator"`
	Score     float64 `json:"score"`
}

// Met returns an observation of an indicator fully in place, or not at all.
func Met(indicator string, met bool) Observation {
	if met {
		return Observation{Indicator: indicator, Score: 1}
	}
	return Observation{Indicator: indicator, Score: 0}
}

// Assessment is one link worker at one practice on one date: the indicators
// observed and the evidence of adjustment (rule EMB-2).
type Assessment struct {
	ID           AssessmentID             `json:"id"`
	LinkWorker   prescribing.LinkWorkerID `json:"link_worker"`
	Practice     prescribing.PracticeID   `json:"practice"`
	On           time.Time                `json:"on"`
	Observations []Observation            `json:"observations"`
	Adjustments  Adjustments              `json:"adjustments,omitzero"`
}

// AssessmentID identifies an [Assessment].
type AssessmentID = prescribing.ID[Assessment]

// ConceptScore is the score of one concept: the mean of its observed
// indicators, and how many were observed.
type ConceptScore struct {
	Concept  Concept `json:"concept"`
	Score    float64 `json:"score"`
	Observed int     `json:"observed"`
}

// HeldBack is a reason an assessment's position is not higher: an indicator
// not fully in place, or (with no indicator) missing evidence of adjustment.
type HeldBack struct {
	Indicator string  `json:"indicator,omitempty"`
	Concept   Concept `json:"concept,omitzero"`
	Score     float64 `json:"score"`
	Why       string  `json:"why"`
}

// Result is what an assessment yields (rule EMB-2): a score per concept, an
// overall score (the mean of the observed concepts), the position, and what
// holds it back, weakest first.
type Result struct {
	Concepts []ConceptScore `json:"concepts"`
	Overall  float64        `json:"overall"`
	Position Position       `json:"position"`
	// CappedByAdjustment: the score reached belonging but the position is
	// fitting in for want of evidence of adjustment by both sides (EMB-3).
	CappedByAdjustment bool       `json:"capped_by_adjustment,omitempty"`
	HeldBack           []HeldBack `json:"held_back,omitempty"`
}

// Assess scores an assessment against the framework (rules EMB-2, EMB-3).
// Concepts with no observation are left out of the overall score and
// reported with Observed 0; an assessment must observe at least one
// indicator. It refuses, with an error wrapping a documented sentinel,
// what [Assessment.Validate] refuses and indicators the framework does not
// have ([ErrUnknownIndicator]).
func (f *Framework) Assess(a Assessment) (Result, error) {
	if err := a.Validate(); err != nil {
		return Result{}, err
	}
	var sum [len(conceptIndex)]float64
	var n [len(conceptIndex)]int
	var held []HeldBack
	for _, o := range a.Observations {
		in, ok := f.Indicator(o.Indicator)
		if !ok {
			return Result{}, fmt.Errorf("%w: %s", ErrUnknownIndicator, quoteKey(o.Indicator))
		}
		sum[in.Concept] += o.Score
		n[in.Concept]++
		if o.Score < 1 {
			held = append(held, HeldBack{Indicator: in.Key, Concept: in.Concept, Score: o.Score, Why: in.Description})
		}
	}
	var r Result
	observed := 0
	for _, c := range Concepts() {
		cs := ConceptScore{Concept: c, Observed: n[c]}
		if n[c] > 0 {
			cs.Score = sum[c] / float64(n[c])
			r.Overall += cs.Score
			observed++
		}
		r.Concepts = append(r.Concepts, cs)
	}
	r.Overall /= float64(observed)
	switch {
	case r.Overall >= f.thresholds.Belonging:
		r.Position = PositionBelonging
	case r.Overall >= f.thresholds.FittingIn:
		r.Position = PositionFittingIn
	default:
		r.Position = PositionBoltedOn
	}
	if r.Position == PositionBelonging && !a.Adjustments.Both() {
		r.Position, r.CappedByAdjustment = PositionFittingIn, true
		held = append(held, HeldBack{Why: "no evidence of adjustment by " + missingSides(a.Adjustments) + " (EMB-3)"})
	}
	slices.SortStableFunc(held, func(x, y HeldBack) int {
		if x.Indicator == "" || y.Indicator == "" { // the adjustment note comes first
			return boolCompare(x.Indicator != "", y.Indicator != "")
		}
		if x.Score != y.Score {
			if x.Score < y.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Indicator, y.Indicator)
	})
	r.HeldBack = held
	return r, nil
}

// Validate checks what an assessment records, whatever the framework: the
// link worker and the practice (else [prescribing.ErrInvalidID]); a date
// (else [prescribing.ErrNoTime]) in the years JSON can carry (else
// [prescribing.ErrTimeOutOfRange]); at least one observation, each of a
// key that is valid text and not blank, observed once, with a finite score
// from 0 to 1 (else [ErrInvalidObservation], wrapping
// [prescribing.ErrInvalidText] or [prescribing.ErrNotFinite] when those are
// the cause); and whole evidence of adjustment, or none, on each side (else
// [ErrInvalidAdjustment]). The assessment's own ID is checked when it is
// recorded ([Record.Assess]).
func (a Assessment) Validate() error {
	switch {
	case a.LinkWorker.IsZero() || a.Practice.IsZero():
		return fmt.Errorf("%w: an assessment names the link worker and the practice", prescribing.ErrInvalidID)
	case a.On.IsZero():
		return fmt.Errorf("assessment: %w", prescribing.ErrNoTime)
	case len(a.Observations) == 0:
		return fmt.Errorf("%w: an assessment observes at least one indicator", ErrInvalidObservation)
	}
	if err := prescribing.CheckTimeRange(a.On); err != nil {
		return fmt.Errorf("assessment: %w", err)
	}
	seen := make(map[string]bool, len(a.Observations))
	for i, o := range a.Observations {
		if err := prescribing.CheckText(fmt.Sprintf("the indicator of observation %d", i), o.Indicator); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidObservation, err)
		}
		if prescribing.IsBlank(o.Indicator) {
			return fmt.Errorf("%w: observation %d names no indicator", ErrInvalidObservation, i)
		}
		if err := checkScore(fmt.Sprintf("the score of %s", quoteKey(o.Indicator)), o.Score); err != nil {
			return err
		}
		if seen[o.Indicator] {
			return fmt.Errorf("%w: %s observed twice", ErrInvalidObservation, quoteKey(o.Indicator))
		}
		seen[o.Indicator] = true
	}
	return a.Adjustments.Validate()
}

// checkScore refuses a score that is not finite or outside 0-1.
func checkScore(what string, v float64) error {
	if err := prescribing.CheckFinite(what, v); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidObservation, err)
	}
	if v < 0 || v > 1 {
		return fmt.Errorf("%w: %s is %g, want 0-1", ErrInvalidObservation, what, v)
	}
	return nil
}

// quoteKey quotes an indicator key for an error message, cut short so that
// a hostile key cannot fill a log.
func quoteKey(k string) string {
	const limit = 60
	if len(k) > limit {
		return strconv.Quote(k[:limit]) + "..."
	}
	return strconv.Quote(k)
}

// conceptIndex sizes per-concept arrays, with a zero slot.
var conceptIndex = [...]Concept{0, ConceptPower, ConceptIdentity, ConceptEffect, ConceptInfrastructure}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	default:
		return 1
	}
}

// Explain returns the result in a line: "fitting_in (0.58): held back by
// feedback_shown 0, room 0.5".
func (r Result) Explain() string {
	var parts []string
	for _, h := range r.HeldBack {
		if h.Indicator == "" {
			parts = append(parts, h.Why)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %g", h.Indicator, h.Score))
	}
	why := "nothing held back"
	if len(parts) > 0 {
		why = "held back by " + strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%s (%.2f): %s", r.Position, r.Overall, why)
}

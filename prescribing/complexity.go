package prescribing

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Complexity is the complexity of a person's needs (rule CPLX-1). The NHS
// England guidance makes a link worker's caseload depend on it: people
// with complex needs take more time.
type Complexity uint8

// Complexities of need.
const (
	// ComplexityLow: one need, or a few that are simple to answer.
	ComplexityLow Complexity = iota + 1
	// ComplexityModerate: several needs, or one that takes time.
	ComplexityModerate
	// ComplexityHigh: many needs that bear on each other, or needs that
	// call for other services alongside (mental health, debt, housing).
	ComplexityHigh
)

var complexities = NewVocabulary[Complexity]("complexity", "low", "moderate", "high")

// Complexities returns every complexity in order.
func Complexities() []Complexity { return complexities.Values() }

// String returns the complexity's text form ("moderate").
func (c Complexity) String() string { return complexities.String(c) }

// IsValid reports whether c is a known complexity.
func (c Complexity) IsValid() bool { return complexities.Valid(c) }

// MarshalText implements [encoding.TextMarshaler].
func (c Complexity) MarshalText() ([]byte, error) { return complexities.MarshalText(c) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (c *Complexity) UnmarshalText(b []byte) (err error) {
	*c, err = complexities.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (c *Complexity) Scan(src any) (err error) { *c, err = complexities.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (c Complexity) Value() (driver.Value, error) { return complexities.Value(c) }

// ReferralComplexityAssessed records the complexity of need assessed on a
// referral (rule CPLX-1).
type ReferralComplexityAssessed struct {
	Referral   ReferralID `json:"referral"`
	Complexity Complexity `json:"complexity"`
	At         time.Time  `json:"at"`
}

// EventType returns "referral.complexity_assessed".
func (ReferralComplexityAssessed) EventType() string { return "referral.complexity_assessed" }

// EventTime returns e.At.
func (e ReferralComplexityAssessed) EventTime() time.Time { return e.At }

// EventStream returns the referral stream of the referral.
func (e ReferralComplexityAssessed) EventStream() Stream {
	return StreamOf(StreamKindReferral, e.Referral)
}

// AssessComplexity records the complexity of the person's needs (rule
// CPLX-1) while the referral is received or live; a later assessment
// replaces an earlier one. A value outside the vocabulary (or zero) is
// refused with an error wrapping [ErrUnknownValue], a referral that has
// ended with [ErrUnexpectedEvent], and a time [CheckTime] refuses; every
// refusal returns the zero event.
func (r *Referral) AssessComplexity(at time.Time, c Complexity) (ReferralComplexityAssessed, error) {
	e := ReferralComplexityAssessed{Referral: r.id, Complexity: c, At: Stamp(at)}
	if err := r.applyComplexity(e); err != nil {
		return ReferralComplexityAssessed{}, err
	}
	return e, nil
}

// Complexity returns the complexity of need last assessed, or zero.
func (r *Referral) Complexity() Complexity { return r.extra().complexity }

func (r *Referral) applyComplexity(e ReferralComplexityAssessed) error {
	if err := r.checkChange(e.Referral, e.At); err != nil {
		return err
	}
	if !r.state.IsLive() {
		return fmt.Errorf("%w: referral %s in %s: complexity is assessed while it is live (CPLX-1)", ErrUnexpectedEvent, r.id, r.state)
	}
	if err := checkMember(complexities, e.Complexity); err != nil {
		return fmt.Errorf("referral %s: %w", r.id, err)
	}
	m := r.moreToChange()
	m.complexity = e.Complexity
	r.more = m
	r.updatedAt = e.At
	r.events++
	return nil
}

// ComplexityWeights weighs people by the complexity of their needs in the
// caseload report (rule CPLX-1). A zero weight means the default:
// [DefaultComplexityWeights]. The guidance gives no figures; the defaults
// count a person with complex needs as two, moderate as one and a half, and
// are a starting point for a service to set its own.
type ComplexityWeights struct {
	// Unassessed weighs people whose complexity was never assessed.
	Unassessed float64 `json:"unassessed,omitempty"`
	Low        float64 `json:"low,omitempty"`
	Moderate   float64 `json:"moderate,omitempty"`
	High       float64 `json:"high,omitempty"`
}

// DefaultComplexityWeights returns the default weights: unassessed 1,
// low 1, moderate 1.5, high 2.
func DefaultComplexityWeights() ComplexityWeights {
	return ComplexityWeights{Unassessed: 1, Low: 1, Moderate: 1.5, High: 2}
}

// MaxComplexityWeight bounds each weight.
const MaxComplexityWeight = 100

// Validate reports a weight that is NaN or infinite ([ErrNotFinite], with
// [ErrInvalidGuidance]) or negative or above [MaxComplexityWeight]
// ([ErrInvalidGuidance]).
func (w ComplexityWeights) Validate() error {
	for _, x := range []struct {
		what string
		v    float64
	}{{"unassessed", w.Unassessed}, {"low", w.Low}, {"moderate", w.Moderate}, {"high", w.High}} {
		if err := CheckFinite("the weight of "+x.what, x.v); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidGuidance, err)
		}
		if x.v < 0 || x.v > MaxComplexityWeight {
			return fmt.Errorf("%w: the weight of %s is %g, want 0 to %d (CPLX-1)", ErrInvalidGuidance, x.what, x.v, MaxComplexityWeight)
		}
	}
	return nil
}

// Weight returns the weight of complexity c, the default where w's is zero.
func (w ComplexityWeights) Weight(c Complexity) float64 {
	d := DefaultComplexityWeights()
	pick := func(v, def float64) float64 {
		if v == 0 {
			return def
		}
		return v
	}
	switch c {
	case ComplexityLow:
		return pick(w.Low, d.Low)
	case ComplexityModerate:
		return pick(w.Moderate, d.Moderate)
	case ComplexityHigh:
		return pick(w.High, d.High)
	default:
		return pick(w.Unassessed, d.Unassessed)
	}
}

// ComplexityUnassessed is the group [ComplexityGroups] gives a person whose
// complexity of need was never assessed.
const ComplexityUnassessed = "unassessed"

// ComplexityGroups returns each person's group by complexity of need, for
// reports that group people by an attribute, such as the equity report of
// discretionary extras (rule CPLX-1: are people with complex needs left out
// of extras?): the text form of the highest complexity assessed on any of
// their referrals, or [ComplexityUnassessed].
func ComplexityGroups(referrals []Referral) map[PatientID]string {
	highest := map[PatientID]Complexity{}
	for i := range referrals {
		r := &referrals[i]
		if r.patient.IsZero() {
			continue
		}
		if c, ok := highest[r.patient]; !ok || r.Complexity() > c {
			highest[r.patient] = r.Complexity()
		}
	}
	out := make(map[PatientID]string, len(highest))
	for p, c := range highest {
		if c == 0 {
			out[p] = ComplexityUnassessed
		} else {
			out[p] = c.String()
		}
	}
	return out
}

package holding

import (
	"database/sql/driver"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Reason is why a link worker holds a person rather than (or before)
// connecting them onward. The four reasons come from the Oxford study of link
// workers in primary care (report, 2024); each carries the seed's wording and
// the function the published paper gives it (Westlake et al., "She's been a
// rock", Health & Social Care in the Community 2024).
type Reason uint8

// The reasons for holding.
const (
	// LackOfProvision, reason (a): "a lack of community provision to refer
	// patients to". Published function: supporting people while they wait
	// for services. An episode for this reason names the need without
	// provision (rule HOLD-2).
	ReasonLackOfProvision Reason = iota + 1
	// AwaitingReadiness, reason (b): "waiting for patients to be at a stage
	// when they were ready/had capacity to connect to community support".
	// Published function: sustaining people as they prepare for change.
	// Readiness is motivation plus capacity given the other demands in the
	// person's life.
	ReasonAwaitingReadiness
	// ProtectingStaff, reason (c): "wanting to protect healthcare staff from
	// having to support people with non-medical needs". Published function:
	// reducing the emotional burden on primary care staff.
	ReasonProtectingStaff
	// UnfixableProblems, reason (d): "it not being possible to 'fix'
	// problems that some patients were experiencing". Published function:
	// bearing witness to distress. Only this reason may have an open
	// endpoint, and only with a supervisor's sign-off (rule HOLD-5).
	ReasonUnfixableProblems
)

var reasons = prescribing.NewVocabulary[Reason]("holding reason",
	"lack_of_provision", "awaiting_readiness", "protecting_staff", "unfixable_problems")

// Reasons returns the four reasons in order.
func Reasons() []Reason { return reasons.Values() }

// Function returns the function the published paper gives the reason
// ("supporting people while they wait for services").
func (r Reason) Function() string {
	switch r {
	case ReasonLackOfProvision:
		return "supporting people while they wait for services"
	case ReasonAwaitingReadiness:
		return "sustaining people as they prepare for change"
	case ReasonProtectingStaff:
		return "reducing the emotional burden on primary care staff"
	case ReasonUnfixableProblems:
		return "bearing witness to distress"
	}
	return ""
}

// String returns the reason's text form ("lack_of_provision").
func (r Reason) String() string { return reasons.String(r) }

// IsValid reports whether r is one of the four reasons.
func (r Reason) IsValid() bool { return reasons.Valid(r) }

// MarshalText implements [encoding.TextMarshaler].
func (r Reason) MarshalText() ([]byte, error) { return reasons.MarshalText(r) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (r *Reason) UnmarshalText(b []byte) (err error) { *r, err = reasons.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (r *Reason) Scan(src any) (err error) { *r, err = reasons.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (r Reason) Value() (driver.Value, error) { return reasons.Value(r) }

// ReasonSet is a set of reasons: an episode holds a person for one or more.
type ReasonSet = prescribing.Set[Reason]

// EndpointPlan is what should happen at an episode's endpoint (rule HOLD-1).
type EndpointPlan uint8

// Endpoint plans.
const (
	// PlanConnect: connect the person to a named community asset.
	EndpointPlanConnect EndpointPlan = iota + 1
	// PlanReadinessMilestone: the person reaches a readiness milestone.
	EndpointPlanReadinessMilestone
	// PlanReview: review whether holding should go on.
	EndpointPlanReview
	// PlanDischarge: end the link worker's support.
	EndpointPlanDischarge
)

var plans = prescribing.NewVocabulary[EndpointPlan]("endpoint plan", "connect", "readiness_milestone", "review", "discharge")

// EndpointPlans returns every endpoint plan in order. The slice is the caller's.
func EndpointPlans() []EndpointPlan { return plans.Values() }

// String returns the plan's text form ("readiness_milestone").
func (p EndpointPlan) String() string { return plans.String(p) }

// IsValid reports whether p is a known plan.
func (p EndpointPlan) IsValid() bool { return plans.Valid(p) }

// MarshalText implements [encoding.TextMarshaler].
func (p EndpointPlan) MarshalText() ([]byte, error) { return plans.MarshalText(p) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *EndpointPlan) UnmarshalText(b []byte) (err error) { *p, err = plans.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (p *EndpointPlan) Scan(src any) (err error) { *p, err = plans.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (p EndpointPlan) Value() (driver.Value, error) { return plans.Value(p) }

// Ending is how a holding episode ended (rule HOLD-3).
type Ending uint8

// Outcomes of an episode.
const (
	EndingConnected            Ending = iota + 1 // connected onward to community support
	EndingNeedResolved                           // the need was resolved
	EndingReferredToSpecialist                   // referred to a specialist service
	EndingDisengaged                             // the person disengaged
	EndingDischarged                             // discharged by the link worker
	EndingTransferred                            // transferred to another link worker
)

var outcomes = prescribing.NewVocabulary[Ending]("holding ending",
	"connected", "need_resolved", "referred_to_specialist", "disengaged", "discharged", "transferred")

// Endings returns every outcome in order.
func Endings() []Ending { return outcomes.Values() }

// String returns the outcome's text form ("need_resolved").
func (o Ending) String() string { return outcomes.String(o) }

// IsValid reports whether o is a known outcome.
func (o Ending) IsValid() bool { return outcomes.Valid(o) }

// MarshalText implements [encoding.TextMarshaler].
func (o Ending) MarshalText() ([]byte, error) { return outcomes.MarshalText(o) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (o *Ending) UnmarshalText(b []byte) (err error) { *o, err = outcomes.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (o *Ending) Scan(src any) (err error) { *o, err = outcomes.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (o Ending) Value() (driver.Value, error) { return outcomes.Value(o) }

// Class is what kind of holding an episode shows (rule HOLD-6).
type Class uint8

// Classes of holding.
const (
	// Unclassified: too early to tell (fewer than two reviews, or flat before
	// the first extension).
	ClassUnclassified Class = iota + 1
	// Cherishing: building confidence to move forward; readiness or
	// confidence rising at recent reviews.
	ClassCherishing
	// Static: stopping people from moving forward; readiness and confidence
	// flat or falling past the first extension.
	ClassStatic
)

var classes = prescribing.NewVocabulary[Class]("holding class", "unclassified", "cherishing", "static")

// Classes returns every holding class in order. The slice is the caller's.
func Classes() []Class { return classes.Values() }

// String returns the class's text form ("cherishing").
func (c Class) String() string { return classes.String(c) }

// IsValid reports whether c is a known class.
func (c Class) IsValid() bool { return classes.Valid(c) }

// MarshalText implements [encoding.TextMarshaler].
func (c Class) MarshalText() ([]byte, error) { return classes.MarshalText(c) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (c *Class) UnmarshalText(b []byte) (err error) { *c, err = classes.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (c *Class) Scan(src any) (err error) { *c, err = classes.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (c Class) Value() (driver.Value, error) { return classes.Value(c) }

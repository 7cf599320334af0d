package discretion

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrInvalidPolicy reports a policy without an ID or site, or with an empty
// aspect or a level off the scale.
var ErrInvalidPolicy = errors.New("invalid site policy")

// PolicyID identifies a site [Policy].
type PolicyID = prescribing.ID[Policy]

// Policy is a site's policy: where it places each aspect of the role on the
// five-point sliding scale (rule DISC-2). Make one with [AdoptPolicy]; change
// it with [Policy.Set]. Aspects it does not place are not covered. A Policy
// is plain data: safe to copy, not to change concurrently.
type Policy struct {
	id        PolicyID
	site      string
	levels    map[Aspect]Level
	updatedAt time.Time
}

// AdoptPolicy records a site's policy. site names the site (a practice, a
// PCN, a scheme).
func AdoptPolicy(id PolicyID, site string, levels map[Aspect]Level, at time.Time) (Policy, PolicyAdopted, error) {
	e := PolicyAdopted{Policy: id, Site: site, Levels: maps.Clone(levels), At: prescribing.Stamp(at)}
	var p Policy
	if err := p.Apply(e); err != nil {
		return Policy{}, PolicyAdopted{}, err
	}
	return p, e, nil
}

// ID returns the policy's ID.
func (p *Policy) ID() PolicyID { return p.id }

// Site returns the site the policy belongs to.
func (p *Policy) Site() string { return p.site }

// Level returns where the policy places the aspect, and false if it does not
// cover it.
func (p *Policy) Level(a Aspect) (Level, bool) {
	l, ok := p.levels[a]
	return l, ok
}

// Aspects returns the aspects the policy covers, sorted.
func (p *Policy) Aspects() []Aspect { return slices.Sorted(maps.Keys(p.levels)) }

// Set places an aspect at a level (a change of policy, recorded as an event).
func (p *Policy) Set(a Aspect, l Level, at time.Time) (PolicyChanged, error) {
	from, _ := p.Level(a)
	e := PolicyChanged{Policy: p.id, Aspect: a, From: from, To: l, At: prescribing.Stamp(at)}
	return e, p.Apply(e)
}

// Apply applies a policy event, checking it as the live operation would.
func (p *Policy) Apply(ev prescribing.Event) error {
	switch e := ev.(type) {
	case PolicyAdopted:
		switch {
		case !p.id.IsZero():
			return fmt.Errorf("%w: policy %s is already adopted", prescribing.ErrUnexpectedEvent, p.id)
		case e.Policy.IsZero() || strings.TrimSpace(e.Site) == "":
			return fmt.Errorf("%w: a policy needs an ID and a site", ErrInvalidPolicy)
		case e.At.IsZero():
			return fmt.Errorf("policy %s: %w", e.Policy, prescribing.ErrNoTime)
		}
		for a, l := range e.Levels {
			if !a.Valid() || !l.IsValid() {
				return fmt.Errorf("%w: policy %s places aspect %q at %s", ErrInvalidPolicy, e.Policy, a, l)
			}
		}
		*p = Policy{id: e.Policy, site: e.Site, levels: maps.Clone(e.Levels), updatedAt: e.At}
		if p.levels == nil {
			p.levels = map[Aspect]Level{}
		}
		return nil
	case PolicyChanged:
		switch {
		case p.id.IsZero():
			return fmt.Errorf("%w: policy %s has not been adopted", prescribing.ErrUnexpectedEvent, e.Policy)
		case e.Policy != p.id:
			return fmt.Errorf("%w: event for policy %s applied to policy %s", prescribing.ErrWrongSubject, e.Policy, p.id)
		case !e.Aspect.Valid() || !e.To.IsValid():
			return fmt.Errorf("%w: policy %s places aspect %q at %s", ErrInvalidPolicy, p.id, e.Aspect, e.To)
		}
		if from, _ := p.Level(e.Aspect); from != e.From {
			return fmt.Errorf("%w: policy %s has %q at %s, the event says %s", prescribing.ErrUnexpectedEvent, p.id, e.Aspect, from, e.From)
		}
		if err := prescribing.CheckTime(p.updatedAt, e.At); err != nil {
			return fmt.Errorf("policy %s: %w", p.id, err)
		}
		levels := maps.Clone(p.levels)
		levels[e.Aspect] = e.To
		p.levels, p.updatedAt = levels, e.At
		return nil
	default:
		return prescribing.NotFor(ev, "policy")
	}
}

// Difference is one aspect of two policies compared (rule DISC-2).
type Difference struct {
	Aspect Aspect `json:"aspect"`
	// A and B are where each policy places the aspect; zero where it does
	// not cover it.
	A Level `json:"a,omitzero"`
	B Level `json:"b,omitzero"`
	// Steps is B minus A on the scale (positive: B leaves more to
	// judgement); zero when either does not cover the aspect.
	Steps int `json:"steps"`
}

// Compare sets two policies side by side, aspect by aspect, over every
// aspect either covers, sorted by aspect (rule DISC-2).
func Compare(a, b *Policy) []Difference {
	keys := slices.Sorted(maps.Keys(a.levels))
	for k := range b.levels {
		if _, ok := a.levels[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]Difference, 0, len(keys))
	for _, k := range keys {
		d := Difference{Aspect: k, A: a.levels[k], B: b.levels[k]}
		if d.A != 0 && d.B != 0 {
			d.Steps = int(d.B) - int(d.A)
		}
		out = append(out, d)
	}
	return out
}

// PolicyAdopted records a site's policy.
type PolicyAdopted struct {
	Policy PolicyID         `json:"policy"`
	Site   string           `json:"site"`
	Levels map[Aspect]Level `json:"levels"`
	At     time.Time        `json:"at"`
}

// EventType returns "discretion.policy_adopted".
func (PolicyAdopted) EventType() string { return "discretion.policy_adopted" }

// EventTime returns e.At.
func (e PolicyAdopted) EventTime() time.Time { return e.At }

// EventSubject returns the policy's UUID.
func (e PolicyAdopted) EventSubject() uuid.UUID { return e.Policy.UUID() }

// PolicyChanged records an aspect moved on a site's sliding scale.
type PolicyChanged struct {
	Policy PolicyID  `json:"policy"`
	Aspect Aspect    `json:"aspect"`
	From   Level     `json:"from,omitzero"`
	To     Level     `json:"to"`
	At     time.Time `json:"at"`
}

// EventType returns "discretion.policy_changed".
func (PolicyChanged) EventType() string { return "discretion.policy_changed" }

// EventTime returns e.At.
func (e PolicyChanged) EventTime() time.Time { return e.At }

// EventSubject returns the policy's UUID.
func (e PolicyChanged) EventSubject() uuid.UUID { return e.Policy.UUID() }

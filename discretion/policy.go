package discretion

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrInvalidPolicy reports a policy without an ID or site, or with a blank
// aspect or a level off the scale. Errors that wrap it wrap also
// [prescribing.ErrInvalidText], [prescribing.ErrUnknownValue] or
// [prescribing.ErrTimeOutOfRange] when one of those is the cause.
var ErrInvalidPolicy = errors.New("invalid site policy")

// PolicyID identifies a site [Policy].
type PolicyID = prescribing.ID[Policy]

// Policy is a site's policy: where it places each aspect of the role on the
// five-point sliding scale (rule DISC-2). Make one with [AdoptPolicy]; change
// it with [Policy.Set]. Aspects it does not place are not covered. Rebuild
// one by replaying its stream (kind site_policy, its ID) into a zero
// Policy, as for every [prescribing.StreamRecord].
//
// A Policy is a value that is safe to copy: Apply never writes into the map
// of levels it holds but replaces it with a changed clone, so copies share
// nothing that either changes and can be changed independently (each by
// one goroutine). A single Policy is not safe to change concurrently.
type Policy struct {
	id        PolicyID
	site      string
	levels    map[Aspect]Level
	updatedAt time.Time
	events    int32
}

// AdoptPolicy records a site's policy. site names the site (a practice, a
// PCN, a scheme): not blank, and valid text. Every aspect must be valid
// ([Aspect.Check]) and placed on the scale, and the time in the years 1 to
// 9999. A refusal returns the zero policy and the zero event. The event
// and the policy share no memory with levels or with each other.
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

// Stream returns the policy's stream (kind site_policy, its ID), or the
// zero Stream before it is adopted.
func (p *Policy) Stream() prescribing.Stream {
	if p.id.IsZero() {
		return prescribing.Stream{}
	}
	return prescribing.StreamOf(prescribing.StreamKindSitePolicy, p.id)
}

// Version returns how many events the policy has applied, its adoption
// included.
func (p *Policy) Version() int { return int(p.events) }

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

// Set places an aspect at a level (a change of policy, recorded as an
// event). The aspect must be valid ([Aspect.Check]), the level on the
// scale, and the time no earlier than the policy's last change. A refusal
// returns the zero event and changes nothing.
func (p *Policy) Set(a Aspect, l Level, at time.Time) (PolicyChanged, error) {
	from, _ := p.Level(a)
	e := PolicyChanged{Policy: p.id, Aspect: a, From: from, To: l, At: prescribing.Stamp(at)}
	if err := p.Apply(e); err != nil {
		return PolicyChanged{}, err
	}
	return e, nil
}

// checkPlacement refuses an aspect that is not valid or a level off the
// scale.
func checkPlacement(id PolicyID, a Aspect, l Level) error {
	if err := a.Check(); err != nil {
		return fmt.Errorf("%w: policy %s: %w", ErrInvalidPolicy, id, err)
	}
	if !l.IsValid() {
		return fmt.Errorf("%w: policy %s places aspect %s at %w: %s", ErrInvalidPolicy, id, quoteAspect(a), prescribing.ErrUnknownValue, l)
	}
	return nil
}

// quoteAspect quotes an aspect for an error message, cut short so that a
// hostile key cannot fill a log.
func quoteAspect(a Aspect) string {
	const limit = 60
	if len(a) > limit {
		return strconv.Quote(string(a[:limit])) + "..."
	}
	return strconv.Quote(string(a))
}

// Apply applies a policy event, checking it as the live operation would.
func (p *Policy) Apply(ev prescribing.Event) error {
	switch e := ev.(type) {
	case PolicyAdopted:
		switch {
		case !p.id.IsZero():
			return fmt.Errorf("%w: policy %s is already adopted", prescribing.ErrUnexpectedEvent, p.id)
		case e.Policy.IsZero():
			return fmt.Errorf("%w: a policy needs an ID", ErrInvalidPolicy)
		}
		if err := prescribing.CheckText("the site", e.Site); err != nil {
			return fmt.Errorf("%w: policy %s: %w", ErrInvalidPolicy, e.Policy, err)
		}
		if prescribing.IsBlank(e.Site) {
			return fmt.Errorf("%w: policy %s names no site", ErrInvalidPolicy, e.Policy)
		}
		if err := prescribing.CheckTime(time.Time{}, e.At); err != nil {
			return fmt.Errorf("policy %s: %w", e.Policy, err)
		}
		for _, a := range slices.Sorted(maps.Keys(e.Levels)) {
			if err := checkPlacement(e.Policy, a, e.Levels[a]); err != nil {
				return err
			}
		}
		levels := maps.Clone(e.Levels)
		if levels == nil {
			levels = map[Aspect]Level{}
		}
		*p = Policy{id: e.Policy, site: e.Site, levels: levels, updatedAt: prescribing.Stamp(e.At), events: 1}
		return nil
	case PolicyChanged:
		switch {
		case p.id.IsZero():
			return fmt.Errorf("%w: policy %s has not been adopted", prescribing.ErrUnexpectedEvent, e.Policy)
		case e.Policy != p.id:
			return fmt.Errorf("%w: event for policy %s applied to policy %s", prescribing.ErrWrongSubject, e.Policy, p.id)
		}
		if err := checkPlacement(p.id, e.Aspect, e.To); err != nil {
			return err
		}
		if from, _ := p.Level(e.Aspect); from != e.From {
			return fmt.Errorf("%w: policy %s has %s at %s, the event says %s", prescribing.ErrUnexpectedEvent, p.id, quoteAspect(e.Aspect), from, e.From)
		}
		if err := prescribing.CheckTime(p.updatedAt, e.At); err != nil {
			return fmt.Errorf("policy %s: %w", p.id, err)
		}
		levels := maps.Clone(p.levels)
		levels[e.Aspect] = e.To
		p.levels, p.updatedAt = levels, prescribing.Stamp(e.At)
		p.events++
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
	keys := slices.Collect(maps.Keys(a.levels))
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

// PolicyAdopted records a site's policy. Levels is written in JSON as an
// object from aspect to level, in aspect order.
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

// EventStream returns the site policy stream of the policy.
func (e PolicyAdopted) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindSitePolicy, e.Policy)
}

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

// EventStream returns the site policy stream of the policy.
func (e PolicyChanged) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindSitePolicy, e.Policy)
}

package simulation

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/socialprescribing/linkwork/embeddedness"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Hooks are rules of the reference model that a study can replace without
// copying the model: each is called where the model makes that choice,
// with what it knows then, and its answer is what the model does. A nil
// hook is the reference rule of docs/model.md, which is also exported
// ([ReferenceAssign], [ReferenceReview], [ReferenceReadiness]) so that a
// hook can fall back on it; setting a hook to its reference function
// changes nothing, byte for byte.
//
// A hook runs inside its replication, and replications run in parallel,
// so hooks are called concurrently: a hook must not change state it
// shares with other calls. Randomness must come from the generator a hook
// is given, so that replication r of seed S stays the same run on any
// machine. A hook that answers what the model cannot do (a post without
// room, a decision other than extend or end, a delay out of range) fails
// its replication with an error wrapping [ErrReplication].
type Hooks struct {
	// Assign chooses the link worker who takes the case at the head of
	// the waiting list: it returns a post number (a post whose worker has
	// room, [PostState].Room), or -1 to leave the case waiting until the
	// next chance to assign (an arrival, a case closing, a worker
	// starting). The reference rule is [ReferenceAssign].
	Assign func(Assignment) int `json:"-"`
	// Review decides at a holding review: [holding.DecisionExtend] keeps
	// the episode open until the next review, review_days later;
	// [holding.DecisionEnd] discharges the person unconnected. The
	// reference rule is [ReferenceReview].
	Review func(HoldingReview) holding.Decision `json:"-"`
	// Readiness says when a person who enters support becomes ready to
	// connect: at once, or after a delay. The reference rule is
	// [ReferenceReadiness].
	Readiness func(Readiness) ReadinessArrival `json:"-"`
}

// Assignment is the choice of link worker for the case at the head of the
// waiting list, made whenever a case waits and at least one post has a
// worker with room under the caseload cap.
type Assignment struct {
	// Day is the time in days since the run began, warm-up included.
	Day float64 `json:"day"`
	// Need is the case's need.
	Need prescribing.Need `json:"need"`
	// Waiting is the length of the waiting list, this case included.
	Waiting int `json:"waiting"`
	// Transferred reports a case whose link worker left.
	Transferred bool `json:"transferred"`

	m *model
}

// Posts returns how many posts the service has; they are numbered from 0.
func (a Assignment) Posts() int { return len(a.m.posts) }

// Post returns the state of post i, 0 <= i < Posts().
func (a Assignment) Post(i int) PostState {
	p := &a.m.posts[i]
	return PostState{Present: p.present, Cases: len(p.cases), Room: p.present && len(p.cases) < a.m.sc.CaseloadCap,
		Position: p.position, Supervised: p.supervised, Incorporated: p.incorporated}
}

// Fewest returns the reference choice: the post with room that has the
// fewest open cases, the lowest-numbered on a tie.
func (a Assignment) Fewest() int {
	p, _ := a.m.free.min()
	return int(p)
}

// PostState is what an [Assignment] shows of a post.
type PostState struct {
	// Present reports a worker in post; Room, a present worker with fewer
	// open cases than the caseload cap.
	Present bool `json:"present"`
	Room    bool `json:"room"`
	// Cases is the worker's open cases.
	Cases int `json:"cases"`
	// Position is the post's embeddedness position.
	Position embeddedness.Position `json:"position"`
	// Supervised reports a supervised post; Incorporated, a worker past
	// the liminal phase.
	Supervised   bool `json:"supervised"`
	Incorporated bool `json:"incorporated"`
}

// ReferenceAssign is the reference rule for [Hooks].Assign: the post with
// room that has the fewest open cases, the lowest-numbered on a tie.
func ReferenceAssign(a Assignment) int { return a.Fewest() }

// HoldingReview is what a review of a holding episode knows.
type HoldingReview struct {
	// Day is the time in days since the run began, warm-up included.
	Day float64 `json:"day"`
	// Extensions is how many times the episode has been extended.
	Extensions int `json:"extensions"`
	// HeldDays is how long the episode has been open.
	HeldDays float64 `json:"held_days"`
	// Ready reports that the person is ready to connect (and so waits for
	// a place).
	Ready bool `json:"ready"`
	// Need is the case's need.
	Need prescribing.Need `json:"need"`
	// MaxExtensions and Policy are the scenario's max_extensions and
	// endpoint_policy.
	MaxExtensions int            `json:"max_extensions"`
	Policy        EndpointPolicy `json:"policy"`
}

// ReferenceReview is the reference rule for [Hooks].Review: under the
// enforced policy, end the episode once it has max_extensions
// extensions; otherwise extend it.
func ReferenceReview(r HoldingReview) holding.Decision {
	if r.Policy == EndpointPolicyEnforced && r.Extensions >= r.MaxExtensions {
		return holding.DecisionEnd
	}
	return holding.DecisionExtend
}

// Readiness is what the model knows when a person enters support and
// readiness is decided.
type Readiness struct {
	// Day is the time in days since the run began, warm-up included.
	Day float64 `json:"day"`
	// Need is the case's need.
	Need prescribing.Need `json:"need"`
	// Position and Supervised describe the post of the case's link worker.
	Position   embeddedness.Position `json:"position"`
	Supervised bool                  `json:"supervised"`
	// ReadyShare and ReadinessDays are the scenario's ready_share and
	// readiness_days.
	ReadyShare    float64 `json:"ready_share"`
	ReadinessDays float64 `json:"readiness_days"`
	// Rand is the replication's stream for people's draws: draw from it
	// alone.
	Rand *rand.Rand `json:"-"`
}

// ReadinessArrival is when readiness arrives: at once, or AfterDays
// later (from 0 to 36,500 days; one that comes after the run's end never
// arrives in it).
type ReadinessArrival struct {
	AtOnce    bool    `json:"at_once"`
	AfterDays float64 `json:"after_days"`
}

// ReferenceReadiness is the reference rule for [Hooks].Readiness: ready
// at once with probability ready_share; otherwise after Exp(readiness_days)
// days. It draws from r.Rand in that order.
func ReferenceReadiness(r Readiness) ReadinessArrival {
	if r.Rand.Float64() < r.ReadyShare {
		return ReadinessArrival{AtOnce: true}
	}
	return ReadinessArrival{AfterDays: r.Rand.ExpFloat64() * r.ReadinessDays}
}

// chooseAssign asks the Assign hook for the post of the head of the
// waiting list: ok false leaves it waiting.
func (m *model) chooseAssign(now float64) (int32, bool, error) {
	id := m.waiting.front()
	c := m.cases.at(id)
	p := m.hooks.Assign(Assignment{Day: now, Need: m.needs[c.need].need, Waiting: m.waiting.len(),
		Transferred: !c.ref.LinkWorker().IsZero(), m: m})
	if p == -1 {
		return 0, false, nil
	}
	if p < 0 || p >= len(m.posts) || !m.posts[p].present || len(m.posts[p].cases) >= m.sc.CaseloadCap {
		return 0, false, fmt.Errorf("hook Assign chose post %d, which has no worker with room", p)
	}
	return int32(p), true, nil
}

// decideReview asks the Review hook, or the reference rule, whether to end
// the episode of case id.
func (m *model) decideReview(id int32, now float64) (end bool, err error) {
	se := m.episodes.at(id)
	if m.hooks.Review == nil {
		// The reference rule needs nothing from the case record, which a
		// review leaves unread.
		return ReferenceReview(HoldingReview{Extensions: se.ep.Extensions(), MaxExtensions: m.sc.MaxExtensions,
			Policy: m.sc.EndpointPolicy}) == holding.DecisionEnd, nil
	}
	c := m.cases.at(id)
	d := m.hooks.Review(HoldingReview{Day: now, Extensions: se.ep.Extensions(), HeldDays: now - se.start, Ready: c.ready,
		Need: m.needs[c.need].need, MaxExtensions: m.sc.MaxExtensions, Policy: m.sc.EndpointPolicy})
	switch d {
	case holding.DecisionEnd:
		return true, nil
	case holding.DecisionExtend:
		return false, nil
	}
	return false, fmt.Errorf("hook Review decided %v: want extend or end", d)
}

// decideReadiness asks the Readiness hook, or the reference rule, when
// the readiness of case id arrives.
func (m *model) decideReadiness(id int32, now float64) (ReadinessArrival, error) {
	if m.hooks.Readiness == nil {
		return ReferenceReadiness(Readiness{ReadyShare: m.sc.ReadyShare, ReadinessDays: m.sc.ReadinessDays, Rand: m.rng.person}), nil
	}
	c := m.cases.at(id)
	p := &m.posts[c.post]
	r := m.hooks.Readiness(Readiness{Day: now, Need: m.needs[c.need].need, Position: p.position, Supervised: p.supervised,
		ReadyShare: m.sc.ReadyShare, ReadinessDays: m.sc.ReadinessDays, Rand: m.rng.person})
	if !r.AtOnce && (math.IsNaN(r.AfterDays) || r.AfterDays < 0 || r.AfterDays > maxDays) {
		return ReadinessArrival{}, fmt.Errorf("hook Readiness answered after %v days: want 0 to %d", r.AfterDays, maxDays)
	}
	return r, nil
}

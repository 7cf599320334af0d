package holding

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
	_ "time/tzdata" // a named zone on every machine

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refusals lists every documented sentinel a refused holding operation may
// wrap.
var refusals = []error{
	ErrNoReason, ErrNoEndpoint, ErrNoSignOff, ErrDecisionRequired, ErrNoRationale, ErrEnded,
	ErrProvisionAvailable, ErrInvalidRatings,
	prescribing.ErrTimeOutOfRange, prescribing.ErrInvalidText, prescribing.ErrUnknownValue,
	prescribing.ErrNoTime, prescribing.ErrTimeWentBackwards, prescribing.ErrInvalidID,
	prescribing.ErrMissingDetail, prescribing.ErrUnexpectedEvent, prescribing.ErrWrongSubject,
}

// opGen draws the values of random operations: valid ones; for a hostile
// operation, each value hostile with probability one in three; for an
// operation with one fault, only the value at one draw, so that a single
// missing check lets a bad value through.
type opGen struct {
	r       *rand.Rand
	ids     prescribing.IDSource
	hostile bool
	fault   int // with hostile false, the draw that is hostile (-1: none)
	draws   int
	london  *time.Location
	base    time.Time
	lw      prescribing.LinkWorkerID
	pat     prescribing.PatientID
	ref     prescribing.ReferralID
}

func (g *opGen) bad() bool {
	g.draws++
	if g.hostile {
		return g.r.IntN(3) == 0
	}
	return g.draws-1 == g.fault
}

// next draws the kind of the next operation: valid, with one fault, or
// hostile throughout.
func (g *opGen) next() {
	g.draws, g.fault, g.hostile = 0, -1, false
	switch g.r.IntN(3) {
	case 1:
		g.fault = g.r.IntN(10)
	case 2:
		g.hostile = true
	}
}

// when returns a time at or after after: in UTC, in a named zone or at a
// non-UTC offset; or a hostile one (out of range, zero, going backwards).
func (g *opGen) when(after time.Time) time.Time {
	if after.IsZero() {
		after = g.base
	}
	t := after.Add(time.Duration(g.r.Int64N(int64(20 * day))))
	if !g.bad() {
		switch g.r.IntN(4) {
		case 0:
			return t.In(g.london)
		case 1:
			return t.In(time.FixedZone("", -(5*3600 + 30*60)))
		}
		return t
	}
	switch g.r.IntN(6) {
	case 0:
		return year10000.Add(time.Duration(g.r.IntN(1000)) * day)
	case 1:
		return year0
	case 2:
		return time.Time{}
	case 3:
		return pastYear9999
	default:
		return after.Add(-time.Duration(1 + g.r.Int64N(int64(30*day))))
	}
}

// before returns a time at or shortly before at, or a hostile one.
func (g *opGen) before(at time.Time) time.Time {
	if g.bad() {
		return g.when(at)
	}
	return at.Add(-time.Duration(g.r.Int64N(int64(2 * day)))).In(g.london)
}

func (g *opGen) text() string {
	if g.bad() {
		return [...]string{"", onlySpaces, invalidUTF8, withNUL, tooLong}[g.r.IntN(5)]
	}
	return [...]string{"not ready yet", "waiting for the walking group to restart ✓", longestText}[g.r.IntN(3)]
}

// pick returns a value of an enumeration of n values, or a hostile one of
// bad.
func pick[E ~uint8](g *opGen, n int, bad ...E) E {
	if g.bad() {
		return bad[g.r.IntN(len(bad))]
	}
	return E(1 + g.r.IntN(n))
}

func (g *opGen) reason() Reason { return pick[Reason](g, 4, 0, 5, 9, 63, 200) }
func (g *opGen) need() prescribing.Need {
	return pick[prescribing.Need](g, len(prescribing.Needs()), 0, 13, 17, 255)
}
func (g *opGen) outcome() Ending { return pick[Ending](g, 6, 0, 7, 17) }

func (g *opGen) rating() int {
	if g.bad() {
		return [...]int{-1, 11, 1000}[g.r.IntN(3)]
	}
	return g.r.IntN(11)
}

func (g *opGen) assessment() Ratings {
	return Ratings{Motivation: g.rating(), Capacity: g.rating(), Confidence: g.rating()}
}

func (g *opGen) episodeID(own EpisodeID) EpisodeID {
	if g.bad() {
		if g.r.IntN(2) == 0 {
			return EpisodeID{}
		}
		return prescribing.NewID[Episode](g.ids)
	}
	return own
}

// endpoint returns an endpoint set at time at for an episode held for rs:
// dated, or open with a sign-off (mostly where the reasons allow it).
func (g *opGen) endpoint(at time.Time, rs ReasonSet) (Endpoint, SignOff) {
	ep := Endpoint{Plan: pick[EndpointPlan](g, 4, 0, 5, 9)}
	if ep.Plan == EndpointPlanConnect && !g.bad() {
		ep.Asset = prescribing.NewID[prescribing.Asset](g.ids)
	}
	if (rs.Has(ReasonUnfixableProblems) && g.r.IntN(2) == 0) || g.bad() {
		ep.Open = true
		return ep, SignOff{Supervisor: g.text(), At: g.before(at), ReviewBy: g.when(at.Add(time.Hour))}
	}
	ep.At = g.when(at.Add(time.Hour))
	return ep, SignOff{}
}

func (g *opGen) start() Start {
	rs := prescribing.SetOf(g.reason())
	if g.r.IntN(2) == 0 {
		rs = rs.With(g.reason())
	}
	s := Start{ID: g.episodeID(prescribing.NewID[Episode](g.ids)), Referral: g.ref, Patient: g.pat, LinkWorker: g.lw,
		Reasons: rs, At: g.when(g.base)}
	if g.bad() {
		s.Patient = prescribing.PatientID{}
	}
	if rs.Has(ReasonLackOfProvision) || g.bad() {
		s.Need = g.need()
		if g.r.IntN(2) == 0 {
			s.Awaited = prescribing.NewID[prescribing.Asset](g.ids)
		}
	}
	s.Endpoint, s.SignOff = g.endpoint(s.At, rs)
	return s
}

func (g *opGen) review(ep *Episode) Review {
	at := g.when(ep.updatedAt)
	r := Review{At: at, Ratings: g.assessment()}
	switch {
	case g.bad():
		r.Decision = [...]Decision{0, 4, 9, DecisionContinue}[g.r.IntN(4)]
	case at.Before(ep.Due()):
		r.Decision = Decision(1 + g.r.IntN(3))
	default:
		r.Decision = Decision(2 + g.r.IntN(2))
	}
	switch r.Decision {
	case DecisionExtend:
		r.Endpoint, r.SignOff = g.endpoint(at, ep.Reasons())
		r.Rationale = g.text()
	case DecisionEnd:
		r.Ending = g.outcome()
	}
	if g.bad() { // something that does not belong
		r.Ending, r.Rationale = g.outcome(), g.text()
	}
	return r
}

// raw returns an event built by hand, as a caller or a corrupt store might,
// for Apply: its own episode's or another's, with values drawn as above.
func (g *opGen) raw(ep *Episode, other EpisodeID) prescribing.Event {
	id := ep.ID()
	if g.bad() {
		id = other
	}
	at := g.when(ep.updatedAt)
	switch g.r.IntN(5) {
	case 0:
		return ReasonAdded{Episode: id, Reason: g.reason(), Need: g.need(), At: at}
	case 1:
		return ReadinessReached{Episode: id, At: at}
	case 2:
		r := g.review(ep)
		return Reviewed{Episode: id, At: r.At, Ratings: r.Ratings, Decision: r.Decision,
			Endpoint: r.Endpoint, Rationale: r.Rationale, SignOff: r.SignOff, Ending: r.Ending}
	case 3:
		e := EpisodeEnded{Episode: id, At: at, Ending: g.outcome()}
		if e.Ending == EndingConnected && g.r.IntN(2) == 0 {
			e.Asset = prescribing.NewID[prescribing.Asset](g.ids)
		}
		return e
	default:
		s := g.start()
		return Started{Episode: s.ID, Referral: s.Referral, Patient: s.Patient, LinkWorker: s.LinkWorker,
			Reasons: s.Reasons, Need: s.Need, Awaited: s.Awaited, At: s.At, Endpoint: s.Endpoint, SignOff: s.SignOff}
	}
}

// canonical is the form an event applied by hand takes once stored: its
// times in UTC, as Apply keeps them.
func canonical(ev prescribing.Event) prescribing.Event {
	switch e := ev.(type) {
	case Started:
		e.At, e.Endpoint, e.SignOff = prescribing.Stamp(e.At), stampEndpoint(e.Endpoint), stampSignOff(e.SignOff)
		return e
	case ReasonAdded:
		e.At = prescribing.Stamp(e.At)
		return e
	case ReadinessReached:
		e.At = prescribing.Stamp(e.At)
		return e
	case Reviewed:
		e.At, e.Endpoint, e.SignOff = prescribing.Stamp(e.At), stampEndpoint(e.Endpoint), stampSignOff(e.SignOff)
		return e
	case EpisodeEnded:
		e.At = prescribing.Stamp(e.At)
		return e
	}
	return ev
}

// TestEV_3_RandomOperationsReplayExactly is the proof of the door: random
// sequences of live operations and hand-built events on several episodes,
// valid and hostile (invalid UTF-8, NUL, overlong text, years outside
// 1..9999, named zones and offsets, values outside their vocabulary, blank
// rationales and supervisors, times going backwards, wrong IDs). Every
// refusal wraps a documented sentinel, returns the zero event and changes
// nothing; every accepted event goes through the codec as JSON Lines and
// comes back equal, and replaying it rebuilds each episode equal to the
// live one (rules EV-1, EV-2, EV-3, HOLD-1 to HOLD-6).
func TestEV_3_RandomOperationsReplayExactly(t *testing.T) {
	const sequences, steps, episodes = 200, 60, 3
	c := codec(t)
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	accepted := map[string]int{}
	refused := map[error]int{}

	for seed := range uint64(sequences) {
		r := rand.New(rand.NewPCG(seed, 0x401d))
		ids := prescribing.SeededIDs(r)
		g := &opGen{r: r, ids: ids, london: london, base: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
			lw: prescribing.NewID[prescribing.LinkWorker](ids), pat: prescribing.NewID[prescribing.Patient](ids),
			ref: prescribing.NewID[prescribing.Referral](ids)}
		var eps [episodes]Episode
		var kept [episodes][]prescribing.Event

		for step := range steps {
			k := r.IntN(episodes)
			ep := &eps[k]
			other := eps[(k+1)%episodes].ID()
			if other.IsZero() {
				other = prescribing.NewID[Episode](ids)
			}
			g.next()
			before := *ep

			var ev prescribing.Event
			var err error
			handMade := false
			op := r.IntN(10)
			if ep.ID().IsZero() && r.IntN(4) != 0 {
				op = 0
			}
			switch op {
			case 0:
				if r.IntN(4) == 0 {
					np := prescribing.NeedProvision{Need: g.need(), Provision: pick[prescribing.Provision](g, 3, 0, 4)}
					s := g.start()
					var e Started
					var started Episode
					started, e, err = BeginForLackOfProvision(s, np)
					if err == nil && ep.ID().IsZero() {
						*ep = started
						ev = e
					} else if err == nil {
						ev = nil // a new episode elsewhere; this one is not involved
					} else {
						ev = e
						assert.Equal(t, Episode{}, started, "seed %d step %d", seed, step)
					}
				} else {
					ev, err = ep.Begin(g.start())
				}
			case 1:
				ev, err = ep.AddReason(g.reason(), g.need(), g.when(ep.updatedAt))
			case 2:
				ev, err = ep.MarkReady(g.when(ep.updatedAt))
			case 3, 4:
				ev, err = ep.Review(g.review(ep))
			case 5:
				ev, err = ep.Finish(g.when(ep.updatedAt), g.outcome())
			case 6:
				asset := prescribing.NewID[prescribing.Asset](ids)
				if g.bad() {
					asset = prescribing.AssetID{}
				}
				need, _ := ep.Need()
				if g.bad() || !need.IsValid() {
					need = g.need()
				}
				ev, _, err = ep.PlaceAvailable(need, asset, g.when(ep.updatedAt))
			default:
				e := g.raw(ep, other)
				if err = ep.Apply(e); err == nil {
					ev, handMade = e, true
				}
			}

			if err != nil {
				require.True(t, eventtest.WrapsOneOf(err, refusals...), "seed %d step %d: %v does not wrap a documented sentinel", seed, step, err)
				for _, s := range refusals {
					if errors.Is(err, s) {
						refused[s]++
					}
				}
			}
			if err != nil || ev == nil || reflect.ValueOf(ev).IsZero() {
				require.True(t, ev == nil || reflect.ValueOf(ev).IsZero(), "seed %d step %d: a refusal returned %+v", seed, step, ev)
				require.Equal(t, before, *ep, "seed %d step %d: a refusal changed the episode (%v)", seed, step, err)
				continue
			}
			if handMade {
				ev = canonical(ev)
			}
			kept[k] = append(kept[k], ev)
			accepted[ev.EventType()]++
		}

		for k := range eps {
			var buf bytes.Buffer
			require.NoError(t, c.Encode(&buf, kept[k]), "seed %d: what was accepted encodes", seed)
			stored, err := c.Decode(&buf)
			require.NoError(t, err, "seed %d", seed)
			require.Equal(t, kept[k], stored, "seed %d: the events come back as they were accepted", seed)
			var replayed Episode
			require.NoError(t, prescribing.Replay(&replayed, stored), "seed %d", seed)
			require.Equal(t, len(stored), eps[k].Version(), "seed %d: the version counts the stream", seed)
			for _, e := range stored {
				require.Equal(t, eps[k].Stream(), e.EventStream(), "seed %d: every event names the episode's stream", seed)
			}
			require.Equal(t, eps[k], replayed, "seed %d: replay rebuilds the live episode", seed)
		}
	}

	// The sequences reach every event and every kind of refusal, so the
	// checks above are not vacuous.
	for _, kind := range EventKinds() {
		assert.GreaterOrEqual(t, accepted[kind.Type()], 20, "%s accepted", kind.Type())
	}
	for _, s := range []error{prescribing.ErrTimeOutOfRange, prescribing.ErrInvalidText, prescribing.ErrUnknownValue,
		prescribing.ErrNoTime, prescribing.ErrTimeWentBackwards, prescribing.ErrWrongSubject, prescribing.ErrInvalidID,
		ErrNoRationale, ErrNoSignOff, ErrNoEndpoint, ErrNoReason, ErrDecisionRequired, ErrEnded, ErrInvalidRatings} {
		assert.Positive(t, refused[s], "refusals wrapping %v", s)
	}
	t.Logf("accepted %v; %d kinds of refusal", accepted, len(refused))
}

package simulation

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/socialprescribing/linkwork/embeddedness"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runChecked runs one replication and checks the model's invariants after
// every event.
func runChecked(t *testing.T, sc Scenario, seed uint64, rep int) (Result, *model) {
	t.Helper()
	m, err := newModel(sc, seed, rep)
	require.NoError(t, err)
	m.keepSeries = true
	failed := false
	m.run(func(e event) {
		m.handle(e)
		if !failed {
			failed = !checkInvariants(t, m)
		}
	})
	return m.finish(), m
}

func checkInvariants(t *testing.T, m *model) bool {
	t.Helper()
	ok := true
	for i := range m.needs {
		n := &m.needs[i]
		free, counted := n.asset.FreePlaces()
		ok = assert.True(t, !counted || free >= 0, "places in use exceed places for %s", n.need) && ok
	}
	present, liminal, assigned := 0, 0, 0
	for i := range m.posts {
		p := &m.posts[i]
		if !p.present {
			ok = assert.Empty(t, p.cases, "open cases on vacant post %d at day %v", i, m.sim.Now()) && ok
		}
		ok = assert.LessOrEqual(t, len(p.cases), m.sc.CaseloadCap, "post %d over the caseload cap", i) && ok
		assigned += len(p.cases)
		for _, id := range p.cases {
			c := m.cases.at(id)
			ok = assert.True(t, c.open && c.post == int32(i), "post %d lists case %d that is not its open case", i, id) && ok
		}
		phase, _ := p.journey.Phase()
		switch {
		case !p.present:
			ok = assert.Equal(t, liminality.PhaseLeft, phase) && ok
		case p.incorporated:
			present++
			ok = assert.Equal(t, liminality.PhaseIncorporated, phase) && ok
		default:
			present++
			liminal++
			ok = assert.Equal(t, liminality.PhaseLiminal, phase) && ok
		}
	}
	inHolding := 0
	for i := range m.cases.n {
		if c := m.cases.at(i); c.open && c.inEpisode {
			inHolding++
			ok = assert.True(t, m.ep(i).Open(), "case %d in an ended episode", i) && ok
		}
	}
	ok = assert.Equal(t, m.waiting.len()+assigned, m.openCases, "open cases = waiting + assigned") && ok
	ok = assert.Equal(t, inHolding, m.inHolding, "episodes open") && ok
	ok = assert.Equal(t, present, m.present, "workers present") && ok
	ok = assert.Equal(t, liminal, m.liminal, "workers liminal") && ok
	return ok
}

// openAwaitingFollowUp counts open cases that have been connected.
func openAwaitingFollowUp(m *model) int {
	n := 0
	for i := range m.cases.n {
		if c := m.cases.at(i); c.open && c.followUp {
			n++
		}
	}
	return n
}

// small returns the pcn scenario with fewer link workers and a shorter
// run, for tests that look at every event.
func small() Scenario {
	sc, _ := Embedded("pcn")
	sc.LinkWorkers, sc.WarmupDays, sc.HorizonDays = 4, 60, 365
	return sc
}

func TestModelInvariantsHoldInEveryRun(t *testing.T) {
	pcn := small()
	none := pcn
	none.EndpointPolicy = EndpointPolicyNone
	busy := pcn
	busy.LinkWorkers, busy.LeaveDaysLiminal, busy.LeaveDaysIncorporated, busy.VacancyDays = 4, 60, 120, 30
	busy.Departures = []Departure{{Day: 100, Count: 2}, {Day: 200, Count: 10}}
	surge := pcn
	surge.ReferralSurges = []ReferralSurge{{FromDay: 50, ToDay: 150, Multiplier: 3}, {FromDay: 100, ToDay: 300, Multiplier: 0.5}}
	for name, sc := range map[string]Scenario{"pcn": pcn, "no endpoint policy": none, "high turnover": busy, "surges": surge} {
		for _, warmup := range []float64{0, 60} {
			sc.WarmupDays = warmup
			for rep := range 3 {
				r, m := runChecked(t, sc, 11, rep)
				if warmup == 0 {
					// Nothing before the window: every referral is
					// accounted for.
					closedConnected := r.Connected - openAwaitingFollowUp(m)
					assert.Equal(t, r.Referrals,
						r.RejectedInappropriate+r.Declined+r.BriefInterventions+closedConnected+r.DischargedUnconnected+r.Disengaged+r.OpenAtEnd,
						"%s rep %d: referrals = rejected + declined + brief + connected-and-closed + discharged + disengaged + open", name, rep)
				}
				assert.Equal(t, m.sums.firstContacts, r.Declined+r.BriefInterventions+r.Supported,
					"%s: every first ever contact ends in exactly one of declined, brief intervention or entering support", name)
				assert.Equal(t, r.OpenAtEnd, m.waiting.len()+assignedCases(m), "%s: open = waiting + assigned", name)
				assert.LessOrEqual(t, r.HeldAwaitingReadiness+r.HeldLackOfProvision, 2*r.HoldingEpisodesEnded)
				assert.GreaterOrEqual(t, r.ExtendedShare, 0.0)
				assert.LessOrEqual(t, r.ExtendedShare, 1.0)
				if sc.EndpointPolicy == EndpointPolicyNone {
					assert.Zero(t, r.DischargedUnconnected, "no endpoint policy, no discharges")
				} else {
					limit := sc.ReviewDays * float64(sc.MaxExtensions+1)
					assert.LessOrEqual(t, r.MeanOpenHoldingAge, limit, "an enforced endpoint bounds every episode")
				}
			}
		}
	}
}

func assignedCases(m *model) int {
	n := 0
	for i := range m.posts {
		n += len(m.posts[i].cases)
	}
	return n
}

// The window: a run with a warm-up counts exactly what a run from day 0
// counts after the warm-up's end, as both draw the same numbers.
func TestWindowCountsWhatHappensInItAndMeansWhatCompletedInIt(t *testing.T) {
	sc := small()
	const w, h = 120.0, 300.0
	run := func(warmup, horizon float64) Result {
		s := sc
		s.WarmupDays, s.HorizonDays = warmup, horizon
		r, _ := runChecked(t, s, 5, 0)
		return r
	}
	whole, before, window := run(0, w+h), run(0, w), run(w, h)
	require.Greater(t, before.Referrals, 100)
	counts := map[string]func(Result) int{
		"referrals":                func(r Result) int { return r.Referrals },
		"rejected_inappropriate":   func(r Result) int { return r.RejectedInappropriate },
		"declined":                 func(r Result) int { return r.Declined },
		"brief_interventions":      func(r Result) int { return r.BriefInterventions },
		"connected":                func(r Result) int { return r.Connected },
		"discharged_unconnected":   func(r Result) int { return r.DischargedUnconnected },
		"disengaged":               func(r Result) int { return r.Disengaged },
		"holding_episodes_started": func(r Result) int { return r.HoldingEpisodesStarted },
		"holding_episodes_ended":   func(r Result) int { return r.HoldingEpisodesEnded },
		"held_awaiting_readiness":  func(r Result) int { return r.HeldAwaitingReadiness },
		"held_lack_of_provision":   func(r Result) int { return r.HeldLackOfProvision },
		"supported":                func(r Result) int { return r.Supported },
		"contacts":                 func(r Result) int { return r.Contacts },
		"lw_incorporated":          func(r Result) int { return r.LWIncorporated },
		"lw_departures":            func(r Result) int { return r.LWDepartures },
	}
	for key, f := range counts {
		assert.Equal(t, f(whole)-f(before), f(window), key)
	}
	assert.Equal(t, whole.Events, window.Events, "events count the whole run, warm-up included")
	assert.Equal(t, whole.OpenAtEnd, window.OpenAtEnd, "the same end")
	assert.Equal(t, whole.HoldingOpenAtEnd, window.HoldingOpenAtEnd)
	assert.InDelta(t, whole.MeanOpenHoldingAge, window.MeanOpenHoldingAge, 1e-9)
	// Means are over what completed in the window, whenever it started.
	sum := func(r Result, mean float64, n int) float64 { return mean * float64(n) }
	assert.InDelta(t, sum(whole, whole.MeanHoldingDays, whole.HoldingEpisodesEnded)-sum(before, before.MeanHoldingDays, before.HoldingEpisodesEnded),
		sum(window, window.MeanHoldingDays, window.HoldingEpisodesEnded), 1e-6, "mean_holding_days over episodes ended in the window")
	assert.InDelta(t, whole.VacancyDays-before.VacancyDays, window.VacancyDays, 1e-6, "vacancy_days within the window")
	assert.InDelta(t, whole.MeanWaitingList*(w+h)-before.MeanWaitingList*w, window.MeanWaitingList*h, 1e-6,
		"mean_waiting_list is the time average over the window")
	firstContacts := func(r Result, horizon float64) float64 {
		return r.PeoplePerWorkerYear * (float64(sc.LinkWorkers)*horizon - r.VacancyDays) / 365
	}
	assert.InDelta(t, firstContacts(whole, w+h)-firstContacts(before, w), firstContacts(window, h), 1e-6,
		"people_per_worker_year: first ever contacts in the window over the present worker-years in it")
	assert.InDelta(t, whole.MeanWaitFirstContact*firstContacts(whole, w+h)-before.MeanWaitFirstContact*firstContacts(before, w),
		window.MeanWaitFirstContact*firstContacts(window, h), 1e-6, "mean_wait_first_contact_days over first ever contacts in the window")
}

func TestPeoplePerWorkerYearIsFirstContactsOverPresentWorkerYears(t *testing.T) {
	sc := small()
	sc.LeaveDaysLiminal, sc.LeaveDaysIncorporated, sc.VacancyDays = 60, 120, 60
	r, m := runChecked(t, sc, 3, 0)
	require.Positive(t, r.VacancyDays)
	years := (float64(sc.LinkWorkers)*sc.HorizonDays - r.VacancyDays) / 365
	assert.InDelta(t, float64(m.sums.firstContacts)/years, r.PeoplePerWorkerYear, 1e-9)
}

func TestBriefInterventionClosesWithNeedsMetAndSaysWhatWasOffered(t *testing.T) {
	sc := small()
	sc.DeclineShare, sc.BriefShare = 0, 1
	m, err := newModel(sc, 2, 0)
	require.NoError(t, err)
	checked := 0
	m.run(func(e event) {
		m.handle(e)
		if e.kind != evFirstContact {
			return
		}
		c := m.cases.at(e.id)
		require.False(t, c.open, "a brief intervention closes the case")
		msg, ok := c.ref.ClosureMessage()
		require.True(t, ok)
		assert.Equal(t, prescribing.OutcomeNeedsMetWithoutConnection, msg.Outcome)
		require.Len(t, msg.Offered, 1)
		assert.Contains(t, msg.Offered[0].Name, "information, advice and signposting")
		assert.Empty(t, msg.TakenUp)
		assert.Equal(t, 1, msg.Contacts, "the first contact is its one contact")
		checked++
	})
	r := m.finish()
	assert.Positive(t, checked)
	assert.Equal(t, m.sums.firstContacts, r.BriefInterventions)
	assert.Zero(t, r.Supported+r.HoldingEpisodesStarted+r.Connected)

	// At pcn's shares, a brief intervention for brief_share of those who
	// do not decline.
	pcn, _ := Embedded("pcn")
	res, err := Run(pcn, Options{Seed: 4, Replications: 4})
	require.NoError(t, err)
	brief, notDeclined := 0, 0
	for _, r := range res {
		brief += r.BriefInterventions
		notDeclined += r.BriefInterventions + r.Supported
	}
	assert.InDelta(t, pcn.BriefShare, float64(brief)/float64(notDeclined), 0.02)
}

// caseTrack is what a test remembers of a case between events.
type caseTrack struct {
	open, inEpisode, followUp bool
	start                     float64
	contacts                  int
}

// Contacts: every contact the model counts is recorded on the referral,
// and the counts follow the rules exactly. The test counts them from the
// cases' changes between events.
func TestContactsAreCountedByTheRulesAndRecordedOnTheReferral(t *testing.T) {
	sc := small()
	sc.WarmupDays = 0
	sc.LeaveDaysLiminal, sc.LeaveDaysIncorporated, sc.VacancyDays = 90, 200, 20 // transfers too
	for _, iv := range []float64{7, 14, 28} {
		sc.ContactIntervalDays = iv
		m, err := newModel(sc, 8, 0)
		require.NoError(t, err)
		track := map[int32]*caseTrack{}
		counted, closedSupported, closedContacts := 0, 0, 0
		m.run(func(e event) {
			var fresh int32 = -1
			if e.kind == evArrival {
				fresh = m.cases.n
				if n := len(m.spare); n > 0 {
					fresh = m.spare[n-1]
				}
			}
			m.handle(e)
			now := m.sim.Now()
			if fresh >= 0 {
				track[fresh] = &caseTrack{}
			}
			if e.kind == evFirstContact {
				track[e.id].contacts++
				counted++
			}
			for id, tr := range track {
				c := m.cases.at(id)
				if tr.inEpisode && !(c.open && c.inEpisode && m.episodes.at(id).start == tr.start) {
					n := int(math.Floor((now-tr.start)/iv + 1e-9))
					tr.contacts += n
					counted += n
				}
				if c.followUp && !tr.followUp && e.kind != evFirstContact {
					tr.contacts++ // a connection outside a first contact
					counted++
				}
				if e.kind == evFollowUp && e.id == id {
					tr.contacts++
					counted++
				}
				if tr.open && !c.open || fresh == id && !c.open {
					recorded, attended := c.ref.ContactCount()
					assert.Equal(t, tr.contacts, recorded, "case %d", id)
					assert.Equal(t, recorded, attended)
					if c.supported {
						closedSupported++
						closedContacts += recorded
					}
					delete(track, id)
					continue
				}
				tr.open, tr.inEpisode, tr.followUp = c.open, c.inEpisode, c.followUp
				if c.inEpisode {
					tr.start = m.episodes.at(id).start
				}
			}
		})
		r := m.finish()
		require.Positive(t, r.LWDepartures)
		assert.Equal(t, counted, r.Contacts, "contacts, interval %v", iv)
		require.Positive(t, closedSupported)
		assert.InDelta(t, float64(closedContacts)/float64(closedSupported), r.MeanContactsSupported, 1e-9)
	}
}

// An episode that lasts exactly four reviews counts as many contacts as its
// days say, although its end is a sum of floating-point durations.
func TestContactsOfAnEpisodeEndingOnAWholeNumberOfIntervals(t *testing.T) {
	// Find a start where four reviews of 28 days end a hair short of 112
	// days later.
	start := -1.0
	for i := range 100000 {
		s := 0.1 + float64(i)*0.0137
		end := s + 28 + 28 + 28 + 28
		if end-s < 112 {
			start = s
			break
		}
	}
	require.Positive(t, start, "no start found where rounding shortens the episode")
	end := start + 28 + 28 + 28 + 28
	require.Equal(t, 7.0, math.Floor((end-start)/14), "without the slack, one contact would be lost")

	sc := small()
	m, err := newModel(sc, 1, 0)
	require.NoError(t, err)
	id, c := m.newCase()
	c.post, c.need, c.arrival, c.open = 0, 0, start, true
	_, err = c.ref.Receive(prescribing.NewReferral{ID: prescribing.NewID[prescribing.Referral](m.ids),
		Patient: prescribing.NewID[prescribing.Patient](m.ids), Practice: m.posts[0].practice,
		Source: prescribing.SourceGP, Needs: m.needs[0].list}, at(start))
	require.NoError(t, err)
	_, err = c.ref.Accept(at(start), m.posts[0].worker)
	require.NoError(t, err)
	m.posts[0].cases = append(m.posts[0].cases, id)
	m.slotInPost[id] = int32(len(m.posts[0].cases) - 1)
	m.sim.Run(start, func(event) {}) // the clock to the start
	require.NoError(t, m.startEpisode(id, holding.ReasonAwaitingReadiness, start))
	require.NoError(t, m.endEpisode(id, end))
	recorded, _ := c.ref.ContactCount()
	assert.Equal(t, 8, recorded, "112 days at one contact every 14")
	assert.Equal(t, 8, m.res.Contacts)
}

// POSTS: each attribute by its own shuffle; the counts are exact, which
// posts get them varies, and the attributes are independent.
func TestPostAttributesAreShuffledIndependentlyWithExactCounts(t *testing.T) {
	sc, _ := Embedded("pcn")
	for _, L := range []int{1, 7, 10, 33} {
		sc.LinkWorkers = L
		count := func(v float64) int { return int(math.Round(v * float64(L))) }
		for rep := range 20 {
			m, err := newModel(sc, 6, rep)
			require.NoError(t, err)
			var bolted, fitting, belonging, supervised, incorporated int
			for i := range m.posts {
				p := &m.posts[i]
				switch p.position {
				case embeddedness.PositionBoltedOn:
					bolted++
					assert.Equal(t, sc.InappropriateShare.BoltedOn, p.inapprop)
				case embeddedness.PositionFittingIn:
					fitting++
					assert.Equal(t, sc.InappropriateShare.FittingIn, p.inapprop)
				case embeddedness.PositionBelonging:
					belonging++
					assert.Equal(t, sc.InappropriateShare.Belonging, p.inapprop)
				}
				if p.supervised {
					supervised++
				}
				if p.incorporated {
					incorporated++
				}
			}
			assert.Equal(t, count(sc.Embeddedness.BoltedOn), bolted, "L %d", L)
			assert.Equal(t, count(sc.Embeddedness.FittingIn), fitting, "L %d", L)
			assert.Equal(t, L-bolted-fitting, belonging, "L %d", L)
			assert.Equal(t, count(sc.SupervisedShare), supervised, "L %d", L)
			assert.Equal(t, count(sc.InitialIncorporatedShare), incorporated, "L %d", L)
			assert.Equal(t, L-incorporated, m.liminal)
		}
	}

	// Independent: with 10 posts, 3 bolted on and 4 supervised, a post is
	// both 1.2 times on average (in version 1, every bolted-on post was
	// supervised: 3 every time), and the bolted-on posts differ between
	// replications.
	sc.LinkWorkers = 10
	both, sets := 0, map[string]bool{}
	const reps = 400
	for rep := range reps {
		m, err := newModel(sc, 1, rep)
		require.NoError(t, err)
		var key []byte
		for i := range m.posts {
			p := &m.posts[i]
			if p.position == embeddedness.PositionBoltedOn {
				key = append(key, byte('0'+i))
				if p.supervised {
					both++
				}
			}
		}
		sets[string(key)] = true
	}
	assert.InDelta(t, 1.2, float64(both)/reps, 0.15)
	assert.Greater(t, len(sets), 50, "which posts are bolted on varies by replication")
}

func TestFisherYatesDrawsEveryOrderAlike(t *testing.T) {
	rng := NewStreams(1, 0).Stream("setup")
	seen := map[[3]int32]int{}
	const n = 60000
	for range n {
		o := shuffled(3, rng)
		seen[[3]int32(o)]++
	}
	require.Len(t, seen, 6)
	for order, k := range seen {
		assert.InDelta(t, n/6, k, 400, "order %v", order)
	}
	assert.Equal(t, []int32{0}, shuffled(1, rng))
	assert.Empty(t, shuffled(0, rng))
}

func TestSurgeSegmentsMultiplyOverlappingSurges(t *testing.T) {
	segs := surgeSegments([]ReferralSurge{{FromDay: 10, ToDay: 20, Multiplier: 3}, {FromDay: 15, ToDay: 25, Multiplier: 2},
		{FromDay: 30, ToDay: 40, Multiplier: 0}})
	assert.Equal(t, []rateSegment{{0, 1}, {10, 3}, {15, 6}, {20, 2}, {25, 1}, {30, 0}, {40, 1}}, segs)
	assert.Equal(t, []rateSegment{{0, 1}}, surgeSegments(nil))
	assert.Equal(t, []rateSegment{{0, 4}, {5, 1}}, surgeSegments([]ReferralSurge{{FromDay: 0, ToDay: 5, Multiplier: 4}}))
}

func TestArrivalsFollowThePiecewiseRate(t *testing.T) {
	surges := []ReferralSurge{{FromDay: 10, ToDay: 20, Multiplier: 3}, {FromDay: 15, ToDay: 25, Multiplier: 2},
		{FromDay: 30, ToDay: 40, Multiplier: 0}}
	// Expected arrivals in each stretch at a base rate of 10 a day.
	edges := []float64{0, 10, 15, 20, 25, 30, 40, 50}
	want := []float64{100, 150, 300, 100, 50, 0, 100}
	got := make([]float64, len(want))
	const runs = 400
	rng := NewStreams(2, 0).Stream("arrival")
	for range runs {
		a := arrivalProcess{base: 10, segments: surgeSegments(surges)}
		t0 := 0.0
		for {
			next, ok := a.next(t0, rng)
			require.True(t, ok)
			require.Greater(t, next, t0)
			if next >= 50 {
				break
			}
			i, _ := slices.BinarySearch(edges, next)
			if i == len(edges) || edges[i] != next {
				i--
			}
			got[i]++
			t0 = next
		}
	}
	for i := range want {
		mean := got[i] / runs
		assert.InDelta(t, want[i], mean, 4*math.Sqrt(want[i]/runs)+1e-12, "days %v-%v", edges[i], edges[i+1])
	}
	// With no surge, the draw is the usual Exp(1)/rate.
	r1, r2 := NewStreams(3, 0).Stream("a"), NewStreams(3, 0).Stream("a")
	a := arrivalProcess{base: 4, segments: surgeSegments(nil)}
	next, ok := a.next(2, r1)
	require.True(t, ok)
	assert.Equal(t, 2+r2.ExpFloat64()/4, next)
	// A rate of 0 until day 36500: the next arrival comes after it.
	stop := arrivalProcess{base: 4, segments: surgeSegments([]ReferralSurge{{FromDay: 0, ToDay: 36500, Multiplier: 0}})}
	next, ok = stop.next(0, r1)
	assert.True(t, ok)
	assert.Greater(t, next, 36500.0)
}

func TestSurgesScaleReferralsInTheModel(t *testing.T) {
	sc, _ := Embedded("pcn")
	base, err := Run(sc, Options{Seed: 1, Replications: 4})
	require.NoError(t, err)
	sc.ReferralSurges = []ReferralSurge{{FromDay: sc.WarmupDays, ToDay: sc.WarmupDays + sc.HorizonDays/2, Multiplier: 3}}
	surged, err := Run(sc, Options{Seed: 1, Replications: 4})
	require.NoError(t, err)
	total := func(rs []Result) (n float64) {
		for _, r := range rs {
			n += float64(r.Referrals)
		}
		return n / float64(len(rs))
	}
	assert.InDelta(t, 2, total(surged)/total(base), 0.06, "three times the rate for half the window doubles the referrals")
}

func TestForcedDeparturesTakePresentWorkersAtTheirDay(t *testing.T) {
	sc := small()
	sc.LinkWorkers = 10
	sc.Departures = []Departure{{Day: 100, Count: 3}, {Day: 150, Count: 100}, {Day: 150, Count: 2}}
	m, err := newModel(sc, 4, 0)
	require.NoError(t, err)
	seen := 0
	m.run(func(e event) {
		before, waitingBefore := m.present, m.waiting.len()
		var leaving []int32
		for i := range m.posts {
			if m.posts[i].present {
				leaving = append(leaving, int32(i))
			}
		}
		departuresBefore := m.res.LWDepartures
		m.handle(e)
		if e.kind != evDepartures {
			return
		}
		seen++
		d := sc.Departures[e.id]
		assert.Equal(t, d.Day, m.sim.Now())
		gone := min(d.Count, before)
		assert.Equal(t, before-gone, m.present, "departure %d", e.id)
		assert.Equal(t, departuresBefore+gone, m.res.LWDepartures, "each forced leaving counts")
		if m.present == 0 {
			assert.GreaterOrEqual(t, m.waiting.len(), waitingBefore, "with nobody left, every open case waits")
		}
		for _, p := range leaving {
			pp := &m.posts[p]
			if !pp.present {
				assert.True(t, pp.incorporate.IsZero() && pp.leave.IsZero(), "pending incorporation and leaving cancelled")
			}
		}
		checkInvariants(t, m)
	})
	assert.Equal(t, 3, seen)
}

func TestTimeSeriesPointsAndTheWindowEnd(t *testing.T) {
	sc := small()
	sc.HorizonDays, sc.SeriesDays = 90, 30
	// A forced departure at the window's day 30 shows in that point: the
	// state after every event at that instant.
	sc.Departures = []Departure{{Day: sc.WarmupDays + 30, Count: 1}}
	r, m := runChecked(t, sc, 2, 0)
	require.Len(t, r.Series, 4)
	for k, p := range r.Series {
		assert.Equal(t, float64(30*k), p.Day)
		assert.Equal(t, 0, p.Replication)
	}
	assert.Less(t, r.Series[1].WorkersPresent, r.Series[0].WorkersPresent+1)
	last := r.Series[3]
	assert.Equal(t, r.OpenAtEnd, last.OpenCases, "the window's end is a point")
	assert.Equal(t, r.HoldingOpenAtEnd, last.InHolding)
	assert.Equal(t, m.waiting.len(), last.Waiting)
	assert.Equal(t, m.present, last.WorkersPresent)
	inUse := 0
	for i := range m.needs {
		inUse += m.needs[i].asset.InUse()
	}
	assert.Equal(t, inUse, last.PlacesInUse)

	// A horizon that is not a whole number of intervals: the last point is
	// the last interval within it.
	sc.HorizonDays = 100
	r, _ = runChecked(t, sc, 2, 0)
	assert.Len(t, r.Series, 4)
	sc.HorizonDays, sc.SeriesDays = 0.3, 0.1 // 3 x 0.1 rounds above 0.3
	r, _ = runChecked(t, sc, 2, 0)
	require.Len(t, r.Series, 4, "the window's end is included despite rounding")
}

func TestTheSeriesShowsADepartureAtItsInstant(t *testing.T) {
	sc := small()
	sc.LinkWorkers, sc.LeaveDaysLiminal, sc.LeaveDaysIncorporated = 10, 36500, 36500
	sc.HorizonDays, sc.SeriesDays = 60, 30
	sc.Departures = []Departure{{Day: sc.WarmupDays + 30, Count: 4}}
	r, _ := runChecked(t, sc, 2, 0)
	require.Len(t, r.Series, 3)
	assert.Equal(t, r.Series[0].WorkersPresent-4, r.Series[1].WorkersPresent)
}

func TestCensoredHoldingAtTheEnd(t *testing.T) {
	sc := small()
	// Nobody is ever ready and nobody leaves: every episode stays open.
	sc.EndpointPolicy, sc.ReadyShare, sc.ReadinessDays, sc.DisengageDays = EndpointPolicyNone, 0, 36500, 36500
	sc.LeaveDaysLiminal, sc.LeaveDaysIncorporated, sc.CaseloadCap = 36500, 36500, 1000
	r, m := runChecked(t, sc, 9, 0)
	require.Positive(t, r.HoldingOpenAtEnd)
	ages := 0.0
	for i := range m.cases.n {
		if c := m.cases.at(i); c.open && c.inEpisode {
			ages += m.end - m.episodes.at(i).start
		}
	}
	assert.InDelta(t, ages/float64(r.HoldingOpenAtEnd), r.MeanOpenHoldingAge, 1e-9)
	assert.Equal(t, r.HoldingOpenAtEnd, m.inHolding)
	// Held for ever: mean_holding_days alone would hide them.
	assert.Greater(t, r.MeanOpenHoldingAge, 100.0)
	assert.Equal(t, r.HoldingEpisodesStarted-r.HoldingEpisodesEnded, r.HoldingOpenAtEnd-r.Series[0].InHolding,
		"episodes open at the end = open at the start + started - ended")
}

func TestSameSeedSameBytes(t *testing.T) {
	sc, _ := Embedded("pcn")
	out := func(o Options) string {
		o.Series = true
		res, err := Run(sc, o)
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, WriteJSON(&b, res))
		require.NoError(t, WriteSeriesCSV(&b, res))
		return b.String()
	}
	a := out(Options{Seed: 42, Replications: 4, Parallel: 1})
	assert.Equal(t, a, out(Options{Seed: 42, Replications: 4, Parallel: 1}), "same seed, same bytes")
	assert.Equal(t, a, out(Options{Seed: 42, Replications: 4, Parallel: 2}), "-parallel 1 and 2 give the same bytes")
	assert.NotEqual(t, a, out(Options{Seed: 43, Replications: 4, Parallel: 2}), "another seed, other results")

	// Replication r depends on (seed, r) alone: it is the same in a run of 2.
	res, err := Run(sc, Options{Seed: 42, Replications: 4, Series: true})
	require.NoError(t, err)
	two, err := Run(sc, Options{Seed: 42, Replications: 2, Series: true})
	require.NoError(t, err)
	assert.Equal(t, res[:2], two)
}

func TestShardsTogetherAreTheWhole(t *testing.T) {
	sc, _ := Embedded("pcn")
	whole, err := Run(sc, Options{Seed: 9, Replications: 7, Series: true})
	require.NoError(t, err)
	var parts []Result
	for i := range 3 {
		part, err := Run(sc, Options{Seed: 9, Replications: 7, Shard: Shard{I: i, N: 3}, Series: true})
		require.NoError(t, err)
		for _, r := range part {
			assert.Equal(t, i, r.Replication%3)
		}
		parts = append(parts, part...)
	}
	slices.SortFunc(parts, func(a, b Result) int { return a.Replication - b.Replication })
	assert.Equal(t, whole, parts)

	_, err = Run(sc, Options{Replications: 3, Shard: Shard{I: 3, N: 3}})
	assert.ErrorIs(t, err, ErrShard)
}

func TestResultKeysInTheModelsOrder(t *testing.T) {
	assert.Equal(t, []string{"replication", "seed", "referrals", "rejected_inappropriate", "declined",
		"brief_interventions", "connected", "discharged_unconnected", "disengaged", "open_at_end",
		"mean_wait_first_contact_days", "holding_episodes_started", "holding_episodes_ended", "mean_holding_days",
		"holding_open_at_end", "mean_open_holding_age_days", "extended_share", "held_awaiting_readiness",
		"held_lack_of_provision", "supported", "contacts", "mean_contacts_supported", "people_per_worker_year",
		"lw_incorporated", "lw_departures", "vacancy_days", "mean_waiting_list", "events"}, Keys())
	assert.Equal(t, []string{"replication", "day", "waiting", "open_cases", "in_holding", "workers_present",
		"workers_liminal", "places_in_use"}, SeriesKeys())
}

func TestOutputFormats(t *testing.T) {
	sc, _ := Embedded("pcn")
	res, err := Run(sc, Options{Seed: 1, Replications: 2, Series: true})
	require.NoError(t, err)
	var csv, js, table, series bytes.Buffer
	require.NoError(t, WriteCSV(&csv, res))
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, strings.Join(Keys(), ","), lines[0])
	assert.True(t, strings.HasPrefix(lines[2], "1,1,"))
	assert.Len(t, strings.Split(lines[1], ","), len(Keys()))
	require.NoError(t, WriteJSON(&js, res))
	first := strings.Split(js.String(), "\n")[0]
	assert.NotContains(t, first, "series", "the series is not a result")
	last := -1
	for _, k := range Keys() {
		i := strings.Index(first, `"`+k+`":`)
		require.GreaterOrEqual(t, i, 0, k)
		assert.Greater(t, i, last, k)
		last = i
	}
	require.NoError(t, WriteTable(&table, "pcn", res))
	assert.Contains(t, table.String(), "mean")
	assert.Contains(t, table.String(), "mean_contacts_supported")
	assert.Contains(t, table.String(), "95% CI")

	require.NoError(t, WriteSeriesCSV(&series, res))
	rows := strings.Split(strings.TrimSpace(series.String()), "\n")
	points := int(sc.HorizonDays/sc.SeriesDays) + 1
	require.Len(t, rows, 1+2*points)
	assert.Equal(t, strings.Join(SeriesKeys(), ","), rows[0])
	assert.True(t, strings.HasPrefix(rows[1], "0,0,"))
	assert.True(t, strings.HasPrefix(rows[points], "0,720,"))
	assert.True(t, strings.HasPrefix(rows[points+1], "1,0,"), "ordered by replication, then day")
}

// The window is closed at both ends: what happens at its first and last
// instants counts.
func TestWindowIsClosedAtBothEnds(t *testing.T) {
	sc := small()
	sc.LinkWorkers, sc.LeaveDaysLiminal, sc.LeaveDaysIncorporated = 10, 36500, 36500
	sc.Departures = []Departure{{Day: sc.WarmupDays - 1, Count: 1}, {Day: sc.WarmupDays, Count: 2},
		{Day: sc.WarmupDays + sc.HorizonDays, Count: 3}, {Day: sc.WarmupDays + sc.HorizonDays + 1, Count: 4}}
	m, err := newModel(sc, 1, 0)
	require.NoError(t, err)
	m.keepSeries = true
	drawn := 0 // departures drawn rather than forced, in the window
	m.run(func(e event) {
		m.handle(e)
		if e.kind == evLeave && m.sim.Now() >= m.start {
			drawn++
		}
	})
	r := m.finish()
	assert.Equal(t, 5+drawn, r.LWDepartures, "the departures at the window's first and last instants, and none outside")
	assert.Equal(t, 7, r.Series[0].WorkersPresent, "the first point is after the departures at its instant")
}

// TestShardCountIsWhatIncludesSelects: a shard's count of 0..n-1 is the
// number of them Includes selects, for every shard of small runs.
func TestShardCountIsWhatIncludesSelects(t *testing.T) {
	for n := range 30 {
		for N := range 8 {
			for I := range max(N, 1) {
				s := Shard{I: I, N: N}
				want := 0
				for k := range n {
					if s.Includes(k) {
						want++
					}
				}
				assert.Equal(t, want, s.Count(n), "%d/%d of %d", I, N, n)
			}
		}
	}
}

// TestCSVWithoutResultsIsItsHeader: a table of no results, and a series of
// none, still name their columns.
func TestCSVWithoutResultsIsItsHeader(t *testing.T) {
	var results, series bytes.Buffer
	require.NoError(t, WriteCSV(&results, nil))
	require.NoError(t, WriteSeriesCSV(&series, nil))
	assert.Equal(t, strings.Join(Keys(), ",")+"\n", results.String())
	assert.Equal(t, strings.Join(SeriesKeys(), ",")+"\n", series.String())
}

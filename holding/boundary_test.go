package holding

import (
	"sync"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHOLD_4_OverdueFromTheInstantAfterTheEndpoint pins the boundary:
// exactly at the endpoint an episode is due, one nanosecond later overdue;
// for an open endpoint the same holds at the sign-off's review date.
func TestHOLD_4_OverdueFromTheInstantAfterTheEndpoint(t *testing.T) {
	f := newFixture(t)
	dated, _ := f.begin(ReasonAwaitingReadiness)
	s := f.start(prescribing.SetOf(ReasonUnfixableProblems))
	s.Endpoint = Endpoint{Open: true, Plan: EndpointPlanReview}
	s.SignOff = SignOff{Supervisor: "Supervisor", At: f.now, ReviewBy: f.now.Add(60 * day)}
	open, _, err := Begin(s)
	require.NoError(t, err)
	for name, ep := range map[string]Episode{"dated": dated, "open": open} {
		due := ep.Due()
		assert.False(t, ep.Overdue(due.Add(-time.Nanosecond)), name)
		assert.False(t, ep.Overdue(due), "%s: exactly at the endpoint", name)
		assert.True(t, ep.Overdue(due.Add(time.Nanosecond)), "%s: just past it", name)
	}
	assert.Equal(t, s.SignOff.ReviewBy, open.Due())
}

// TestHOLD_4_AtRiskJustPastTheExtensionLimit pins the limit: at exactly the
// allowed number of stalled extensions an episode is not at risk; one more
// and it is. Zero or less in the policy means the default, 3.
func TestHOLD_4_AtRiskJustPastTheExtensionLimit(t *testing.T) {
	for _, c := range []struct {
		policy Limits
		limit  int
	}{
		{Limits{}, DefaultMaxStalledExtensions},
		{Limits{MaxStalledExtensions: -1}, DefaultMaxStalledExtensions},
		{Limits{MaxStalledExtensions: 1}, 1},
		{Limits{MaxStalledExtensions: 2}, 2},
		{Limits{MaxStalledExtensions: 5}, 5},
	} {
		f := newFixture(t)
		ep, _ := f.begin(ReasonAwaitingReadiness)
		for range c.limit {
			f.extend(&ep, assess(3, 3, 3))
		}
		assert.Equal(t, c.limit, ep.StalledExtensions())
		assert.False(t, ep.AtRisk(c.policy), "limit %d: exactly at it", c.limit)
		f.extend(&ep, assess(3, 3, 3))
		assert.True(t, ep.AtRisk(c.policy), "limit %d: one past it", c.limit)
	}
}

// TestHOLD_4_EqualIsNotRising pins what counts as rising between reviews: the
// same readiness and confidence stall the run; one point more of either (and
// no less of the other) restarts it; a readiness made of different
// motivation and capacity but the same sum is equal, not rising.
func TestHOLD_4_EqualIsNotRising(t *testing.T) {
	base := assess(3, 3, 3)
	cases := []struct {
		name   string
		next   Ratings
		rising bool
	}{
		{"equal", assess(3, 3, 3), false},
		{"same readiness, made differently", assess(4, 2, 3), false},
		{"motivation one up", assess(4, 3, 3), true},
		{"capacity one up", assess(3, 4, 3), true},
		{"confidence one up", assess(3, 3, 4), true},
		{"readiness up, confidence down", assess(4, 3, 2), false},
		{"confidence up, readiness down", assess(2, 3, 4), false},
		{"all down", assess(2, 2, 2), false},
	}
	for _, c := range cases {
		assert.Equal(t, c.rising, c.next.Rising(base), c.name)

		f := newFixture(t)
		ep, _ := f.begin(ReasonAwaitingReadiness)
		f.extend(&ep, base)
		f.extend(&ep, base)
		require.Equal(t, 2, ep.StalledExtensions())
		f.extend(&ep, c.next)
		if c.rising {
			assert.Zero(t, ep.StalledExtensions(), c.name)
			assert.Equal(t, ClassCherishing, ep.Class(), c.name)
		} else {
			assert.Equal(t, 3, ep.StalledExtensions(), c.name)
			assert.Equal(t, ClassStatic, ep.Class(), c.name)
		}
	}
}

// TestHOLD_6_ClassBoundaries pins the classes: two reviews are needed to
// see a course; flat is static from the first extension on and
// unclassified before it; rising by one point is cherishing.
func TestHOLD_6_ClassBoundaries(t *testing.T) {
	f := newFixture(t)
	cont := func(ep *Episode, a Ratings) {
		_, err := ep.Review(Review{At: f.tick(time.Hour), Ratings: a, Decision: DecisionContinue})
		require.NoError(t, err)
	}

	flat, _ := f.begin(ReasonAwaitingReadiness)
	cont(&flat, assess(3, 3, 3))
	assert.Equal(t, ClassUnclassified, flat.Class(), "one review, nothing to compare")
	cont(&flat, assess(3, 3, 3))
	assert.Equal(t, 0, flat.Extensions())
	assert.Equal(t, ClassUnclassified, flat.Class(), "flat with no extension yet")
	f.extend(&flat, assess(3, 3, 3))
	assert.Equal(t, 1, flat.Extensions())
	assert.Equal(t, ClassStatic, flat.Class(), "flat at exactly the first extension")

	up, _ := f.begin(ReasonAwaitingReadiness)
	cont(&up, assess(3, 3, 3))
	cont(&up, assess(3, 3, 4))
	assert.Equal(t, ClassCherishing, up.Class(), "one point of confidence more, before any extension")

	falling, _ := f.begin(ReasonAwaitingReadiness)
	cont(&falling, assess(3, 3, 3))
	cont(&falling, assess(3, 3, 2))
	assert.Equal(t, ClassUnclassified, falling.Class(), "falling before any extension")
	f.extend(&falling, assess(3, 2, 2))
	assert.Equal(t, ClassStatic, falling.Class(), "falling past the first extension")

	// Only the two latest reviews count: a rise long ago does not make a
	// flat episode cherishing.
	once, _ := f.begin(ReasonAwaitingReadiness)
	f.extend(&once, assess(1, 1, 1))
	f.extend(&once, assess(5, 5, 5))
	require.Equal(t, ClassCherishing, once.Class())
	f.extend(&once, assess(5, 5, 5))
	assert.Equal(t, ClassStatic, once.Class(), "flat since the rise")
}

// TestHOLD_7_NinetiethPercentileNotAnother uses durations whose 90th and
// 95th percentiles (and median and mean) differ, so moving the percentile
// or the interpolation fails the test.
func TestHOLD_7_NinetiethPercentileNotAnother(t *testing.T) {
	f := newFixture(t)
	at := f.now.Add(100 * day)
	var eps []Episode
	// Open episodes that have lasted 1, 2, ..., 9 and 30 days at at.
	for _, d := range []int{30, 9, 8, 7, 6, 5, 4, 3, 2, 1} {
		f.now = at.Add(-time.Duration(d) * day)
		ep, _ := f.begin(ReasonAwaitingReadiness)
		eps = append(eps, ep)
	}
	sums := Summarise(eps, at, nil, Limits{})
	require.Len(t, sums, 1)
	s := sums[0]
	assert.Equal(t, 10, s.Open)
	// Sorted: 1..9, 30. Type 7: h = q(n-1).
	// Median h=4.5 -> 5.5 (the mean is 7.5).
	// 90th h=8.1 -> 9 + 0.1*(30-9) = 11.1; the 95th would be 20.55, the
	// 80th 8.2, the nearest-rank 90th 9.
	assert.InDelta(t, 5.5, s.MedianDays, 1e-9)
	assert.InDelta(t, 11.1, s.P90Days, 1e-9)

	// One more episode at 30 days moves the 90th, not the median, much.
	f.now = at.Add(-30 * day)
	more, _ := f.begin(ReasonAwaitingReadiness)
	s = Summarise(append(eps, more), at, nil, Limits{})[0]
	// Sorted: 1..9, 30, 30; median h=5 -> 6; 90th h=9 -> 30.
	assert.InDelta(t, 6, s.MedianDays, 1e-9)
	assert.InDelta(t, 30, s.P90Days, 1e-9)
}

// TestHOLD_7_HoldingLoadAtTheCaseload checks the share of the caseload in
// holding at its edges: all of it, and an unknown caseload.
func TestHOLD_7_HoldingLoadAtTheCaseload(t *testing.T) {
	f := newFixture(t)
	a, _ := f.begin(ReasonAwaitingReadiness)
	b, _ := f.begin(ReasonProtectingStaff)
	s := Summarise([]Episode{a, b}, f.now.Add(day), map[prescribing.LinkWorkerID]int{f.lw: 2}, Limits{})[0]
	assert.InDelta(t, 1.0, s.HoldingLoad, 1e-12)
	s = Summarise([]Episode{a, b}, f.now.Add(day), map[prescribing.LinkWorkerID]int{f.lw: 0}, Limits{})[0]
	assert.Zero(t, s.HoldingLoad)
	assert.Zero(t, s.Caseload)
}

// TestHOLD_EpisodeCopiesChangeAlone changes two copies of one episode at
// once, in two goroutines (run under -race), each renewing its open
// endpoint's sign-off and reviewing; each copy shows only its own changes
// and the original none.
func TestHOLD_EpisodeCopiesChangeAlone(t *testing.T) {
	f := newFixture(t)
	s := f.start(prescribing.SetOf(ReasonUnfixableProblems, ReasonLackOfProvision))
	s.Endpoint = Endpoint{Open: true, Plan: EndpointPlanReview}
	s.SignOff = SignOff{Supervisor: "Supervisor", At: f.now, ReviewBy: f.now.Add(30 * day)}
	original, _, err := Begin(s)
	require.NoError(t, err)
	pristine := original
	a, b := original, original

	renew := func(ep *Episode, who string, rounds int, events *[]prescribing.Event) {
		for range rounds {
			at := ep.Due()
			ev, err := ep.Review(Review{At: at, Ratings: assess(2, 2, 2), Decision: DecisionExtend,
				Endpoint: Endpoint{Open: true, Plan: EndpointPlanReview}, Rationale: "still bearing witness",
				SignOff: SignOff{Supervisor: who, At: at, ReviewBy: at.Add(30 * day)}})
			if err != nil {
				t.Error(err)
				return
			}
			*events = append(*events, ev)
		}
		ev, err := ep.AddReason(ReasonProtectingStaff, 0, ep.Due())
		if err != nil {
			t.Error(err)
			return
		}
		*events = append(*events, ev)
	}
	var evA, evB []prescribing.Event
	var wg sync.WaitGroup
	wg.Go(func() { renew(&a, "Supervisor A", 5, &evA) })
	wg.Go(func() { renew(&b, "Supervisor B", 3, &evB) })
	wg.Wait()

	assert.Equal(t, pristine, original, "the original is untouched")
	assert.Equal(t, "Supervisor", original.SignOff().Supervisor)
	assert.Equal(t, "Supervisor A", a.SignOff().Supervisor)
	assert.Equal(t, "Supervisor B", b.SignOff().Supervisor)
	assert.Equal(t, 5, a.Extensions())
	assert.Equal(t, 3, b.Extensions())
	assert.False(t, original.Reasons().Has(ReasonProtectingStaff))

	// Each copy is what its own events rebuild, and changing the returned
	// sign-off changes neither the copy nor its events.
	for _, c := range []struct {
		ep     Episode
		events []prescribing.Event
	}{{a, evA}, {b, evB}} {
		var replayed Episode
		require.NoError(t, prescribing.Replay(&replayed, append([]prescribing.Event{mustStarted(t, s)}, c.events...)))
		assert.Equal(t, c.ep, replayed)
		so := c.ep.SignOff()
		so.Supervisor = "changed"
		assert.NotEqual(t, "changed", c.ep.SignOff().Supervisor)
	}
}

func mustStarted(t *testing.T, s Start) Started {
	_, e, err := Begin(s)
	require.NoError(t, err)
	return e
}

package holding

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type fixture struct {
	t   testing.TB
	ids prescribing.IDSource
	now time.Time
	lw  prescribing.LinkWorkerID
	pat prescribing.PatientID
	ref prescribing.ReferralID
}

func newFixture(t testing.TB) *fixture {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(4, 4)))
	return &fixture{t: t, ids: ids, now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC),
		lw: prescribing.NewID[prescribing.LinkWorker](ids), pat: prescribing.NewID[prescribing.Patient](ids),
		ref: prescribing.NewID[prescribing.Referral](ids)}
}

func (f *fixture) tick(d time.Duration) time.Time {
	f.now = f.now.Add(d)
	return f.now
}

const day = 24 * time.Hour

func (f *fixture) start(reasons ReasonSet) Start {
	s := Start{
		ID: prescribing.NewID[Episode](f.ids), Referral: f.ref, Patient: f.pat, LinkWorker: f.lw,
		Reasons: reasons, At: f.now, Endpoint: Endpoint{At: f.now.Add(28 * day), Plan: EndpointPlanReview},
	}
	if reasons.Has(ReasonLackOfProvision) {
		s.Need = prescribing.NeedSocialIsolation
	}
	return s
}

func (f *fixture) begin(reasons ...Reason) (Episode, Started) {
	ep, e, err := Begin(f.start(prescribing.SetOf(reasons...)))
	require.NoError(f.t, err)
	return ep, e
}

func assess(m, c, conf int) Ratings {
	return Ratings{Motivation: m, Capacity: c, Confidence: conf}
}

func (f *fixture) extend(ep *Episode, a Ratings) Reviewed {
	at := ep.Due()
	f.now = at
	ev, err := ep.Review(Review{At: at, Ratings: a, Decision: DecisionExtend,
		Endpoint: Endpoint{At: at.Add(28 * day), Plan: EndpointPlanReview}, Rationale: "not ready yet"})
	require.NoError(f.t, err)
	return ev
}

func TestHOLD_1_NoEndpointNoEpisode(t *testing.T) {
	f := newFixture(t)
	good := f.start(prescribing.SetOf(ReasonAwaitingReadiness))
	ep, started, err := Begin(good)
	require.NoError(t, err)
	assert.True(t, ep.Open())
	assert.Equal(t, good.Endpoint, ep.Endpoint())
	assert.Equal(t, good.At, ep.Started())
	assert.Equal(t, started.At, ep.Started())

	cases := map[string]struct {
		change func(*Start)
		want   error
	}{
		"no reason":              {func(s *Start) { s.Reasons = 0 }, ErrNoReason},
		"unknown reason":         {func(s *Start) { s.Reasons = prescribing.SetOf(Reason(9)) }, ErrNoReason},
		"no person":              {func(s *Start) { s.Patient = prescribing.PatientID{} }, prescribing.ErrInvalidID},
		"no link worker":         {func(s *Start) { s.LinkWorker = prescribing.LinkWorkerID{} }, prescribing.ErrInvalidID},
		"no endpoint":            {func(s *Start) { s.Endpoint = Endpoint{} }, ErrNoEndpoint},
		"endpoint with no plan":  {func(s *Start) { s.Endpoint.Plan = 0 }, ErrNoEndpoint},
		"endpoint at the start":  {func(s *Start) { s.Endpoint.At = s.At }, ErrNoEndpoint},
		"endpoint before start":  {func(s *Start) { s.Endpoint.At = s.At.Add(-day) }, ErrNoEndpoint},
		"connect names no asset": {func(s *Start) { s.Endpoint.Plan = EndpointPlanConnect }, ErrNoEndpoint},
		"no time":                {func(s *Start) { s.At = time.Time{} }, prescribing.ErrNoTime},
	}
	for name, c := range cases {
		s := f.start(prescribing.SetOf(ReasonAwaitingReadiness))
		c.change(&s)
		_, _, err := Begin(s)
		assert.ErrorIs(t, err, c.want, name)
	}

	// Every endpoint plan is accepted.
	for _, plan := range []EndpointPlan{EndpointPlanConnect, EndpointPlanReadinessMilestone, EndpointPlanReview, EndpointPlanDischarge} {
		s := f.start(prescribing.SetOf(ReasonProtectingStaff))
		s.Endpoint.Plan = plan
		if plan == EndpointPlanConnect {
			s.Endpoint.Asset = prescribing.NewID[prescribing.Asset](f.ids)
		}
		_, _, err := Begin(s)
		assert.NoError(t, err, plan.String())
	}
}

func TestHOLD_2_LackOfProvisionNamesTheNeedAndEndsWhenAPlaceAppears(t *testing.T) {
	f := newFixture(t)
	awaited := prescribing.NewID[prescribing.Asset](f.ids)
	np := prescribing.NeedProvision{Need: prescribing.NeedMoney, Provision: prescribing.ProvisionFull, Assets: 1, Awaited: awaited}
	ep, started, err := BeginForLackOfProvision(f.start(0), np)
	require.NoError(t, err)
	assert.True(t, started.Reasons.Has(ReasonLackOfProvision))
	need, asset := ep.Need()
	assert.Equal(t, prescribing.NeedMoney, need)
	assert.Equal(t, awaited, asset)

	_, _, err = BeginForLackOfProvision(f.start(0), prescribing.NeedProvision{Need: prescribing.NeedMoney, Provision: prescribing.ProvisionAvailable})
	assert.ErrorIs(t, err, ErrProvisionAvailable)
	_, _, err = BeginForLackOfProvision(f.start(0), prescribing.NeedProvision{Need: prescribing.NeedMoney})
	assert.ErrorIs(t, err, prescribing.ErrMissingDetail)
	s := f.start(prescribing.SetOf(ReasonLackOfProvision))
	s.Need = 0
	_, _, err = Begin(s)
	assert.ErrorIs(t, err, prescribing.ErrMissingDetail, "lack of provision names the need")

	// A place for another need changes nothing; one for this need ends it.
	_, ok, err := ep.PlaceAvailable(prescribing.NeedHousing, awaited, f.tick(day))
	require.NoError(t, err)
	assert.False(t, ok)
	place := prescribing.NewID[prescribing.Asset](f.ids)
	ended, ok, err := ep.PlaceAvailable(prescribing.NeedMoney, place, f.tick(day))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, EndingConnected, ended.Ending)
	assert.Equal(t, place, ended.Asset)
	_, outcome, done := ep.Ended()
	assert.True(t, done)
	assert.Equal(t, EndingConnected, outcome)
}

func TestHOLD_2_APlaceGoesToTheEarliestReadyEpisode(t *testing.T) {
	f := newFixture(t)
	np := prescribing.NeedProvision{Need: prescribing.NeedSocialIsolation, Provision: prescribing.ProvisionNone}
	first, _, err := BeginForLackOfProvision(f.start(prescribing.SetOf(ReasonAwaitingReadiness)), np) // not ready yet
	require.NoError(t, err)
	f.tick(time.Hour)
	second, _, err := BeginForLackOfProvision(f.start(0), np)
	require.NoError(t, err)
	f.tick(time.Hour)
	third, _, err := BeginForLackOfProvision(f.start(0), np)
	require.NoError(t, err)
	eps := []Episode{third, first, second}

	assert.Equal(t, 2, FirstWaiting(eps, prescribing.NeedSocialIsolation), "the first is still awaiting readiness")
	_, err = eps[1].MarkReady(f.tick(time.Hour))
	require.NoError(t, err)
	assert.True(t, eps[1].Ready())
	assert.Equal(t, 1, FirstWaiting(eps, prescribing.NeedSocialIsolation), "ready now, and it started first")
	assert.Equal(t, -1, FirstWaiting(eps, prescribing.NeedMoney))
}

func TestHOLD_3_TheEndpointNeedsADecision(t *testing.T) {
	f := newFixture(t)
	ep, _ := f.begin(ReasonAwaitingReadiness)

	// Before the endpoint a review may carry on.
	_, err := ep.Review(Review{At: f.tick(7 * day), Ratings: assess(3, 3, 3), Decision: DecisionContinue})
	require.NoError(t, err)

	// At the endpoint it may not.
	due := ep.Due()
	_, err = ep.Review(Review{At: due, Ratings: assess(3, 3, 3), Decision: DecisionContinue})
	require.ErrorIs(t, err, ErrDecisionRequired)
	assert.Contains(t, err.Error(), "HOLD-3")
	_, err = ep.Review(Review{At: due, Ratings: assess(3, 3, 3)})
	require.ErrorIs(t, err, ErrDecisionRequired, "no decision at all")

	// Extending needs a rationale and a new endpoint after the review.
	_, err = ep.Review(Review{At: due, Ratings: assess(3, 3, 3), Decision: DecisionExtend,
		Endpoint: Endpoint{At: due.Add(28 * day), Plan: EndpointPlanReview}})
	require.ErrorIs(t, err, ErrNoRationale)
	_, err = ep.Review(Review{At: due, Ratings: assess(3, 3, 3), Decision: DecisionExtend,
		Endpoint: Endpoint{At: due, Plan: EndpointPlanReview}, Rationale: "more time"})
	require.ErrorIs(t, err, ErrNoEndpoint)
	ext, err := ep.Review(Review{At: due, Ratings: assess(4, 3, 3), Decision: DecisionExtend,
		Endpoint: Endpoint{At: due.Add(28 * day), Plan: EndpointPlanReadinessMilestone}, Rationale: "starting to engage"})
	require.NoError(t, err)
	assert.Equal(t, 1, ep.Extensions())
	assert.Equal(t, ext.Endpoint, ep.Endpoint())

	// Ending needs an outcome; deciding outcomes come only from a review.
	_, err = ep.Review(Review{At: f.tick(30 * day), Ratings: assess(4, 3, 3), Decision: DecisionEnd})
	require.ErrorIs(t, err, ErrDecisionRequired)
	for _, o := range []Ending{EndingDischarged, EndingNeedResolved, EndingReferredToSpecialist} {
		_, err = ep.Finish(f.now, o)
		require.ErrorIs(t, err, ErrDecisionRequired, o.String())
	}
	_, err = ep.Review(Review{At: f.now, Ratings: assess(4, 3, 3), Decision: DecisionEnd, Ending: EndingReferredToSpecialist})
	require.NoError(t, err)
	_, o, ended := ep.Ended()
	require.True(t, ended)
	assert.Equal(t, EndingReferredToSpecialist, o)
	_, err = ep.Review(Review{At: f.tick(day), Ratings: assess(4, 3, 3), Decision: DecisionContinue})
	assert.ErrorIs(t, err, ErrEnded)

	// Things that happen end an episode at any time, endpoint or not.
	for _, o := range []Ending{EndingConnected, EndingDisengaged, EndingTransferred} {
		other, _ := f.begin(ReasonProtectingStaff)
		_, err := other.Finish(f.tick(day), o)
		assert.NoError(t, err, o.String())
	}
}

func TestHOLD_4_OverdueWithoutAReview(t *testing.T) {
	f := newFixture(t)
	ep, _ := f.begin(ReasonAwaitingReadiness)
	due := ep.Due()
	assert.False(t, ep.Overdue(due), "due, not yet overdue")
	assert.True(t, ep.Overdue(due.Add(time.Minute)))
	f.extend(&ep, assess(2, 2, 2))
	assert.False(t, ep.Overdue(due.Add(time.Minute)), "the review set a new endpoint")
	assert.True(t, ep.Overdue(ep.Due().Add(time.Second)))
	_, err := ep.Finish(ep.Due().Add(day), EndingDisengaged)
	require.NoError(t, err)
	assert.False(t, ep.Overdue(ep.Due().Add(365*day)), "an ended episode is never overdue")
}

func TestHOLD_4_AtRiskOfIndefiniteHolding(t *testing.T) {
	f := newFixture(t)
	ep, _ := f.begin(ReasonAwaitingReadiness)
	flat := assess(3, 3, 3)
	for i := 1; i <= 3; i++ {
		f.extend(&ep, flat)
		assert.False(t, ep.AtRisk(Limits{}), "extension %d: not more than 3 yet", i)
	}
	f.extend(&ep, flat)
	assert.Equal(t, 4, ep.StalledExtensions())
	assert.True(t, ep.AtRisk(Limits{}), "four flat extensions")
	assert.False(t, ep.AtRisk(Limits{MaxStalledExtensions: 5}), "the limit is the caller's")

	// A rise at a review ends the run.
	f.extend(&ep, assess(4, 3, 3))
	assert.Zero(t, ep.StalledExtensions())
	assert.False(t, ep.AtRisk(Limits{}))
	assert.Equal(t, 5, ep.Extensions())

	// Falling counts as stalled too.
	other, _ := f.begin(ReasonAwaitingReadiness)
	for _, a := range []Ratings{assess(5, 5, 5), assess(4, 5, 5), assess(4, 4, 5), assess(4, 4, 4), assess(3, 4, 4)} {
		f.extend(&other, a)
	}
	assert.True(t, other.AtRisk(Limits{}))
}

func TestHOLD_5_OpenEndpointOnlyForUnfixableProblemsWithSignOff(t *testing.T) {
	f := newFixture(t)
	signOff := SignOff{Supervisor: "Clinical supervisor, Riverside PCN", At: f.now, ReviewBy: f.now.Add(90 * day)}
	open := func(reasons ReasonSet, so SignOff) Start {
		s := f.start(reasons)
		s.Endpoint, s.SignOff = Endpoint{Open: true, Plan: EndpointPlanReview}, so
		return s
	}

	ep, _, err := Begin(open(prescribing.SetOf(ReasonUnfixableProblems), signOff))
	require.NoError(t, err)
	assert.Equal(t, signOff.ReviewBy, ep.Due(), "the sign-off's review date is when it is due")
	assert.True(t, ep.Overdue(signOff.ReviewBy.Add(time.Hour)))

	_, _, err = Begin(open(prescribing.SetOf(ReasonAwaitingReadiness), signOff))
	assert.ErrorIs(t, err, ErrNoEndpoint, "other reasons need a dated endpoint")
	_, _, err = Begin(open(prescribing.SetOf(ReasonUnfixableProblems), SignOff{}))
	assert.ErrorIs(t, err, ErrNoSignOff)
	noReview := signOff
	noReview.ReviewBy = time.Time{}
	_, _, err = Begin(open(prescribing.SetOf(ReasonUnfixableProblems), noReview))
	assert.ErrorIs(t, err, ErrNoSignOff, "the sign-off has a review date")
	later := signOff
	later.At = f.now.Add(day)
	_, _, err = Begin(open(prescribing.SetOf(ReasonUnfixableProblems), later))
	assert.ErrorIs(t, err, ErrNoSignOff, "signed off before the episode starts")
	dated := open(prescribing.SetOf(ReasonUnfixableProblems), signOff)
	dated.Endpoint.At = f.now.Add(day)
	_, _, err = Begin(dated)
	assert.ErrorIs(t, err, ErrNoEndpoint, "an open endpoint has no date")
	stray := f.start(prescribing.SetOf(ReasonUnfixableProblems))
	stray.SignOff = signOff
	_, _, err = Begin(stray)
	assert.ErrorIs(t, err, prescribing.ErrUnexpectedEvent, "a sign-off on a dated endpoint")

	// At the sign-off's review the open endpoint is renewed with a new
	// sign-off, or the episode is extended to a dated endpoint, or ended.
	at := signOff.ReviewBy
	renewed := SignOff{Supervisor: signOff.Supervisor, At: at, ReviewBy: at.Add(90 * day)}
	_, err = ep.Review(Review{At: at, Ratings: assess(2, 2, 2), Decision: DecisionExtend,
		Endpoint: Endpoint{Open: true, Plan: EndpointPlanReview}, Rationale: "still bearing witness"})
	require.ErrorIs(t, err, ErrNoSignOff, "renewal needs its own sign-off")
	_, err = ep.Review(Review{At: at, Ratings: assess(2, 2, 2), Decision: DecisionExtend,
		Endpoint: Endpoint{Open: true, Plan: EndpointPlanReview}, Rationale: "still bearing witness", SignOff: renewed})
	require.NoError(t, err)
	assert.Equal(t, renewed, ep.SignOff())
}

func TestHOLD_6_CherishingOrStatic(t *testing.T) {
	f := newFixture(t)
	rising, _ := f.begin(ReasonAwaitingReadiness)
	assert.Equal(t, ClassUnclassified, rising.Class(), "no reviews yet")
	f.extend(&rising, assess(2, 2, 2))
	assert.Equal(t, ClassUnclassified, rising.Class(), "one review")
	f.extend(&rising, assess(3, 3, 2))
	assert.Equal(t, ClassCherishing, rising.Class(), "readiness rising")
	f.extend(&rising, assess(3, 3, 4))
	assert.Equal(t, ClassCherishing, rising.Class(), "confidence rising")
	a, ok := rising.LastRatings()
	require.True(t, ok)
	assert.Equal(t, 6, a.Readiness())

	flat, _ := f.begin(ReasonAwaitingReadiness)
	_, err := flat.Review(Review{At: f.tick(day), Ratings: assess(3, 3, 3), Decision: DecisionContinue})
	require.NoError(t, err)
	_, err = flat.Review(Review{At: f.tick(day), Ratings: assess(3, 3, 3), Decision: DecisionContinue})
	require.NoError(t, err)
	assert.Equal(t, ClassUnclassified, flat.Class(), "flat, but not yet past the first extension")
	f.extend(&flat, assess(3, 3, 3))
	assert.Equal(t, ClassStatic, flat.Class(), "flat past the first extension")

	mixed, _ := f.begin(ReasonAwaitingReadiness)
	f.extend(&mixed, assess(3, 3, 3))
	f.extend(&mixed, assess(5, 3, 2))
	assert.Equal(t, ClassStatic, mixed.Class(), "readiness up but confidence down is not rising")

	_, err = flat.Review(Review{At: f.tick(day), Ratings: assess(11, 0, 0), Decision: DecisionContinue})
	assert.ErrorIs(t, err, ErrInvalidRatings)
	_, err = flat.Review(Review{At: f.now, Ratings: assess(0, -1, 0), Decision: DecisionContinue})
	assert.ErrorIs(t, err, ErrInvalidRatings)
}

func TestHOLD_7_CaseloadSummary(t *testing.T) {
	f := newFixture(t)
	other := prescribing.NewID[prescribing.LinkWorker](f.ids)
	idle := prescribing.NewID[prescribing.LinkWorker](f.ids)
	start := f.now
	var eps []Episode
	// Ten open episodes for f.lw, started 0..9 days after start; reasons vary.
	for i := range 10 {
		f.now = start.Add(time.Duration(i) * day)
		reasons := []Reason{ReasonAwaitingReadiness}
		if i%2 == 0 {
			reasons = append(reasons, ReasonProtectingStaff)
		}
		ep, _ := f.begin(reasons...)
		eps = append(eps, ep)
	}
	// One at risk (four flat extensions) for f.lw, started at start.
	f.now = start
	risky, _ := f.begin(ReasonUnfixableProblems)
	for range 4 {
		f.extend(&risky, assess(1, 1, 1))
	}
	// One ended episode that must not count, and one for another worker.
	f.now = start
	done, _ := f.begin(ReasonAwaitingReadiness)
	_, err := done.Finish(f.tick(day), EndingConnected)
	require.NoError(t, err)
	f.now = start
	theirs, _ := f.begin(ReasonProtectingStaff)
	theirs.linkWorker = other
	eps = append(eps, risky, done, theirs)

	at := start.Add(40 * day) // the ten are past their 28-day endpoints
	sums := Summarise(eps, at, map[prescribing.LinkWorkerID]int{f.lw: 44, idle: 20}, Limits{})
	require.Len(t, sums, 3)
	byLW := map[prescribing.LinkWorkerID]Summary{}
	for _, s := range sums {
		byLW[s.LinkWorker] = s
	}
	mine := byLW[f.lw]
	assert.Equal(t, 11, mine.Open)
	assert.Equal(t, map[Reason]int{ReasonAwaitingReadiness: 10, ReasonProtectingStaff: 5, ReasonUnfixableProblems: 1}, mine.ByReason)
	assert.Equal(t, 10, mine.Overdue)
	assert.Equal(t, 1, mine.AtRisk)
	assert.Equal(t, 1, mine.Static)
	// Durations at day 40: 31..40 for the ten and 40 for the risky one.
	// Sorted: 31,32,...,40,40; median (6th of 11) = 36; p90 at h=9 -> 40.
	assert.InDelta(t, 36, mine.MedianDays, 1e-9)
	assert.InDelta(t, 40, mine.P90Days, 1e-9)
	assert.Equal(t, 44, mine.Caseload)
	assert.InDelta(t, 0.25, mine.HoldingLoad, 1e-9)

	theirSum := byLW[other]
	assert.Equal(t, 1, theirSum.Open)
	assert.Zero(t, theirSum.HoldingLoad, "caseload unknown")
	assert.Equal(t, Summary{LinkWorker: idle, At: at, ByReason: map[Reason]int{}, Caseload: 20}, byLW[idle])

	for i := 1; i < len(sums); i++ {
		assert.Negative(t, sums[i-1].LinkWorker.Compare(sums[i].LinkWorker), "ordered by link worker")
	}
}

func TestQuantileByLinearInterpolation(t *testing.T) {
	assert.Equal(t, 5.0, quantile([]float64{5}, 0.9))
	assert.Equal(t, 2.5, quantile([]float64{1, 2, 3, 4}, 0.5))
	assert.InDelta(t, 3.7, quantile([]float64{1, 2, 3, 4}, 0.9), 1e-9)
	assert.Equal(t, 4.0, quantile([]float64{1, 2, 3, 4}, 1))
}

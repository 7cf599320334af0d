package holding

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hostile values every refusal test draws on.
var (
	year10000     = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	year0         = time.Date(0, 12, 31, 12, 0, 0, 0, time.UTC)
	lastMoment    = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	westOfUTC     = time.FixedZone("UTC-2", -2*3600)
	pastYear9999  = time.Date(9999, 12, 31, 23, 0, 0, 0, westOfUTC) // 10000-01-01T01:00Z
	invalidUTF8   = "ready \xff\xfe soon"
	withNUL       = "ready\x00soon"
	tooLong       = strings.Repeat("x", prescribing.MaxTextBytes+1)
	longestText   = strings.Repeat("é", prescribing.MaxTextBytes/2) // exactly MaxTextBytes bytes
	onlySpaces    = " \t\n "
	unknownNeed   = prescribing.Need(17)
	unknownReason = Reason(9)
)

// requireRefused checks what every refusal must satisfy: the error wraps
// every sentinel in want, the event is the zero value, and the episode is
// as it was before.
func requireRefused(t *testing.T, before, after Episode, ev any, err error, want ...error) {
	t.Helper()
	require.Error(t, err)
	for _, w := range want {
		assert.ErrorIs(t, err, w)
	}
	assert.True(t, reflect.ValueOf(ev).IsZero(), "a refusal returns the zero event, got %+v", ev)
	assert.Equal(t, before, after, "a refusal changes nothing")
}

func TestHOLD_1_BeginRefusesWhatTheCodecCannotStore(t *testing.T) {
	f := newFixture(t)
	signOff := SignOff{Supervisor: "Clinical supervisor", At: f.now, ReviewBy: f.now.Add(90 * day)}
	open := func(s *Start, so SignOff) {
		s.Reasons = s.Reasons.With(ReasonUnfixableProblems)
		s.Endpoint, s.SignOff = Endpoint{Open: true, Plan: EndpointPlanReview}, so
	}
	cases := map[string]struct {
		change func(*Start)
		want   []error
	}{
		"start in year 10000":     {func(s *Start) { s.At = year10000; s.Endpoint.At = year10000.Add(day) }, []error{prescribing.ErrTimeOutOfRange}},
		"start in year 0":         {func(s *Start) { s.At = year0 }, []error{prescribing.ErrTimeOutOfRange}},
		"start past 9999 in UTC":  {func(s *Start) { s.At = pastYear9999; s.Endpoint.At = year10000.Add(day) }, []error{prescribing.ErrTimeOutOfRange}},
		"endpoint in year 10000":  {func(s *Start) { s.Endpoint.At = year10000 }, []error{prescribing.ErrTimeOutOfRange}},
		"endpoint past 9999":      {func(s *Start) { s.Endpoint.At = pastYear9999 }, []error{prescribing.ErrTimeOutOfRange}},
		"unknown need, not asked": {func(s *Start) { s.Need = unknownNeed }, []error{prescribing.ErrUnknownValue}},
		"unknown need for lack of provision": {func(s *Start) {
			s.Reasons, s.Need = s.Reasons.With(ReasonLackOfProvision), unknownNeed
		}, []error{prescribing.ErrUnknownValue}},
		"unknown reason":       {func(s *Start) { s.Reasons = s.Reasons.With(unknownReason) }, []error{ErrNoReason, prescribing.ErrUnknownValue}},
		"reason zero (bit 0)":  {func(s *Start) { s.Reasons |= 1 }, []error{ErrNoReason, prescribing.ErrUnknownValue}},
		"unknown plan":         {func(s *Start) { s.Endpoint.Plan = EndpointPlan(9) }, []error{ErrNoEndpoint, prescribing.ErrUnknownValue}},
		"no plan":              {func(s *Start) { s.Endpoint.Plan = 0 }, []error{ErrNoEndpoint}},
		"supervisor not UTF-8": {func(s *Start) { so := signOff; so.Supervisor = invalidUTF8; open(s, so) }, []error{prescribing.ErrInvalidText}},
		"supervisor with NUL":  {func(s *Start) { so := signOff; so.Supervisor = withNUL; open(s, so) }, []error{prescribing.ErrInvalidText}},
		"supervisor too long":  {func(s *Start) { so := signOff; so.Supervisor = tooLong; open(s, so) }, []error{prescribing.ErrInvalidText}},
		"supervisor blank":     {func(s *Start) { so := signOff; so.Supervisor = onlySpaces; open(s, so) }, []error{ErrNoSignOff}},
		"sign-off review in year 10000": {func(s *Start) {
			so := signOff
			so.ReviewBy = year10000
			open(s, so)
		}, []error{prescribing.ErrTimeOutOfRange}},
		"signed off in year 0": {func(s *Start) { so := signOff; so.At = year0; open(s, so) }, []error{prescribing.ErrTimeOutOfRange}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := f.start(prescribing.SetOf(ReasonAwaitingReadiness))
			c.change(&s)
			ep, ev, err := Begin(s)
			requireRefused(t, Episode{}, ep, ev, err, c.want...)
			var in Episode
			ev, err = in.Begin(s)
			requireRefused(t, Episode{}, in, ev, err, c.want...)
			if !prescribing.IsBlank(s.SignOff.Supervisor) {
				assert.NotContains(t, err.Error(), s.SignOff.Supervisor, "errors never quote free text")
			}
		})
	}

	// The boundaries themselves are accepted: the last moment of 9999, the
	// first instant after the zero time, the longest text.
	s := f.start(prescribing.SetOf(ReasonAwaitingReadiness))
	s.Endpoint.At = lastMoment
	_, _, err := Begin(s)
	assert.NoError(t, err, "an endpoint at the last moment of 9999")
	s = f.start(prescribing.SetOf(ReasonAwaitingReadiness))
	s.At = time.Time{}.Add(time.Nanosecond)
	_, _, err = Begin(s)
	assert.NoError(t, err, "a start in year 1")
	s = f.start(prescribing.SetOf(ReasonAwaitingReadiness))
	so := signOff
	so.Supervisor = longestText
	open(&s, so)
	_, _, err = Begin(s)
	assert.NoError(t, err, "a supervisor's name of exactly MaxTextBytes")
}

func TestHOLD_3_ReviewRefusesWhatTheCodecCannotStore(t *testing.T) {
	f := newFixture(t)
	ep, _ := f.begin(ReasonAwaitingReadiness)
	due := ep.Due()
	extend := func(r *Review) {
		r.Decision, r.Endpoint, r.Rationale = DecisionExtend, Endpoint{At: due.Add(28 * day), Plan: EndpointPlanReview}, "more time"
	}
	cases := map[string]struct {
		change func(*Review)
		want   []error
	}{
		"rationale not UTF-8":     {func(r *Review) { extend(r); r.Rationale = invalidUTF8 }, []error{prescribing.ErrInvalidText}},
		"rationale with NUL":      {func(r *Review) { extend(r); r.Rationale = withNUL }, []error{prescribing.ErrInvalidText}},
		"rationale too long":      {func(r *Review) { extend(r); r.Rationale = tooLong }, []error{prescribing.ErrInvalidText}},
		"rationale of spaces":     {func(r *Review) { extend(r); r.Rationale = onlySpaces }, []error{ErrNoRationale}},
		"no rationale":            {func(r *Review) { extend(r); r.Rationale = "" }, []error{ErrNoRationale}},
		"new endpoint year 10000": {func(r *Review) { extend(r); r.Endpoint.At = year10000 }, []error{prescribing.ErrTimeOutOfRange}},
		"new endpoint past 9999":  {func(r *Review) { extend(r); r.Endpoint.At = pastYear9999 }, []error{prescribing.ErrTimeOutOfRange}},
		"unknown plan":            {func(r *Review) { extend(r); r.Endpoint.Plan = EndpointPlan(9) }, []error{ErrNoEndpoint, prescribing.ErrUnknownValue}},
		"unknown decision":        {func(r *Review) { r.Decision = Decision(9) }, []error{ErrDecisionRequired, prescribing.ErrUnknownValue}},
		"no decision":             {func(r *Review) { r.Decision = 0 }, []error{ErrDecisionRequired}},
		"unknown outcome":         {func(r *Review) { r.Decision, r.Ending = DecisionEnd, Ending(17) }, []error{prescribing.ErrUnknownValue}},
		"unknown outcome, extend": {func(r *Review) { extend(r); r.Ending = Ending(17) }, []error{prescribing.ErrUnknownValue}},
		"review in year 10000":    {func(r *Review) { extend(r); r.At = year10000 }, []error{prescribing.ErrTimeOutOfRange}},
		"review with no time":     {func(r *Review) { extend(r); r.At = time.Time{} }, []error{prescribing.ErrNoTime}},
		"review going backwards":  {func(r *Review) { extend(r); r.At = ep.Started().Add(-day) }, []error{prescribing.ErrTimeWentBackwards}},
		"assessment out of range": {func(r *Review) { extend(r); r.Ratings.Confidence = 11 }, []error{ErrInvalidRatings}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := Review{At: due, Ratings: assess(3, 3, 3), Decision: DecisionEnd, Ending: EndingDisengaged}
			c.change(&r)
			copyOf := ep
			ev, err := copyOf.Review(r)
			requireRefused(t, ep, copyOf, ev, err, c.want...)
		})
	}
	r := Review{At: due, Ratings: assess(3, 3, 3)}
	extend(&r)
	r.Rationale = longestText
	_, err := ep.Review(r)
	assert.NoError(t, err, "a rationale of exactly MaxTextBytes")
}

func TestHOLD_5_RenewedSignOffRefusesWhatTheCodecCannotStore(t *testing.T) {
	f := newFixture(t)
	s := f.start(prescribing.SetOf(ReasonUnfixableProblems))
	s.Endpoint, s.SignOff = Endpoint{Open: true, Plan: EndpointPlanReview}, SignOff{Supervisor: "Supervisor", At: f.now, ReviewBy: f.now.Add(90 * day)}
	ep, _, err := Begin(s)
	require.NoError(t, err)
	at := ep.Due()
	for name, c := range map[string]struct {
		so   SignOff
		want error
	}{
		"supervisor not UTF-8":  {SignOff{Supervisor: invalidUTF8, At: at, ReviewBy: at.Add(day)}, prescribing.ErrInvalidText},
		"supervisor blank":      {SignOff{Supervisor: onlySpaces, At: at, ReviewBy: at.Add(day)}, ErrNoSignOff},
		"review date past 9999": {SignOff{Supervisor: "Supervisor", At: at, ReviewBy: pastYear9999}, prescribing.ErrTimeOutOfRange},
		"signed off in year 0":  {SignOff{Supervisor: "Supervisor", At: year0, ReviewBy: at.Add(day)}, prescribing.ErrTimeOutOfRange},
		"review date not after": {SignOff{Supervisor: "Supervisor", At: at, ReviewBy: at}, ErrNoSignOff},
	} {
		copyOf := ep
		ev, err := copyOf.Review(Review{At: at, Ratings: assess(2, 2, 2), Decision: DecisionExtend,
			Endpoint: Endpoint{Open: true, Plan: EndpointPlanReview}, Rationale: "still bearing witness", SignOff: c.so})
		t.Run(name, func(t *testing.T) { requireRefused(t, ep, copyOf, ev, err, c.want) })
	}
}

func TestHOLD_2_ChangesRefuseWhatTheCodecCannotStore(t *testing.T) {
	f := newFixture(t)
	ep, _ := f.begin(ReasonAwaitingReadiness)
	next := f.now.Add(day)
	asset := prescribing.NewID[prescribing.Asset](f.ids)
	cases := map[string]struct {
		op   func(*Episode) (any, error)
		want []error
	}{
		"reason outside the vocabulary": {func(e *Episode) (any, error) { return e.AddReason(unknownReason, 0, next) },
			[]error{ErrNoReason, prescribing.ErrUnknownValue}},
		"no reason": {func(e *Episode) (any, error) { return e.AddReason(0, 0, next) }, []error{ErrNoReason}},
		"unknown need with another reason": {func(e *Episode) (any, error) { return e.AddReason(ReasonProtectingStaff, unknownNeed, next) },
			[]error{prescribing.ErrUnknownValue}},
		"unknown need for lack of provision": {func(e *Episode) (any, error) { return e.AddReason(ReasonLackOfProvision, unknownNeed, next) },
			[]error{prescribing.ErrUnknownValue}},
		"reason in year 10000":      {func(e *Episode) (any, error) { return e.AddReason(ReasonProtectingStaff, 0, year10000) }, []error{prescribing.ErrTimeOutOfRange}},
		"readiness past 9999 (UTC)": {func(e *Episode) (any, error) { return e.MarkReady(pastYear9999) }, []error{prescribing.ErrTimeOutOfRange}},
		"readiness with no time":    {func(e *Episode) (any, error) { return e.MarkReady(time.Time{}) }, []error{prescribing.ErrNoTime}},
		"readiness going backwards": {func(e *Episode) (any, error) { return e.MarkReady(e.Started().Add(-time.Nanosecond)) }, []error{prescribing.ErrTimeWentBackwards}},
		"finish with unknown outcome": {func(e *Episode) (any, error) { return e.Finish(next, Ending(17)) },
			[]error{prescribing.ErrUnknownValue}},
		"finish with no outcome": {func(e *Episode) (any, error) { return e.Finish(next, 0) }, []error{prescribing.ErrMissingDetail}},
		"finish in year 10000":   {func(e *Episode) (any, error) { return e.Finish(year10000, EndingDisengaged) }, []error{prescribing.ErrTimeOutOfRange}},
		"finish by decision":     {func(e *Episode) (any, error) { return e.Finish(next, EndingDischarged) }, []error{ErrDecisionRequired}},
		"place for unknown need": {func(e *Episode) (any, error) {
			ev, _, err := e.PlaceAvailable(unknownNeed, asset, next)
			return ev, err
		},
			[]error{prescribing.ErrUnknownValue}},
		"place naming no asset": {func(e *Episode) (any, error) {
			ev, _, err := e.PlaceAvailable(prescribing.NeedHousing, prescribing.AssetID{}, next)
			return ev, err
		}, []error{prescribing.ErrInvalidID}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			copyOf := ep
			ev, err := c.op(&copyOf)
			requireRefused(t, ep, copyOf, ev, err, c.want...)
		})
	}

	// Matching's word on the need must be one of its vocabulary, and so must
	// the need.
	for name, np := range map[string]prescribing.NeedProvision{
		"unknown provision": {Need: prescribing.NeedMoney, Provision: prescribing.Provision(4)},
		"unknown need":      {Need: unknownNeed, Provision: prescribing.ProvisionNone},
	} {
		ep, ev, err := BeginForLackOfProvision(f.start(0), np)
		t.Run(name, func(t *testing.T) { requireRefused(t, Episode{}, ep, ev, err, prescribing.ErrUnknownValue) })
	}

	// A place for the episode's need, at year 10000, is refused too.
	np := prescribing.NeedProvision{Need: prescribing.NeedMoney, Provision: prescribing.ProvisionNone}
	waiting, _, err := BeginForLackOfProvision(f.start(0), np)
	require.NoError(t, err)
	copyOf := waiting
	ev, ok, err := copyOf.PlaceAvailable(prescribing.NeedMoney, asset, year10000)
	assert.False(t, ok)
	requireRefused(t, waiting, copyOf, ev, err, prescribing.ErrTimeOutOfRange)
}

// TestEV_3_ApplyRefusesWhatLiveRefuses feeds Apply the events the live
// operations would refuse to make: replay must refuse them too, changing
// nothing.
func TestEV_3_ApplyRefusesWhatLiveRefuses(t *testing.T) {
	f := newFixture(t)
	ep, started := f.begin(ReasonAwaitingReadiness)
	id, due := ep.ID(), ep.Due()
	extension := Reviewed{Episode: id, At: due, Ratings: assess(3, 3, 3), Decision: DecisionExtend,
		Endpoint: Endpoint{At: due.Add(28 * day), Plan: EndpointPlanReview}, Rationale: "more time"}
	with := func(change func(*Reviewed)) Reviewed { r := extension; change(&r); return r }
	badStart := started
	badStart.Need = unknownNeed
	yearStart := started
	yearStart.At, yearStart.Endpoint.At = year10000, year10000.Add(day)

	for name, c := range map[string]struct {
		into Episode
		ev   prescribing.Event
		want []error
	}{
		"start with an unknown need":      {Episode{}, badStart, []error{prescribing.ErrUnknownValue}},
		"start in year 10000":             {Episode{}, yearStart, []error{prescribing.ErrTimeOutOfRange}},
		"reason outside the vocabulary":   {ep, ReasonAdded{Episode: id, Reason: unknownReason, At: due}, []error{prescribing.ErrUnknownValue}},
		"need outside the vocabulary":     {ep, ReasonAdded{Episode: id, Reason: ReasonProtectingStaff, Need: unknownNeed, At: due}, []error{prescribing.ErrUnknownValue}},
		"readiness in year 10000":         {ep, ReadinessReached{Episode: id, At: year10000}, []error{prescribing.ErrTimeOutOfRange}},
		"rationale not UTF-8":             {ep, with(func(r *Reviewed) { r.Rationale = invalidUTF8 }), []error{prescribing.ErrInvalidText}},
		"rationale of spaces":             {ep, with(func(r *Reviewed) { r.Rationale = onlySpaces }), []error{ErrNoRationale}},
		"endpoint past 9999":              {ep, with(func(r *Reviewed) { r.Endpoint.At = pastYear9999 }), []error{prescribing.ErrTimeOutOfRange}},
		"decision outside the vocabulary": {ep, with(func(r *Reviewed) { r.Decision = Decision(4) }), []error{prescribing.ErrUnknownValue}},
		"outcome outside the vocabulary":  {ep, EpisodeEnded{Episode: id, At: due, Ending: Ending(7)}, []error{prescribing.ErrUnknownValue}},
		"another episode's event":         {ep, ReadinessReached{Episode: prescribing.NewID[Episode](f.ids), At: due}, []error{prescribing.ErrWrongSubject}},
	} {
		t.Run(name, func(t *testing.T) {
			into := c.into
			err := prescribing.Replay(&into, []prescribing.Event{c.ev})
			var re *prescribing.ReplayError
			require.ErrorAs(t, err, &re)
			assert.Zero(t, re.Position)
			for _, w := range c.want {
				assert.ErrorIs(t, err, w)
			}
			assert.Equal(t, c.into, into)
		})
	}
}

// TestEV_3_ApplyKeepsTimesInUTC shows an event whose times carry a zone (as
// a caller may build one, or JSON may bring back one written with an
// offset) rebuilds the same episode as the same instants in UTC, so replay
// after a round trip through the codec equals the live record.
func TestEV_3_ApplyKeepsTimesInUTC(t *testing.T) {
	f := newFixture(t)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		london = time.FixedZone("BST", 3600)
	}
	s := f.start(prescribing.SetOf(ReasonUnfixableProblems))
	s.At = time.Date(2026, 6, 1, 9, 30, 0, 0, london)
	s.Endpoint = Endpoint{Open: true, Plan: EndpointPlanReview}
	s.SignOff = SignOff{Supervisor: "Supervisor", At: s.At.In(westOfUTC), ReviewBy: s.At.Add(90 * day).In(london)}
	live, started, err := Begin(s)
	require.NoError(t, err)
	assert.Equal(t, time.UTC, started.At.Location())
	assert.Equal(t, time.UTC, live.SignOff().ReviewBy.Location())

	zoned := Started{Episode: s.ID, Referral: s.Referral, Patient: s.Patient, LinkWorker: s.LinkWorker,
		Reasons: s.Reasons, At: s.At, Endpoint: s.Endpoint, SignOff: s.SignOff}
	var fromZoned Episode
	require.NoError(t, fromZoned.Apply(zoned))
	assert.Equal(t, live, fromZoned)

	c := codec(t)
	var buf bytes.Buffer
	require.NoError(t, c.Encode(&buf, []prescribing.Event{zoned}))
	assert.Contains(t, buf.String(), "+01:00", "the zone's offset is written as given")
	stored, err := c.Decode(&buf)
	require.NoError(t, err)
	var replayed Episode
	require.NoError(t, prescribing.Replay(&replayed, stored))
	assert.Equal(t, live, replayed)
}

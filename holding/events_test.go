package holding

import (
	"bytes"
	"slices"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// life is one episode touching every holding event: started for lack of
// provision, a reason added, readiness reached, reviewed twice and ended
// when a place appears.
// Every record type of this package is a prescribing.StreamRecord.
var (
	_ prescribing.StreamRecord = (*Episode)(nil)
)

func (f *fixture) life(t testing.TB) (Episode, []prescribing.Event) {
	np := prescribing.NeedProvision{Need: prescribing.NeedSocialIsolation, Provision: prescribing.ProvisionNone}
	ep, started, err := BeginForLackOfProvision(f.start(0), np)
	require.NoError(t, err)
	history := []prescribing.Event{started}
	add := func(e prescribing.Event, err error) {
		require.NoError(t, err)
		history = append(history, e)
	}
	add(ep.AddReason(ReasonAwaitingReadiness, 0, f.tick(day)))
	add(ep.Review(Review{At: f.tick(7 * day), Ratings: assess(2, 3, 2), Decision: DecisionContinue}))
	due := ep.Due()
	f.now = due
	add(ep.Review(Review{At: due, Ratings: assess(4, 4, 3), Decision: DecisionExtend,
		Endpoint: Endpoint{At: due.Add(28 * day), Plan: EndpointPlanReadinessMilestone}, Rationale: "gaining confidence"}))
	add(ep.MarkReady(f.tick(3 * day)))
	ended, ok, err := ep.PlaceAvailable(prescribing.NeedSocialIsolation, prescribing.NewID[prescribing.Asset](f.ids), f.tick(day))
	require.True(t, ok)
	add(ended, err)
	return ep, history
}

func codec(t testing.TB) *prescribing.EventCodec {
	c, err := prescribing.NewEventCodec(slices.Concat(prescribing.EventKinds(), EventKinds())...)
	require.NoError(t, err)
	return c
}

func TestHOLD_EventsRoundTripAndReplay(t *testing.T) {
	f := newFixture(t)
	live, history := f.life(t)
	kinds := map[string]bool{}
	for _, e := range history {
		kinds[e.EventType()] = true
		assert.Equal(t, live.Stream(), e.EventStream())
	}
	for _, k := range EventKinds() {
		assert.True(t, kinds[k.Type()], "the life touches %s", k.Type())
	}

	c := codec(t)
	var buf bytes.Buffer
	require.NoError(t, c.Encode(&buf, history))
	stored, err := c.Decode(&buf)
	require.NoError(t, err)
	assert.Equal(t, history, stored)

	var replayed Episode
	require.NoError(t, prescribing.Replay(&replayed, stored))
	assert.Equal(t, live, replayed)
}

func TestHOLD_ReplayRefusesTheFirstBadEvent(t *testing.T) {
	f := newFixture(t)
	_, history := f.life(t)
	cases := map[string]struct {
		stream []prescribing.Event
		pos    int
		want   error
	}{
		"a change before the start": {history[1:], 0, prescribing.ErrUnexpectedEvent},
		"started twice":             {slices.Insert(slices.Clone(history), 1, history[0]), 1, prescribing.ErrUnexpectedEvent},
		"a change after the end":    {append(slices.Clone(history), ReadinessReached{Episode: history[0].(Started).Episode, At: f.tick(day)}), len(history), ErrEnded},
		"time going backwards": {func() []prescribing.Event {
			h := slices.Clone(history)
			r := h[2].(Reviewed)
			r.At = r.At.Add(-30 * day)
			h[2] = r
			return h
		}(), 2, prescribing.ErrTimeWentBackwards},
		"continuing past the endpoint": {func() []prescribing.Event {
			h := slices.Clone(history)
			r := h[3].(Reviewed)
			r.Decision, r.Endpoint, r.Rationale = DecisionContinue, Endpoint{}, ""
			h[3] = r
			return h
		}(), 3, ErrDecisionRequired},
		"a referral event": {slices.Insert(slices.Clone(history), 1, prescribing.Event(prescribing.PatientAnonymised{})), 1, prescribing.ErrUnexpectedEvent},
	}
	for name, c := range cases {
		var ep Episode
		err := prescribing.Replay(&ep, c.stream)
		var re *prescribing.ReplayError
		require.ErrorAs(t, err, &re, name)
		assert.Equal(t, c.pos, re.Position, name)
		assert.ErrorIs(t, err, c.want, name)
	}
}

func TestHOLD_DecodingIsStrict(t *testing.T) {
	c := codec(t)
	for in, want := range map[string]error{
		`{"type":"holding.started","event":{"reasons":["napping"]}}`:      prescribing.ErrUnknownValue,
		`{"type":"holding.reviewed","event":{"decision":"maybe"}}`:        prescribing.ErrUnknownValue,
		`{"type":"holding.ended","event":{"outcome":"vanished"}}`:         prescribing.ErrUnknownValue,
		`{"type":"holding.started","event":{"endpoint":{"when":"soon"}}}`: prescribing.ErrMalformedEvent,
	} {
		_, err := c.Unmarshal([]byte(in))
		assert.ErrorIs(t, err, want, in)
	}
}

func TestHOLD_EpisodesAreIndependentCopies(t *testing.T) {
	f := newFixture(t)
	a, _ := f.begin(ReasonAwaitingReadiness)
	b := a
	_, err := a.AddReason(ReasonProtectingStaff, 0, f.tick(day))
	require.NoError(t, err)
	assert.False(t, b.Reasons().Has(ReasonProtectingStaff))
	_, err = b.AddReason(ReasonLackOfProvision, 0, f.tick(day))
	assert.ErrorIs(t, err, prescribing.ErrMissingDetail, "lack of provision names the need")
	_, err = b.AddReason(ReasonLackOfProvision, prescribing.NeedHousing, f.now)
	require.NoError(t, err)
	_, err = b.AddReason(ReasonLackOfProvision, prescribing.NeedMoney, f.now)
	assert.ErrorIs(t, err, prescribing.ErrUnexpectedEvent, "one need per episode")
	_, err = b.AddReason(ReasonProtectingStaff, prescribing.NeedMoney, f.now)
	assert.ErrorIs(t, err, prescribing.ErrUnexpectedEvent, "only lack of provision names a need")
	assert.Contains(t, b.String(), "lack_of_provision, awaiting_readiness")
}

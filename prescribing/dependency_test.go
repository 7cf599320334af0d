package prescribing

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDEP_1_ReReferralLinksEarlierReferrals(t *testing.T) {
	s := newFixture(t).research()
	assert.True(t, s.r.IsReReferral())
	assert.Equal(t, []ReferralID{s.earlier.ID()}, s.r.Earlier())
	assert.False(t, s.earlier.IsReReferral())

	f := newFixture(t)
	first, _ := f.receive()
	r, _ := f.receive()
	later, _ := f.receive()
	g := newFixture(t)
	g.pat = NewID[Patient](g.ids)
	stranger, _ := g.receive()
	at := f.tick()
	for name, tc := range map[string]struct {
		earlier []Referral
		want    error
	}{
		"none":             {nil, ErrMissingDetail},
		"itself":           {[]Referral{r}, ErrInvalidID},
		"twice":            {[]Referral{first, first}, ErrInvalidID},
		"another person's": {[]Referral{stranger}, ErrWrongSubject},
		"received later":   {[]Referral{later}, ErrUnexpectedEvent},
	} {
		before := r
		e, err := r.LinkEarlier(at, tc.earlier...)
		assert.ErrorIs(t, err, tc.want, name)
		assert.Zero(t, e, name)
		assert.Equal(t, before, r, name)
	}
	_, err := r.LinkEarlier(at, first)
	require.NoError(t, err)
	_, err = r.LinkEarlier(f.tick(), first)
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "linked once")
}

func TestDEP_1_DependencyIndicator(t *testing.T) {
	s := newFixture(t).research()
	// One attended contact after connection, one re-referral, one step
	// taken unprompted: (1 + 1) / (1 + 1 + 1).
	d, err := PersonDependencyOf(s.r.Patient(), []Referral{s.r, s.earlier}, 0)
	require.NoError(t, err)
	assert.Equal(t, 1, d.AfterConnection)
	assert.Equal(t, 1, d.ReReferrals)
	assert.Equal(t, 1, d.Unprompted)
	assert.InDelta(t, 2.0/3, d.Indicator, 1e-12)
	assert.True(t, d.Defined)
	assert.False(t, d.Flagged, "below the default threshold 0.75")

	// The threshold's boundary: at the indicator it flags, just above it does not.
	at, err := PersonDependencyOf(s.r.Patient(), []Referral{s.r}, d.Indicator)
	require.NoError(t, err)
	assert.True(t, at.Flagged)
	above, err := PersonDependencyOf(s.r.Patient(), []Referral{s.r}, math.Nextafter(d.Indicator, 1))
	require.NoError(t, err)
	assert.False(t, above.Flagged)

	// Nothing known: undefined, never flagged.
	none, err := PersonDependencyOf(NewID[Patient](newFixture(t).ids), []Referral{s.r}, 0)
	require.NoError(t, err)
	assert.Equal(t, Dependency{}, none)

	for _, bad := range []float64{math.NaN(), math.Inf(1), -0.1, 1.0000001} {
		_, err := PersonDependencyOf(s.r.Patient(), nil, bad)
		assert.Error(t, err, bad)
		_, err = Dependencies(s.r.LinkWorker(), nil, bad)
		assert.Error(t, err, bad)
	}
	_, err = Dependencies(s.r.LinkWorker(), nil, math.NaN())
	assert.ErrorIs(t, err, ErrNotFinite)
	_, err = Dependencies(s.r.LinkWorker(), nil, 2)
	assert.ErrorIs(t, err, ErrInvalidGuidance)
	_, err = Dependencies(s.r.LinkWorker(), nil, 1)
	assert.NoError(t, err, "1 is a threshold")
}

func TestDEP_1_DependencyPerLinkWorker(t *testing.T) {
	f := newFixture(t)
	s := f.research()
	// A second person of the same link worker: connected, two contacts after
	// connection and no step of their own: indicator 1, flagged.
	g := newFixture(t)
	g.pat, g.lw = NewID[Patient](g.ids), f.lw
	r, _ := g.referralIn(StateConnected)
	for range 2 {
		_, err := r.RecordContact(Contact{ID: NewID[Contact](g.ids), At: g.tick(), Mode: ContactModeTelephone, Minutes: 10, Attended: true}, ContactRules{})
		require.NoError(t, err)
	}
	rep, err := Dependencies(f.lw, []Referral{s.r, s.earlier, r}, 0)
	require.NoError(t, err)
	assert.Equal(t, DefaultDependencyThreshold, rep.Threshold)
	require.Len(t, rep.People, 2, "the earlier referral is held by no link worker")
	assert.Equal(t, 1, rep.Flagged)
	assert.Equal(t, Dependency{AfterConnection: 3, ReReferrals: 1, Unprompted: 1, Indicator: 0.8, Defined: true, Flagged: true}, rep.Pooled)
	for _, p := range rep.People {
		if p.Patient == g.pat {
			assert.Equal(t, 1.0, p.Dependency.Indicator)
		}
	}
	other, err := Dependencies(f.lw2, []Referral{s.r, r}, 0)
	require.NoError(t, err)
	assert.Empty(t, other.People)
	assert.False(t, other.Pooled.Defined)
}

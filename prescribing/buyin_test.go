package prescribing

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBUYIN_1_FirstContactRecordsUnderstandingAndExpectations(t *testing.T) {
	s := newFixture(t).research()
	b, ok := s.r.BuyIn()
	require.True(t, ok)
	assert.Equal(t, BuyIn{Understanding: RoleUnderstandingPartial, Expected: "someone to talk to"}, b)

	f := newFixture(t)
	accepted, _ := f.referralIn(StateAccepted)
	_, err := accepted.RecordBuyIn(f.tick(), BuyIn{Understanding: RoleUnderstandingClear})
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "before first contact")
	_, ok = accepted.BuyIn()
	assert.False(t, ok)

	r, _ := f.referralIn(StateContacted)
	at := f.tick()
	for name, tc := range map[string]struct {
		b    BuyIn
		want error
	}{
		"no understanding":       {BuyIn{Expected: "a chat"}, ErrMissingDetail},
		"understanding past end": {BuyIn{Understanding: RoleUnderstanding(5)}, ErrUnknownValue},
		"a decline reason":       {BuyIn{Understanding: RoleUnderstandingClear, DeclineReason: DeclineReasonOther}, ErrUnexpectedEvent},
		"invalid text":           {BuyIn{Understanding: RoleUnderstandingClear, Expected: invalidUTF8}, ErrInvalidText},
	} {
		before := r
		e, err := r.RecordBuyIn(at, tc.b)
		assert.ErrorIs(t, err, tc.want, name)
		assert.Zero(t, e, name)
		assert.Equal(t, before, r, name)
	}
	_, err = r.RecordBuyIn(at, BuyIn{Understanding: RoleUnderstandingNone, Expected: longestText})
	require.NoError(t, err, "the last understanding and the longest text pass")
	_, err = r.RecordBuyIn(f.tick(), BuyIn{Understanding: RoleUnderstandingClear})
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "recorded once")
}

func TestBUYIN_1_DeclineCarriesATypedReason(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateDeclined)
	at := f.tick()
	for name, tc := range map[string]struct {
		b    BuyIn
		want error
	}{
		"no reason":         {BuyIn{Understanding: RoleUnderstandingMedical}, ErrReasonRequired},
		"reason past end":   {BuyIn{DeclineReason: DeclineReason(5)}, ErrUnknownValue},
		"reason far beyond": {BuyIn{DeclineReason: DeclineReason(200)}, ErrUnknownValue},
	} {
		before := r
		e, err := r.RecordBuyIn(at, tc.b)
		assert.ErrorIs(t, err, tc.want, name)
		assert.Zero(t, e, name)
		assert.Equal(t, before, r, name)
	}
	for _, reason := range DeclineReasons() {
		g := newFixture(t)
		d, _ := g.referralIn(StateDeclined)
		e, err := d.RecordBuyIn(g.tick(), BuyIn{DeclineReason: reason})
		require.NoError(t, err, reason)
		got, ok := d.BuyIn()
		assert.True(t, ok)
		assert.Equal(t, reason, got.DeclineReason)
		assert.Equal(t, reason, e.BuyIn.DeclineReason)
	}
	assert.Equal(t, []string{"wanted_medical_fix", "did_not_understand_role", "no_capacity_now", "other"},
		[]string{DeclineReasonWantedMedicalFix.String(), DeclineReasonDidNotUnderstandRole.String(),
			DeclineReasonNoCapacityNow.String(), DeclineReasonOther.String()})
}

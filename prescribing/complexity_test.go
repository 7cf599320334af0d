package prescribing

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCPLX_1_ReferralCarriesATypedComplexity(t *testing.T) {
	s := newFixture(t).research()
	assert.Equal(t, ComplexityHigh, s.r.Complexity())
	assert.Zero(t, s.earlier.Complexity())

	f := newFixture(t)
	r, _ := f.receive()
	at := f.tick()
	for _, c := range []Complexity{0, Complexity(4), Complexity(255)} {
		before := r
		e, err := r.AssessComplexity(at, c)
		assert.ErrorIs(t, err, ErrUnknownValue, c)
		assert.Zero(t, e)
		assert.Equal(t, before, r)
	}
	_, err := r.AssessComplexity(at, ComplexityLow)
	require.NoError(t, err)
	_, err = r.AssessComplexity(f.tick(), ComplexityHigh)
	require.NoError(t, err, "a later assessment replaces an earlier")
	assert.Equal(t, ComplexityHigh, r.Complexity())
	_, err = r.Cancel(f.tick(), "moved away")
	require.NoError(t, err)
	_, err = r.AssessComplexity(f.tick(), ComplexityLow)
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "an ended referral is not reassessed")
}

func TestCPLX_1_CaseloadWeighsComplexity(t *testing.T) {
	ids := newFixture(t).ids
	lw := NewID[LinkWorker](ids)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	var contacts []ContactRecorded
	refs, pats := make([]ReferralID, 3), make([]PatientID, 3)
	for i := range 3 {
		refs[i], pats[i] = NewID[Referral](ids), NewID[Patient](ids)
		contacts = append(contacts, ContactRecorded{Referral: refs[i], Patient: pats[i], LinkWorker: lw,
			Contact: Contact{ID: NewID[Contact](ids), At: from.AddDate(0, 1, i), Mode: ContactModeTelephone, Minutes: 20, Attended: true}})
	}
	plain, err := Caseload(lw, from, to, contacts, Guidance{})
	require.NoError(t, err)
	assert.Equal(t, 3.0, plain.WeightedPeople, "unassessed people weigh 1")

	opt := CaseloadOptions{Complexity: map[ReferralID]Complexity{refs[0]: ComplexityHigh, refs[1]: ComplexityModerate}}
	rep, err := CaseloadWith(lw, from, to, contacts, Guidance{}, opt)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.People)
	assert.Equal(t, 4.5, rep.WeightedPeople, "high 2 + moderate 1.5 + unassessed 1")
	assert.InDelta(t, 4.5*365.25/365, rep.WeightedPeoplePerYear, 1e-9)
	assert.Equal(t, GuidanceLevelUnder, rep.WeightedLevel)

	// Configured weights; a zero weight keeps the default.
	opt.Weights = ComplexityWeights{High: 3}
	rep, err = CaseloadWith(lw, from, to, contacts, Guidance{}, opt)
	require.NoError(t, err)
	assert.Equal(t, 5.5, rep.WeightedPeople)

	for name, w := range map[string]ComplexityWeights{
		"NaN":      {High: math.NaN()},
		"infinite": {Low: math.Inf(1)},
		"negative": {Moderate: -0.5},
		"too big":  {High: MaxComplexityWeight + 0.001},
	} {
		opt.Weights = w
		_, err := CaseloadWith(lw, from, to, contacts, Guidance{}, opt)
		assert.ErrorIs(t, err, ErrInvalidGuidance, name)
	}
	assert.NoError(t, ComplexityWeights{High: MaxComplexityWeight}.Validate(), "the bound itself is a weight")
	_, err = CaseloadWith(lw, from, to, contacts, Guidance{}, CaseloadOptions{Complexity: map[ReferralID]Complexity{refs[0]: 9}})
	assert.ErrorIs(t, err, ErrUnknownValue)
}

func TestCPLX_1_GroupsForTheEquityReport(t *testing.T) {
	s := newFixture(t).research()
	f := newFixture(t)
	f.pat = NewID[Patient](f.ids)
	other, _ := f.receive()
	groups := ComplexityGroups([]Referral{s.earlier, s.r, other})
	assert.Equal(t, map[PatientID]string{s.r.Patient(): "high", other.Patient(): ComplexityUnassessed}, groups,
		"a person's highest complexity over their referrals")
}

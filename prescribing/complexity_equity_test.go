package prescribing_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/discretion"
	"github.com/socialprescribing/linkwork/prescribing"
)

// TestCPLX_1_EquityReportGroupsByComplexity: the equity report of
// discretionary extras groups people by complexity of need, so a service
// sees whether people with complex needs are left out of extras.
func TestCPLX_1_EquityReportGroupsByComplexity(t *testing.T) {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(20, 5)))
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	var refs []prescribing.Referral
	for i, c := range []prescribing.Complexity{prescribing.ComplexityHigh, prescribing.ComplexityHigh, prescribing.ComplexityLow, 0} {
		r, _, err := prescribing.ReceiveReferral(prescribing.NewReferral{ID: prescribing.NewID[prescribing.Referral](ids),
			Patient: prescribing.NewID[prescribing.Patient](ids), Source: prescribing.SourceGP}, at.Add(time.Duration(i)*time.Hour))
		require.NoError(t, err)
		if c != 0 {
			_, err = r.AssessComplexity(at.Add(time.Duration(i)*time.Hour+time.Minute), c)
			require.NoError(t, err)
		}
		refs = append(refs, r)
	}
	groups := prescribing.ComplexityGroups(refs)
	// Three extras for the person of low complexity, none for the others.
	var acts []discretion.Act
	for range 3 {
		acts = append(acts, discretion.Act{Patient: refs[2].Patient()})
	}
	rep, err := discretion.Equity(acts, groups, 0)
	require.NoError(t, err)
	byName := map[string]discretion.EquityGroup{}
	for _, g := range rep.Groups {
		byName[g.Group] = g
	}
	assert.Equal(t, 2, byName["high"].People)
	assert.Zero(t, byName["high"].Acts, "people with complex needs had no extras")
	assert.Equal(t, 3, byName["low"].Acts)
	assert.Equal(t, 1, byName[prescribing.ComplexityUnassessed].People)
}

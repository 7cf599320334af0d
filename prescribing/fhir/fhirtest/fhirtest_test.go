package fhirtest

import (
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestREF_1_StoriesCoverEveryState(t *testing.T) {
	stories, err := Stories(1)
	require.NoError(t, err)
	seen := map[prescribing.State]bool{}
	for _, s := range stories {
		seen[s.Records.Referral.State()] = true
	}
	for _, st := range prescribing.States() {
		assert.True(t, seen[st], "no story ends in %s", st)
	}
	again, err := Stories(1)
	require.NoError(t, err)
	assert.Equal(t, stories, again, "same seed, same stories")
}

func TestDetailsHaveValidNHSNumbers(t *testing.T) {
	for i := range 6 {
		assert.False(t, Details(i).NHSNumber.IsZero())
	}
}

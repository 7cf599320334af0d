package prescribing

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCONS_1_GrantsListTheHistoryOfConsent(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	asset := IDFromUUID[Asset](uuid.MustParse("6f1c1c59-0a55-4a50-9a53-3a1c9e61f0a1"))
	c, _, err := OpenConsents(IDFromUUID[Patient](uuid.MustParse("0b3e7c43-44f3-4b8f-8d0b-6a8d7d2e5b11")), t0)
	require.NoError(t, err)
	assert.Nil(t, c.Grants())
	_, err = c.Give(ConsentScopeShareWithAsset, asset, t0)
	require.NoError(t, err)
	_, err = c.Give(ConsentScopeContactByText, AssetID{}, t0.Add(time.Hour))
	require.NoError(t, err)
	_, err = c.Withdraw(ConsentScopeContactByText, AssetID{}, t0.Add(2*time.Hour))
	require.NoError(t, err)

	got := c.Grants()
	assert.Equal(t, []ConsentGrant{
		{Scope: ConsentScopeShareWithAsset, Asset: asset, GivenAt: t0},
		{Scope: ConsentScopeContactByText, GivenAt: t0.Add(time.Hour), WithdrawnAt: t0.Add(2 * time.Hour)},
	}, got)
	assert.False(t, got[0].Withdrawn())
	assert.True(t, got[1].Withdrawn())

	got[0].Scope = ConsentScopeShareWithGPRecord
	assert.Equal(t, ConsentScopeShareWithAsset, c.Grants()[0].Scope, "the list is the caller's copy")
}

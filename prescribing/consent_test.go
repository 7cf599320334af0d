package prescribing

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCONS_1_SharingNeedsCurrentConsentForThatAsset(t *testing.T) {
	f := newFixture(t)
	c, opened := f.openConsents()
	lunchClub, debtAdvice := NewID[Asset](f.ids), NewID[Asset](f.ids)

	_, err := c.ShareWithAsset(lunchClub, f.tick())
	require.ErrorIs(t, err, ErrNoConsent, "no consent yet")
	assert.Contains(t, err.Error(), "CONS-1")
	assert.Contains(t, err.Error(), lunchClub.String())

	givenAt := f.tick()
	given, err := c.Give(ConsentScopeShareWithAsset, lunchClub, givenAt)
	require.NoError(t, err)
	assert.True(t, c.Current(ConsentScopeShareWithAsset, lunchClub, givenAt))
	assert.False(t, c.Current(ConsentScopeShareWithAsset, lunchClub, givenAt.Add(-time.Second)), "time-stamped: not before it was given")

	shared, err := c.ShareWithAsset(lunchClub, f.tick())
	require.NoError(t, err)
	assert.Equal(t, DetailsShared{Patient: f.pat, Asset: lunchClub, At: shared.At}, shared, "the sharing is recorded")
	_, err = c.ShareWithAsset(debtAdvice, f.tick())
	require.ErrorIs(t, err, ErrNoConsent, "consent is scoped to the named asset")

	withdrawnAt := f.tick()
	withdrawn, err := c.Withdraw(ConsentScopeShareWithAsset, lunchClub, withdrawnAt)
	require.NoError(t, err)
	_, err = c.ShareWithAsset(lunchClub, f.tick())
	require.ErrorIs(t, err, ErrNoConsent, "withdrawn")
	assert.True(t, c.Current(ConsentScopeShareWithAsset, lunchClub, withdrawnAt.Add(-time.Second)), "the past stays as it was")
	_, err = c.Withdraw(ConsentScopeShareWithAsset, lunchClub, f.tick())
	assert.ErrorIs(t, err, ErrNoConsent, "nothing left to withdraw")

	// Given again later, it holds again.
	again, err := c.Give(ConsentScopeShareWithAsset, lunchClub, f.tick())
	require.NoError(t, err)
	_, err = c.ShareWithAsset(lunchClub, f.tick())
	require.NoError(t, err)

	// Replay rebuilds the record, and refuses a share without consent.
	var replayed Consents
	require.NoError(t, Replay(&replayed, []Event{opened, given, shared, withdrawn, again}))
	assert.True(t, replayed.Current(ConsentScopeShareWithAsset, lunchClub, f.now))
	var fresh Consents
	late := DetailsShared{Patient: f.pat, Asset: lunchClub, At: withdrawnAt.Add(time.Hour)}
	err = Replay(&fresh, []Event{opened, given, withdrawn, late})
	var re *ReplayError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Position)
	assert.ErrorIs(t, err, ErrNoConsent)
}

func TestCONS_1_ScopesAndTheirAssets(t *testing.T) {
	f := newFixture(t)
	c, _ := f.openConsents()
	asset := NewID[Asset](f.ids)
	first := f.tick()
	_, err := c.Give(ConsentScopeContactByText, noAsset, first)
	require.NoError(t, err)
	assert.True(t, c.Current(ConsentScopeContactByText, noAsset, f.now))
	assert.False(t, c.Current(ConsentScopeShareWithGPRecord, noAsset, f.now))

	_, err = c.Give(ConsentScopeShareWithAsset, noAsset, f.tick())
	assert.ErrorIs(t, err, ErrMissingDetail, "sharing with an asset names it")
	_, err = c.Give(ConsentScopeContactByText, asset, f.tick())
	assert.ErrorIs(t, err, ErrMissingDetail, "other scopes name no asset")
	_, err = c.Give(ConsentScope(0), noAsset, f.tick())
	assert.ErrorIs(t, err, ErrMissingDetail)
	_, err = c.Give(ConsentScopeShareWithGPRecord, noAsset, first.Add(-time.Hour))
	assert.ErrorIs(t, err, ErrTimeWentBackwards)

	var none Consents
	_, err = none.Give(ConsentScopeContactByText, noAsset, f.tick())
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "a record is opened first")
	_, _, err = OpenConsents(PatientID{}, f.tick())
	assert.ErrorIs(t, err, ErrInvalidID, "a record belongs to a patient")
	other, _, err := OpenConsents(NewID[Patient](f.ids), f.tick())
	require.NoError(t, err)
	assert.ErrorIs(t, other.Apply(ConsentGiven{Patient: f.pat, Scope: ConsentScopeContactByText, At: f.tick()}), ErrWrongSubject)

	// Copies do not share grants.
	copyOf := c
	_, err = copyOf.Withdraw(ConsentScopeContactByText, noAsset, f.tick())
	require.NoError(t, err)
	assert.True(t, c.Current(ConsentScopeContactByText, noAsset, f.now))
}

// noAsset names no asset, for scopes other than sharing with one.
var noAsset AssetID

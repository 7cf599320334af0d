package prescribing

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (f *fixture) asset(t testing.TB, d AssetDetails, status AssetStatus) (Asset, AssetListed) {
	a, e, err := ListAsset(NewID[Asset](f.ids), d, status, f.tick())
	require.NoError(t, err)
	return a, e
}

func lunchClub(places int) AssetDetails {
	return AssetDetails{Name: "Mill Lane lunch club", Needs: []Need{NeedSocialIsolation}, Places: places,
		Languages: []string{"en"}, Access: Accessibility{StepFree: true}}
}

func TestASSET_3_PlacesStayInRange(t *testing.T) {
	f := newFixture(t)
	a, listed := f.asset(t, lunchClub(2), AssetStatusActive)
	history := []Event{listed}
	r1, r2 := NewID[Referral](f.ids), NewID[Referral](f.ids)

	for _, r := range []ReferralID{r1, r2} {
		e, err := a.TakePlace(r, f.tick())
		require.NoError(t, err)
		history = append(history, e)
	}
	assert.Equal(t, 2, a.InUse())
	free, counted := a.FreePlaces()
	assert.True(t, counted)
	assert.Zero(t, free)
	assert.False(t, a.HasRoom())

	_, err := a.TakePlace(NewID[Referral](f.ids), f.tick())
	require.ErrorIs(t, err, ErrAtCapacity)
	var ce *CapacityError
	require.ErrorAs(t, err, &ce, "a typed error")
	assert.Equal(t, a.ID(), ce.Asset)
	assert.Equal(t, 2, ce.Places)
	assert.Contains(t, err.Error(), "ASSET-3")
	assert.Equal(t, 2, a.InUse(), "a refused place changes nothing")

	e, err := a.ReleasePlace(r1, f.tick())
	require.NoError(t, err)
	history = append(history, e)
	assert.True(t, a.HasRoom())
	e, err = a.ReleasePlace(r2, f.tick())
	require.NoError(t, err)
	history = append(history, e)
	_, err = a.ReleasePlace(r2, f.tick())
	require.ErrorIs(t, err, ErrNoPlaceInUse, "the count never goes below zero")
	assert.Zero(t, a.InUse())

	var replayed Asset
	require.NoError(t, Replay(&replayed, history))
	assert.Equal(t, a, replayed)

	// Replay refuses a place taken beyond capacity, at its position.
	full := []Event{listed, history[1], history[2], PlaceTaken{Asset: a.ID(), At: f.tick()}}
	var over Asset
	err = Replay(&over, full)
	var re *ReplayError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Position)
	assert.ErrorIs(t, err, ErrAtCapacity)
}

func TestASSET_3_OpenAccessAndInactiveAssets(t *testing.T) {
	f := newFixture(t)
	open, _ := f.asset(t, AssetDetails{Name: "Parkrun", Needs: []Need{NeedPhysicalActivity}, OpenAccess: true}, AssetStatusActive)
	for range 500 {
		_, err := open.TakePlace(ReferralID{}, f.tick())
		require.NoError(t, err, "open access never refuses")
	}
	assert.Equal(t, 500, open.InUse())
	_, counted := open.FreePlaces()
	assert.False(t, counted)

	a, _ := f.asset(t, lunchClub(5), AssetStatusActive)
	_, err := a.SetStatus(AssetStatusTemporarilyClosed, f.tick())
	require.NoError(t, err)
	_, err = a.TakePlace(ReferralID{}, f.tick())
	assert.ErrorIs(t, err, ErrNotActive)
	assert.False(t, a.HasRoom())
	_, err = a.SetStatus(AssetStatusActive, f.tick())
	require.NoError(t, err)
	_, err = a.TakePlace(ReferralID{}, f.tick())
	require.NoError(t, err)
	_, err = a.SetStatus(AssetStatusDefunct, f.tick())
	require.NoError(t, err)
	_, err = a.SetStatus(AssetStatusActive, f.tick())
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "defunct is for good")
	_, err = a.ReleasePlace(ReferralID{}, f.tick())
	assert.NoError(t, err, "people already there can still leave")
}

func TestAssetDetailsAndUpdates(t *testing.T) {
	f := newFixture(t)
	for name, d := range map[string]AssetDetails{
		"no name":                 {Needs: []Need{NeedMoney}},
		"no need":                 {Name: "x"},
		"unknown need":            {Name: "x", Needs: []Need{Need(99)}},
		"negative places":         {Name: "x", Needs: []Need{NeedMoney}, Places: -1},
		"negative fee":            {Name: "x", Needs: []Need{NeedMoney}, FeePence: -100},
		"open and counted":        {Name: "x", Needs: []Need{NeedMoney}, OpenAccess: true, Places: 3},
		"empty language":          {Name: "x", Needs: []Need{NeedMoney}, Languages: []string{" "}},
		"online only, not online": {Name: "x", Needs: []Need{NeedMoney}, Access: Accessibility{OnlineOnly: true}},
	} {
		_, _, err := ListAsset(NewID[Asset](f.ids), d, AssetStatusActive, f.tick())
		assert.ErrorIs(t, err, ErrInvalidRecord, name)
	}
	_, _, err := ListAsset(NewID[Asset](f.ids), lunchClub(1), AssetStatus(0), f.tick())
	assert.ErrorIs(t, err, ErrMissingDetail)

	a, listed := f.asset(t, lunchClub(3), AssetStatusActive)
	d := a.Details()
	d.Needs[0] = NeedMoney
	assert.True(t, a.Serves(NeedSocialIsolation), "Details returns a copy")
	assert.Equal(t, lunchClub(3), listed.Details)

	for range 2 {
		_, err := a.TakePlace(ReferralID{}, f.tick())
		require.NoError(t, err)
	}
	_, err = a.Update(lunchClub(1), f.tick())
	assert.ErrorIs(t, err, ErrInvalidRecord, "fewer places than in use")
	more := lunchClub(4)
	more.Needs = append(more.Needs, NeedMentalWellbeing)
	_, err = a.Update(more, f.tick())
	require.NoError(t, err)
	assert.True(t, a.Serves(NeedMentalWellbeing))
	free, _ := a.FreePlaces()
	assert.Equal(t, 2, free)

	b, err := json.Marshal(more)
	require.NoError(t, err)
	var back AssetDetails
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, more, back)
	_, err = a.TakePlace(ReferralID{}, time.Time{})
	assert.ErrorIs(t, err, ErrNoTime)
}

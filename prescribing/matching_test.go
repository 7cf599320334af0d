package prescribing

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// directory is a small set of assets for matching tests.
func (f *fixture) directory(t testing.TB) []Asset {
	list := []struct {
		d      AssetDetails
		status AssetStatus
	}{
		{AssetDetails{Name: "Polish club", Needs: []Need{NeedSocialIsolation}, Places: 10, FeePence: 300,
			Languages: []string{"pl", "en"}, CulturallySpecific: true, Communities: []string{"Polish"}}, AssetStatusActive},
		{AssetDetails{Name: "Walking group", Needs: []Need{NeedSocialIsolation, NeedPhysicalActivity}, OpenAccess: true,
			Languages: []string{"en"}, Access: Accessibility{CompanionWelcome: true}}, AssetStatusActive},
		{AssetDetails{Name: "Debt advice", Needs: []Need{NeedMoney}, Places: 1, Languages: []string{"EN", "PL"},
			Access: Accessibility{StepFree: true}}, AssetStatusActive},
		{AssetDetails{Name: "Closed cafe", Needs: []Need{NeedSocialIsolation, NeedMoney}, OpenAccess: true}, AssetStatusTemporarilyClosed},
		{AssetDetails{Name: "Old choir", Needs: []Need{NeedSocialIsolation}, OpenAccess: true}, AssetStatusDefunct},
		{AssetDetails{Name: "Quiet group", Needs: []Need{NeedSocialIsolation}, OpenAccess: true}, AssetStatusInactive},
		{AssetDetails{Name: "Online course", Needs: []Need{NeedEmploymentEducationVolunteering}, OpenAccess: true,
			Access: Accessibility{Online: true, OnlineOnly: true}}, AssetStatusActive},
	}
	out := make([]Asset, len(list))
	for i, x := range list {
		out[i], _ = f.asset(t, x.d, x.status)
	}
	return out
}

func names(cs []Candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestASSET_1_RanksByNeedsServedAndExplainsBarriers(t *testing.T) {
	f := newFixture(t)
	assets := f.directory(t)
	p := Profile{
		Needs:     []Need{NeedSocialIsolation, NeedPhysicalActivity, NeedMoney},
		Barriers:  []Barrier{BarrierLanguage, BarrierMoney, BarrierAwareness, BarrierCulture},
		Languages: []string{"pl"}, Community: "Polish",
	}
	m, err := MatchAssets(p, assets)
	require.NoError(t, err)
	assert.Equal(t, []string{"Walking group", "Debt advice", "Polish club"}, names(m.Candidates),
		"two needs first; then fewer barriers left")

	walk, debt, polish := m.Candidates[0], m.Candidates[1], m.Candidates[2]
	assert.Equal(t, SetOf(NeedSocialIsolation, NeedPhysicalActivity), walk.Serves)
	assert.Equal(t, SetOf(BarrierMoney), walk.Answers, "free")
	assert.Equal(t, SetOf(BarrierLanguage, BarrierAwareness, BarrierCulture), walk.Leaves)
	assert.Equal(t, SetOf(BarrierLanguage, BarrierMoney), debt.Answers, "Polish spoken (any case), free")
	assert.Equal(t, SetOf(BarrierLanguage, BarrierCulture), polish.Answers, "fee charged: money left")
	assert.Equal(t, SetOf(BarrierMoney, BarrierAwareness), polish.Leaves)
	for _, c := range m.Candidates {
		assert.True(t, c.Leaves.Has(BarrierAwareness), "no asset answers awareness")
		assert.Equal(t, SetOf(p.Barriers...), c.Answers|c.Leaves, "every barrier is answered or left")
		assert.True(t, c.Answers.Intersect(c.Leaves).IsEmpty())
	}
	assert.Equal(t, "Polish club: serves social_isolation; answers language, culturally_inappropriate; leaves lack_of_awareness, money",
		polish.Explain())
}

func TestASSET_1_InactiveClosedAndDefunctAreNeverOffered(t *testing.T) {
	f := newFixture(t)
	assets := f.directory(t)
	m, err := MatchAssets(Profile{Needs: Needs()}, assets)
	require.NoError(t, err)
	for _, c := range m.Candidates {
		assert.NotContains(t, []string{"Closed cafe", "Old choir", "Quiet group"}, c.Name)
	}
	assert.Len(t, m.Candidates, 4)

	// Deterministic: the same input gives the same order, whatever the
	// order of the directory.
	reversed := make([]Asset, len(assets))
	for i := range assets {
		reversed[len(assets)-1-i] = assets[i]
	}
	m2, err := MatchAssets(Profile{Needs: Needs()}, reversed)
	require.NoError(t, err)
	assert.Equal(t, m, m2)
}

func TestASSET_1_BarrierRules(t *testing.T) {
	a := Asset{details: AssetDetails{Access: Accessibility{}}}
	all := SetOf(Barriers()...)
	cases := []struct {
		name    string
		details AssetDetails
		p       Profile
		want    BarrierSet
	}{
		{"a bare asset answers only money (free) and digital", AssetDetails{}, Profile{}, SetOf(BarrierMoney, BarrierDigital)},
		{"fee without concessions leaves money", AssetDetails{FeePence: 500}, Profile{}, SetOf(BarrierDigital)},
		{"concessions answer money", AssetDetails{FeePence: 500, Concessions: true}, Profile{}, SetOf(BarrierMoney, BarrierDigital)},
		{"online only leaves digital exclusion, answers mobility", AssetDetails{Access: Accessibility{Online: true, OnlineOnly: true}}, Profile{}, SetOf(BarrierMoney, BarrierMobility)},
		{"transport answers mobility", AssetDetails{Access: Accessibility{TransportProvided: true}}, Profile{}, SetOf(BarrierMoney, BarrierDigital, BarrierMobility)},
		{"companion answers confidence", AssetDetails{Access: Accessibility{CompanionWelcome: true}}, Profile{}, SetOf(BarrierMoney, BarrierDigital, BarrierConfidence)},
		{"language shared", AssetDetails{Languages: []string{"ur"}}, Profile{Languages: []string{" UR "}}, SetOf(BarrierMoney, BarrierDigital, BarrierLanguage)},
		{"language not shared", AssetDetails{Languages: []string{"ur"}}, Profile{Languages: []string{"pl"}}, SetOf(BarrierMoney, BarrierDigital)},
		{"culturally specific for another community", AssetDetails{CulturallySpecific: true, Communities: []string{"Somali"}}, Profile{Community: "Polish"}, SetOf(BarrierMoney, BarrierDigital)},
		{"culturally specific, no community named", AssetDetails{CulturallySpecific: true}, Profile{}, SetOf(BarrierMoney, BarrierDigital, BarrierCulture)},
	}
	for _, c := range cases {
		a.details = c.details
		assert.Equal(t, c.want, answeredBarriers(&a, c.p, all), c.name)
	}
}

func TestASSET_2_NoProvisionOrProvisionFullIsSaidExplicitly(t *testing.T) {
	f := newFixture(t)
	assets := f.directory(t)
	// Fill the only debt advice place.
	debt := &assets[2]
	_, err := debt.TakePlace(ReferralID{}, f.tick())
	require.NoError(t, err)

	m, err := MatchAssets(Profile{Needs: []Need{NeedMoney, NeedHousing, NeedSocialIsolation}}, assets)
	require.NoError(t, err)
	require.Len(t, m.Needs, 3)
	byNeed := map[Need]NeedProvision{}
	for _, n := range m.Needs {
		byNeed[n.Need] = n
	}
	assert.Equal(t, NeedProvision{Need: NeedMoney, Provision: ProvisionFull, Assets: 1, Awaited: debt.ID()}, byNeed[NeedMoney],
		"the temporarily closed cafe does not count as provision")
	assert.Equal(t, NeedProvision{Need: NeedHousing, Provision: ProvisionNone}, byNeed[NeedHousing])
	assert.Equal(t, ProvisionAvailable, byNeed[NeedSocialIsolation].Provision)
	assert.Zero(t, byNeed[NeedSocialIsolation].Awaited)
	assert.Equal(t, []NeedProvision{byNeed[NeedHousing], byNeed[NeedMoney]}, sortByNeed(m.Unmet()))

	// The full asset is still a candidate, ranked after those with room.
	var full *Candidate
	for i := range m.Candidates {
		if m.Candidates[i].Asset == debt.ID() {
			full = &m.Candidates[i]
		}
	}
	require.NotNil(t, full)
	assert.False(t, full.HasRoom)
	assert.Contains(t, full.Explain(), "(full)")

	// Nothing at all for the need: provision none, no candidates.
	none, err := MatchAssets(Profile{Needs: []Need{NeedBereavement}}, assets)
	require.NoError(t, err)
	assert.Empty(t, none.Candidates)
	assert.Equal(t, []NeedProvision{{Need: NeedBereavement, Provision: ProvisionNone}}, none.Unmet())
}

func sortByNeed(ns []NeedProvision) []NeedProvision {
	out := append([]NeedProvision(nil), ns...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j].Need < out[i].Need {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestMatchingRefusesBadProfilesAndRoundTrips(t *testing.T) {
	f := newFixture(t)
	assets := f.directory(t)
	_, err := MatchAssets(Profile{}, assets)
	assert.ErrorIs(t, err, ErrMissingDetail)
	_, err = MatchAssets(Profile{Needs: []Need{Need(70)}}, assets)
	assert.ErrorIs(t, err, ErrMissingDetail)
	_, err = MatchAssets(Profile{Needs: []Need{NeedMoney}, Barriers: []Barrier{Barrier(0)}}, assets)
	assert.ErrorIs(t, err, ErrMissingDetail)

	m, err := MatchAssets(Profile{Needs: []Need{NeedSocialIsolation}, Barriers: []Barrier{BarrierMoney}}, assets)
	require.NoError(t, err)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"serves":["social_isolation"]`)
	var back Match
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, m, back)
}

func TestSetOfVocabularyValues(t *testing.T) {
	s := SetOf(NeedMoney, NeedHousing, NeedMoney)
	assert.Equal(t, 2, s.Len())
	assert.Equal(t, []Need{NeedHousing, NeedMoney}, s.List())
	assert.Equal(t, "housing, money", s.String())
	assert.Equal(t, "none", NeedSet(0).String())
	assert.False(t, s.Has(Need(0)))
	assert.Equal(t, s, s.With(Need(0)).With(Need(64)), "values a set cannot hold are left out")

	var back NeedSet
	require.NoError(t, json.Unmarshal([]byte(`["money","housing"]`), &back))
	assert.Equal(t, s, back)
	assert.ErrorIs(t, json.Unmarshal([]byte(`["money","rent"]`), &back), ErrUnknownValue)
	assert.Error(t, json.Unmarshal([]byte(`[3]`), &back))
	assert.Error(t, json.Unmarshal([]byte(`{}`), &back))
}

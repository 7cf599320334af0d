package simulation

import (
	"encoding/json"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEmbeddedScenarios(t *testing.T) {
	pcn, err := Embedded("pcn")
	require.NoError(t, err)
	assert.Equal(t, 730.0, pcn.HorizonDays)
	assert.Equal(t, 10, pcn.LinkWorkers)
	assert.Equal(t, NeedProvision{PlacesPerWorker: 0.5, StayDays: 120}, pcn.Provision[prescribing.NeedHousing])
	require.NoError(t, pcn.Validate())
	national, err := Embedded("national")
	require.NoError(t, err)
	assert.Equal(t, 3300, national.LinkWorkers)
	assert.InDelta(t, 1.3e6, float64(national.LinkWorkers)*national.ReferralsPerWorkerYear, 0.01e6, "about 1.3 million referrals a year")
	region, _ := Embedded("region")
	assert.Equal(t, 11.0, float64(national.LinkWorkers)/float64(region.LinkWorkers))
	_, err = Embedded("county")
	assert.ErrorIs(t, err, ErrScenario)
}

func TestScenarioFileOverridesOnlyTheKeysItNames(t *testing.T) {
	s, err := LoadScenario([]byte(`{"link_workers": 20, "embeddedness": {"fitting_in": 0.45},
		"provision": {"money": {"stay_days": 10}, "bereavement": {"places_per_worker": 1, "stay_days": 30}},
		"needs": {"bereavement": 0.05}}`))
	require.NoError(t, err)
	base, _ := Embedded("pcn")
	assert.Equal(t, 20, s.LinkWorkers)
	assert.Equal(t, base.HorizonDays, s.HorizonDays)
	assert.Equal(t, PositionShares{BoltedOn: 0.3, FittingIn: 0.45, Belonging: 0.25}, s.Embeddedness, "belonging is the rest")
	assert.Equal(t, NeedProvision{PlacesPerWorker: 1, StayDays: 10}, s.Provision[prescribing.NeedMoney], "one field of one need")
	assert.Equal(t, NeedProvision{PlacesPerWorker: 1, StayDays: 30}, s.Provision[prescribing.NeedBereavement])
	assert.Equal(t, 0.05, s.Needs[prescribing.NeedBereavement])
	assert.Equal(t, 0.30, s.Needs[prescribing.NeedSocialIsolation])
	assert.Equal(t, base.Provision[prescribing.NeedHousing], s.Provision[prescribing.NeedHousing])

	// The printed scenario reads back as the same scenario.
	b, err := s.JSON()
	require.NoError(t, err)
	back, err := LoadScenario(b)
	require.NoError(t, err)
	assert.Equal(t, s, back)
	var keys map[string]any
	require.NoError(t, json.Unmarshal(b, &keys))
	assert.Contains(t, keys, "incorporation_days_supervised")
}

func TestScenarioErrorsNameTheKey(t *testing.T) {
	cases := map[string]string{
		`{"link_workerz": 3}`:                           "link_workerz",
		`{"link_workers": 0}`:                           "link_workers",
		`{"first_contact_days": -1}`:                    "first_contact_days",
		`{"decline_share": 1.5}`:                        "decline_share",
		`{"inappropriate_share": {"bolted_on": -0.1}}`:  "inappropriate_share.bolted_on",
		`{"embeddedness": {"fitting_in": 0.9}}`:         "embeddedness",
		`{"embeddedness": {"sideways": 0.9}}`:           "sideways",
		`{"endpoint_policy": "sometimes"}`:              "endpoint_policy",
		`{"review_days": 0}`:                            "review_days",
		`{"needs": {"money": -1}}`:                      "needs.money",
		`{"needs": {"rent": 1}}`:                        "needs.rent",
		`{"provision": {"money": {"stay_days": -3}}}`:   "provision.money.stay_days",
		`{"provision": {"money": {"places": 3}}}`:       "provision.money",
		`{"provision": {"sunshine": {"stay_days": 3}}}`: "provision.sunshine",
		`{"caseload_cap": 0}`:                           "caseload_cap",
		`{"horizon_days": "long"}`:                      "horizon_days",
		`[1,2]`:                                         "invalid scenario",
		`{"needs": {"social_isolation": 0, "mental_wellbeing": 0, "money": 0, "housing": 0, "physical_activity": 0, "other": 0}}`: "needs",
	}
	for in, key := range cases {
		_, err := LoadScenario([]byte(in))
		require.ErrorIs(t, err, ErrScenario, in)
		assert.Contains(t, err.Error(), key, in)
	}
}

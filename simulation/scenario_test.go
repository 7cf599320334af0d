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
		`{"base": "county"}`:  "base",
		`{"base": 3}`:         "base",
		`{"warmup_days": -1}`: "warmup_days",
		`{"warmup_days": 36000, "horizon_days": 600}`: "warmup_days",
		`{"brief_share": 1.01}`:                       "brief_share",
		`{"contact_interval_days": 0}`:                "contact_interval_days",
		`{"contact_interval_days": 0.5}`:              "contact_interval_days",
		`{"series_days": 0}`:                          "series_days",
		`{"series_days": 0.001}`:                      "series_days",
		`{"referral_surges": [{"from_day": 10, "to_day": 10, "multiplier": 2}]}`:                                                  "referral_surges[0].to_day",
		`{"referral_surges": [{"from_day": 0, "to_day": 5, "multiplier": 2}, {"from_day": 10, "to_day": 5, "multiplier": 2}]}`:    "referral_surges[1].to_day",
		`{"referral_surges": [{"from_day": -1, "to_day": 10, "multiplier": 2}]}`:                                                  "referral_surges[0].from_day",
		`{"referral_surges": [{"from_day": 0, "to_day": 10, "multiplier": -2}]}`:                                                  "referral_surges[0].multiplier",
		`{"referral_surges": [{"from_day": 0, "to_day": 10, "multiplier": 20}, {"from_day": 5, "to_day": 15, "multiplier": 20}]}`: "referral_surges",
		`{"referral_surges": [{"from_day": 0, "to_day": 10, "factor": 2}]}`:                                                       "factor",
		`{"departures": [{"day": 10, "count": -1}]}`:                                                                              "departures[0].count",
		`{"departures": [{"day": 1e9, "count": 1}]}`:                                                                              "departures[0].day",
	}
	for in, key := range cases {
		_, err := LoadScenario([]byte(in))
		require.ErrorIs(t, err, ErrScenario, in)
		assert.Contains(t, err.Error(), key, in)
	}
}

func TestScenarioFilesBuildOnABase(t *testing.T) {
	region, _ := Embedded("region")
	s, err := LoadScenario([]byte(`{"base": "region", "link_workers": 20, "referral_surges": [{"from_day": 200, "to_day": 230, "multiplier": 1.5}],
		"departures": [{"day": 250, "count": 5}]}`))
	require.NoError(t, err)
	want := region
	want.LinkWorkers = 20
	want.ReferralSurges = []ReferralSurge{{FromDay: 200, ToDay: 230, Multiplier: 1.5}}
	want.Departures = []Departure{{Day: 250, Count: 5}}
	assert.Equal(t, want, s, "region's values, calibrated ones included, with the file's on top")

	// Without a base, pcn.
	s, err = LoadScenario([]byte(`{"link_workers": 20}`))
	require.NoError(t, err)
	pcn, _ := Embedded("pcn")
	pcn.LinkWorkers = 20
	assert.Equal(t, pcn, s)

	// A printed scenario reads back as itself, whatever its base, and lists
	// print as [] ready to fill in.
	b, err := region.JSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"referral_surges": []`)
	back, err := LoadScenario(b)
	require.NoError(t, err)
	assert.Equal(t, region, back)
}

func TestEmbeddedScenariosAreVersion2(t *testing.T) {
	pcn, _ := Embedded("pcn")
	assert.Equal(t, 180.0, pcn.WarmupDays)
	assert.Equal(t, 0.12, pcn.DeclineShare)
	assert.Equal(t, 0.45, pcn.BriefShare)
	assert.Equal(t, 14.0, pcn.ContactIntervalDays)
	assert.Equal(t, 30.0, pcn.SeriesDays)
	assert.Empty(t, pcn.ReferralSurges)
	assert.Empty(t, pcn.Departures)
	for _, name := range []string{"region", "national"} {
		s, _ := Embedded(name)
		require.NoError(t, s.Validate())
		assert.Equal(t, 394.0, s.ReferralsPerWorkerYear)
		assert.Equal(t, 365.0, s.HorizonDays)
		// Calibrated: these two values differ from pcn, and no others
		// but the size.
		want := pcn
		want.LinkWorkers, want.ReferralsPerWorkerYear, want.HorizonDays = s.LinkWorkers, 394, 365
		want.BriefShare, want.ContactIntervalDays = 0.5, 7
		assert.Equal(t, want, s, name)
	}
}

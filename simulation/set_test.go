package simulation

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/prescribing"
)

func TestSetChangesOneKeyOfACopy(t *testing.T) {
	base, _ := Embedded("pcn")
	base.ReferralSurges = []ReferralSurge{{FromDay: 1, ToDay: 2, Multiplier: 2}}
	for _, c := range []struct {
		key, value string
		check      func(Scenario)
	}{
		{"supervised_share", "0.8", func(s Scenario) { assert.Equal(t, 0.8, s.SupervisedShare) }},
		{"link_workers", " 12 ", func(s Scenario) { assert.Equal(t, 12, s.LinkWorkers) }},
		{"endpoint_policy", "none", func(s Scenario) { assert.Equal(t, EndpointPolicyNone, s.EndpointPolicy) }},
		{"endpoint_policy", `"none"`, func(s Scenario) { assert.Equal(t, EndpointPolicyNone, s.EndpointPolicy) }},
		{"provision.money.stay_days", "40", func(s Scenario) {
			assert.Equal(t, 40.0, s.Provision[prescribing.NeedMoney].StayDays)
			assert.Equal(t, 1.0, s.Provision[prescribing.NeedMoney].PlacesPerWorker, "the need's other value stays")
		}},
		{"needs.housing", "0.5", func(s Scenario) { assert.Equal(t, 0.5, s.Needs[prescribing.NeedHousing]) }},
		{"embeddedness.bolted_on", "0.5", func(s Scenario) {
			assert.Equal(t, 0.5, s.Embeddedness.BoltedOn)
			assert.InDelta(t, 0.0, s.Embeddedness.Belonging, 1e-12, "belonging is the rest")
		}},
		{"referral_surges.0", "", nil},
		{"referral_surges", `[{"from_day": 200, "to_day": 240, "multiplier": 3}]`, func(s Scenario) {
			assert.Equal(t, []ReferralSurge{{FromDay: 200, ToDay: 240, Multiplier: 3}}, s.ReferralSurges)
		}},
	} {
		got, err := base.Set(c.key, c.value)
		if c.check == nil {
			require.ErrorIs(t, err, ErrScenario, c.key)
			continue
		}
		require.NoError(t, err, c.key)
		c.check(got)
	}
	fresh, _ := Embedded("pcn")
	fresh.ReferralSurges = []ReferralSurge{{FromDay: 1, ToDay: 2, Multiplier: 2}}
	assert.Equal(t, fresh, base, "the scenario set from is unchanged")
}

func TestSetRefusesNamingTheKey(t *testing.T) {
	base, _ := Embedded("pcn")
	for _, c := range []struct{ key, value, want string }{
		{"supervised_share", "1.5", "supervised_share"},
		{"supervised_share", "lots", "supervised_share"},
		{"no_such_key", "1", "no_such_key"},
		{"provision.money.nope", "1", "nope"},
		{"provision.wealth.stay_days", "1", "provision.wealth"},
		{"base", "region", "base"},
		{"", "1", "not a key"},
		{"a..b", "1", "not a key"},
		{"endpoint_policy", "sometimes", "endpoint_policy"},
		{"horizon_days", "1e9", "horizon_days"},
	} {
		_, err := base.Set(c.key, c.value)
		require.ErrorIs(t, err, ErrScenario, c.key)
		assert.Contains(t, err.Error(), c.want, c.key)
		assert.NotContains(t, err.Error(), "\n")
	}
}

package simulation

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzLoadScenarioAndRun loads arbitrary bytes as a scenario file. A
// refusal must wrap ErrScenario in one short line; an accepted scenario must
// print and read back as itself, and run briefly (its horizon cut to 30
// days, two replications, skipped if still large) without an error: a
// panic or a refused domain change in the model is a bug the bounds
// should have kept out.
func FuzzLoadScenarioAndRun(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"link_workers": 3, "horizon_days": 90}`,
		`{"referrals_per_worker_year": 0.001, "review_days": 1, "endpoint_policy": "none"}`,
		`{"leave_days_liminal": 1, "leave_days_incorporated": 1, "vacancy_days": 0}`,
		`{"first_contact_days": 0, "readiness_days": 0, "disengage_days": 0, "follow_up_days": 0, "incorporation_days_supervised": 0}`,
		`{"embeddedness": {"bolted_on": 1, "fitting_in": 0}, "caseload_cap": 1, "max_extensions": 0}`,
		`{"needs": {"money": 1, "social_isolation": 0}, "provision": {"money": {"places_per_worker": 0, "stay_days": 36500}}}`,
		`{"horizon_days": 36500, "review_days": 36500, "first_contact_days": 36500}`,
		`{"link_workers": 3, "link_workers": 4}`,
		`{"embeddedness": {"belonging": 0.2}}`,
		`{"needs": {"bereavement": 1e6}}`,
		`[]`, `null`, `{"a": [1, {"b": 2, "b": 3}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := LoadScenario(data)
		if err != nil {
			require.ErrorIs(t, err, ErrScenario)
			assert.NotContains(t, err.Error(), "\n")
			assert.Less(t, len(err.Error()), 500, "a readable line, however large the input")
			return
		}
		b, err := sc.JSON()
		require.NoError(t, err)
		back, err := LoadScenario(b)
		require.NoError(t, err, "the printed scenario reads back")
		require.Equal(t, sc, back)

		sc.HorizonDays = min(sc.HorizonDays, 30)
		require.NoError(t, sc.Validate(), "a shorter run of a valid scenario is valid")
		if events, _ := sc.estimatedEvents(); events > 2e5 {
			return
		}
		results, err := Run(sc, Options{Seed: 1, Replications: 2, Parallel: 1})
		require.NoError(t, err)
		require.Len(t, results, 2)
		for _, r := range results {
			assert.LessOrEqual(t, r.RejectedInappropriate, r.Referrals)
			assert.False(t, strings.Contains(formatFloat(r.MeanWaitingList), "NaN"))
		}
	})
}

// FuzzScenarioSet sets arbitrary keys to arbitrary values, as -set and
// -sweep do: a refusal wraps ErrScenario in one short line, an accepted
// value gives a valid scenario, and the scenario set from never changes.
func FuzzScenarioSet(f *testing.F) {
	for _, seed := range [][2]string{
		{"supervised_share", "0.5"}, {"endpoint_policy", "none"}, {"provision.money.stay_days", "40"},
		{"needs.housing", "0"}, {"embeddedness.bolted_on", "0.9"}, {"referral_surges", `[{"from_day": 1, "to_day": 2, "multiplier": 3}]`},
		{"departures", `[{"day": 1, "count": 2}]`}, {"base", "region"}, {"a.b.c", "{"}, {"link_workers", "1e400"},
		{"provision", `{"money": {"stay_days": 1, "stay_days": 2}}`}, {"Link_Workers", "3"}, {"horizon_days", `"30"`},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		base, _ := Embedded("pcn")
		base.ReferralSurges = []ReferralSurge{{FromDay: 1, ToDay: 2, Multiplier: 2}}
		before, err := base.JSON()
		require.NoError(t, err)
		sc, err := base.Set(key, value)
		after, _ := base.JSON()
		assert.Equal(t, string(before), string(after), "the scenario set from is unchanged")
		if err != nil {
			require.ErrorIs(t, err, ErrScenario)
			assert.NotContains(t, err.Error(), "\n")
			assert.Less(t, len(err.Error()), 600)
			return
		}
		require.NoError(t, sc.Validate())
	})
}

package simulation

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryScenarioValueIsBoundedOnBothSides sets each key to its bound and
// just past it, on both sides, on top of pcn: the bound itself is
// accepted, the value past it refused with an error naming the key.
func TestEveryScenarioValueIsBoundedOnBothSides(t *testing.T) {
	// A small scenario, so that the largest values of one key stay within
	// the bounds on the run as a whole.
	small := map[string]string{"link_workers": "1", "referrals_per_worker_year": "1", "horizon_days": "1"}
	cases := []struct {
		key, json string // json: the key's path as a JSON fragment with %v for the value
		lo, hi    float64
		openLo    bool // lo itself is refused
		step      float64
	}{
		{"horizon_days", `"horizon_days": %v`, 0, 36500, true, 1e-9},
		{"link_workers", `"link_workers": %v`, 1, 100_000, false, 1},
		{"referrals_per_worker_year", `"referrals_per_worker_year": %v`, 0.001, 100_000, false, 1e-9},
		{"caseload_cap", `"caseload_cap": %v`, 1, 10_000, false, 1},
		{"max_extensions", `"max_extensions": %v`, 0, 10_000, false, 1},
		{"first_contact_days", `"first_contact_days": %v`, 0, 36500, false, 1e-9},
		{"readiness_days", `"readiness_days": %v`, 0, 36500, false, 1e-9},
		{"review_days", `"review_days": %v`, 1, 36500, false, 1e-9},
		{"disengage_days", `"disengage_days": %v`, 0, 36500, false, 1e-9},
		{"follow_up_days", `"follow_up_days": %v`, 0, 36500, false, 1e-9},
		{"incorporation_days_supervised", `"incorporation_days_supervised": %v`, 0, 36500, false, 1e-9},
		{"incorporation_days_unsupervised", `"incorporation_days_unsupervised": %v`, 0, 36500, false, 1e-9},
		{"leave_days_liminal", `"leave_days_liminal": %v`, 1, 36500, false, 1e-9},
		{"leave_days_incorporated", `"leave_days_incorporated": %v`, 1, 36500, false, 1e-9},
		{"vacancy_days", `"vacancy_days": %v`, 0, 36500, false, 1e-9},
		{"decline_share", `"decline_share": %v`, 0, 1, false, 1e-9},
		{"ready_share", `"ready_share": %v`, 0, 1, false, 1e-9},
		{"supervised_share", `"supervised_share": %v`, 0, 1, false, 1e-9},
		{"initial_incorporated_share", `"initial_incorporated_share": %v`, 0, 1, false, 1e-9},
		{"inappropriate_share.bolted_on", `"inappropriate_share": {"bolted_on": %v}`, 0, 1, false, 1e-9},
		{"inappropriate_share.fitting_in", `"inappropriate_share": {"fitting_in": %v}`, 0, 1, false, 1e-9},
		{"inappropriate_share.belonging", `"inappropriate_share": {"belonging": %v}`, 0, 1, false, 1e-9},
		{"embeddedness.bolted_on", `"embeddedness": {"bolted_on": %v, "fitting_in": 0}`, 0, 1, false, 1e-9},
		{"embeddedness.fitting_in", `"embeddedness": {"fitting_in": %v, "bolted_on": 0}`, 0, 1, false, 1e-9},
		{"needs.money", `"needs": {"money": %v}`, 0, 1e6, false, 1},
		{"provision.money.places_per_worker", `"provision": {"money": {"places_per_worker": %v}}`, 0, 10_000, false, 1e-9},
		{"provision.money.stay_days", `"provision": {"money": {"stay_days": %v}}`, 0, 36500, false, 1e-9},
	}
	load := func(frag string, v float64) error {
		body := "{" + fmt.Sprintf(frag, v)
		for _, k := range []string{"link_workers", "referrals_per_worker_year", "horizon_days"} {
			if !strings.HasPrefix(frag, `"`+k+`"`) {
				body += `, "` + k + `": ` + small[k]
			}
		}
		if !strings.HasPrefix(frag, `"warmup_days"`) {
			body += `, "warmup_days": 0` // so horizon_days can reach its own bound
		}
		_, err := LoadScenario([]byte(body + "}"))
		return err
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			below := c.lo - c.step
			if c.openLo {
				below = c.lo
				require.NoError(t, load(c.json, c.lo+c.step), "just above %v", c.lo)
			} else {
				require.NoError(t, load(c.json, c.lo), "the lower bound %v", c.lo)
			}
			require.NoError(t, load(c.json, c.hi), "the upper bound %v", c.hi)
			for _, v := range []float64{below, c.hi + c.step, -1e308, 1e308} {
				err := load(c.json, v)
				require.ErrorIs(t, err, ErrScenario, "%v", v)
				assert.Contains(t, err.Error(), c.key, "%v", v)
			}
		})
	}
}

func TestScenarioValuesNotANumberAreRefused(t *testing.T) {
	for _, set := range []func(*Scenario){
		func(s *Scenario) { s.HorizonDays = math.NaN() },
		func(s *Scenario) { s.ReviewDays = math.Inf(1) },
		func(s *Scenario) { s.DeclineShare = math.NaN() },
		func(s *Scenario) { s.Needs = map[prescribing.Need]float64{prescribing.NeedMoney: math.Inf(1)} },
		func(s *Scenario) {
			s.Provision = map[prescribing.Need]NeedProvision{prescribing.NeedMoney: {StayDays: math.NaN()}}
		},
	} {
		s := pcn()
		set(&s)
		assert.ErrorIs(t, s.Validate(), ErrScenario)
	}
}

// TestTheRunAsAWholeIsBounded: the expected referrals (memory) and the
// estimated events (time) of a replication, and the events of a whole run.
func TestTheRunAsAWholeIsBounded(t *testing.T) {
	s := pcn()
	// 5,000,000 referrals exactly: accepted; one worker-year's referral
	// more: refused.
	s.WarmupDays, s.LinkWorkers, s.HorizonDays, s.ReferralsPerWorkerYear = 0, 10_000, 365, 500
	require.Equal(t, 5e6, s.expectedReferrals())
	require.NoError(t, s.Validate())
	s.ReferralsPerWorkerYear = 500.0001
	err := s.Validate()
	require.ErrorIs(t, err, ErrScenario)
	assert.Contains(t, err.Error(), "referrals_per_worker_year")

	// Reviews every day that extend forever, over 100 years: too many.
	s = pcn()
	s.WarmupDays, s.HorizonDays, s.ReviewDays, s.EndpointPolicy = 0, 36500, 1, EndpointPolicyNone
	err = s.Validate()
	require.ErrorIs(t, err, ErrScenario)
	assert.Contains(t, err.Error(), "review_days")
	s.EndpointPolicy = EndpointPolicyEnforced // four reviews an episode at most
	require.NoError(t, s.Validate())

	// The warm-up counts, and so do surges: a year at twice the rate
	// after a year's warm-up expects three years' referrals.
	s = pcn()
	s.WarmupDays, s.HorizonDays = 365, 365
	s.ReferralSurges = []ReferralSurge{{FromDay: 365, ToDay: 1000, Multiplier: 2}}
	assert.InDelta(t, 3*float64(s.LinkWorkers)*s.ReferralsPerWorkerYear, s.expectedReferrals(), 1e-6)

	// Time series are held until Run returns: their points are bounded
	// over the whole run.
	s = pcn()
	s.SeriesDays = 1
	points := int(s.HorizonDays/s.SeriesDays) + 1
	require.NoError(t, checkWork(s, maxRunSeriesPoints/points, true))
	require.ErrorIs(t, checkWork(s, maxRunSeriesPoints/points+1, true), ErrTooMuchWork)
	require.NoError(t, checkWork(s, maxRunSeriesPoints/points+1, false))

	// A valid replication, too many of them: as many as fit are
	// accepted, one more is refused.
	s, _ = Embedded("region")
	per, _ := s.estimatedEvents()
	fits := int(maxEvents / per)
	require.NoError(t, checkWork(s, fits, false))
	require.ErrorIs(t, checkWork(s, fits+1, false), ErrTooMuchWork)
	national, _ := Embedded("national")
	_, err = Run(national, Options{Replications: 1000})
	require.ErrorIs(t, err, ErrTooMuchWork)
	assert.Contains(t, err.Error(), "replications")
	r, err := Run(pcn(), Options{Replications: MaxReplications, Shard: Shard{I: 0, N: MaxReplications}})
	require.NoError(t, err, "as many replications as allowed, one of them selected")
	require.Len(t, r, 1)
	_, err = Run(pcn(), Options{Replications: MaxReplications + 1, Shard: Shard{I: 0, N: MaxReplications + 1}})
	require.ErrorIs(t, err, ErrOptions)
	assert.Contains(t, err.Error(), "replications")
}

// TestInputsThatOnceCrashedOrHungAreRefused: each input of the issue that
// once crashed, hung or exhausted memory is now refused up front, naming
// the key.
func TestInputsThatOnceCrashedOrHungAreRefused(t *testing.T) {
	cases := map[string]string{
		`{"referrals_per_worker_year": 0}`:                           "referrals_per_worker_year",
		`{"first_contact_days": 1e308}`:                              "first_contact_days",
		`{"disengage_days": 1.7e308}`:                                "disengage_days",
		`{"horizon_days": 110000}`:                                   "horizon_days",
		`{"review_days": 1e-300}`:                                    "review_days",
		`{"leave_days_liminal": 0, "vacancy_days": 0}`:               "leave_days_liminal",
		`{"review_days": 1e-6, "endpoint_policy": "none"}`:           "review_days",
		`{"link_workers": 1000000}`:                                  "link_workers",
		`{"referrals_per_worker_year": 1e12}`:                        "referrals_per_worker_year",
		`{"link_workers": 100000, "referrals_per_worker_year": 250}`: "referrals_per_worker_year",
		`{"embeddedness": {"belonging": 0.25}}`:                      "embeddedness.belonging",
		`{"endpoint_policy": ""}`:                                    "endpoint_policy",
	}
	for in, key := range cases {
		_, err := LoadScenario([]byte(in))
		require.ErrorIs(t, err, ErrScenario, in)
		assert.Contains(t, err.Error(), key, in)
		assert.NotContains(t, err.Error(), "\n", "one line")
	}
}

func TestBelongingIsTheRest(t *testing.T) {
	s, err := LoadScenario([]byte(`{"embeddedness": {"bolted_on": 0.6}}`))
	require.ErrorIs(t, err, ErrScenario, "0.6 + pcn's fitting_in 0.5 is more than 1")
	s, err = LoadScenario([]byte(`{"embeddedness": {"bolted_on": 0.4}}`))
	require.NoError(t, err)
	assert.Equal(t, PositionShares{BoltedOn: 0.4, FittingIn: 0.5, Belonging: 0.1}, s.Embeddedness)
	// Given as the rest: accepted, as a printed scenario gives it.
	s, err = LoadScenario([]byte(`{"embeddedness": {"bolted_on": 0.4, "belonging": 0.1}}`))
	require.NoError(t, err)
	assert.Equal(t, 0.1, s.Embeddedness.Belonging)
	// Just off the rest either side: refused.
	for _, b := range []float64{0.1 - 2e-9, 0.1 + 2e-9} {
		_, err = LoadScenario(fmt.Appendf(nil, `{"embeddedness": {"bolted_on": 0.4, "belonging": %v}}`, b))
		require.ErrorIs(t, err, ErrScenario, "%v", b)
		assert.Contains(t, err.Error(), "embeddedness.belonging")
	}
}

func TestDuplicateKeysAreRefusedNamingTheKey(t *testing.T) {
	cases := map[string]string{
		`{"link_workers": 3, "link_workers": 4}`:                                "link_workers",
		`{"embeddedness": {"bolted_on": 0.1, "bolted_on": 0.2}}`:                "embeddedness.bolted_on",
		`{"needs": {"money": 1, "money": 2}}`:                                   "needs.money",
		`{"provision": {"money": {"stay_days": 1}, "money": {"stay_days": 2}}}`: "provision.money",
		`{"provision": {"money": {"stay_days": 1, "stay_days": 2}}}`:            "provision.money.stay_days",
		`{"a\u0000b": 1, "a\u0000b": 2}`:                                        `"a\x00b"`,
	}
	for in, key := range cases {
		_, err := LoadScenario([]byte(in))
		require.ErrorIs(t, err, ErrScenario, in)
		assert.Contains(t, err.Error(), key+": the key appears twice", in)
	}
	// The same key in different objects is no duplicate.
	_, err := LoadScenario([]byte(`{"embeddedness": {"bolted_on": 0.2}, "inappropriate_share": {"bolted_on": 0.2}}`))
	require.NoError(t, err)
}

func TestLargeScenarioFilesAreRefusedBeforeParsing(t *testing.T) {
	body := `{"link_workers": 3` + strings.Repeat(" ", MaxScenarioBytes-len(`{"link_workers": 3}`)) + `}`
	require.Len(t, body, MaxScenarioBytes)
	_, err := LoadScenario([]byte(body))
	require.NoError(t, err, "exactly the limit")
	_, err = LoadScenario([]byte(body + " "))
	require.ErrorIs(t, err, ErrScenario)
	assert.Contains(t, err.Error(), "bytes")
}

func TestEndpointPolicyIsAVocabulary(t *testing.T) {
	for _, p := range []EndpointPolicy{EndpointPolicyEnforced, EndpointPolicyNone} {
		b, err := p.MarshalText()
		require.NoError(t, err)
		var back EndpointPolicy
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, p, back)
		v, err := p.Value()
		require.NoError(t, err)
		var scanned EndpointPolicy
		require.NoError(t, scanned.Scan(v))
		assert.Equal(t, p, scanned)
	}
	assert.Equal(t, "enforced", EndpointPolicyEnforced.String())
	var p EndpointPolicy
	err := p.UnmarshalText([]byte("sometimes"))
	require.ErrorIs(t, err, prescribing.ErrUnknownValue)
	assert.Contains(t, err.Error(), "endpoint_policy")
	_, err = EndpointPolicy(9).MarshalText()
	require.ErrorIs(t, err, prescribing.ErrUnknownValue)
	s := pcn()
	s.EndpointPolicy = 9
	require.ErrorIs(t, s.Validate(), ErrScenario)
}

// TestAPanicInAReplicationIsAnErrorNamingItsReplicationAndSeed injects a
// panic into one replication: Run returns an error naming it, and the
// others still run.
func TestAPanicInAReplicationIsAnErrorNamingItsReplicationAndSeed(t *testing.T) {
	s := pcn()
	s.HorizonDays = 30
	o := Options{Seed: 7, Replications: 4, Parallel: 2}
	ran := make([]bool, 4)
	o.replicate = func(sc Scenario, seed uint64, r int, series bool) (Result, error) {
		ran[r] = true
		switch r {
		case 2:
			var posts []post
			_ = posts[r] // a bug in the model: an index out of range
		case 3:
			return Result{}, errors.New("the domain refused a change")
		}
		return runReplication(sc, seed, r, series)
	}
	results, err := Run(s, o)
	require.ErrorIs(t, err, ErrReplication)
	assert.Contains(t, err.Error(), "replication 2 of seed 7: runtime error: index out of range")
	assert.Contains(t, err.Error(), "replication 3 of seed 7: the domain refused a change")
	assert.Equal(t, []bool{true, true, true, true}, ran)
	require.Len(t, results, 4)
	assert.Positive(t, results[0].Events)
	assert.Positive(t, results[1].Events)
}

func TestAShardThatSelectsNothingIsRefused(t *testing.T) {
	s := pcn()
	s.HorizonDays = 10
	_, err := Run(s, Options{Replications: 2, Shard: Shard{I: 2, N: 3}})
	require.ErrorIs(t, err, ErrShard)
	assert.Contains(t, err.Error(), "2/3 selects none of 2 replications")
	r, err := Run(s, Options{Replications: 3, Shard: Shard{I: 2, N: 3}})
	require.NoError(t, err, "the last replication, the shard's only one")
	require.Len(t, r, 1)
	assert.Equal(t, 2, r[0].Replication)
}

// TestDeeplyNestedScenariosAreRefusedQuickly: a scenario file nested
// hundreds of thousands deep once took the decoder minutes and gigabytes;
// sixteen levels are read, seventeen refused.
func TestDeeplyNestedScenariosAreRefusedQuickly(t *testing.T) {
	nest := func(n int) []byte { return []byte(strings.Repeat("[", n) + strings.Repeat("]", n)) }
	require.NoError(t, checkDuplicateKeys(nest(maxNesting)))
	err := checkDuplicateKeys(nest(maxNesting + 1))
	require.ErrorIs(t, err, ErrScenario)
	assert.Contains(t, err.Error(), "nested more than 16 deep")
	_, err = LoadScenario(nest(MaxScenarioBytes / 2))
	require.ErrorIs(t, err, ErrScenario)
	_, err = LoadScenario([]byte(`{"provision": {"money": {"stay_days": ` + strings.Repeat("[", 100) + `}}}`))
	require.ErrorIs(t, err, ErrScenario)
	assert.Contains(t, err.Error(), "provision.money.stay_days[0]")
}

func TestErrorsAboutLargeInputStayShort(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	for _, in := range []string{
		`{"` + long + `": 1}`,
		`{"needs": {"` + long + `": 1}}`,
		`{"provision": {"` + long + `": {"stay_days": 1}}}`,
		`{"provision": {"money": {"` + long + `": 1}}}`,
		`{"endpoint_policy": "` + long + `"}`,
		`{"horizon_days": "` + long + `"}`,
	} {
		_, err := LoadScenario([]byte(in))
		require.ErrorIs(t, err, ErrScenario)
		assert.Less(t, len(err.Error()), 300, "%.60s", in)
	}
}

package simulation

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/holding"
)

// golden runs a scenario of testdata as the command does with -format csv
// (and -series) and returns the outputs' bytes.
func golden(t *testing.T, file string, seed uint64, reps int, hooks Hooks) (results, series []byte) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + file)
	require.NoError(t, err)
	sc, err := LoadScenario(data)
	require.NoError(t, err)
	res, err := Run(sc, Options{Seed: seed, Replications: reps, Series: true, Hooks: hooks})
	require.NoError(t, err)
	var r, s bytes.Buffer
	require.NoError(t, WriteCSV(&r, res))
	require.NoError(t, WriteSeriesCSV(&s, res))
	return r.Bytes(), s.Bytes()
}

// TestHooksAtTheirDefaultsReproduceTheReferenceByteForByte runs the
// golden scenarios (a surge, departures that transfer cases, an
// unenforced endpoint with a waiting list) with no hooks and with every
// hook set to its exported reference rule: the outputs are the same
// bytes, and the same as the model's output before the hooks existed,
// whose checksums testdata/golden.sha256 keeps.
func TestHooksAtTheirDefaultsReproduceTheReferenceByteForByte(t *testing.T) {
	sums, err := os.ReadFile("testdata/golden.sha256")
	require.NoError(t, err)
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, name, _ := strings.Cut(line, "  ")
		want[name] = sum
	}
	sum := func(b []byte) string { return fmt.Sprintf("%x", sha256.Sum256(b)) }
	reference := Hooks{Assign: ReferenceAssign, Review: ReferenceReview, Readiness: ReferenceReadiness}

	r, s := golden(t, "golden-scenario.json", 3, 6, Hooks{})
	rh, sh := golden(t, "golden-scenario.json", 3, 6, reference)
	assert.Equal(t, string(r), string(rh), "results, hooks nil and set to the reference rules")
	assert.Equal(t, string(s), string(sh), "series, hooks nil and set to the reference rules")
	assert.Equal(t, want["golden-results.csv"], sum(r), "results as before the hooks")
	assert.Equal(t, want["golden-series.csv"], sum(s), "series as before the hooks")

	r, _ = golden(t, "golden-scenario-none.json", 9, 4, Hooks{})
	rh, _ = golden(t, "golden-scenario-none.json", 9, 4, reference)
	assert.Equal(t, string(r), string(rh))
	assert.Equal(t, want["golden-none-results.csv"], sum(r))
	row := strings.Split(strings.Split(string(r), "\n")[1], ",")
	assert.NotEqual(t, "0", row[len(row)-2], "the golden run has a waiting list (mean_waiting_list) for the assignment hook to act on")
}

func hooked(t *testing.T, hooks Hooks) Result {
	t.Helper()
	sc := small()
	sc.CaseloadCap = 8
	res, err := Run(sc, Options{Seed: 5, Replications: 1, Hooks: hooks})
	require.NoError(t, err)
	return res[0]
}

func TestEachHookChangesWhatItSays(t *testing.T) {
	ref := hooked(t, Hooks{})
	require.Positive(t, ref.HeldAwaitingReadiness)
	require.Positive(t, ref.Disengaged)

	ready := hooked(t, Hooks{Readiness: func(Readiness) ReadinessArrival { return ReadinessArrival{AtOnce: true} }})
	assert.Zero(t, ready.HeldAwaitingReadiness, "everyone ready at once: no one held awaiting readiness")

	end := hooked(t, Hooks{Review: func(HoldingReview) holding.Decision { return holding.DecisionEnd }})
	assert.Zero(t, end.ExtendedShare, "every episode ends at its first review")
	assert.Greater(t, end.DischargedUnconnected, ref.DischargedUnconnected)

	var seen []Assignment
	last := hooked(t, Hooks{Assign: func(a Assignment) int {
		seen = append(seen, a)
		for p := a.Posts() - 1; p >= 0; p-- {
			if a.Post(p).Room {
				return p
			}
		}
		return -1
	}})
	assert.NotEqual(t, ref, last, "the highest-numbered post first is another service")
	require.NotEmpty(t, seen)
	assert.Equal(t, ref.Referrals, last.Referrals, "arrivals draw from their own stream")

	never := hooked(t, Hooks{Assign: func(Assignment) int { return -1 }})
	assert.Zero(t, never.Connected, "a case left waiting is never seen")
	assert.Zero(t, never.MeanWaitFirstContact)
	assert.Positive(t, never.MeanWaitingList)
}

func TestAHookThatAnswersWhatTheModelCannotDoFailsItsReplication(t *testing.T) {
	for name, h := range map[string]Hooks{
		"assign a post out of range": {Assign: func(a Assignment) int { return a.Posts() }},
		"assign a full post": {Assign: func(a Assignment) int {
			for p := range a.Posts() {
				if !a.Post(p).Room {
					return p
				}
			}
			return a.Posts() + 7
		}},
		"assign -2":             {Assign: func(Assignment) int { return -2 }},
		"review continue":       {Review: func(HoldingReview) holding.Decision { return holding.DecisionContinue }},
		"review unset":          {Review: func(HoldingReview) holding.Decision { return 0 }},
		"readiness NaN":         {Readiness: func(Readiness) ReadinessArrival { return ReadinessArrival{AfterDays: math.NaN()} }},
		"readiness negative":    {Readiness: func(Readiness) ReadinessArrival { return ReadinessArrival{AfterDays: -1} }},
		"readiness past bounds": {Readiness: func(Readiness) ReadinessArrival { return ReadinessArrival{AfterDays: maxDays + 1} }},
	} {
		sc := small()
		_, err := Run(sc, Options{Seed: 1, Replications: 1, Hooks: h})
		require.ErrorIs(t, err, ErrReplication, name)
		assert.Contains(t, err.Error(), "hook", name)
	}
	// At the bound itself, the answer is taken.
	sc := small()
	_, err := Run(sc, Options{Seed: 1, Replications: 1, Hooks: Hooks{Readiness: func(Readiness) ReadinessArrival {
		return ReadinessArrival{AfterDays: maxDays}
	}}})
	assert.NoError(t, err)
}

func TestAssignmentShowsThePosts(t *testing.T) {
	checked := false
	hooked(t, Hooks{Assign: func(a Assignment) int {
		if !checked {
			checked = true
			assert.Equal(t, small().LinkWorkers, a.Posts())
			p := a.Fewest()
			assert.True(t, a.Post(p).Room)
			for i := range a.Posts() {
				s := a.Post(i)
				if s.Room {
					assert.LessOrEqual(t, a.Post(p).Cases, s.Cases)
				}
				assert.True(t, s.Position.IsValid())
			}
			assert.GreaterOrEqual(t, a.Waiting, 1)
			assert.True(t, a.Need.IsValid())
		}
		return ReferenceAssign(a)
	}})
	assert.True(t, checked)
}

func TestSweepRunsEachArmAsItsOwnRunWithTheSameSeeds(t *testing.T) {
	a := small()
	b := small()
	b.SupervisedShare = 1
	var got [2][]Result
	var order []string
	n, err := Sweep(context.Background(), []Arm{{Scenario: a}, {Scenario: b, Parameters: []Column{Label("s", "1")}}},
		Options{Seed: 2, Replications: 3, Parallel: 2}, func(arm int, r Result) error {
			got[arm] = append(got[arm], r)
			order = append(order, fmt.Sprintf("%d/%d", r.Replication, arm))
			return nil
		})
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	assert.Equal(t, []string{"0/0", "0/1", "1/0", "1/1", "2/0", "2/1"}, order)
	for i, sc := range []Scenario{a, b} {
		alone, err := Run(sc, Options{Seed: 2, Replications: 3})
		require.NoError(t, err)
		assert.Equal(t, alone, got[i], "arm %d", i)
	}

	bad := small()
	bad.SupervisedShare = 2
	_, err = Sweep(context.Background(), []Arm{{Scenario: a}, {Scenario: bad}}, Options{Replications: 1}, nil)
	require.ErrorIs(t, err, ErrScenario)
	assert.Contains(t, err.Error(), "arm 1: ")
	_, err = Sweep(context.Background(), nil, Options{Replications: 1}, nil)
	assert.ErrorIs(t, err, ErrOptions)
	nat, _ := Embedded("national")
	_, err = Sweep(context.Background(), []Arm{{Scenario: nat}, {Scenario: nat}}, Options{Replications: 600}, nil)
	assert.ErrorIs(t, err, ErrTooMuchWork)
}

package simulation

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/socialprescribing/linkwork/liminality"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runChecked runs one replication and checks the model's invariants after
// every event.
func runChecked(t *testing.T, sc Scenario, seed uint64, rep int) (Result, *model) {
	t.Helper()
	m, err := newModel(sc, seed, rep)
	require.NoError(t, err)
	failed := false
	m.run(func(e event) {
		m.handle(e)
		if !failed {
			failed = !checkInvariants(t, m)
		}
	})
	return m.finish(), m
}

func checkInvariants(t *testing.T, m *model) bool {
	t.Helper()
	ok := true
	for i := range m.needs {
		n := &m.needs[i]
		free, counted := n.asset.FreePlaces()
		ok = assert.True(t, !counted || free >= 0, "places in use exceed places for %s", n.need) && ok
	}
	for i := range m.posts {
		p := &m.posts[i]
		if !p.present {
			ok = assert.Empty(t, p.cases, "open cases on vacant post %d at day %v", i, m.sim.Now()) && ok
		}
		ok = assert.LessOrEqual(t, len(p.cases), m.sc.CaseloadCap, "post %d over the caseload cap", i) && ok
		for _, id := range p.cases {
			c := m.cases.at(id)
			ok = assert.True(t, c.open && c.post == int32(i), "post %d lists case %d that is not its open case", i, id) && ok
		}
		phase, _ := p.journey.Phase()
		if p.present {
			ok = assert.Contains(t, []liminality.Phase{liminality.Liminal, liminality.Incorporated}, phase) && ok
		} else {
			ok = assert.Equal(t, liminality.Left, phase) && ok
		}
	}
	return ok
}

// openAwaitingFollowUp counts open cases that have been connected.
func openAwaitingFollowUp(m *model) int {
	n := 0
	for i := range m.cases.n {
		if c := m.cases.at(i); c.open && c.followUp {
			n++
		}
	}
	return n
}

func TestModelInvariantsHoldInEveryRun(t *testing.T) {
	pcn, _ := Embedded("pcn")
	none := pcn
	none.EndpointPolicy = PolicyNone
	busy := pcn
	busy.LinkWorkers, busy.LeaveDaysLiminal, busy.LeaveDaysIncorporated, busy.VacancyDays = 4, 60, 120, 30
	for name, sc := range map[string]Scenario{"pcn": pcn, "no endpoint policy": none, "high turnover": busy} {
		for rep := range 3 {
			r, m := runChecked(t, sc, 11, rep)
			closedConnected := r.Connected - openAwaitingFollowUp(m)
			assert.Equal(t, r.Referrals,
				r.RejectedInappropriate+r.Declined+closedConnected+r.DischargedUnconnected+r.Disengaged+r.OpenAtEnd,
				"%s rep %d: referrals = rejected + declined + connected-and-closed + discharged + disengaged + open", name, rep)
			assert.Equal(t, r.OpenAtEnd, m.waiting.len()+assignedCases(m), "%s: open = waiting + assigned", name)
			assert.LessOrEqual(t, r.HoldingEpisodesEnded, r.HoldingEpisodesStarted)
			assert.LessOrEqual(t, r.HeldAwaitingReadiness+r.HeldLackOfProvision, 2*r.HoldingEpisodesEnded)
			assert.GreaterOrEqual(t, r.ExtendedShare, 0.0)
			assert.LessOrEqual(t, r.ExtendedShare, 1.0)
			if sc.EndpointPolicy == PolicyNone {
				assert.Zero(t, r.DischargedUnconnected, "no endpoint policy, no discharges")
			}
		}
	}
}

func assignedCases(m *model) int {
	n := 0
	for i := range m.posts {
		n += len(m.posts[i].cases)
	}
	return n
}

func TestModelMatchesTheScenarioInExpectation(t *testing.T) {
	sc, _ := Embedded("pcn")
	res, err := Run(sc, Options{Seed: 3, Replications: 20})
	require.NoError(t, err)
	mean := func(f func(Result) float64) float64 {
		s := 0.0
		for _, r := range res {
			s += f(r)
		}
		return s / float64(len(res))
	}
	// Poisson arrivals: 10 * 250 / 365 a day for 730 days = 5000.
	assert.InDelta(t, 5000, mean(func(r Result) float64 { return float64(r.Referrals) }), 5000*0.02)
	// Inappropriate: 3 posts at 0.20, 5 at 0.10, 2 at 0.04.
	wantShare := (3*0.20 + 5*0.10 + 2*0.04) / 10
	assert.InDelta(t, wantShare, mean(func(r Result) float64 { return float64(r.RejectedInappropriate) / float64(r.Referrals) }), 0.01)
	// Declines: 10% of first contacts.
	firstContacts := mean(func(r Result) float64 { return float64(r.Referrals - r.RejectedInappropriate - r.OpenAtEnd) })
	assert.InDelta(t, 0.10, mean(func(r Result) float64 { return float64(r.Declined) })/firstContacts, 0.02)
	// The wait for first contact is at least the Exp(5) draw's mean.
	assert.Greater(t, mean(func(r Result) float64 { return r.MeanWaitFirstContact }), 4.5)
	for _, r := range res {
		assert.Greater(t, r.Events, r.Referrals)
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	sc, _ := Embedded("pcn")
	out := func(o Options) string {
		res, err := Run(sc, o)
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, WriteJSON(&b, res))
		return b.String()
	}
	a := out(Options{Seed: 42, Replications: 4, Parallel: 1})
	assert.Equal(t, a, out(Options{Seed: 42, Replications: 4, Parallel: 1}), "same seed, same bytes")
	assert.Equal(t, a, out(Options{Seed: 42, Replications: 4, Parallel: 2}), "-parallel 1 and 2 give the same bytes")
	assert.NotEqual(t, a, out(Options{Seed: 43, Replications: 4, Parallel: 2}), "another seed, other results")

	// Replication r depends on (seed, r) alone: it is the same in a run of 2.
	first := strings.SplitAfter(a, "\n")[:2]
	assert.Equal(t, strings.Join(first, ""), out(Options{Seed: 42, Replications: 2}))
}

func TestShardsTogetherAreTheWhole(t *testing.T) {
	sc, _ := Embedded("pcn")
	whole, err := Run(sc, Options{Seed: 9, Replications: 7})
	require.NoError(t, err)
	var parts []Result
	for i := range 3 {
		part, err := Run(sc, Options{Seed: 9, Replications: 7, Shard: Shard{I: i, N: 3}})
		require.NoError(t, err)
		for _, r := range part {
			assert.Equal(t, i, r.Replication%3)
		}
		parts = append(parts, part...)
	}
	slices.SortFunc(parts, func(a, b Result) int { return a.Replication - b.Replication })
	assert.Equal(t, whole, parts)

	_, err = Run(sc, Options{Replications: 3, Shard: Shard{I: 3, N: 3}})
	assert.ErrorIs(t, err, ErrShard)
}

func TestOutputFormats(t *testing.T) {
	sc, _ := Embedded("pcn")
	res, err := Run(sc, Options{Seed: 1, Replications: 2})
	require.NoError(t, err)
	var csv, js, table bytes.Buffer
	require.NoError(t, WriteCSV(&csv, res))
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, strings.Join(Keys(), ","), lines[0])
	assert.True(t, strings.HasPrefix(lines[2], "1,1,"))
	require.NoError(t, WriteJSON(&js, res))
	first := strings.Split(js.String(), "\n")[0]
	// Keys in MODEL.md's order.
	last := -1
	for _, k := range Keys() {
		i := strings.Index(first, `"`+k+`":`)
		require.GreaterOrEqual(t, i, 0, k)
		assert.Greater(t, i, last, k)
		last = i
	}
	require.NoError(t, WriteTable(&table, "pcn", res))
	assert.Contains(t, table.String(), "mean")
	assert.Contains(t, table.String(), "referrals")
	mean, sd, lo, hi := describe([]float64{1, 2, 3})
	assert.Equal(t, [4]float64{2, 1, 1, 3}, [4]float64{mean, sd, lo, hi})
	assert.False(t, math.IsNaN(res[0].MeanHoldingDays))
}

package pages

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
)

// TestBuildSupervisionGivesEachWorkersHoldingPhaseAndMissingSupport checks the page's view of rule SUP-1, LIM-2; the rule's own
// tests are the library's, listed in docs/rules.md.
func TestBuildSupervisionGivesEachWorkersHoldingPhaseAndMissingSupport(t *testing.T) {
	f := newFixture(t)
	v := f.supervision()

	assert.Equal(t, "Kim Reid", v.Supervisor)
	assert.Equal(t, 6, v.ThresholdMonths)
	require.Len(t, v.Workers, 2, "only the team, in the order given; the outsider is left out")
	assert.Equal(t, WorkerRow{
		Name: "Sam Okafor", Short: short(f.sam.ID.String()),
		OpenCases: 5, Holding: 3, HoldingLoad: "60%", AtRisk: 1, Overdue: 1,
		Phase: "liminal", Since: "2 Mar 2026", Prolonged: true,
		Missing:     []string{"Ambiguity about the role", "Instability of career and role"},
		Supervision: "every 28 days, next due 27 Oct 2026", SupervisionOverdue: true,
	}, v.Workers[0])
	assert.Equal(t, WorkerRow{
		Name: "Ana Kowalska", Short: short(f.ana.ID.String()),
		OpenCases: 2, Holding: 1, HoldingLoad: "50%",
		Phase: "incorporated", Since: "1 Sep 2025",
		Supervision: "every 28 days, next due 17 Nov 2026",
	}, v.Workers[1])
	assert.Equal(t, 1, v.Prolonged)
	assert.Equal(t, 1, v.SupervisionOverdue, "Sam's; the outsider's is not Kim's team's")
	assert.Equal(t, 1, v.AtRisk)
}

// TestBuildSupervisionProlongedBoundary checks the page's view of rule LIM-3; the rule's own
// tests are the library's, listed in docs/rules.md.
func TestBuildSupervisionProlongedBoundary(t *testing.T) {
	f := newFixture(t)
	since := day(2026, 3, 2)
	for _, c := range []struct {
		name      string
		at        time.Time
		threshold liminality.Threshold
		want      bool
	}{
		{"exactly six months", since.AddDate(0, 6, 0), liminality.Threshold{}, false},
		{"an instant past six months", since.AddDate(0, 6, 0).Add(time.Nanosecond), liminality.Threshold{}, true},
		{"exactly nine months, threshold nine", since.AddDate(0, 9, 0), liminality.Threshold{Months: 9}, false},
		{"an instant past nine months, threshold nine", since.AddDate(0, 9, 0).Add(time.Nanosecond), liminality.Threshold{Months: 9}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := BuildSupervision(f.kim, []Worker{f.sam}, f.referrals, f.episodes, f.journeys, c.at, SupervisionOptions{Threshold: c.threshold})
			require.Len(t, v.Workers, 1)
			assert.Equal(t, c.want, v.Workers[0].Prolonged)
			want := 0
			if c.want {
				want = 1
			}
			assert.Equal(t, want, v.Prolonged)
		})
	}
}

// TestBuildSupervisionHoldingLoadAndLimits checks the page's view of rule HOLD-7, HOLD-4; the rule's own
// tests are the library's, listed in docs/rules.md.
func TestBuildSupervisionHoldingLoadAndLimits(t *testing.T) {
	f := newFixture(t)
	// A looser limit takes Sam's stalled episode off the at-risk count.
	v := BuildSupervision(f.kim, []Worker{f.sam, f.ana}, f.referrals, f.episodes, f.journeys, fixtureAt,
		SupervisionOptions{Limits: holding.Limits{MaxStalledExtensions: 4}})
	assert.Equal(t, 0, v.Workers[0].AtRisk)
	assert.Equal(t, 0, v.AtRisk)

	// A worker without referrals, episodes, a journey or supervision still
	// gets a row.
	v = BuildSupervision(f.kim, []Worker{{ID: f.kim.ID}}, f.referrals, f.episodes, f.journeys, fixtureAt, SupervisionOptions{})
	require.Len(t, v.Workers, 1)
	assert.Equal(t, WorkerRow{
		Name: "link worker " + short(f.kim.ID.String()), Short: short(f.kim.ID.String()),
		HoldingLoad: "\u2013", Phase: "not recorded", Supervision: "not agreed",
	}, v.Workers[0])
}

// TestBuildSupervisionSUP_1_OverdueBoundary checks the page's view of rule SUP-1: a
// session is not overdue at the instant it falls due, and is one instant
// later; ended supervision is never overdue.
func TestBuildSupervisionSUP_1_OverdueBoundary(t *testing.T) {
	f := newFixture(t)
	due := day(2026, 10, 27)
	for _, c := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"an instant before due", due.Add(-time.Nanosecond), false},
		{"exactly due", due, false},
		{"an instant past due", due.Add(time.Nanosecond), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := BuildSupervision(f.kim, []Worker{f.sam}, nil, nil, nil, c.at, SupervisionOptions{Supervisions: f.supervisions})
			require.Len(t, v.Workers, 1)
			assert.Equal(t, c.want, v.Workers[0].SupervisionOverdue)
			assert.Equal(t, "every 28 days, next due 27 Oct 2026", v.Workers[0].Supervision)
		})
	}
	ended := f.supervisions[0]
	_, err := ended.End("moved to another team", day(2026, 10, 30))
	require.NoError(t, err)
	v := BuildSupervision(f.kim, []Worker{f.sam}, nil, nil, nil, fixtureAt, SupervisionOptions{Supervisions: []liminality.Supervision{ended}})
	assert.Equal(t, "ended 30 Oct 2026", v.Workers[0].Supervision)
	assert.False(t, v.Workers[0].SupervisionOverdue)
	assert.Equal(t, 0, v.SupervisionOverdue)
}

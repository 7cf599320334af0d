package pages

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/prescribing"
)

func TestBuildCaseloadListsTheWorkersOpenCasesOldestFirst(t *testing.T) {
	f := newFixture(t)
	v := f.caseload(false)

	type row struct {
		state    string
		daysOpen int
		holding  bool
	}
	var got []row
	for _, c := range v.Cases {
		got = append(got, row{c.State, c.DaysOpen, c.Holding})
		assert.Len(t, c.ReferralShort, 8)
		assert.Equal(t, c.Referral[:8], c.ReferralShort)
	}
	// Closed referrals and other workers' referrals are left out.
	assert.Equal(t, []row{
		{"in-support", 275, true}, // 2 Feb, held (at risk)
		{"on-hold", 247, true},    // 2 Mar, held (open endpoint)
		{"in-support", 177, true}, // 11 May, held (overdue)
		{"connected", 93, false},  // 3 Aug
		{"accepted", 16, false},   // 19 Oct
	}, got)
	assert.Equal(t, 5, v.Summary.OpenCases)
	assert.Equal(t, "Sam Okafor", v.Worker)
	assert.Equal(t, "4 Nov 2026", v.Date)

	steps := map[string]string{}
	for _, c := range v.Cases {
		steps[c.State] = c.NextStep
	}
	assert.Equal(t, "Make first contact", steps["accepted"])
	assert.Equal(t, "Follow up the connection, then close with the message back", steps["connected"])
	assert.Equal(t, f.holdReason, v.Cases[1].Note, "an on-hold case says why")
	assert.Empty(t, v.Cases[0].Note)
}

// TestBuildCaseloadFlagsOverdueAndAtRiskEpisodes checks the page's view of rule HOLD-4; the rule's own
// tests are the library's, listed in docs/rules.md.
func TestBuildCaseloadFlagsOverdueAndAtRiskEpisodes(t *testing.T) {
	f := newFixture(t)
	v := f.caseload(false)

	require.Len(t, v.Holding, 3, "ended episodes and other workers' episodes are left out")
	overdue, atRisk, open := v.Holding[0], v.Holding[1], v.Holding[2]

	assert.Equal(t, f.overdueEp.String(), overdue.Episode)
	assert.True(t, overdue.Overdue)
	assert.False(t, overdue.AtRisk)
	assert.Equal(t, []string{"Lack of community provision (social isolation)"}, overdue.Reasons)
	assert.Equal(t, "Connect to Riverside men's shed by 20 Oct 2026", overdue.Endpoint)
	assert.Equal(t, "20 Oct 2026", overdue.Due)

	assert.Equal(t, f.atRiskEp.String(), atRisk.Episode)
	assert.False(t, atRisk.Overdue)
	assert.True(t, atRisk.AtRisk, "four extensions in a row without readiness rising")
	assert.Equal(t, 4, atRisk.Extensions)
	assert.Equal(t, []string{"Waiting until ready", "Protecting healthcare staff"}, atRisk.Reasons)
	assert.Equal(t, "Readiness milestone by 6 Dec 2026", atRisk.Endpoint)

	assert.False(t, open.Overdue || open.AtRisk)
	assert.Equal(t, []string{"Problems that cannot be fixed"}, open.Reasons)
	assert.Equal(t, "Review whether to go on, open endpoint signed off by Kim Reid", open.Endpoint)
	assert.Equal(t, "15 Dec 2026", open.Due, "an open endpoint is due at its sign-off's review date")

	assert.Equal(t, HoldingCounts{OpenCases: 5, Holding: 3, Overdue: 1, AtRisk: 1}, v.Summary)

	// A stricter limit puts the episode at risk sooner; a looser one not at all.
	for _, c := range []struct {
		max  int
		want bool
	}{{3, true}, {4, false}, {5, false}} {
		v := BuildCaseload(f.sam, f.referrals, f.episodes, fixtureAt, CaseloadOptions{Limits: holding.Limits{MaxStalledExtensions: c.max}})
		got := false
		for _, h := range v.Holding {
			if h.Episode == f.atRiskEp.String() {
				got = h.AtRisk
			}
		}
		assert.Equal(t, c.want, got, "max stalled extensions %d", c.max)
	}
}

// TestBuildCaseloadOverdueBoundary checks the page's view of rule HOLD-4; the rule's own
// tests are the library's, listed in docs/rules.md.
func TestBuildCaseloadOverdueBoundary(t *testing.T) {
	f := newFixture(t)
	due := time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		at   time.Time
		want bool
	}{
		{due, false}, // at the endpoint the review is due, not late
		{due.Add(time.Nanosecond), true},
	} {
		v := BuildCaseload(f.sam, f.referrals, f.episodes, c.at, CaseloadOptions{})
		var late []string
		for _, o := range v.Overdue {
			late = append(late, o.Kind)
		}
		if c.want {
			assert.Equal(t, []string{"Holding review"}, late, "at %s", c.at)
			assert.True(t, v.Holding[0].Overdue)
		} else {
			assert.Empty(t, late, "at %s", c.at)
		}
	}
}

// TestBuildCaseloadListsFollowUpsPastDueAndNotDone checks the page's view of rule FOLLOW-1; the rule's own
// tests are the library's, listed in docs/rules.md.
func TestBuildCaseloadListsFollowUpsPastDueAndNotDone(t *testing.T) {
	f := newFixture(t)
	v := f.caseload(false)

	require.Len(t, v.Overdue, 2)
	assert.Equal(t, OverdueRow{
		Kind: "Follow-up", ReferralShort: short(f.connected.String()), Person: v.Overdue[0].Person,
		What: "Follow up the connection to Tuesday walking group: did they go, did it help",
		Due:  "1 Oct 2026", DaysLate: 34,
	}, v.Overdue[0], "the follow-up not done comes first, most late")
	assert.Equal(t, "Holding review", v.Overdue[1].Kind)
	assert.Equal(t, 15, v.Overdue[1].DaysLate)

	// The boundary: due at exactly the page's time is not yet overdue.
	due := day(2026, 10, 1)
	for _, c := range []struct {
		at   time.Time
		want int
	}{{due, 0}, {due.Add(time.Nanosecond), 1}} {
		v := BuildCaseload(f.sam, f.referrals, nil, c.at, CaseloadOptions{FollowUps: f.followUps})
		assert.Len(t, v.Overdue, c.want, "at %s", c.at)
	}

	// A follow-up of a referral that is not the worker's is not theirs to see.
	other := BuildCaseload(f.ana, f.referrals, nil, fixtureAt, CaseloadOptions{FollowUps: f.followUps})
	assert.Empty(t, other.Overdue)

	// The library's own follow-ups: the connection's falls due 28 days after
	// it; once recorded it leaves the list, and a referral closed since still
	// owes it.
	var connected *prescribing.Referral
	for i := range f.referrals {
		if f.referrals[i].ID() == f.connected {
			connected = &f.referrals[i]
		}
	}
	require.NotNil(t, connected)
	dues := connected.FollowUpsDue(prescribing.FollowUpRules{})
	require.Len(t, dues, 1)
	lib := BuildCaseload(f.sam, f.referrals, nil, fixtureAt, CaseloadOptions{FollowUps: dues})
	require.Len(t, lib.Overdue, 1)
	assert.Equal(t, date(dues[0].Due), lib.Overdue[0].Due)
	closed := *connected
	_, err := closed.Close(fixtureAt.Add(-time.Hour), prescribing.OutcomeConnectedAndBenefited)
	require.NoError(t, err)
	assert.Len(t, BuildCaseload(f.sam, []prescribing.Referral{closed}, nil, fixtureAt,
		CaseloadOptions{FollowUps: closed.FollowUpsDue(prescribing.FollowUpRules{})}).Overdue, 1, "closed, the follow-up is still owed")
	_, err = closed.RecordFollowUp(prescribing.FollowUp{Asset: f.walking, Attended: true, At: fixtureAt.Add(-time.Minute)})
	require.NoError(t, err)
	assert.Empty(t, BuildCaseload(f.sam, []prescribing.Referral{closed}, nil, fixtureAt,
		CaseloadOptions{FollowUps: closed.FollowUpsDue(prescribing.FollowUpRules{})}).Overdue, "done, it is no longer late")
}

// TestBuildCaseloadShowsNamesOnlyWhenAllowed checks the page's view of rule PRIV-1; the rule's own
// tests are the library's, listed in docs/rules.md.
func TestBuildCaseloadShowsNamesOnlyWhenAllowed(t *testing.T) {
	f := newFixture(t)

	hidden := f.caseload(false)
	for _, c := range hidden.Cases {
		assert.Empty(t, c.Person.Name)
		assert.Len(t, c.Person.Short, 8)
	}
	for _, h := range hidden.Holding {
		assert.Empty(t, h.Person.Name)
	}
	for _, o := range hidden.Overdue {
		assert.Empty(t, o.Person.Name)
	}

	shown := f.caseload(true)
	var names []string
	for _, c := range shown.Cases {
		names = append(names, c.Person.Name)
	}
	assert.Equal(t, []string{"Erin Example", "Dev Example", "Alice Example", "Chloe Example", "Bilal Example"}, names)
}

func TestBuildCaseloadSkipsZeroRecordsAndNamesUnknownAssetsByID(t *testing.T) {
	f := newFixture(t)
	v := BuildCaseload(f.sam, append([]prescribing.Referral{{}}, f.referrals...), append([]holding.Episode{{}}, f.episodes...), fixtureAt,
		CaseloadOptions{FollowUps: f.followUps})
	assert.Len(t, v.Cases, 5)
	assert.Len(t, v.Holding, 3)
	assert.Equal(t, "Connect to asset "+short(f.shed.String())+" by 20 Oct 2026", v.Holding[0].Endpoint)
	assert.Contains(t, v.Overdue[0].What, "asset "+short(f.walking.String()))

	empty := BuildCaseload(Worker{ID: f.sam.ID}, nil, nil, fixtureAt, CaseloadOptions{})
	assert.Equal(t, "link worker "+short(f.sam.ID.String()), empty.Worker, "a blank name falls back to the ID")
	assert.Empty(t, empty.Cases)
}

package simulation

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// calibration holds the figures of docs/model.md's Calibration table for a
// set of replications: the mean over replications of each ratio, and the
// steady-state figures with the replications' series pooled.
type calibration struct {
	rejected, declined, supported, contacts float64
	// waitingEarly and waitingLate are the mean of the series' waiting
	// list over the points with day <= 1/4 and >= 3/4 of the horizon.
	waitingEarly, waitingLate float64
	wait                      float64 // mean_wait_first_contact_days
	people                    float64 // people_per_worker_year, reported only
}

func measureCalibration(sc Scenario, res []Result) calibration {
	var c calibration
	var early, late, nEarly, nLate float64
	for _, r := range res {
		c.rejected += float64(r.RejectedInappropriate) / float64(r.Referrals)
		c.declined += float64(r.Declined) / float64(r.Declined+r.BriefInterventions+r.Supported)
		c.supported += float64(r.Supported) / float64(r.Referrals)
		c.contacts += r.MeanContactsSupported
		c.wait += r.MeanWaitFirstContact
		c.people += r.PeoplePerWorkerYear
		for _, p := range r.Series {
			if p.Day <= sc.HorizonDays/4 {
				early += float64(p.Waiting)
				nEarly++
			}
			if p.Day >= 3*sc.HorizonDays/4 {
				late += float64(p.Waiting)
				nLate++
			}
		}
	}
	n := float64(len(res))
	c.rejected, c.declined, c.supported, c.contacts, c.wait, c.people =
		c.rejected/n, c.declined/n, c.supported/n, c.contacts/n, c.wait/n, c.people/n
	c.waitingEarly, c.waitingLate = early/nEarly, late/nLate
	return c
}

// TestCalibrationTargets checks that region (20 replications; 4 with
// -short) and national (one replication; skipped with -short) reproduce
// the published figures of docs/model.md's Calibration table, and logs the
// measured figures: go test ./simulation -run Calibration -v.
func TestCalibrationTargets(t *testing.T) {
	runs := []struct {
		name         string
		replications int
	}{{"region", 20}, {"national", 1}}
	if testing.Short() {
		runs = runs[:1]
		runs[0].replications = 4
	}
	for _, run := range runs {
		sc, err := Embedded(run.name)
		require.NoError(t, err)
		res, err := Run(sc, Options{Seed: 1, Replications: run.replications, Series: true})
		require.NoError(t, err)
		c := measureCalibration(sc, res)
		t.Logf("%s, %d replication(s), seed 1:", run.name, run.replications)
		t.Logf("  rejected_inappropriate / referrals                        %.4f  (target 0.07-0.13)", c.rejected)
		t.Logf("  declined / (declined + brief_interventions + supported)   %.4f  (target 0.10-0.14)", c.declined)
		t.Logf("  supported / referrals                                     %.4f  (target 0.33-0.43)", c.supported)
		t.Logf("  mean_contacts_supported                                   %.3f  (target 6-12)", c.contacts)
		t.Logf("  waiting, mean over points day >= 3/4 horizon              %.3f  (target at most 1.25 x max(1, %.3f))", c.waitingLate, c.waitingEarly)
		t.Logf("  mean_wait_first_contact_days                              %.3f  (target at most 21)", c.wait)
		t.Logf("  people_per_worker_year (reported, guidance 200-250)       %.1f", c.people)
		assert.True(t, c.rejected >= 0.07 && c.rejected <= 0.13, "%s: rejected share %v", run.name, c.rejected)
		assert.True(t, c.declined >= 0.10 && c.declined <= 0.14, "%s: declined share %v", run.name, c.declined)
		assert.True(t, c.supported >= 0.33 && c.supported <= 0.43, "%s: supported share %v", run.name, c.supported)
		assert.True(t, c.contacts >= 6 && c.contacts <= 12, "%s: contacts %v", run.name, c.contacts)
		assert.LessOrEqual(t, c.waitingLate, 1.25*max(1, c.waitingEarly), "%s: steady state", run.name)
		assert.LessOrEqual(t, c.wait, 21.0, "%s: mean wait for first contact", run.name)
	}
}

package holding

import (
	"flag"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/require"
)

// goldenEvents returns one event of every type of this package, in the
// order of EventKinds, with fixed IDs and times: the values
// testdata/events_v1.jsonl must decode to.
func goldenEvents() []prescribing.Event {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(16, 1)))
	lw := prescribing.NewID[prescribing.LinkWorker](ids)
	at := func(day int) time.Time { return time.Date(2026, 3, day, 9, 30, 15, 123456789, time.UTC) }
	ep, ref, pat := prescribing.NewID[Episode](ids), prescribing.NewID[prescribing.Referral](ids), prescribing.NewID[prescribing.Patient](ids)
	asset := prescribing.NewID[prescribing.Asset](ids)
	return []prescribing.Event{
		Started{Episode: ep, Referral: ref, Patient: pat, LinkWorker: lw,
			Reasons: prescribing.SetOf(ReasonLackOfProvision, ReasonUnfixableProblems), Need: prescribing.NeedHousing, Awaited: asset,
			At: at(1), Endpoint: Endpoint{Plan: EndpointPlanReview, Open: true},
			SignOff: SignOff{Supervisor: "Priya Shah", At: at(1), ReviewBy: at(28)}},
		ReasonAdded{Episode: ep, Reason: ReasonAwaitingReadiness, At: at(2)},
		ReadinessReached{Episode: ep, At: at(3)},
		Reviewed{Episode: ep, At: at(4), Ratings: Ratings{Motivation: 6, Capacity: 4, Confidence: 7}, Decision: DecisionExtend,
			Endpoint: Endpoint{At: at(25), Plan: EndpointPlanConnect, Asset: asset}, Rationale: "a place opens at the end of the month"},
		EpisodeEnded{Episode: ep, At: at(26), Ending: EndingConnected, Asset: asset},
	}
}

var updateGolden = flag.Bool("update", false, "rewrite testdata/events_v1.jsonl from the expected events")

// TestEV_2_GoldenStoredFormOfEveryEventType pins the stored form of every
// event type of this package at version 1: each line of
// testdata/events_v1.jsonl decodes to the expected event and encodes back to
// the same bytes. A renamed field, type or value fails here before it
// strands stored histories; a new event type must add its line. Run with
// -update to write the file from goldenEvents after a deliberate change
// (which also needs a new schema version and an upcaster).
func TestEV_2_GoldenStoredFormOfEveryEventType(t *testing.T) {
	for _, k := range EventKinds() {
		require.Equal(t, 1, k.Version(), k.Type())
	}
	eventtest.StoredForms(t, codec(t), EventKinds(), goldenEvents(), filepath.Join("testdata", "events_v1.jsonl"), *updateGolden)
}

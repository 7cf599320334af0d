package embeddedness

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
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(16, 4)))
	lw := prescribing.NewID[prescribing.LinkWorker](ids)
	at := func(day int) time.Time { return time.Date(2026, 3, day, 9, 30, 15, 123456789, time.UTC) }
	prac := prescribing.NewID[prescribing.Practice](ids)
	return []prescribing.Event{
		RecordOpened{LinkWorker: lw, At: at(1)},
		Assessed{
			Assessment: Assessment{ID: prescribing.NewID[Assessment](ids), LinkWorker: lw, Practice: prac, On: at(2),
				Observations: []Observation{Met(IndicatorRoom, true), {Indicator: IndicatorSupervision, Score: 0.5}},
				Adjustments:  Adjustments{ByPractice: Adjustment{Kind: AdjustmentKindAccess, Description: "a room on Tuesdays"}}},
			Result: Result{Concepts: []ConceptScore{{Concept: ConceptInfrastructure, Score: 0.75, Observed: 2}},
				Overall: 0.75, Position: PositionFittingIn, CappedByAdjustment: true,
				HeldBack: []HeldBack{{Indicator: IndicatorSupervision, Concept: ConceptInfrastructure, Score: 0.5, Why: "supervision half met"}}},
		},
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

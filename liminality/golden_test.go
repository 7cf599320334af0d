package liminality

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
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(16, 2)))
	lw := prescribing.NewID[prescribing.LinkWorker](ids)
	sup, next := prescribing.NewID[Supervisor](ids), prescribing.NewID[Supervisor](ids)
	at := func(day int) time.Time { return time.Date(2026, 3, day, 9, 30, 15, 123456789, time.UTC) }
	return []prescribing.Event{
		Started{LinkWorker: lw, At: at(1)},
		PhaseChanged{LinkWorker: lw, From: PhaseIncorporated, To: PhaseLiminal, Disruption: DisruptionReferralSurge, At: at(2)},
		ThemeNoted{LinkWorker: lw, Theme: ThemeAmbiguity, At: at(3)},
		SupportRecorded{LinkWorker: lw, Support: RoleSupportSupervision, Themes: prescribing.SetOf(ThemeAmbiguity, ThemeDisconnection), At: at(4)},
		TrainingBegun{LinkWorker: lw, Curriculum: DefaultCurriculum()[:3], At: at(5)},
		TrainingCompleted{LinkWorker: lw, Area: "safeguarding", At: at(6)},
		SupervisionAgreed{LinkWorker: lw, Supervisor: sup, EveryDays: 28, At: at(7)},
		SupervisionSessionHeld{LinkWorker: lw, Supervisor: sup, At: at(8)},
		SupervisionChanged{LinkWorker: lw, From: sup, To: next, EveryDays: 14, At: at(9)},
		SupervisionEnded{LinkWorker: lw, Supervisor: next, Reason: "moved to another service", At: at(10)},
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

package liminality_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Example follows two link workers who start on the same day: one stays
// stuck in liminality, the other passes through with supervision and peer
// support.
func Example() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(9, 9)))
	start := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	month := func(m int) time.Time { return start.AddDate(0, m, 0) }
	must := func(_ any, err error) {
		if err != nil {
			panic(err)
		}
	}

	stuck, _, _ := liminality.Begin(prescribing.NewID[prescribing.LinkWorker](ids), start)
	must(stuck.EnterLiminal(start))
	must(stuck.NoteTheme(liminality.Disconnection, month(1)))
	must(stuck.NoteTheme(liminality.Ambiguity, month(2)))
	must(stuck.RecordSupport(liminality.ManagerSupport, prescribing.SetOf(liminality.Disconnection), month(3)))
	_, err := stuck.Incorporate(month(4))
	fmt.Println("stuck:", err)
	fmt.Println("stuck, still missing:", stuck.Missing(), "- prolonged at 8 months:", stuck.Prolonged(month(8), liminality.Threshold{}))

	through, _, _ := liminality.Begin(prescribing.NewID[prescribing.LinkWorker](ids), start)
	must(through.EnterLiminal(start))
	must(through.NoteTheme(liminality.Ambiguity, month(1)))
	must(through.NoteTheme(liminality.Misalignment, month(1)))
	must(through.RecordSupport(liminality.Supervision, prescribing.SetOf(liminality.Ambiguity), month(2)))
	must(through.RecordSupport(liminality.PeerSupport, prescribing.SetOf(liminality.Misalignment), month(2)))
	must(through.Incorporate(month(3)))
	phase, since := through.Phase()
	fmt.Println("through:", phase, "on", since.Format("2 Jan 2006"), "after", through.LiminalTime(month(8)).Hours()/24, "days liminal")

	view := liminality.Cohort([]liminality.Journey{stuck, through}, month(8), liminality.Threshold{})
	fmt.Printf("cohort: %d liminal, %d incorporated, %.0f%% prolonged\n",
		view.ByPhase[liminality.Liminal], view.ByPhase[liminality.Incorporated], 100*view.ProlongedShare)
	// Output:
	// stuck: journey of e58b7bb1-ff5b-4e3a-8c1e-d80bb07126fb: themes of liminality not addressed: no support against ambiguity (LIM-2)
	// stuck, still missing: ambiguity - prolonged at 8 months: true
	// through: incorporated on 1 Dec 2025 after 91 days liminal
	// cohort: 1 liminal, 1 incorporated, 50% prolonged
}

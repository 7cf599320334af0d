package liminality_test

import (
	"errors"
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
	must(stuck.NoteTheme(liminality.ThemeDisconnection, month(1)))
	must(stuck.NoteTheme(liminality.ThemeAmbiguity, month(2)))
	must(stuck.RecordSupport(liminality.RoleSupportManager, prescribing.SetOf(liminality.ThemeDisconnection), month(3)))
	_, err := stuck.Incorporate(month(4))
	fmt.Println("stuck:", err)
	fmt.Println("stuck, still missing:", stuck.Missing(), "- prolonged at 8 months:", stuck.Prolonged(month(8), liminality.Threshold{}))

	through, _, _ := liminality.Begin(prescribing.NewID[prescribing.LinkWorker](ids), start)
	must(through.EnterLiminal(start))
	must(through.NoteTheme(liminality.ThemeAmbiguity, month(1)))
	must(through.NoteTheme(liminality.ThemeMisalignment, month(1)))
	must(through.RecordSupport(liminality.RoleSupportSupervision, prescribing.SetOf(liminality.ThemeAmbiguity), month(2)))
	must(through.RecordSupport(liminality.RoleSupportPeer, prescribing.SetOf(liminality.ThemeMisalignment), month(2)))
	must(through.Incorporate(month(3)))
	phase, since := through.Phase()
	fmt.Println("through:", phase, "on", since.Format("2 Jan 2006"), "after", through.LiminalTime(month(8)).Hours()/24, "days liminal")

	view := liminality.Cohort([]liminality.Journey{stuck, through}, month(8), liminality.Threshold{})
	fmt.Printf("cohort: %d liminal, %d incorporated, %.0f%% prolonged\n",
		view.ByPhase[liminality.PhaseLiminal], view.ByPhase[liminality.PhaseIncorporated], 100*view.ProlongedShare)
	// Output:
	// stuck: journey of e58b7bb1-ff5b-4e3a-8c1e-d80bb07126fb: themes of liminality not addressed: no support against ambiguity (LIM-2)
	// stuck, still missing: ambiguity - prolonged at 8 months: true
	// through: incorporated on 1 Dec 2025 after 91 days liminal
	// cohort: 1 liminal, 1 incorporated, 50% prolonged
}

// ExampleBeginTraining records a link worker's training against the default
// curriculum, rebuilds the record from its stored events, and shows that an
// area outside the curriculum is refused.
func ExampleBeginTraining() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(3, 3)))
	lw := prescribing.NewID[prescribing.LinkWorker](ids)
	start := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)

	r, begun, err := liminality.BeginTraining(lw, nil, start)
	if err != nil {
		panic(err)
	}
	events := []prescribing.Event{begun}
	for i, area := range []string{"safeguarding", "data_protection", "confidentiality"} {
		e, err := r.Complete(area, start.AddDate(0, 0, 7*(i+1)))
		if err != nil {
			panic(err)
		}
		events = append(events, e)
	}
	_, err = r.Complete("safegaurding", start.AddDate(0, 1, 0))
	fmt.Println(errors.Is(err, liminality.ErrUnknownArea))

	c := r.Coverage()
	fmt.Printf("has %d of %d areas (%.0f%%); first lacking: %s\n", len(c.Has), len(c.Has)+len(c.Lacks), 100*c.Share, c.Lacks[0].Description)

	var rebuilt liminality.TrainingRecord
	if err := prescribing.Replay(&rebuilt, events); err != nil {
		panic(err)
	}
	fmt.Println("rebuilt:", len(rebuilt.Completed()), "areas completed")
	// Output:
	// true
	// has 3 of 11 areas (27%); first lacking: IT and computer systems
	// rebuilt: 3 areas completed
}

// ExampleCalibrate builds the model of having thought about leaving from
// the published odds ratios and calibrates its intercept to the 2020
// national survey's 29% over a cohort. That base rate is of another
// population and period than the outcome, which the model says (LIM-6).
func ExampleCalibrate() {
	cohort := []liminality.Covariates{
		{Gap: 10, SelfEfficacy: 40}, {Gap: 25, SelfEfficacy: 35}, {Gap: 40, SelfEfficacy: 30}, {Gap: 55, SelfEfficacy: 25},
	}
	m, err := liminality.Calibrate(liminality.NewModel(liminality.IntentionThoughtAboutLeaving), cohort, liminality.NALW2020())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: mean %.2f; gap 10 -> %.2f, gap 55 -> %.2f\n", m.Intention,
		m.MeanProbability(cohort), m.Probability(cohort[0]), m.Probability(cohort[3]))
	fmt.Printf("odds ratio per %.0f units of gap: %.2f\n", liminality.GapThought().PerUnits, liminality.GapThought().OddsRatio)
	fmt.Printf("calibrated to %g: %s, %s\n", m.CalibratedTo.Rate, m.CalibratedTo.Population, m.CalibratedTo.Period)
	// Output:
	// thought_about_leaving: mean 0.29; gap 10 -> 0.04, gap 55 -> 0.65
	// odds ratio per 30 units of gap: 6.86
	// calibrated to 0.29: link workers in England, NALW national survey 2020, considering leaving within a year
}

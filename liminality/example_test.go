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
	// calibrated to 0.29: link workers in the NALW national survey 2020, considering leaving within a year
}

// ExampleAgreeSupervision follows a link worker's supervision as a
// relationship: agreed every four weeks, a session held, a change of
// supervisor, and a session overdue just after its due instant (SUP-1).
func ExampleAgreeSupervision() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(20, 10)))
	worker := prescribing.NewID[prescribing.LinkWorker](ids)
	manager, senior := prescribing.NewID[liminality.Supervisor](ids), prescribing.NewID[liminality.Supervisor](ids)
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)

	s, _, err := liminality.AgreeSupervision(worker, manager, 28, start)
	if err != nil {
		panic(err)
	}
	if _, err := s.HoldSession(manager, start.AddDate(0, 0, 27)); err != nil {
		panic(err)
	}
	if _, err := s.Change(senior, 28, start.AddDate(0, 0, 30)); err != nil {
		panic(err)
	}
	_, err = s.HoldSession(manager, start.AddDate(0, 0, 31))
	fmt.Println("the former supervisor:", errors.Is(err, liminality.ErrNotSupervisor))
	due := s.Due()
	fmt.Println("next due:", due.Format("2 Jan 2006 15:04"))
	fmt.Println("overdue at the due instant:", s.Overdue(due))
	fmt.Println("overdue a second later:", s.Overdue(due.Add(time.Second)), s.OverdueBy(due.Add(time.Second)))
	fmt.Println(s.Sessions(), "session held;", s)
	// Output:
	// the former supervisor: true
	// next due: 1 Mar 2026 10:00
	// overdue at the due instant: false
	// overdue a second later: true 1s
	// 1 session held; supervision of 11962924-89a3-4063-86ef-c8b970186bc5 (ongoing)
}

// ExampleOverviewOf gives a supervisor this package's part of the report on
// one link worker: still liminal after seven months (prolonged), a theme
// without support, training lacking and supervision overdue (SUP-1).
// Prolonged liminality is its own flag: the intention-to-leave model has no
// liminality covariate (LIM-6).
func ExampleOverviewOf() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(20, 11)))
	worker := prescribing.NewID[prescribing.LinkWorker](ids)
	start := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	must := func(_ any, err error) {
		if err != nil {
			panic(err)
		}
	}
	j, _, err := liminality.Begin(worker, start)
	must(nil, err)
	must(j.EnterLiminal(start))
	must(j.NoteTheme(liminality.ThemeAmbiguity, start.AddDate(0, 1, 0)))
	must(j.NoteTheme(liminality.ThemeDisconnection, start.AddDate(0, 1, 0)))
	must(j.RecordSupport(liminality.RoleSupportPeer, prescribing.SetOf(liminality.ThemeAmbiguity), start.AddDate(0, 2, 0)))
	tr, _, err := liminality.BeginTraining(worker, nil, start)
	must(nil, err)
	for _, area := range []string{"it_systems", "safeguarding", "confidentiality", "who_is_who"} {
		must(tr.Complete(area, start.AddDate(0, 1, 0)))
	}
	s, _, err := liminality.AgreeSupervision(worker, prescribing.NewID[liminality.Supervisor](ids), 28, start)
	must(nil, err)
	must(s.HoldSession(s.Supervisor(), start.AddDate(0, 3, 0)))

	o, err := liminality.OverviewOf(worker, &j, &tr, &s, start.AddDate(0, 7, 0), liminality.Threshold{})
	must(nil, err)
	fmt.Printf("%s since %s, prolonged: %t (%.0f days liminal)\n", o.Phase, o.PhaseSince.Format("Jan 2006"), o.Prolonged, o.LiminalDays)
	fmt.Println("themes present:", o.Present, "- without support:", o.Missing)
	fmt.Printf("training: %.0f%%, lacking %d areas, first %s\n", 100*o.TrainingShare, len(o.TrainingLacks), o.TrainingLacks[0])
	fmt.Printf("supervision every %d days, %d session, due %s, overdue: %t\n", o.EveryDays, o.Sessions, o.Due.Format("2 Jan 2006"), o.Overdue)
	// Output:
	// liminal since Sep 2025, prolonged: true (212 days liminal)
	// themes present: disconnection, ambiguity - without support: disconnection
	// training: 36%, lacking 7 areas, first medical_records
	// supervision every 28 days, 1 session, due 29 Dec 2025, overdue: true
}

// ExampleModel_Provenance shows what an estimate of intention to leave
// rests on: adjusted odds ratios of a multivariable model, the outcome's
// period, and a base rate of another population and period (LIM-6).
// Covariates outside their range are errors.
func ExampleModel_Provenance() {
	cohort := []liminality.Covariates{{Gap: 10, SelfEfficacy: 80}, {Gap: 35, SelfEfficacy: 60}, {Gap: 60, SelfEfficacy: 45}}
	m, err := liminality.Calibrate(liminality.NewModel(liminality.IntentionPlanningToLeave), cohort, liminality.NALW2020())
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Provenance())
	p, err := m.Estimate(liminality.Covariates{Gap: 45, SelfEfficacy: 50})
	fmt.Printf("gap 45: %.2f %v\n", p, err)
	_, err = m.Estimate(liminality.Covariates{Gap: 130, SelfEfficacy: 50})
	fmt.Println(errors.Is(err, liminality.ErrCovariateOutOfRange), err)
	// Output:
	// Outcome: planning_to_leave in the next 6 months. Slopes: adjusted odds ratios from a multivariable logistic model of 342 link workers surveyed at the end of 2023 (Tierney, Moore et al., BJGP Open 2025): job discrepancy per 30 points; the model's other covariates are not included. Intercept: calibrated to 0.29 of link workers in the NALW national survey 2020, considering leaving within a year; that population and period differ from the outcome's, so the estimate is an approximation. No liminality covariate: prolonged liminality is reported as a separate flag.
	// gap 45: 0.35 <nil>
	// true covariate outside its range: the gap 130 is outside 0 to 100 (LIM-6)
}

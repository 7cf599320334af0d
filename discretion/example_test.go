package discretion_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/discretion"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Example compares two sites' policies and checks the same act against
// both.
func Example() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(2, 7)))
	at := time.Date(2026, 3, 9, 17, 30, 0, 0, time.UTC)
	adopt := func(site string, levels map[discretion.Aspect]discretion.Level) discretion.Policy {
		p, _, err := discretion.AdoptPolicy(prescribing.NewID[discretion.Policy](ids), site, levels, at)
		if err != nil {
			panic(err)
		}
		return p
	}
	millLane := adopt("Mill Lane", map[discretion.Aspect]discretion.Level{
		discretion.AspectOutOfHours:    discretion.LevelFixedRule,
		discretion.AspectPracticalHelp: discretion.LevelGuided,
	})
	riverside := adopt("Riverside", map[discretion.Aspect]discretion.Level{
		discretion.AspectOutOfHours:    discretion.LevelDiscretionary,
		discretion.AspectPracticalHelp: discretion.LevelDiscretionary,
	})
	for _, d := range discretion.Compare(&millLane, &riverside) {
		fmt.Printf("%s: %s vs %s (%+d)\n", d.Aspect, d.A, d.B, d.Steps)
	}

	// A link worker takes a call after hours to calm someone before a
	// hearing: recorded whatever either policy says.
	worker := prescribing.NewID[prescribing.LinkWorker](ids)
	log, _, err := discretion.OpenLog(worker, at)
	if err != nil {
		panic(err)
	}
	rec, err := log.Record(discretion.Act{
		ID: prescribing.NewID[discretion.Act](ids), LinkWorker: worker,
		At: at, Aspect: discretion.AspectOutOfHours, Counterpart: discretion.CounterpartPatient,
		Patient: prescribing.NewID[prescribing.Patient](ids),
		What:    "took a call after hours before a housing hearing", Motive: discretion.MotivePatientBenefit,
		Level: discretion.LevelDiscretionary,
	})
	if err != nil {
		panic(err)
	}
	for _, p := range []*discretion.Policy{&millLane, &riverside} {
		c := discretion.CheckAct(p, rec.Act)
		fmt.Printf("%s: %s\n", c.Verdict, c.Reason)
	}
	// Output:
	// out_of_hours_contact: fixed_rule vs discretionary (+3)
	// practical_help: guided vs discretionary (+1)
	// beyond: out_of_hours_contact at Mill Lane is fixed_rule; the act was discretionary, beyond it by 3 steps
	// at_boundary: out_of_hours_contact at Riverside is discretionary; the act was discretionary too, at the boundary
}

// ExampleEquity asks whether discretionary extras concentrate in one group
// of a caseload (rule DISC-5).
func ExampleEquity() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(4, 4)))
	worker := prescribing.NewID[prescribing.LinkWorker](ids)
	at := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	groups := map[prescribing.PatientID]string{}
	var people []prescribing.PatientID
	for i := range 4 {
		p := prescribing.NewID[prescribing.Patient](ids)
		groups[p] = []string{"high complexity", "low complexity"}[i%2]
		people = append(people, p)
	}
	log, _, err := discretion.OpenLog(worker, at)
	if err != nil {
		panic(err)
	}
	for i, p := range []prescribing.PatientID{people[1], people[1], people[3], people[3], people[3], people[0]} {
		_, err := log.Record(discretion.Act{
			ID: prescribing.NewID[discretion.Act](ids), LinkWorker: worker, At: at.Add(time.Duration(i) * time.Hour),
			Aspect: discretion.AspectAccompanying, Counterpart: discretion.CounterpartPatient, Patient: p,
			What: "went with them to a first session", Motive: discretion.MotivePatientBenefit, Level: discretion.LevelDiscretionary,
		})
		if err != nil {
			panic(err)
		}
	}
	rep, err := discretion.Equity(log.Acts(), groups, 0)
	if err != nil {
		panic(err)
	}
	for _, g := range rep.Groups {
		fmt.Printf("%s: %d acts for %d people, ratio %.2f, over %t, under %t\n", g.Group, g.Acts, g.People, g.Ratio, g.Over, g.Under)
	}
	_, err = discretion.Equity(log.Acts(), groups, math.NaN())
	fmt.Println(errors.Is(err, discretion.ErrInvalidEquity), errors.Is(err, prescribing.ErrNotFinite))
	// Output:
	// high complexity: 1 acts for 2 people, ratio 0.33, over false, under true
	// low complexity: 5 acts for 2 people, ratio 1.67, over true, under false
	// true true
}

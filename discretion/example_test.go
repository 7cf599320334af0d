package discretion_test

import (
	"fmt"
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
		discretion.AspectOutOfHours:    discretion.FixedRule,
		discretion.AspectPracticalHelp: discretion.Guided,
	})
	riverside := adopt("Riverside", map[discretion.Aspect]discretion.Level{
		discretion.AspectOutOfHours:    discretion.Discretionary,
		discretion.AspectPracticalHelp: discretion.Discretionary,
	})
	for _, d := range discretion.Compare(&millLane, &riverside) {
		fmt.Printf("%s: %s vs %s (%+d)\n", d.Aspect, d.A, d.B, d.Steps)
	}

	// A link worker takes a call after hours to calm someone before a
	// hearing: recorded whatever either policy says.
	var log discretion.Log
	rec, err := log.Record(discretion.Act{
		ID: prescribing.NewID[discretion.Act](ids), LinkWorker: prescribing.NewID[prescribing.LinkWorker](ids),
		At: at, Aspect: discretion.AspectOutOfHours, Counterpart: discretion.WithPatient,
		Patient: prescribing.NewID[prescribing.Patient](ids),
		What:    "took a call after hours before a housing hearing", Motive: discretion.PatientBenefit,
		Level: discretion.Discretionary,
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

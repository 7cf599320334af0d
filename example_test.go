package linkwork_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Example_tour is the code sample of README.md; TestREADMESampleIsTheTourExample
// keeps the two the same.
func Example_tour() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(1, 2))) // or prescribing.RandomIDs()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	r, _, err := prescribing.ReceiveReferral(prescribing.NewReferral{
		ID:      prescribing.NewID[prescribing.Referral](ids),
		Patient: prescribing.NewID[prescribing.Patient](ids),
		Source:  prescribing.SourceGP,
		Needs:   []prescribing.Need{prescribing.NeedSocialIsolation},
	}, at)
	if err != nil {
		panic(err)
	}
	if _, err := r.Accept(at.Add(24*time.Hour), prescribing.NewID[prescribing.LinkWorker](ids)); err != nil {
		panic(err)
	}
	// Closing straight from accepted is not in the lifecycle: an error names why.
	_, err = r.Close(at.Add(48*time.Hour), prescribing.OutcomeOther)
	fmt.Println(err != nil, r.State(), r.State().TaskStatus())
	// Output:
	// true accepted accepted
}

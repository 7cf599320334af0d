package embeddedness_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/embeddedness"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Example assesses one link worker at two practices on the same day: bolted
// on at one, belonging at the other, and says why.
func Example() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(3, 1)))
	worker := prescribing.NewID[prescribing.LinkWorker](ids)
	millLane, riverside := prescribing.NewID[prescribing.Practice](ids), prescribing.NewID[prescribing.Practice](ids)
	on := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	fw := embeddedness.DefaultFramework()
	record, _, err := embeddedness.OpenRecord(worker, on)
	if err != nil {
		panic(err)
	}

	// Mill Lane: no system access, no room, not in meetings; a fifth of its
	// referrals were outside the role.
	millLaneShare := embeddedness.ReferralShare{Practice: millLane, Referrals: 40, Inappropriate: 8, Share: 0.2}
	referrals, err := millLaneShare.Observation(embeddedness.DefaultReferralScale())
	if err != nil {
		panic(err)
	}
	boltedOn, err := record.Assess(fw, embeddedness.Assessment{
		ID: prescribing.NewID[embeddedness.Assessment](ids), LinkWorker: worker, Practice: millLane, On: on,
		Observations: []embeddedness.Observation{
			embeddedness.Met(embeddedness.IndicatorClinicalSystem, false),
			embeddedness.Met(embeddedness.IndicatorRoom, false),
			embeddedness.Met(embeddedness.IndicatorTeamMeetings, false),
			embeddedness.Met(embeddedness.IndicatorStaffKnowRole, false),
			embeddedness.Met(embeddedness.IndicatorFeedbackShown, true),
			referrals,
		},
	})
	if err != nil {
		panic(err)
	}

	// Riverside: everything in place, and both sides changed something.
	var inPlace []embeddedness.Observation
	for _, in := range fw.Indicators() {
		inPlace = append(inPlace, embeddedness.Met(in.Key, true))
	}
	belonging, err := record.Assess(fw, embeddedness.Assessment{
		ID: prescribing.NewID[embeddedness.Assessment](ids), LinkWorker: worker, Practice: riverside, On: on,
		Observations: inPlace,
		Adjustments: embeddedness.Adjustments{
			ByPractice: embeddedness.Adjustment{Kind: embeddedness.AdjustmentKindTeamInclusion,
				Description: "added the link worker to the Tuesday clinical meeting"},
			ByLinkWorker: embeddedness.Adjustment{Kind: embeddedness.AdjustmentKindWorkingPattern,
				Description: "runs a drop-in alongside the diabetes clinic"},
		},
	})
	if err != nil {
		panic(err)
	}

	fmt.Println("Mill Lane:", boltedOn.Result.Explain())
	fmt.Println("Riverside:", belonging.Result.Explain())
	fmt.Println("positions:", len(record.Positions()))
	// Output:
	// Mill Lane: bolted_on (0.25): held back by appropriate_referrals 0, clinical_system_access 0, room 0, staff_know_role 0, team_meetings 0
	// Riverside: belonging (1.00): nothing held back
	// positions: 2
}

// ExampleAdjustment_Validate shows what counts as evidence of adjustment
// (rule EMB-3): a kind and a description that says what changed. A
// placeholder is refused; a side with nothing to show is left empty.
func ExampleAdjustment_Validate() {
	for _, a := range []embeddedness.Adjustment{
		{Kind: embeddedness.AdjustmentKindAccess, Description: "a room on Tuesdays and access to the clinical system"},
		{Kind: embeddedness.AdjustmentKindOther, Description: "n/a"},
		{Description: "moved the clinic to Thursdays"},
		{},
	} {
		if err := a.Validate(); err != nil {
			fmt.Println("refused:", errors.Is(err, embeddedness.ErrInvalidAdjustment))
			continue
		}
		fmt.Println("evidence:", !a.IsZero())
	}
	// Output:
	// evidence: true
	// refused: true
	// refused: true
	// evidence: false
}

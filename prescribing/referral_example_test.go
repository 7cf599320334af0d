package prescribing_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// A referral closes with its outcome and the measures taken before and
// after support, each naming its instrument; the message back to the GP
// reports them (REF-4). A score the instrument cannot give is refused, with
// no event.
func ExampleReferral_Close() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(6, 6)))
	day := func(d int) time.Time { return time.Date(2026, 3, 1+d, 9, 0, 0, 0, time.UTC) }
	walk := prescribing.CommunitySupport{Need: prescribing.NeedSocialIsolation, Asset: prescribing.NewID[prescribing.Asset](ids),
		Name: "Tuesday walking group"}
	r, _, _ := prescribing.ReceiveReferral(prescribing.NewReferral{
		ID: prescribing.NewID[prescribing.Referral](ids), Patient: prescribing.NewID[prescribing.Patient](ids),
		Source: prescribing.SourceGP, Referrer: "Dr Patel", Needs: []prescribing.Need{prescribing.NeedSocialIsolation},
	}, day(0))
	must := func(_ prescribing.ReferralTransitioned, err error) {
		if err != nil {
			panic(err)
		}
	}
	must(r.Accept(day(1), prescribing.NewID[prescribing.LinkWorker](ids)))
	must(r.RecordFirstContact(day(2)))
	must(r.StartSupport(day(3), prescribing.SupportPlan{Offered: []prescribing.CommunitySupport{walk}}))
	must(r.Connect(day(10), walk))

	e, err := r.Close(day(90), prescribing.OutcomeConnectedAndBenefited,
		prescribing.MeasureChange{Instrument: prescribing.InstrumentSWEMWBS,
			Before: prescribing.ScoreOf(-400), After: prescribing.ScoreOf(999)})
	fmt.Println(errors.Is(err, prescribing.ErrOutOfRange), e.To == 0, r.State())

	_, err = r.Close(day(90), prescribing.OutcomeConnectedAndBenefited,
		prescribing.MeasureChange{Instrument: prescribing.InstrumentSWEMWBS,
			Before: prescribing.ScoreOf(17.43), After: prescribing.ScoreOf(21.54)},
		prescribing.MeasureChange{Instrument: prescribing.InstrumentONS4, Item: prescribing.ONS4ItemAnxiety,
			Before: prescribing.ScoreOf(8), After: prescribing.ScoreOf(4)})
	if err != nil {
		panic(err)
	}
	msg, _ := r.ClosureMessage()
	for _, m := range msg.Measures {
		name := m.Instrument.String()
		if m.Item != 0 {
			name += " " + m.Item.String()
		}
		d, _ := m.Change()
		fmt.Printf("%s: %s -> %s (%+.2f)\n", name, m.Before, m.After, d)
	}
	// Output:
	// true true connected
	// swemwbs: 17.43 -> 21.54 (+4.11)
	// ons4 anxiety: 8 -> 4 (-4.00)
}

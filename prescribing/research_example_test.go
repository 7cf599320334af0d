package prescribing_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// researchReferral is a re-referral connected to a walking group, with its
// asset and consents, for the examples of issue 20's rules.
func researchReferral() (prescribing.Referral, prescribing.Referral, prescribing.Consents, prescribing.CommunitySupport, func(int) time.Time) {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(20, 20)))
	day := func(d int) time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	pat := prescribing.NewID[prescribing.Patient](ids)
	earlier, _, _ := prescribing.ReceiveReferral(prescribing.NewReferral{ID: prescribing.NewID[prescribing.Referral](ids),
		Patient: pat, Source: prescribing.SourceGP}, day(-400))
	r, _, err := prescribing.ReceiveReferral(prescribing.NewReferral{ID: prescribing.NewID[prescribing.Referral](ids),
		Patient: pat, Source: prescribing.SourceGP, Referrer: "Dr Patel", Needs: []prescribing.Need{prescribing.NeedSocialIsolation}}, day(0))
	check(err)
	consents, _, err := prescribing.OpenConsents(pat, day(0))
	check(err)
	walk := prescribing.CommunitySupport{Need: prescribing.NeedSocialIsolation, Asset: prescribing.NewID[prescribing.Asset](ids),
		Name: "Tuesday walking group"}
	_, err = r.LinkEarlier(day(0), earlier)
	check(err)
	_, err = r.AssessComplexity(day(0), prescribing.ComplexityModerate)
	check(err)
	_, err = r.Accept(day(1), prescribing.NewID[prescribing.LinkWorker](ids))
	check(err)
	_, err = r.RecordFirstContact(day(2))
	check(err)
	_, err = r.RecordBuyIn(day(2), prescribing.BuyIn{Understanding: prescribing.RoleUnderstandingPartial, Expected: "someone to talk to"})
	check(err)
	_, err = r.StartSupport(day(2), prescribing.SupportPlan{Offered: []prescribing.CommunitySupport{walk}})
	check(err)
	return r, earlier, consents, walk, day
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}

// A step the person takes after a contact is recorded with the contact that
// prompted it, or none; a link worker's anchor report gives the share of
// their people who took a step (ANCHOR-1).
func ExampleAnchor() {
	r, _, _, _, day := researchReferral()
	contact := prescribing.Contact{ID: prescribing.NewID[prescribing.Contact](prescribing.SeededIDs(rand.New(rand.NewPCG(1, 1)))),
		At: day(5), Mode: prescribing.ContactModeTelephone, Minutes: 30, Attended: true}
	_, err := r.RecordContact(contact, prescribing.ContactRules{})
	check(err)
	_, err = r.RecordStep(prescribing.Step{Kind: prescribing.StepKindJoinedActivity, What: "went to the walk once",
		PromptedBy: contact.ID, At: day(9)})
	check(err)
	rep := prescribing.Anchor(r.LinkWorker(), []prescribing.Referral{r})
	fmt.Printf("%d of %d took a step (%.0f%%), %d unprompted\n", rep.TookStep, rep.People, 100*rep.Share, rep.Unprompted)
	// Output:
	// 1 of 1 took a step (100%), 0 unprompted
}

// Each connection is followed up 28 days later by default; one not done by
// then is overdue, and the message back carries what follow-ups found
// (FOLLOW-1).
func ExampleOverdueFollowUps() {
	r, _, _, walk, day := researchReferral()
	_, err := r.Connect(day(10), walk)
	check(err)
	for _, d := range []int{38, 39} {
		overdue, err := prescribing.OverdueFollowUps(day(d), prescribing.FollowUpRules{}, []prescribing.Referral{r})
		check(err)
		fmt.Printf("day %d: %d overdue\n", d, len(overdue))
	}
	_, err = r.RecordFollowUp(prescribing.FollowUp{Asset: walk.Asset, Attended: true, Helped: true,
		Feedback: "comes most weeks", At: day(40)})
	check(err)
	_, err = r.Close(day(41), prescribing.OutcomeConnectedAndBenefited)
	check(err)
	msg, _ := r.ClosureMessage()
	f := msg.FollowUps[0]
	fmt.Println(f.Attended, f.Helped, f.Feedback)
	// Output:
	// day 38: 0 overdue
	// day 39: 1 overdue
	// true true comes most weeks
}

// A re-referral, contacts after connection and unprompted steps give the
// dependency indicator (C + R) / (C + R + U) (DEP-1).
func ExampleDependencies() {
	r, _, _, walk, day := researchReferral()
	_, err := r.Connect(day(10), walk)
	check(err)
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(2, 2)))
	for _, d := range []int{20, 30} {
		_, err = r.RecordContact(prescribing.Contact{ID: prescribing.NewID[prescribing.Contact](ids), At: day(d),
			Mode: prescribing.ContactModePractice, Minutes: 20, Attended: true}, prescribing.ContactRules{})
		check(err)
	}
	_, err = r.RecordStep(prescribing.Step{Kind: prescribing.StepKindReconnected, What: "called an old friend", At: day(31)})
	check(err)
	rep, err := prescribing.Dependencies(r.LinkWorker(), []prescribing.Referral{r}, 0)
	check(err)
	d := rep.People[0].Dependency
	fmt.Printf("C=%d R=%d U=%d indicator %.2f flagged %v\n", d.AfterConnection, d.ReReferrals, d.Unprompted, d.Indicator, d.Flagged)
	// Output:
	// C=2 R=1 U=1 indicator 0.75 flagged true
}

// Connecting shares the person's details with each asset, so it needs
// their consent (CONS-2, CONS-1); without consent to share with the GP
// record the message back is sent with codes only.
func ExampleReferral_ConnectSharing() {
	r, _, consents, walk, day := researchReferral()
	_, _, err := r.ConnectSharing(&consents, day(10), walk)
	fmt.Println(errors.Is(err, prescribing.ErrNoConsent), r.State())

	_, err = consents.Give(prescribing.ConsentScopeShareWithAsset, walk.Asset, day(10))
	check(err)
	_, shared, err := r.ConnectSharing(&consents, day(10), walk)
	check(err)
	fmt.Println(len(shared), r.State())

	_, err = r.Close(day(60), prescribing.OutcomeConnectedAndBenefited)
	check(err)
	msg, _ := r.ClosureMessage()
	gp, err := msg.ForGPRecord(&consents, day(60))
	check(err)
	fmt.Println(gp.CodesOnly, gp.Referrer == "", gp.TakenUp[0].Need)
	// Output:
	// true in-support
	// 1 connected
	// true true social_isolation
}

// The caseload report weighs people by the complexity of their needs
// (CPLX-1) and counts contacts made in a mode the person did not prefer
// (PREF-1).
func ExampleCaseloadWith() {
	r, _, consents, _, day := researchReferral()
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(3, 3)))
	// A contact by text needs consent to text (CONS-2).
	_, err := consents.Give(prescribing.ConsentScopeContactByText, prescribing.AssetID{}, day(1))
	check(err)
	var contacts []prescribing.ContactRecorded
	for i, m := range []prescribing.ContactMode{prescribing.ContactModeTelephone, prescribing.ContactModeMessage} {
		e, err := r.RecordContactWithConsent(prescribing.Contact{ID: prescribing.NewID[prescribing.Contact](ids), At: day(3 + i),
			Mode: m, Minutes: 15, Attended: true}, prescribing.ContactRules{}, &consents)
		check(err)
		contacts = append(contacts, e)
	}
	rep, err := prescribing.CaseloadWith(r.LinkWorker(), day(0), day(365), contacts, prescribing.Guidance{},
		prescribing.CaseloadOptions{
			Complexity: map[prescribing.ReferralID]prescribing.Complexity{r.ID(): r.Complexity()},
			Preferred:  map[prescribing.PatientID][]prescribing.ContactMode{r.Patient(): {prescribing.ContactModeTelephone}},
		})
	check(err)
	fmt.Println(rep.People, rep.WeightedPeople, rep.NotPreferred)
	// Output:
	// 1 1.5 1
}

// Match a person to link workers by their languages and community, with
// why each is offered (PREF-1).
func ExampleMatchLinkWorkers() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(4, 4)))
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	register := func(langs []string, communities ...string) prescribing.LinkWorker {
		w, _, err := prescribing.RegisterLinkWorker(prescribing.NewID[prescribing.LinkWorker](ids), prescribing.LinkWorkerDetails{
			Title: prescribing.TitleLinkWorker, Employer: prescribing.EmployerPCN, Languages: langs, Communities: communities}, at)
		check(err)
		return w
	}
	workers := []prescribing.LinkWorker{register([]string{"en"}), register([]string{"en", "so"}), register(nil, "Somali")}
	matches, err := prescribing.MatchLinkWorkers(prescribing.Preferences{Languages: []string{"so"}, Community: "Somali"}, workers)
	check(err)
	for _, m := range matches {
		fmt.Println(m.LinkWorker == workers[1].ID(), m.Languages, m.Community)
	}
	// Output:
	// true [so] false
	// false [] true
}

// Whom a link worker reaches: the people seen, grouped by their first
// language, against the people referred (PREF-1).
func ExampleReachByGroup() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(5, 5)))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	lw := prescribing.NewID[prescribing.LinkWorker](ids)
	population := map[prescribing.PatientID]string{}
	var contacts []prescribing.ContactRecorded
	for i, lang := range []string{"en", "en", "en", "so", "so", "pl"} {
		p := prescribing.NewID[prescribing.Patient](ids)
		population[p] = lang
		if i%2 == 0 { // every other person referred is seen
			contacts = append(contacts, prescribing.ContactRecorded{Referral: prescribing.NewID[prescribing.Referral](ids),
				Patient: p, LinkWorker: lw, Contact: prescribing.Contact{ID: prescribing.NewID[prescribing.Contact](ids),
					At: from.AddDate(0, 0, i), Mode: prescribing.ContactModePractice, Minutes: 45, Attended: true}})
		}
	}
	rep, err := prescribing.ReachByGroup(lw, from, from.AddDate(0, 3, 0), contacts, population)
	check(err)
	fmt.Println(rep.Summary())
	// Output:
	// 3 of 6 referred seen; en 2 of 3, pl 0 of 1, so 1 of 2
}

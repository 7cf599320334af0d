package pages_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/examples/service/pages"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
)

// A link worker's caseload page from a referral and the holding episode
// that belongs to it: the service builds the view from its records, then
// renders it. The person is shown by their pseudonymous ID, as ShowNames
// is not set.
func ExampleBuildCaseload() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(1, 2)))
	sam := pages.Worker{ID: prescribing.NewID[prescribing.LinkWorker](ids), Name: "Sam Okafor"}
	start := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	must := func(_ any, err error) {
		if err != nil {
			panic(err)
		}
	}

	r, _, err := prescribing.ReceiveReferral(prescribing.NewReferral{
		ID: prescribing.NewID[prescribing.Referral](ids), Patient: prescribing.NewID[prescribing.Patient](ids),
		Source: prescribing.SourceGP,
	}, start)
	must(nil, err)
	must(r.Accept(start.AddDate(0, 0, 1), sam.ID))
	must(r.RecordFirstContact(start.AddDate(0, 0, 3)))
	must(r.StartSupport(start.AddDate(0, 0, 8), prescribing.SupportPlan{Needs: []prescribing.Need{prescribing.NeedSocialIsolation}}))
	ep, _, err := holding.Begin(holding.Start{
		ID: prescribing.NewID[holding.Episode](ids), Referral: r.ID(), Patient: r.Patient(), LinkWorker: sam.ID,
		Reasons: prescribing.SetOf(holding.ReasonAwaitingReadiness), At: start.AddDate(0, 0, 8),
		Endpoint: holding.Endpoint{At: start.AddDate(0, 1, 0), Plan: holding.EndpointPlanReadinessMilestone},
	})
	must(nil, err)

	at := time.Date(2026, 10, 5, 12, 0, 0, 0, time.UTC)
	v := pages.BuildCaseload(sam, []prescribing.Referral{r}, []holding.Episode{ep}, at, pages.CaseloadOptions{})
	fmt.Println(v.Cases[0].State, v.Cases[0].DaysOpen, "days:", v.Cases[0].NextStep)
	fmt.Println(v.Holding[0].Reasons, "-", v.Holding[0].Endpoint, "- overdue:", v.Holding[0].Overdue)
	fmt.Println(v.Overdue[0].Kind, v.Overdue[0].DaysLate, "days late")

	var page bytes.Buffer
	if err := pages.RenderCaseload(&page, v); err != nil {
		panic(err)
	}
	fmt.Println(strings.Contains(page.String(), `<table id="open-cases">`))
	// Output:
	// in-support 34 days: Holding: review at the endpoint
	// [Waiting until ready] - Readiness milestone by 1 Oct 2026 - overdue: true
	// Holding review 4 days late
	// true
}

// A supervisor's page: each link worker of the team with their holding
// load, phase and the support still missing. It holds no patient data.
func ExampleBuildSupervision() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(3, 4)))
	kim := pages.Worker{ID: prescribing.NewID[prescribing.LinkWorker](ids), Name: "Kim Reid"}
	ana := pages.Worker{ID: prescribing.NewID[prescribing.LinkWorker](ids), Name: "Ana Kowalska"}
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	must := func(_ any, err error) {
		if err != nil {
			panic(err)
		}
	}

	j, _, err := liminality.Begin(ana.ID, start)
	must(nil, err)
	must(j.EnterLiminal(start))
	must(j.NoteTheme(liminality.ThemeAmbiguity, start.AddDate(0, 1, 0)))

	v := pages.BuildSupervision(kim, []pages.Worker{ana}, nil, nil, []liminality.Journey{j},
		time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC), pages.SupervisionOptions{})
	w := v.Workers[0]
	fmt.Println(w.Name, "-", w.Phase, "since", w.Since, "- prolonged:", w.Prolonged)
	fmt.Println("missing:", w.Missing)
	// Output:
	// Ana Kowalska - liminal since 5 Jan 2026 - prolonged: true
	// missing: [Ambiguity about the role]
}

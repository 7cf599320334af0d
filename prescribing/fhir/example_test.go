package fhir_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/fhir"
	"github.com/socialprescribing/linkwork/prescribing/fhir/fhirtest"
)

// A referral followed to closure, exported as a transaction Bundle: the
// explicit export of personal data (rule PRIV-1).
func ExampleTransactionBundle() {
	stories, _ := fhirtest.Stories(1)
	rec := stories[11].Records // closed-connected
	b, err := fhir.TransactionBundle(rec)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range b.Entry {
		switch r := e.Resource.(type) {
		case fhir.Task:
			fmt.Println("Task", r.Status, len(r.Output), "output")
		case fhir.ServiceRequest:
			fmt.Println("ServiceRequest", r.Status, r.Code.Coding[0].Code)
		case fhir.Consent:
			fmt.Println("Consent", r.Status, r.Provision.Code[0].Coding[0].Code)
		case fhir.Patient:
			fmt.Println("Patient", r.Identifier[0].System)
		case fhir.Organization:
			fmt.Println("Organization", r.Name)
		case fhir.Practitioner:
			fmt.Println("Practitioner")
		}
	}
	// Output:
	// Patient https://fhir.nhs.uk/Id/nhs-number
	// Organization Riverside Surgery
	// Practitioner
	// ServiceRequest completed 871731000000106
	// Task completed 1 output
	// Consent active share_with_gp_record
	// Consent active share_with_asset
	// Consent inactive contact_by_text
}

// The message back to the GP and referrer (rule REF-4) as a FHIR document.
func ExampleMessageBack() {
	stories, _ := fhirtest.Stories(1)
	b, err := fhir.MessageBack(stories[11].Records)
	if err != nil {
		fmt.Println(err)
		return
	}
	comp := b.Entry[0].Resource.(fhir.Composition)
	fmt.Println(b.Type, "-", comp.Title)
	for _, s := range comp.Section {
		fmt.Printf("  %s (%d entries)\n", s.Title, len(s.Entry))
	}
	// Output:
	// document - Social prescribing: message back to the GP and referrer
	//   The person (1 entries)
	//   Needs identified (1 entries)
	//   Support offered and taken up (1 entries)
	//   Outcome measures before and after (5 entries)
	//   Outcome (2 entries)
}

// A GP system's referral read into a new referral and patient
// registration. Errors name the FHIR element and never its value.
func ExampleImportReferral() {
	f, err := os.Open("testdata/gp-referral.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(1, 2)))
	in, err := fhir.ImportReferral(f, ids)
	if err != nil {
		fmt.Println(err)
		return
	}
	got, err := in.Receive(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Referral.State(), got.Referral.Source(), got.Referral.Needs())
	fmt.Println(got.Patient.Details().Hint())

	_, err = fhir.ImportReferral(strings.NewReader(""), ids)
	fmt.Println(err)
	// Output:
	// received gp [social_isolation other]
	// NHS *** *** *919
	// invalid FHIR resource: Bundle: the JSON is empty or cut short
}

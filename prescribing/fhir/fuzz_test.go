package fhir_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing/fhir"
	"github.com/socialprescribing/linkwork/prescribing/fhir/fhirtest"
)

// FuzzImportReferral: any input gives an Inbound or an error wrapping a
// documented sentinel, never a panic; an error never quotes the NHS number
// the seed corpus holds; what is imported can be received or is refused
// with an error.
func FuzzImportReferral(f *testing.F) {
	data, err := os.ReadFile("testdata/gp-referral.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	stories, err := fhirtest.Stories(3)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range stories[:3] {
		b, err := fhir.TransactionBundle(s.Records)
		if err != nil {
			f.Fatal(err)
		}
		out, err := json.Marshal(b)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(out)
	}
	f.Add([]byte(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest"}}]}`))
	f.Add([]byte(`[[[[[[[[[[]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := fhir.ImportReferral(bytes.NewReader(in), seeded())
		if err != nil {
			if !errors.Is(err, fhir.ErrInvalidResource) && !errors.Is(err, fhir.ErrTooLarge) {
				t.Fatalf("error wraps no documented sentinel: %v", err)
			}
			if strings.Contains(err.Error(), "9434765919") {
				t.Fatalf("error quotes the NHS number: %v", err)
			}
			return
		}
		if got.Referral.ID.IsZero() || got.Referral.Patient.IsZero() || got.Details.NHSNumber.IsZero() {
			t.Fatalf("imported without IDs or NHS number: %v", got)
		}
		if !got.Referral.Source.IsValid() {
			t.Fatalf("imported with source %d", got.Referral.Source)
		}
		_, _ = got.Receive(got.AuthoredOn)
	})
}

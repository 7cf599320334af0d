// Command fhir shows linkwork's FHIR R4 exchange. With no flags it follows
// one GP referral from receipt to closure and prints its FHIR transaction
// Bundle (Patient, Organization, Practitioner, ServiceRequest, Task and
// Consents) and then the message back to the GP and referrer as a FHIR
// document Bundle:
//
//	go run ./examples/fhir
//
// -in FILE reads a ServiceRequest Bundle, as a GP system sends one, and
// prints the referral it becomes; -out DIR writes every resource and Bundle
// of example referrals covering every lifecycle state and path to DIR, one
// JSON file each, for validation against the FHIR R4 JSON schema (.ci/run
// does so with examples/fhir/validate).
//
// The output holds invented personal data: a FHIR export is the explicit
// export of personal data.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/fhir"
	"github.com/socialprescribing/linkwork/prescribing/fhir/fhirtest"
)

func main() {
	in := flag.String("in", "", "read a FHIR ServiceRequest Bundle from `FILE` and print the referral it becomes")
	out := flag.String("out", "", "write example FHIR resources and Bundles of every lifecycle state to `DIR`")
	flag.Parse()
	var err error
	switch {
	case *in != "":
		err = importFile(os.Stdout, *in)
	case *out != "":
		var n int
		n, err = writeExamples(*out)
		if err == nil {
			fmt.Printf("wrote %d FHIR JSON files to %s\n", n, *out)
		}
	default:
		err = run(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fhir:", err)
		os.Exit(1)
	}
}

// closedStory is the story run prints: connected to a walking group,
// closed with outcome measures.
const closedStory = "closed-connected"

func run(w io.Writer) error {
	stories, err := fhirtest.Stories(2026)
	if err != nil {
		return err
	}
	for _, s := range stories {
		if s.Name != closedStory {
			continue
		}
		tx, err := fhir.TransactionBundle(s.Records)
		if err != nil {
			return err
		}
		doc, err := fhir.MessageBack(s.Records)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "# FHIR transaction Bundle of a referral followed from receipt to closure")
		if err := writeJSON(w, tx); err != nil {
			return err
		}
		fmt.Fprintln(w, "\n# The message back to the GP and referrer, a FHIR document Bundle")
		return writeJSON(w, doc)
	}
	return errors.New("no closed story")
}

// writeJSON writes v indented, leaving the narratives' XHTML readable
// (encoding/json would write < and > as \u003c and \u003e).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// importFile reads a ServiceRequest Bundle and prints the referral it
// becomes, received now: the only place this program reads the clock.
func importFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(2026, 17)))
	in, err := fhir.ImportReferral(f, ids)
	if err != nil {
		return err
	}
	at := time.Now().UTC().Truncate(time.Second)
	if !in.AuthoredOn.IsZero() && in.AuthoredOn.After(at) {
		at = in.AuthoredOn
	}
	got, err := in.Receive(at)
	if err != nil {
		return err
	}
	return printReferral(w, in, got)
}

func printReferral(w io.Writer, in fhir.Inbound, got fhir.Received) error {
	r := &got.Referral
	d := got.Patient.Details()
	fmt.Fprintf(w, "%s\n", r.String())
	fmt.Fprintf(w, "  patient:    %s (explicit export: %s %s, born %s, NHS %s)\n", got.Patient.ID(),
		d.GivenName, d.FamilyName, d.DateOfBirth.Format("2 January 2006"), d.NHSNumber.Grouped())
	fmt.Fprintf(w, "  practice:   %s (ODS %s)\n", r.Practice(), orNone(in.PracticeODS))
	fmt.Fprintf(w, "  source:     %s (%s)\n", r.Source(), orNone(r.Referrer()))
	fmt.Fprintf(w, "  needs:      %v\n", r.Needs())
	fmt.Fprintf(w, "  authored:   %s\n", orNone(formatTime(in.AuthoredOn)))
	fmt.Fprintf(w, "  FHIR Task:  %s\n", r.State().TaskStatus())
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// writeExamples writes every standalone resource and Bundle of every story
// to dir, and returns how many files it wrote.
func writeExamples(dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	stories, err := fhirtest.Stories(2026)
	if err != nil {
		return 0, err
	}
	n := 0
	write := func(name string, v any) error {
		var b bytes.Buffer
		if err := writeJSON(&b, v); err != nil {
			return err
		}
		n++
		return os.WriteFile(filepath.Join(dir, name+".json"), b.Bytes(), 0o644)
	}
	for _, s := range stories {
		rec := s.Records
		files := map[string]any{
			"patient":      fhir.PatientResource(rec.Patient),
			"organization": fhir.OrganizationResource(rec.Practice),
		}
		if !rec.LinkWorker.ID().IsZero() {
			files["practitioner"] = fhir.PractitionerResource(rec.LinkWorker)
		}
		sr, err := fhir.ServiceRequestResource(rec)
		if err != nil {
			return n, err
		}
		files["servicerequest"] = sr
		task, err := fhir.TaskResource(rec)
		if err != nil {
			return n, err
		}
		files["task"] = task
		consents, err := fhir.ConsentResources(rec)
		if err != nil {
			return n, err
		}
		for i, c := range consents {
			files[fmt.Sprintf("consent-%d", i)] = c
		}
		tx, err := fhir.TransactionBundle(rec)
		if err != nil {
			return n, err
		}
		files["transaction"] = tx
		if rec.Referral.State() == prescribing.StateClosed {
			doc, err := fhir.MessageBack(rec)
			if err != nil {
				return n, err
			}
			files["message-back"] = doc
		}
		for name, v := range files {
			if err := write(s.Name+"."+name, v); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

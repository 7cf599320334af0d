// Command quickstart follows one GP referral to social prescribing from
// receipt through first contact, support, connection and closure, and prints
// each step and the message back to the GP and referrer.
//
//	go run ./examples/quickstart
//
// IDs come from a seeded source and times are written out, so the output is
// the same on every run.
package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(2026, 1)))
	day := func(d int) time.Time { return time.Date(2026, 3, 2+d, 10, 0, 0, 0, time.UTC) }

	practice := prescribing.NewID[prescribing.Practice](ids)
	worker := prescribing.NewID[prescribing.LinkWorker](ids)
	patient := prescribing.NewID[prescribing.Patient](ids)
	walkingGroup := prescribing.CommunitySupport{
		Need: prescribing.NeedSocialIsolation, Asset: prescribing.NewID[prescribing.Asset](ids),
		Name: "Riverside walking group",
	}

	// The GP refers a patient who is lonely after a bereavement.
	r, received, err := prescribing.ReceiveReferral(prescribing.NewReferral{
		ID: prescribing.NewID[prescribing.Referral](ids), Patient: patient, Practice: practice,
		Source: prescribing.SourceGP, Referrer: "Dr Patel",
		Needs: []prescribing.Need{prescribing.NeedSocialIsolation},
	}, day(0))
	if err != nil {
		return err
	}
	history := []prescribing.Event{received}
	record := func(e prescribing.Event, err error) error {
		if err != nil {
			return err
		}
		history = append(history, e)
		fmt.Fprintf(w, "%s  %-26s %s\n", e.EventTime().Format("02 Jan"), e.EventType(), r.State())
		return nil
	}
	fmt.Fprintf(w, "%s  %-26s %s\n", received.At.Format("02 Jan"), received.EventType(), r.State())

	steps := []func() error{
		func() error { return record(r.Accept(day(1), worker)) },
		func() error { return record(r.RecordFirstContact(day(6))) },
		func() error {
			return record(r.RecordContact(prescribing.Contact{
				ID: prescribing.NewID[prescribing.Contact](ids), At: day(6),
				Mode: prescribing.ContactModePractice, Minutes: 45, Attended: true,
			}, prescribing.ContactRules{}))
		},
		func() error {
			return record(r.StartSupport(day(6), prescribing.SupportPlan{
				Needs:   []prescribing.Need{prescribing.NeedBereavement},
				Offered: []prescribing.CommunitySupport{walkingGroup, {Need: prescribing.NeedBereavement, Name: "Cruse bereavement support"}},
			}))
		},
		func() error {
			return record(r.RecordContact(prescribing.Contact{
				ID: prescribing.NewID[prescribing.Contact](ids), At: day(13),
				Mode: prescribing.ContactModeTelephone, Minutes: 15, Attended: true,
			}, prescribing.ContactRules{}))
		},
		func() error { return record(r.Connect(day(20), walkingGroup)) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}

	closed, err := r.Close(day(90), prescribing.OutcomeConnectedAndBenefited,
		prescribing.MeasureChange{Instrument: prescribing.InstrumentSWEMWBS, Before: prescribing.ScoreOf(17.43), After: prescribing.ScoreOf(21.54)})
	if err := record(closed, err); err != nil {
		return err
	}
	msg, _ := r.ClosureMessage()
	code, _, _ := r.SNOMED()
	fmt.Fprintf(w, "\nSNOMED CT at first contact: %s %s\n", code, code.Display())
	fmt.Fprintf(w, "FHIR Task status now: %s\n\n", r.State().TaskStatus())

	if err := msg.WriteText(w, ""); err != nil {
		return err
	}

	// The history is the record: replaying it rebuilds the same referral.
	var replayed prescribing.Referral
	if err := prescribing.Replay(&replayed, history); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nReplayed %d events: %s\n", len(history), replayed.String())
	return nil
}

package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

// A referral's events are appended to its stream expecting the version
// last seen; a writer who lost a race is told, and nothing is written.
// Load rebuilds the record; ReadAll feeds projections in global order.
func Example() {
	ctx := context.Background()
	codec, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	if err != nil {
		panic(err)
	}
	tick := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { tick = tick.Add(time.Second); return tick }
	s, err := store.NewMemory(codec, store.WithClock(clock))
	if err != nil {
		panic(err)
	}

	patient := prescribing.IDFromUUID[prescribing.Patient](uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000001"))
	stream := store.MustStreamID("patient", patient.UUID())
	actor, err := store.ParseStaffID("staff-0042")
	if err != nil {
		panic(err)
	}
	meta := store.Metadata{Actor: actor}
	at := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	_, registered, err := prescribing.RegisterPatient(patient, prescribing.PracticeID{}, prescribing.PersonalDetails{}, at)
	if err != nil {
		panic(err)
	}
	if _, err := s.Append(ctx, stream, store.ExpectNoStream, meta, registered); err != nil {
		panic(err)
	}

	// Two writers both loaded version 1; the second one's append conflicts.
	worker := prescribing.IDFromUUID[prescribing.LinkWorker](uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000002"))
	risk := prescribing.RiskAssessed{Patient: patient, By: worker, At: at.Add(time.Hour)}
	if _, err := s.Append(ctx, stream, 1, meta, risk); err != nil {
		panic(err)
	}
	_, err = s.Append(ctx, stream, 1, meta, prescribing.PatientAnonymised{Patient: patient, At: at.Add(2 * time.Hour)})
	fmt.Println("conflict:", errors.Is(err, store.ErrConflict))

	envs, err := s.Load(ctx, stream, 0)
	if err != nil {
		panic(err)
	}
	var p prescribing.Patient
	for _, e := range envs {
		if err := p.Apply(e.Event); err != nil {
			panic(err)
		}
	}
	fmt.Println("rebuilt:", p.String())

	page, err := s.ReadAll(ctx, 1, 100)
	if err != nil {
		panic(err)
	}
	for _, e := range page {
		fmt.Println(e.Position, e.Stream.Kind(), e.Version, e.Type, e.Actor, e.RecordedAt.Format(time.TimeOnly))
	}
	// Output:
	// conflict: true
	// rebuilt: patient 6f1c2a3e-0000-4000-8000-000000000001 (no NHS number)
	// 1 patient 1 patient.registered staff-0042 09:00:01
	// 2 patient 2 patient.risk_assessed staff-0042 09:00:02
}

// Erasing a patient's details rewrites their stored events in place: the
// stream keeps its versions and replays to the anonymised record, and the
// store keeps a record of the erasure that holds no personal data.
func ExampleMemory_Erase() {
	ctx := context.Background()
	codec, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	if err != nil {
		panic(err)
	}
	clock := func() time.Time { return time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC) }
	s, err := store.NewMemory(codec, store.WithClock(clock))
	if err != nil {
		panic(err)
	}
	patient := prescribing.IDFromUUID[prescribing.Patient](uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000001"))
	stream := store.MustStreamID("patient", patient.UUID())
	at := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	p, registered, err := prescribing.RegisterPatient(patient, prescribing.PracticeID{},
		prescribing.PersonalDetails{GivenName: "Ada", FamilyName: "Lovelace"}, at)
	if err != nil {
		panic(err)
	}
	anonymised, err := p.Anonymise(at.Add(24 * time.Hour))
	if err != nil {
		panic(err)
	}
	if _, err := s.Append(ctx, stream, store.ExpectNoStream, store.Metadata{}, registered, anonymised); err != nil {
		panic(err)
	}

	dpo, err := store.ParseStaffID("dpo-7")
	if err != nil {
		panic(err)
	}
	erasure, err := s.Erase(ctx, stream, store.ErasePatient(patient), store.Metadata{Actor: dpo})
	if err != nil {
		panic(err)
	}
	fmt.Println("erasure", erasure.Sequence, "of", erasure.Stream.Kind(), "rewrote", erasure.Rewritten, "of", erasure.ThroughVersion, "events, asked by", erasure.Actor)

	envs, err := s.Load(ctx, stream, 0)
	if err != nil {
		panic(err)
	}
	var replayed prescribing.Patient
	for _, e := range envs {
		if err := replayed.Apply(e.Event); err != nil {
			panic(err)
		}
	}
	fmt.Println("still holds the name:", bytes.Contains(envs[0].Data, []byte("Lovelace")))
	fmt.Println("replays to the anonymised record:", replayed == p)
	// Output:
	// erasure 1 of patient rewrote 1 of 2 events, asked by dpo-7
	// still holds the name: false
	// replays to the anonymised record: true
}

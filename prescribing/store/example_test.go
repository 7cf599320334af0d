package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

// A service keeps each record in its own stream. It appends the events a
// record's live operations return with AppendRecord, which expects the
// stream at the version the record was loaded at, so a writer who lost a
// race is told and nothing is written. Rebuild replays a stream into a
// record's zero value; ReadAll feeds projections in global order.
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
	actor, err := store.ParseStaffID("staff-0042")
	if err != nil {
		panic(err)
	}
	meta := store.Metadata{Actor: actor}

	// Register a patient and append the creation event to a new stream.
	id := prescribing.IDFromUUID[prescribing.Patient](uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000001"))
	at := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	patient, registered, err := prescribing.RegisterPatient(id, prescribing.PracticeID{}, prescribing.PersonalDetails{}, at)
	if err != nil {
		panic(err)
	}
	if _, err := store.AppendRecord(ctx, s, &patient, meta, registered); err != nil {
		panic(err)
	}

	// Two writers both hold version 1; the second one's append conflicts.
	worker := prescribing.IDFromUUID[prescribing.LinkWorker](uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000002"))
	other := patient
	risk, err := patient.RecordRiskAssessment(at.Add(time.Hour), worker)
	if err != nil {
		panic(err)
	}
	if _, err := store.AppendRecord(ctx, s, &patient, meta, risk); err != nil {
		panic(err)
	}
	anonymised, err := other.Anonymise(at.Add(2 * time.Hour))
	if err != nil {
		panic(err)
	}
	_, err = store.AppendRecord(ctx, s, &other, meta, anonymised)
	fmt.Println("conflict:", errors.Is(err, store.ErrConflict))

	// Rebuild the record from its stream into a zero value.
	var rebuilt prescribing.Patient
	if err := store.Rebuild(ctx, s, patient.Stream(), &rebuilt); err != nil {
		panic(err)
	}
	fmt.Println("rebuilt:", rebuilt.String(), "at version", rebuilt.Version())
	fmt.Println("same as the live record:", reflect.DeepEqual(rebuilt, patient))

	page, err := s.ReadAll(ctx, 1, 100)
	if err != nil {
		panic(err)
	}
	for _, e := range page {
		fmt.Println(e.Position, e.Stream.Kind, e.Version, e.Type, e.SchemaVersion, e.Actor, e.RecordedAt.Format(time.TimeOnly))
	}
	// Output:
	// conflict: true
	// rebuilt: patient 6f1c2a3e-0000-4000-8000-000000000001 (no NHS number) at version 2
	// same as the live record: true
	// 1 patient 1 patient.registered 1 staff-0042 09:00:01
	// 2 patient 2 patient.risk_assessed 1 staff-0042 09:00:02
}

// Without AppendRecord, the expected version is the one the record had
// before its new events: its version less their number. Load and
// prescribing.Replay do what Rebuild does.
func ExampleStore_Append() {
	ctx := context.Background()
	codec, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	if err != nil {
		panic(err)
	}
	s, err := store.NewMemory(codec)
	if err != nil {
		panic(err)
	}
	id := prescribing.IDFromUUID[prescribing.Patient](uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000001"))
	at := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	patient, registered, err := prescribing.RegisterPatient(id, prescribing.PracticeID{}, prescribing.PersonalDetails{}, at)
	if err != nil {
		panic(err)
	}
	anonymised, err := patient.Anonymise(at.Add(time.Hour))
	if err != nil {
		panic(err)
	}
	events := []prescribing.Event{registered, anonymised}
	expected := store.ExpectedVersion(patient.Version() - len(events))
	if _, err := s.Append(ctx, patient.Stream(), expected, store.Metadata{}, events...); err != nil {
		panic(err)
	}

	envs, err := s.Load(ctx, patient.Stream(), 0)
	if err != nil {
		panic(err)
	}
	var rebuilt prescribing.Patient
	if err := prescribing.Replay(&rebuilt, store.Events(envs)); err != nil {
		panic(err)
	}
	fmt.Println(envs[0].Stream)
	fmt.Println("expected:", expected, "version:", rebuilt.Version(), "anonymised:", rebuilt.IsAnonymised())
	// Output:
	// patient/6f1c2a3e-0000-4000-8000-000000000001
	// expected: no stream version: 2 anonymised: true
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
	stream := store.PatientStream(patient)
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
	fmt.Println("erasure", erasure.Sequence, "of", erasure.Stream.Kind, "rewrote", erasure.Rewritten, "of", erasure.ThroughVersion, "events, asked by", erasure.Actor)

	envs, err := s.Load(ctx, stream, 0)
	if err != nil {
		panic(err)
	}
	var replayed prescribing.Patient
	if err := prescribing.Replay(&replayed, store.Events(envs)); err != nil {
		panic(err)
	}
	fmt.Println("still holds the name:", bytes.Contains(envs[0].Data, []byte("Lovelace")))
	fmt.Println("replays to the anonymised record:", reflect.DeepEqual(replayed, p))
	// Output:
	// erasure 1 of patient rewrote 1 of 2 events, asked by dpo-7
	// still holds the name: false
	// replays to the anonymised record: true
}

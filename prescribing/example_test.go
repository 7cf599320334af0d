package prescribing_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

func ExampleParseNHSNumber() {
	n, err := prescribing.ParseNHSNumber("943-476-5919")
	if err != nil {
		panic(err)
	}
	fmt.Println(n)           // redacted wherever it could reach a log
	fmt.Println(n.Grouped()) // the explicit export

	_, err = prescribing.ParseNHSNumber("943 476 5918")
	fmt.Println(err)
	fmt.Println(errors.Is(err, prescribing.ErrInvalidNHSNumber))
	// Output:
	// *** *** *919
	// 943 476 5919
	// invalid NHS number: check digit does not match
	// true
}

func ExamplePatient() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(1, 1)))
	nhs, _ := prescribing.ParseNHSNumber("9434765919")
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p, _, err := prescribing.RegisterPatient(prescribing.NewID[prescribing.Patient](ids),
		prescribing.NewID[prescribing.Practice](ids),
		prescribing.PersonalDetails{GivenName: "Adaeze", FamilyName: "Example", NHSNumber: nhs}, at)
	if err != nil {
		panic(err)
	}
	// fmt and slog never show personal details (PRIV-1).
	fmt.Printf("%+v\n", p)
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the example's output stable
			}
			return a
		},
	}))
	log.Info("seen", "patient", p)

	// Anonymising clears the details and keeps the pseudonymous ID (PRIV-2).
	if _, err := p.Anonymise(at.Add(time.Hour)); err != nil {
		panic(err)
	}
	fmt.Println(p.String())
	// Output:
	// patient ff4ae39f-6bb4-4fb8-9a3d-1e601c115a0b (NHS *** *** *919)
	// level=INFO msg=seen patient.id=ff4ae39f-6bb4-4fb8-9a3d-1e601c115a0b patient.practice=dd1a8567-d1b6-4dac-a9ba-58c435477cdc patient.hint="NHS *** *** *919" patient.anonymised=false
	// patient ff4ae39f-6bb4-4fb8-9a3d-1e601c115a0b (anonymised)
}

func ExampleReferral_PutOnHold() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(4, 4)))
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	r, _, _ := prescribing.ReceiveReferral(prescribing.NewReferral{
		ID: prescribing.NewID[prescribing.Referral](ids), Patient: prescribing.NewID[prescribing.Patient](ids),
		Source: prescribing.SourceSelf,
	}, at)

	// A move the lifecycle does not allow is an error naming from, to and
	// the referral (REF-1).
	_, err := r.PutOnHold(at.Add(time.Hour), "waiting for capacity")
	fmt.Println(errors.Is(err, prescribing.ErrInvalidTransition))
	var te *prescribing.TransitionError
	if errors.As(err, &te) {
		fmt.Println(te.From, "->", te.To)
	}
	// Output:
	// true
	// received -> on-hold
}

func ExampleEventCodec() {
	codec, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	if err != nil {
		panic(err)
	}
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(5, 5)))
	r, received, _ := prescribing.ReceiveReferral(prescribing.NewReferral{
		ID: prescribing.NewID[prescribing.Referral](ids), Patient: prescribing.NewID[prescribing.Patient](ids),
		Source: prescribing.SourcePharmacy, Needs: []prescribing.Need{prescribing.NeedMoney},
	}, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	accepted, _ := r.Accept(time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC), prescribing.NewID[prescribing.LinkWorker](ids))

	// Store the history as JSON Lines, read it back, and replay it.
	var stored bytes.Buffer
	if err := codec.Encode(&stored, []prescribing.Event{received, accepted}); err != nil {
		panic(err)
	}
	history, err := codec.Decode(&stored)
	if err != nil {
		panic(err)
	}
	var replayed prescribing.Referral
	if err := prescribing.Replay(&replayed, history); err != nil {
		panic(err)
	}
	fmt.Println(replayed.State(), replayed.Version(), replayed.LinkWorker() == r.LinkWorker())

	_, err = codec.Unmarshal([]byte(`{"type":"referral.exploded","event":{}}`))
	fmt.Println(err)
	// Output:
	// accepted 2 true
	// unknown event type: "referral.exploded"
}

func ExampleStateFromTaskStatus() {
	fmt.Println(prescribing.StateConnected.TaskStatus())
	s, _ := prescribing.StateFromTaskStatus(prescribing.TaskCompleted)
	fmt.Println(s)
	_, err := prescribing.StateFromTaskStatus(prescribing.TaskInProgress)
	fmt.Println(err)
	// Output:
	// in-progress
	// closed
	// FHIR task status maps to more than one referral state: in-progress
}

// ExampleMatchAssets matches a person who speaks Polish and cannot pay fees
// to the community assets that serve their needs, and reads why each is
// offered.
func ExampleMatchAssets() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(6, 6)))
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	list := func(d prescribing.AssetDetails) prescribing.Asset {
		a, _, err := prescribing.ListAsset(prescribing.NewID[prescribing.Asset](ids), d, prescribing.AssetStatusActive, at)
		if err != nil {
			panic(err)
		}
		return a
	}
	assets := []prescribing.Asset{
		list(prescribing.AssetDetails{Name: "Polish community club", Needs: []prescribing.Need{prescribing.NeedSocialIsolation},
			Places: 12, FeePence: 400, Languages: []string{"pl", "en"}}),
		list(prescribing.AssetDetails{Name: "Riverside walking group", Needs: []prescribing.Need{prescribing.NeedSocialIsolation, prescribing.NeedPhysicalActivity},
			OpenAccess: true, Languages: []string{"en"}}),
		list(prescribing.AssetDetails{Name: "Citizens Advice debt clinic", Needs: []prescribing.Need{prescribing.NeedMoney},
			Places: 1, Languages: []string{"en", "pl"}}),
	}
	// The debt clinic's one place is taken.
	if _, err := assets[2].TakePlace(prescribing.ReferralID{}, at); err != nil {
		panic(err)
	}

	m, err := prescribing.MatchAssets(prescribing.Profile{
		Needs:     []prescribing.Need{prescribing.NeedSocialIsolation, prescribing.NeedMoney, prescribing.NeedHousing},
		Barriers:  []prescribing.Barrier{prescribing.BarrierLanguage, prescribing.BarrierMoney},
		Languages: []string{"pl"},
	}, assets)
	if err != nil {
		panic(err)
	}
	for _, c := range m.Candidates {
		fmt.Println(c.Explain())
	}
	// Needs without provision with room: where holding would start.
	for _, n := range m.Unmet() {
		fmt.Println(n.Need, n.Provision)
	}
	// Output:
	// Polish community club: serves social_isolation; answers language; leaves money
	// Riverside walking group: serves social_isolation; answers money; leaves language
	// Citizens Advice debt clinic (full): serves money; answers language, money; leaves none
	// housing no_provision
	// money full
}

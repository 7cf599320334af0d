package prescribing

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/events_v1.jsonl from the expected events")

// goldenEvents returns one event of every type of this package, in the
// order of EventKinds, with fixed IDs and times and every optional field
// filled: the values testdata/events_v1.jsonl must decode to.
func goldenEvents(t testing.TB) []Event {
	ids := SeededIDs(rand.New(rand.NewPCG(16, 1)))
	pat, ref, prac, lw, other := NewID[Patient](ids), NewID[Referral](ids), NewID[Practice](ids), NewID[LinkWorker](ids), NewID[LinkWorker](ids)
	asset, concern, contact, pcn := NewID[Asset](ids), NewID[Concern](ids), NewID[Contact](ids), NewID[PCN](ids)
	earlier := NewID[Referral](ids)
	at := func(day int) time.Time { return time.Date(2026, 3, day, 9, 30, 15, 123456789, time.UTC) }
	details := examplePatientDetails(t)
	club := AssetDetails{Name: "Mill Lane lunch club", Needs: []Need{NeedSocialIsolation, NeedMoney}, Places: 12,
		FeePence: 250, Concessions: true, Languages: []string{"en", "pl"}, CulturallySpecific: true, Communities: []string{"Polish"},
		Access: Accessibility{StepFree: true, CompanionWelcome: true}}
	support := CommunitySupport{Need: NeedSocialIsolation, Asset: asset, Name: "Tuesday lunch club"}
	sw, err := NewSWEMWBS(3, 2, 4, 3, 3, 2, 3)
	require.NoError(t, err)
	sw.Items[6] = Score{}
	return []Event{
		PatientRegistered{Patient: pat, Practice: prac, Details: details, At: at(1)},
		PatientDetailsChanged{Patient: pat, Details: details, At: at(2)},
		PatientAnonymised{Patient: pat, At: at(3)},
		RiskAssessed{Patient: pat, By: lw, At: at(4)},
		ReferralReceived{Referral: ref, Patient: pat, Practice: prac, Source: SourceGP, Referrer: "Dr Patel",
			Needs: SetOf(NeedSocialIsolation, NeedMoney), At: at(5)},
		ReferralTransitioned{Referral: ref, From: StateConnected, To: StateClosed, At: at(6), Reason: "goals met",
			Outcome: OutcomeConnectedAndBenefited,
			Measures: []MeasureChange{{Instrument: InstrumentONS4, Item: ONS4ItemAnxiety, Before: ScoreOf(8), After: ScoreOf(4)},
				{Instrument: InstrumentSWEMWBS, Before: ScoreOf(16.88), After: Score{}}}},
		ReferralPlanUpdated{Referral: ref, At: at(7), Needs: SetOf(NeedHousing), Offered: []CommunitySupport{support}},
		ReferralReassigned{Referral: ref, From: lw, To: other, At: at(8), Reason: "link worker left"},
		ContactRecorded{Referral: ref, Patient: pat, LinkWorker: lw, Contact: Contact{ID: contact, At: at(9),
			Mode: ContactModeHomeVisit, Minutes: 45, Attended: true, RiskAssessedAt: at(4)}},
		MeasuresOpened{Patient: pat, At: at(10)},
		ONS4Recorded{Patient: pat, Referral: ref, At: at(11), Answers: ONS4{LifeSatisfaction: ScoreOf(4), Worthwhile: ScoreOf(0),
			Happiness: ScoreOf(10), Anxiety: Score{}}},
		SWEMWBSRecorded{Patient: pat, Referral: ref, At: at(12), Answers: sw},
		ConcernRaised{Concern: concern, Referral: ref, Patient: pat, Contact: contact, RaisedBy: lw, At: at(13)},
		ConcernEscalated{Concern: concern, Lead: "Priya Shah, safeguarding lead", At: at(14)},
		ConsentsOpened{Patient: pat, At: at(15)},
		ConsentGiven{Patient: pat, Scope: ConsentScopeShareWithAsset, Asset: asset, At: at(16)},
		ConsentWithdrawn{Patient: pat, Scope: ConsentScopeContactByText, At: at(17)},
		DetailsShared{Patient: pat, Asset: asset, At: at(18)},
		AssetListed{Asset: asset, Details: club, Status: AssetStatusActive, At: at(19)},
		AssetUpdated{Asset: asset, Details: AssetDetails{Name: "Drop-in debt advice", Needs: []Need{NeedMoney}, OpenAccess: true}, At: at(20)},
		AssetStatusChanged{Asset: asset, From: AssetStatusActive, To: AssetStatusTemporarilyClosed, At: at(21)},
		PlaceTaken{Asset: asset, Referral: ref, At: at(22)},
		PlaceReleased{Asset: asset, Referral: ref, At: at(23)},
		PracticeRegistered{Practice: prac, Details: PracticeDetails{ODSCode: "A81001", Name: "Mill Lane Surgery", PCN: pcn}, At: at(24)},
		PracticeChanged{Practice: prac, Details: PracticeDetails{Name: "Mill Lane Health Centre"}, At: at(25)},
		PCNRegistered{PCN: pcn, Details: PCNDetails{Name: "Riverside PCN", Practices: []PracticeID{prac}}, At: at(26)},
		PCNChanged{PCN: pcn, Details: PCNDetails{Name: "Riverside and Meadows PCN"}, At: at(27)},
		LinkWorkerRegistered{LinkWorker: lw, Details: LinkWorkerDetails{Title: TitleSocialPrescriber, Employer: EmployerVCSE,
			Practices: []PracticeID{prac}}, At: at(28)},
		LinkWorkerChanged{LinkWorker: lw, Details: LinkWorkerDetails{Title: TitleCommunityConnector, Employer: EmployerPCN,
			Languages: []string{"en", "ur"}, Communities: []string{"Pakistani", "Deaf"}, LocalTitle: "Wellbeing connector"}, At: at(28).Add(time.Hour)},
		ReferralStepTaken{Referral: ref, Step: Step{Kind: StepKindJoinedActivity, What: "went to the Tuesday walk",
			PromptedBy: contact, At: at(29)}},
		ReferralFollowedUp{Referral: ref, FollowUp: FollowUp{Asset: asset, Attended: true, Helped: true,
			Feedback: "comes every week", At: at(30)}},
		ReferralLinked{Referral: ref, Earlier: []ReferralID{earlier}, At: at(31)},
		ReferralBuyInRecorded{Referral: ref, BuyIn: BuyIn{Understanding: RoleUnderstandingMedical,
			Expected: "a prescription", DeclineReason: DeclineReasonWantedMedicalFix}, At: at(31).Add(time.Hour)},
		ReferralComplexityAssessed{Referral: ref, Complexity: ComplexityHigh, At: at(31).Add(2 * time.Hour)},
		PatientPreferencesRecorded{Patient: pat, Preferences: Preferences{Modes: []ContactMode{ContactModeTelephone, ContactModeMessage},
			Languages: []string{"pl"}, Community: "Polish"}, At: at(31).Add(3 * time.Hour)},
	}
}

// TestEV_2_GoldenStoredFormOfEveryEventType pins the stored form of every
// event type at version 1: each line of testdata/events_v1.jsonl decodes to
// the expected event and encodes back to the same bytes. A renamed field,
// type or value, or a changed encoding, fails here before it strands stored
// histories; a new event type must add its line. Run with -update to write
// the file from goldenEvents after a deliberate change (and a new version).
func TestEV_2_GoldenStoredFormOfEveryEventType(t *testing.T) {
	codec := mustCodec(t)
	want := goldenEvents(t)
	kinds := EventKinds()
	require.Len(t, want, len(kinds), "one event per type")
	for i, k := range kinds {
		require.Equal(t, k.Type(), want[i].EventType(), "in the order of EventKinds")
	}
	path := filepath.Join("testdata", "events_v1.jsonl")
	if *updateGolden {
		var buf bytes.Buffer
		require.NoError(t, codec.Encode(&buf, want))
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	require.Len(t, lines, len(want))
	for i, line := range lines {
		e, err := codec.Unmarshal(line)
		require.NoError(t, err, "line %d", i+1)
		assert.Equal(t, want[i], e, "line %d", i+1)
		out, err := codec.Marshal(e)
		require.NoError(t, err)
		assert.Equal(t, string(line), string(out), "line %d encodes back byte for byte", i+1)
	}
}

// Package fhirtest builds example referrals for testing FHIR exchange, as
// net/http/httptest does for HTTP: one referral followed along each path of
// the lifecycle, so that every state is exported at least once. The people
// are invented; the NHS numbers are valid test numbers.
package fhirtest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/fhir"
)

// Story is one example referral and where it went.
type Story struct {
	// Name says the path it took ("closed-connected", "declined").
	Name string `json:"name"`
	// Records are the referral and the records of its people.
	Records fhir.Records `json:"records"`
}

// Day returns 10:00 UTC on the d-th day after 2 March 2026: the stories'
// clock.
func Day(d int) time.Time { return time.Date(2026, 3, 2+d, 10, 0, 0, 0, time.UTC) }

// step is one move along a story's path.
type step func(r *prescribing.Referral, c *prescribing.Consents, at time.Time) error

// Stories returns one story per path of the lifecycle, so that every state
// appears at least once (rules REF-1, REF-5): received, accepted,
// rejected, contacted, declined, in support, connected, on hold from in
// support and from connected, resumed, reassigned, closed with and without
// a connection (with outcome measures, some not recorded), cancelled and
// entered in error. The stories are the same on every call: IDs come from
// a source seeded with seed.
func Stories(seed uint64) ([]Story, error) {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(seed, 17)))
	practice, _, err := prescribing.RegisterPractice(prescribing.NewID[prescribing.Practice](ids),
		prescribing.PracticeDetails{ODSCode: "A81001", Name: "Riverside Surgery"}, Day(0))
	if err != nil {
		return nil, err
	}
	worker, _, err := prescribing.RegisterLinkWorker(prescribing.NewID[prescribing.LinkWorker](ids), prescribing.LinkWorkerDetails{
		Title: prescribing.TitleLinkWorker, Employer: prescribing.EmployerPCN, Practices: []prescribing.PracticeID{practice.ID()}}, Day(0))
	if err != nil {
		return nil, err
	}
	other, _, err := prescribing.RegisterLinkWorker(prescribing.NewID[prescribing.LinkWorker](ids), prescribing.LinkWorkerDetails{
		Title: prescribing.TitleLinkWorker, Employer: prescribing.EmployerPCN}, Day(0))
	if err != nil {
		return nil, err
	}
	walking := prescribing.CommunitySupport{Need: prescribing.NeedSocialIsolation, Asset: prescribing.NewID[prescribing.Asset](ids), Name: "Riverside walking group"}
	debt := prescribing.CommunitySupport{Need: prescribing.NeedMoney, Asset: prescribing.NewID[prescribing.Asset](ids), Name: "Citizens Advice debt clinic"}

	accept := func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
		_, err := r.Accept(at, worker.ID())
		return err
	}
	contact := func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
		_, err := r.RecordFirstContact(at)
		return err
	}
	support := func(r *prescribing.Referral, c *prescribing.Consents, at time.Time) error {
		// The "what matters to me" conversation, at the practice.
		if _, err := r.RecordContact(prescribing.Contact{ID: prescribing.NewID[prescribing.Contact](ids), At: at,
			Mode: prescribing.ContactModePractice, Minutes: 45, Attended: true}, prescribing.ContactRules{}); err != nil {
			return err
		}
		if _, err := c.Give(prescribing.ConsentScopeShareWithGPRecord, prescribing.AssetID{}, at); err != nil {
			return err
		}
		_, err := r.StartSupport(at, prescribing.SupportPlan{
			Needs:   []prescribing.Need{prescribing.NeedSocialIsolation, prescribing.NeedMoney},
			Offered: []prescribing.CommunitySupport{walking, debt}})
		return err
	}
	connect := func(r *prescribing.Referral, c *prescribing.Consents, at time.Time) error {
		if _, err := c.Give(prescribing.ConsentScopeShareWithAsset, walking.Asset, at); err != nil {
			return err
		}
		if _, err := c.Give(prescribing.ConsentScopeContactByText, prescribing.AssetID{}, at); err != nil {
			return err
		}
		_, err := r.Connect(at, walking)
		return err
	}
	hold := func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
		_, err := r.PutOnHold(at, "waiting for a place at the debt clinic")
		return err
	}
	resume := func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
		_, err := r.Resume(at)
		return err
	}
	withdraw := func(_ *prescribing.Referral, c *prescribing.Consents, at time.Time) error {
		_, err := c.Withdraw(prescribing.ConsentScopeContactByText, prescribing.AssetID{}, at)
		return err
	}
	closeWith := func(o prescribing.Outcome, ms ...prescribing.MeasureChange) step {
		return func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
			_, err := r.Close(at, o, ms...)
			return err
		}
	}
	measures := []prescribing.MeasureChange{
		{Instrument: prescribing.InstrumentSWEMWBS, Before: prescribing.ScoreOf(19.25), After: prescribing.ScoreOf(23.21)},
		{Instrument: prescribing.InstrumentONS4, Item: prescribing.ONS4ItemLifeSatisfaction, Before: prescribing.ScoreOf(4), After: prescribing.ScoreOf(7)},
		{Instrument: prescribing.InstrumentONS4, Item: prescribing.ONS4ItemWorthwhile, Before: prescribing.ScoreOf(5), After: prescribing.ScoreOf(6)},
		{Instrument: prescribing.InstrumentONS4, Item: prescribing.ONS4ItemHappiness, Before: prescribing.ScoreOf(3), After: prescribing.ScoreOf(7)},
		{Instrument: prescribing.InstrumentONS4, Item: prescribing.ONS4ItemAnxiety, Before: prescribing.ScoreOf(8), After: prescribing.Score{}},
	}
	reject := func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
		_, err := r.Reject(at, "a clinical need: referred back to the GP")
		return err
	}
	decline := func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
		_, err := r.Decline(at, "does not want support now")
		return err
	}
	cancel := func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
		// A line separator, which FHIR strings cannot hold.
		_, err := r.Cancel(at, "moved\u2028out of the area")
		return err
	}
	inError := func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
		_, err := r.EnterInError(at, "sent for the wrong person")
		return err
	}
	reassign := func(r *prescribing.Referral, _ *prescribing.Consents, at time.Time) error {
		_, err := r.Reassign(at, other.ID(), "link worker left")
		return err
	}

	paths := []struct {
		name   string
		source prescribing.ReferralSource
		steps  []step
	}{
		{"received", prescribing.SourceGP, nil},
		{"accepted", prescribing.SourcePracticeNurse, []step{accept}},
		{"rejected", prescribing.SourceGP, []step{reject}},
		{"contacted", prescribing.SourceSelf, []step{accept, contact}},
		{"declined", prescribing.SourcePharmacy, []step{accept, decline}},
		{"in-support", prescribing.SourceGP, []step{accept, contact, support}},
		{"connected", prescribing.SourceHospitalDischarge, []step{accept, contact, support, connect}},
		{"on-hold-from-in-support", prescribing.SourceGP, []step{accept, contact, support, hold}},
		{"on-hold-from-connected", prescribing.SourceGP, []step{accept, contact, support, connect, hold}},
		{"resumed", prescribing.SourceGP, []step{accept, contact, support, hold, resume}},
		{"reassigned", prescribing.SourceSocialCare, []step{accept, contact, reassign}},
		{"closed-connected", prescribing.SourceGP, []step{accept, contact, support, connect, withdraw, closeWith(prescribing.OutcomeConnectedAndBenefited, measures...)}},
		{"closed-without-connection", prescribing.SourceCareNavigator, []step{accept, contact, support, closeWith(prescribing.OutcomeNeedsMetWithoutConnection)}},
		{"closed-after-hold", prescribing.SourceGP, []step{accept, contact, support, connect, hold, resume, closeWith(prescribing.OutcomeReferredOn, measures[:1]...)}},
		{"cancelled", prescribing.SourceGP, []step{accept, contact, support, cancel}},
		{"cancelled-received", prescribing.SourcePolice, []step{cancel}},
		{"entered-in-error", prescribing.SourceGP, []step{accept, inError}},
	}
	out := make([]Story, 0, len(paths))
	for i, p := range paths {
		patientID := prescribing.NewID[prescribing.Patient](ids)
		patient, _, err := prescribing.RegisterPatient(patientID, practice.ID(), Details(i), Day(0))
		if err != nil {
			return nil, err
		}
		referrer := "Dr Patel"
		if p.source == prescribing.SourceSelf {
			referrer = ""
		}
		r, _, err := prescribing.ReceiveReferral(prescribing.NewReferral{
			ID: prescribing.NewID[prescribing.Referral](ids), Patient: patientID, Practice: practice.ID(),
			Source: p.source, Referrer: referrer, Needs: []prescribing.Need{prescribing.NeedSocialIsolation},
		}, Day(0))
		if err != nil {
			return nil, err
		}
		consents, _, err := prescribing.OpenConsents(patientID, Day(0))
		if err != nil {
			return nil, err
		}
		for j, s := range p.steps {
			if err := s(&r, &consents, Day(1+j)); err != nil {
				return nil, fmt.Errorf("story %s, step %d: %w", p.name, j+1, err)
			}
		}
		lw := prescribing.LinkWorker{}
		switch r.LinkWorker() {
		case worker.ID():
			lw = worker
		case other.ID():
			lw = other
		}
		out = append(out, Story{Name: p.name, Records: fhir.Records{
			Referral: r, Patient: patient, Practice: practice, LinkWorker: lw, Consents: consents}})
	}
	return out, nil
}

// Details returns invented personal details, the i-th of a few, with a
// valid NHS number. One in six has a no-break space in the given name.
func Details(i int) prescribing.PersonalDetails {
	numbers := []string{"9434765919", "9434765870", "9434765862", "9434765854", "9434765846", "9434765838"}
	n, _ := prescribing.ParseNHSNumber(numbers[i%len(numbers)]) // all valid: TestDetailsHaveValidNHSNumbers
	given := "Ann"
	if i%len(numbers) == 5 {
		given = "Zoë\u00a0Anne" // a no-break space, which FHIR strings cannot hold
	}
	return prescribing.PersonalDetails{
		GivenName: given, FamilyName: fmt.Sprintf("Example-%d", i),
		DateOfBirth: time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC),
		NHSNumber:   n,
		Contact: prescribing.ContactDetails{Phone: "01632 960001", Email: "ann@example.org",
			Address: "1 Example Street, Riverside", Postcode: "AB1 2CD"},
	}
}

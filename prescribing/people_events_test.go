package prescribing

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEV_1_EveryPeopleEventCarriesTheTimeGiven: each live operation of the
// people side is given its own time, in a zone other than UTC, and the
// event it returns reports exactly that instant, stamped in UTC, as its
// EventTime. Every event type of the people side is covered.
func TestEV_1_EveryPeopleEventCarriesTheTimeGiven(t *testing.T) {
	f := newFixture(t)
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	n := 0
	next := func() time.Time { // a new day and minute each time, so no two events share a time
		n++
		return f.tick().Add(time.Duration(n) * time.Minute).In(zone)
	}
	seen := map[string]bool{}
	check := func(e Event, at time.Time, err error) {
		t.Helper()
		require.NoError(t, err)
		assert.Equal(t, at.UTC(), e.EventTime(), e.EventType())
		assert.True(t, at.Equal(e.EventTime()), e.EventType())
		seen[e.EventType()] = true
	}

	at := next()
	p, reg, err := RegisterPatient(f.pat, f.prac, examplePatientDetails(t), at)
	check(reg, at, err)
	at = next()
	changed, err := p.UpdateDetails(examplePatientDetails(t), at)
	check(changed, at, err)
	at = next()
	risk, err := p.RecordRiskAssessment(at, f.lw)
	check(risk, at, err)
	at = next()
	anon, err := p.Anonymise(at)
	check(anon, at, err)

	at = next()
	c, opened, err := OpenConsents(f.pat, at)
	check(opened, at, err)
	asset := NewID[Asset](f.ids)
	at = next()
	given, err := c.Give(ConsentScopeShareWithAsset, asset, at)
	check(given, at, err)
	at = next()
	shared, err := c.ShareWithAsset(asset, at)
	check(shared, at, err)
	at = next()
	withdrawn, err := c.Withdraw(ConsentScopeShareWithAsset, asset, at)
	check(withdrawn, at, err)

	at = next()
	a, listed, err := ListAsset(NewID[Asset](f.ids), lunchClub(2), AssetStatusActive, at)
	check(listed, at, err)
	at = next()
	updated, err := a.Update(lunchClub(3), at)
	check(updated, at, err)
	at = next()
	taken, err := a.TakePlace(ReferralID{}, at)
	check(taken, at, err)
	at = next()
	released, err := a.ReleasePlace(ReferralID{}, at)
	check(released, at, err)
	at = next()
	status, err := a.SetStatus(AssetStatusInactive, at)
	check(status, at, err)

	at = next()
	contact := ContactRecorded{Referral: NewID[Referral](f.ids), Patient: f.pat, LinkWorker: f.lw,
		Contact: Contact{ID: NewID[Contact](f.ids), At: at.UTC(), Mode: ContactModeVideo}}
	check(contact, at, nil)
	at = next()
	concern, raised, err := RaiseConcern(NewID[Concern](f.ids), contact, at)
	check(raised, at, err)
	at = next()
	escalated, err := concern.Escalate("Priya Shah", at)
	check(escalated, at, err)

	at = next()
	m, mopened, err := OpenMeasures(f.pat, at)
	check(mopened, at, err)
	at = next()
	ons, err := m.RecordONS4(ReferralID{}, ONS4{Happiness: ScoreOf(7)}, at)
	check(ons, at, err)
	at = next()
	swe, err := m.RecordSWEMWBS(ReferralID{}, SWEMWBS{}, at)
	check(swe, at, err)

	at = next()
	pr, pregistered, err := RegisterPractice(f.prac, PracticeDetails{Name: "Mill Lane Surgery"}, at)
	check(pregistered, at, err)
	at = next()
	pchanged, err := pr.Change(PracticeDetails{Name: "Mill Lane Health Centre"}, at)
	check(pchanged, at, err)
	at = next()
	pcn, nregistered, err := RegisterPCN(NewID[PCN](f.ids), PCNDetails{Name: "Riverside PCN"}, at)
	check(nregistered, at, err)
	at = next()
	nchanged, err := pcn.AddPractice(f.prac, at)
	check(nchanged, at, err)
	at = next()
	w, wregistered, err := RegisterLinkWorker(f.lw, LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN}, at)
	check(wregistered, at, err)
	at = next()
	wchanged, err := w.AddPractice(f.prac, at)
	check(wchanged, at, err)

	for _, typ := range []string{
		"consent.opened", "measure.opened", "measure.ons4_recorded", "measure.swemwbs_recorded",
		"practice.registered", "practice.changed", "pcn.registered", "pcn.changed",
		"link_worker.registered", "link_worker.changed",
		"patient.registered", "patient.details_changed", "patient.risk_assessed", "patient.anonymised",
		"consent.given", "consent.details_shared", "consent.withdrawn",
		"asset.listed", "asset.updated", "asset.place_taken", "asset.place_released", "asset.status_changed",
		"referral.contact_recorded", "safeguarding.concern_raised", "safeguarding.concern_escalated",
	} {
		assert.True(t, seen[typ], "%s not covered", typ)
	}
}

package prescribing

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (f *fixture) contact(mode ContactMode, minutes int, attended bool) Contact {
	return Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: mode, Minutes: minutes, Attended: attended}
}

func TestCASE_1_ContactRecordsTimeModeLengthAndAttendance(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	c := f.contact(ContactModeVideo, 30, true)
	e, err := r.RecordContact(c, ContactRules{})
	require.NoError(t, err)
	assert.Equal(t, c, e.Contact)
	assert.Equal(t, r.ID(), e.Referral)
	assert.Equal(t, f.pat, e.Patient)
	assert.Equal(t, f.lw, e.LinkWorker)
	assert.Equal(t, c.At, e.EventTime())

	_, err = r.RecordContact(f.contact(ContactModeTelephone, 0, false), ContactRules{})
	require.NoError(t, err)
	_, err = r.RecordContact(f.contact(ContactModeVideo, 5, true), ContactRules{})
	require.NoError(t, err)
	recorded, attended := r.ContactCount()
	assert.Equal(t, 3, recorded, "counting contacts per referral is direct")
	assert.Equal(t, 2, attended)

	// Contacts reach the message back to the GP.
	_, err = r.Close(f.tick(), OutcomeNeedsMetWithoutConnection)
	require.NoError(t, err)
	msg, ok := r.ClosureMessage()
	require.True(t, ok)
	assert.Equal(t, 3, msg.Contacts)
	assert.Equal(t, 2, msg.Attended)
	assert.Contains(t, msg.Text(""), "Contacts: 3 recorded, 2 attended")
}

func TestCASE_1_BadContactsAreRefused(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	for name, c := range map[string]Contact{
		"no ID":            {At: f.tick(), Mode: ContactModePractice},
		"no mode":          {ID: NewID[Contact](f.ids), At: f.tick()},
		"negative minutes": {ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModePractice, Minutes: -5},
	} {
		_, err := r.RecordContact(c, ContactRules{})
		assert.ErrorIs(t, err, ErrMissingDetail, name)
	}
	_, err := r.RecordContact(Contact{ID: NewID[Contact](f.ids), At: r.UpdatedAt().Add(-time.Hour), Mode: ContactModePractice}, ContactRules{})
	assert.ErrorIs(t, err, ErrTimeWentBackwards)

	received, _ := f.referralIn(StateReceived)
	_, err = received.RecordContact(f.contact(ContactModePractice, 10, true), ContactRules{})
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "no contacts before a link worker takes the referral")
	closed, _ := f.referralIn(StateClosed)
	_, err = closed.RecordContact(f.contact(ContactModePractice, 10, true), ContactRules{})
	assert.ErrorIs(t, err, ErrUnexpectedEvent)

	// A replayed contact must be about the referral's own patient.
	e := ContactRecorded{Referral: r.ID(), Patient: NewID[Patient](f.ids), LinkWorker: f.lw, Contact: f.contact(ContactModePractice, 10, true)}
	assert.ErrorIs(t, r.Apply(e), ErrWrongSubject)
}

func TestCASE_1_ContactsNeverCarrySNOMEDCodes(t *testing.T) {
	// REF-6 says codes are never recorded for later contacts; a contact
	// record has no place for one, and the referral's code is unchanged.
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	code, at, _ := r.SNOMED()
	_, err := r.RecordContact(f.contact(ContactModePractice, 40, true), ContactRules{})
	require.NoError(t, err)
	code2, at2, _ := r.SNOMED()
	assert.Equal(t, code, code2)
	assert.Equal(t, at, at2)
}

func TestCASE_2_CaseloadAgainstGuidance(t *testing.T) {
	f := newFixture(t)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	other := NewID[LinkWorker](f.ids)

	// 210 people: 200 with 8 attended contacts, 10 with 2 attended and one
	// missed; plus contacts that must not count.
	var contacts []ContactRecorded
	add := func(p PatientID, lw LinkWorkerID, at time.Time, attended bool) {
		contacts = append(contacts, ContactRecorded{Referral: NewID[Referral](f.ids), Patient: p, LinkWorker: lw,
			Contact: Contact{ID: NewID[Contact](f.ids), At: at, Mode: ContactModeTelephone, Minutes: 20, Attended: attended}})
	}
	for i := range 210 {
		p := NewID[Patient](f.ids)
		n := 8
		if i >= 200 {
			n = 2
			add(p, f.lw, from.AddDate(0, 3, 0), false)
		}
		for k := range n {
			add(p, f.lw, from.AddDate(0, 0, i%40+k*40), true) // all within the year
		}
	}
	add(NewID[Patient](f.ids), other, from.AddDate(0, 1, 0), true) // another link worker
	add(NewID[Patient](f.ids), f.lw, from.AddDate(0, 0, -1), true) // before the period
	add(NewID[Patient](f.ids), f.lw, to, true)                     // at the end: outside

	rep, err := Caseload(f.lw, from, to, contacts, Guidance{})
	require.NoError(t, err)
	assert.Equal(t, 210, rep.People)
	assert.Equal(t, 200*8+10*3, rep.Contacts)
	assert.Equal(t, 200*8+10*2, rep.Attended)
	assert.InDelta(t, 210/(365.0/365.25), rep.PeoplePerYear, 1e-9)
	assert.Equal(t, GuidanceLevelWithin, rep.PeopleLevel)
	assert.InDelta(t, 1620.0/210, rep.ContactsPerPerson, 1e-9)
	assert.Equal(t, GuidanceLevelWithin, rep.ContactsLevel)
	assert.Equal(t, 10, rep.PeopleUnder)
	assert.Equal(t, 200, rep.PeopleWithin)
	assert.Equal(t, 0, rep.PeopleOver)
	assert.Equal(t, NHSEnglandGuidance(), rep.Guidance)
	assert.Equal(t, "210 people a year (within 200-250), 7.7 contacts each (within 6-12)", rep.Summary())

	// Half a year with the same people is over the yearly caseload, and a
	// caller's own guidance is used when given.
	half, err := Caseload(f.lw, from, from.AddDate(0, 6, 0), contacts, Guidance{
		ContactsPerPerson: Range{Min: 1, Max: 3}, PeoplePerYear: Range{Min: 100, Max: 150}})
	require.NoError(t, err)
	assert.Equal(t, GuidanceLevelOver, half.PeopleLevel)
	assert.Equal(t, Range{Min: 1, Max: 3}, half.Guidance.ContactsPerPerson)

	empty, err := Caseload(other, from, to, nil, Guidance{})
	require.NoError(t, err)
	assert.Equal(t, GuidanceLevelUnder, empty.PeopleLevel)
	assert.Zero(t, empty.ContactsLevel, "no people, no contacts per person")
	assert.Contains(t, empty.Summary(), "no contacts")

	_, err = Caseload(f.lw, to, from, contacts, Guidance{})
	assert.ErrorIs(t, err, ErrInvalidPeriod)
}

func TestCASE_2_GuidanceNeverRefusesWork(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	var contacts []ContactRecorded
	for range 40 { // far over 12 contacts per person
		e, err := r.RecordContact(f.contact(ContactModeTelephone, 10, true), ContactRules{})
		require.NoError(t, err)
		contacts = append(contacts, e)
	}
	rep, err := Caseload(f.lw, contacts[0].Contact.At, f.tick(), contacts, Guidance{})
	require.NoError(t, err)
	assert.Equal(t, GuidanceLevelOver, rep.ContactsLevel)
	assert.Equal(t, 1, rep.PeopleOver)
}

func TestCASE_3_HomeVisitNeedsACurrentRiskAssessment(t *testing.T) {
	f := newFixture(t)
	p, _, err := RegisterPatient(f.pat, f.prac, PersonalDetails{}, f.tick())
	require.NoError(t, err)
	r, _ := f.referralIn(StateInSupport)

	visit := f.contact(ContactModeHomeVisit, 60, true)
	_, err = r.RecordContact(visit, ContactRules{})
	require.ErrorIs(t, err, ErrNoRiskAssessment)
	assert.Contains(t, err.Error(), "none recorded")
	assert.Contains(t, err.Error(), "CASE-3")

	assessedAt := f.tick()
	_, err = p.RecordRiskAssessment(assessedAt, f.lw)
	require.NoError(t, err)
	assert.Equal(t, assessedAt, p.RiskAssessedAt())

	visit = f.contact(ContactModeHomeVisit, 60, true)
	visit.RiskAssessedAt = p.RiskAssessedAt()
	_, err = r.RecordContact(visit, ContactRules{})
	require.NoError(t, err)

	// 12 months later to the day it is still current; a day after, not.
	policy := ContactRules{}
	assert.True(t, policy.RiskAssessmentCurrent(assessedAt, assessedAt.AddDate(1, 0, 0)))
	assert.False(t, policy.RiskAssessmentCurrent(assessedAt, assessedAt.AddDate(1, 0, 1)))
	assert.False(t, policy.RiskAssessmentCurrent(assessedAt, assessedAt.Add(-time.Hour)), "an assessment after the visit")
	late := Contact{ID: NewID[Contact](f.ids), At: assessedAt.AddDate(1, 0, 1), Mode: ContactModeHomeVisit, Minutes: 60,
		Attended: true, RiskAssessedAt: assessedAt}
	_, err = r.RecordContact(late, policy)
	require.ErrorIs(t, err, ErrNoRiskAssessment)
	assert.Contains(t, err.Error(), "the last was recorded")

	// The period is the caller's to set.
	_, err = r.RecordContact(late, ContactRules{RiskAssessmentMonths: 18})
	require.NoError(t, err)
	f.now = late.At

	// Other modes need no assessment.
	_, err = r.RecordContact(f.contact(ContactModeCommunityVenue, 30, true), ContactRules{})
	require.NoError(t, err)

	// Replay refuses a home visit that records no earlier assessment.
	bad := ContactRecorded{Referral: r.ID(), Patient: f.pat, LinkWorker: f.lw, Contact: f.contact(ContactModeHomeVisit, 30, true)}
	assert.ErrorIs(t, r.Apply(bad), ErrNoRiskAssessment)
	_, err = p.RecordRiskAssessment(f.tick(), LinkWorkerID{})
	assert.ErrorIs(t, err, ErrMissingDetail)
}

// TestCASE_2_GuidanceBoundsAreWithin checks both sides of each bound of the
// guidance: exactly the minimum or maximum is within, anything past it is
// under or over, for the caseload and for contacts per person.
func TestCASE_2_GuidanceBoundsAreWithin(t *testing.T) {
	f := newFixture(t)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	year := from.Add(time.Duration(365.25 * 24 * float64(time.Hour))) // exactly one year as Caseload counts it
	caseload := func(people, contactsEach int) CaseloadReport {
		var contacts []ContactRecorded
		for range people {
			p := NewID[Patient](f.ids)
			for k := range contactsEach {
				contacts = append(contacts, ContactRecorded{Referral: NewID[Referral](f.ids), Patient: p, LinkWorker: f.lw,
					Contact: Contact{ID: NewID[Contact](f.ids), At: from.Add(time.Duration(k) * time.Hour), Mode: ContactModeVideo, Attended: true}})
			}
		}
		rep, err := Caseload(f.lw, from, year, contacts, Guidance{})
		require.NoError(t, err)
		return rep
	}
	for _, c := range []struct {
		people, contacts int
		peopleLevel      GuidanceLevel
		contactsLevel    GuidanceLevel
	}{
		{199, 6, GuidanceLevelUnder, GuidanceLevelWithin},
		{200, 5, GuidanceLevelWithin, GuidanceLevelUnder},
		{250, 12, GuidanceLevelWithin, GuidanceLevelWithin},
		{251, 13, GuidanceLevelOver, GuidanceLevelOver},
	} {
		rep := caseload(c.people, c.contacts)
		assert.Equal(t, float64(c.people), rep.PeoplePerYear, "%d people", c.people)
		assert.Equal(t, c.peopleLevel, rep.PeopleLevel, "%d people a year", c.people)
		assert.Equal(t, c.contactsLevel, rep.ContactsLevel, "%d contacts each", c.contacts)
		var each int
		switch c.contactsLevel {
		case GuidanceLevelUnder:
			each = rep.PeopleUnder
		case GuidanceLevelWithin:
			each = rep.PeopleWithin
		case GuidanceLevelOver:
			each = rep.PeopleOver
		}
		assert.Equal(t, c.people, each, "every person's own count is %s", c.contactsLevel)
	}

	r := Range{Min: 200, Max: 250}
	for v, want := range map[float64]GuidanceLevel{
		199.999: GuidanceLevelUnder, 200: GuidanceLevelWithin, 250: GuidanceLevelWithin, 250.001: GuidanceLevelOver,
		math.Inf(-1): GuidanceLevelUnder, math.Inf(1): GuidanceLevelOver,
	} {
		assert.Equal(t, want, r.Level(v), "%v", v)
	}
}

// TestCASE_2_NaNHasNoLevel: a NaN figure, or a range with a NaN bound, is
// never reported as within; it has no level (the zero Level, "unset").
func TestCASE_2_NaNHasNoLevel(t *testing.T) {
	for _, c := range []struct {
		r Range
		v float64
	}{
		{Range{Min: 6, Max: 12}, math.NaN()},
		{Range{Min: math.NaN(), Max: 12}, 8},
		{Range{Min: 6, Max: math.NaN()}, 8},
	} {
		l := c.r.Level(c.v)
		assert.Equal(t, GuidanceLevel(0), l, "%v in %v", c.v, c.r)
		assert.False(t, l.IsValid())
		assert.Equal(t, "unset", l.String())
	}
}

package prescribing

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refusal is one operation of the people side that must be refused: the
// values it returns with the error (all must be zero), the sentinels the
// error wraps and, where the operation makes an event, the event it would
// have made, which Apply must refuse as well (replay refuses what live
// refuses).
type refusal struct {
	name   string
	op     func(w *peopleWorld) ([]any, error)
	want   []error
	replay func(w *peopleWorld) (Applier, Event)
}

func peopleRefusals() []refusal {
	details := func(change func(*PersonalDetails)) func(w *peopleWorld) PersonalDetails {
		return func(w *peopleWorld) PersonalDetails {
			d := examplePatientDetails(w.f.t)
			change(&d)
			return d
		}
	}
	register := func(name string, d func(*PersonalDetails), at func(*peopleWorld) time.Time, want ...error) refusal {
		mk := details(d)
		return refusal{name: "RegisterPatient: " + name, want: want,
			op: func(w *peopleWorld) ([]any, error) {
				p, e, err := RegisterPatient(NewID[Patient](w.f.ids), w.f.prac, mk(w), at(w))
				return []any{p, e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &Patient{}, PatientRegistered{Patient: NewID[Patient](w.f.ids), Details: mk(w), At: Stamp(at(w))}
			}}
	}
	update := func(name string, d func(*PersonalDetails), want ...error) refusal {
		mk := details(d)
		return refusal{name: "UpdateDetails: " + name, want: want,
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.patient.UpdateDetails(mk(w), w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.patient, PatientDetailsChanged{Patient: w.patient.ID(), Details: mk(w), At: w.f.tick()}
			}}
	}
	now := func(w *peopleWorld) time.Time { return w.f.tick() }
	farFuture := func(*peopleWorld) time.Time { return yearAfter }
	listing := func(name string, change func(*AssetDetails), want ...error) refusal {
		return refusal{name: "ListAsset: " + name, want: append(want, ErrInvalidRecord),
			op: func(w *peopleWorld) ([]any, error) {
				d := lunchClub(2)
				change(&d)
				a, e, err := ListAsset(NewID[Asset](w.f.ids), d, AssetStatusActive, w.f.tick())
				return []any{a, e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				d := lunchClub(2)
				change(&d)
				return &Asset{}, AssetListed{Asset: NewID[Asset](w.f.ids), Details: d, Status: AssetStatusActive, At: w.f.tick()}
			}}
	}
	return []refusal{
		register("year 10000", func(*PersonalDetails) {}, farFuture, ErrTimeOutOfRange),
		register("year 0", func(*PersonalDetails) {}, func(*peopleWorld) time.Time { return yearZero }, ErrTimeOutOfRange),
		register("no time", func(*PersonalDetails) {}, func(*peopleWorld) time.Time { return time.Time{} }, ErrNoTime),
		register("name with NUL", func(d *PersonalDetails) { d.GivenName = withNUL }, now, ErrInvalidText),
		register("name not UTF-8", func(d *PersonalDetails) { d.FamilyName = invalidUTF8 }, now, ErrInvalidText),
		register("address too long", func(d *PersonalDetails) { d.Contact.Address = tooLong }, now, ErrInvalidText),
		register("email not UTF-8", func(d *PersonalDetails) { d.Contact.Email = invalidUTF8 }, now, ErrInvalidText),
		register("phone with NUL", func(d *PersonalDetails) { d.Contact.Phone = withNUL }, now, ErrInvalidText),
		register("postcode too long", func(d *PersonalDetails) { d.Contact.Postcode = tooLong }, now, ErrInvalidText),
		register("born in year 10000", func(d *PersonalDetails) { d.DateOfBirth = yearAfter }, now, ErrTimeOutOfRange),
		register("born in year 0", func(d *PersonalDetails) { d.DateOfBirth = time.Date(0, 5, 1, 0, 0, 0, 0, time.UTC) }, now, ErrTimeOutOfRange),
		register("born after registration", func(d *PersonalDetails) { d.DateOfBirth = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) },
			now, ErrInvalidPersonalDetails),
		{name: "RegisterPatient: no ID", want: []error{ErrInvalidID},
			op: func(w *peopleWorld) ([]any, error) {
				p, e, err := RegisterPatient(PatientID{}, w.f.prac, PersonalDetails{}, w.f.tick())
				return []any{p, e}, err
			}},
		{name: "Patient.Apply: date of birth not at midnight UTC", want: []error{ErrInvalidPersonalDetails},
			op: func(w *peopleWorld) ([]any, error) {
				d := examplePatientDetails(w.f.t)
				d.DateOfBirth = d.DateOfBirth.Add(time.Hour)
				return nil, w.patient.Apply(PatientDetailsChanged{Patient: w.patient.ID(), Details: d, At: w.f.tick()})
			}},
		{name: "Patient.Apply: date of birth in a zone", want: []error{ErrInvalidPersonalDetails},
			op: func(w *peopleWorld) ([]any, error) {
				d := examplePatientDetails(w.f.t)
				d.DateOfBirth = time.Date(1957, 3, 14, 0, 0, 0, 0, time.FixedZone("", 3600))
				return nil, w.patient.Apply(PatientDetailsChanged{Patient: w.patient.ID(), Details: d, At: w.f.tick()})
			}},
		update("name not UTF-8", func(d *PersonalDetails) { d.GivenName = invalidUTF8 }, ErrInvalidText),
		update("born in year 10000", func(d *PersonalDetails) { d.DateOfBirth = yearAfter }, ErrTimeOutOfRange),
		update("born after registration", func(d *PersonalDetails) { d.DateOfBirth = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) },
			ErrInvalidPersonalDetails),
		{name: "UpdateDetails: time went backwards", want: []error{ErrTimeWentBackwards},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.patient.UpdateDetails(PersonalDetails{}, w.patient.RegisteredAt().Add(-time.Second))
				return []any{e}, err
			}},
		{name: "UpdateDetails: year 10000", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.patient.UpdateDetails(PersonalDetails{}, yearAfter)
				return []any{e}, err
			}},
		{name: "RecordRiskAssessment: by nobody", want: []error{ErrMissingDetail},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.patient.RecordRiskAssessment(w.f.tick(), LinkWorkerID{})
				return []any{e}, err
			}},
		{name: "RecordRiskAssessment: year 10000", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.patient.RecordRiskAssessment(yearAfter, w.f.lw)
				return []any{e}, err
			}},
		{name: "Anonymise: year 0", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.patient.Anonymise(yearZero)
				return []any{e}, err
			}},
		{name: "Anonymise: someone else's record", want: []error{ErrUnexpectedEvent},
			op: func(w *peopleWorld) ([]any, error) {
				var none Patient
				e, err := none.Anonymise(w.f.tick())
				return []any{e}, err
			}},

		{name: "Give: scope out of vocabulary", want: []error{ErrUnknownValue},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.consents.Give(ConsentScope(17), AssetID{}, w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.consents, ConsentGiven{Patient: w.f.pat, Scope: ConsentScope(17), At: w.f.tick()}
			}},
		{name: "Give: unset scope", want: []error{ErrUnknownValue, ErrMissingDetail},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.consents.Give(ConsentScope(0), AssetID{}, w.f.tick())
				return []any{e}, err
			}},
		{name: "Give: no asset named", want: []error{ErrMissingDetail},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.consents.Give(ConsentScopeShareWithAsset, AssetID{}, w.f.tick())
				return []any{e}, err
			}},
		{name: "Give: year 10000", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.consents.Give(ConsentScopeContactByText, AssetID{}, yearAfter)
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.consents, ConsentGiven{Patient: w.f.pat, Scope: ConsentScopeContactByText, At: yearAfter}
			}},
		{name: "Withdraw: nothing given", want: []error{ErrNoConsent},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.consents.Withdraw(ConsentScopeContactByText, AssetID{}, w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.consents, ConsentWithdrawn{Patient: w.f.pat, Scope: ConsentScopeContactByText, At: w.f.tick()}
			}},
		{name: "Withdraw: scope out of vocabulary", want: []error{ErrUnknownValue},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.consents.Withdraw(ConsentScope(9), AssetID{}, w.f.tick())
				return []any{e}, err
			}},
		{name: "ShareWithAsset: no consent for that asset", want: []error{ErrNoConsent},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.consents.ShareWithAsset(NewID[Asset](w.f.ids), w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.consents, DetailsShared{Patient: w.f.pat, Asset: NewID[Asset](w.f.ids), At: w.f.tick()}
			}},
		{name: "ShareWithAsset: year 0", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.consents.ShareWithAsset(w.shared, yearZero)
				return []any{e}, err
			}},

		listing("name with NUL", func(d *AssetDetails) { d.Name = withNUL }, ErrInvalidText),
		listing("name too long", func(d *AssetDetails) { d.Name = tooLong }, ErrInvalidText),
		listing("blank name", func(d *AssetDetails) { d.Name = " \t " }),
		listing("need out of vocabulary", func(d *AssetDetails) { d.Needs = []Need{NeedMoney, Need(17)} }, ErrUnknownValue),
		listing("unset need", func(d *AssetDetails) { d.Needs = []Need{0} }, ErrUnknownValue),
		listing("language not UTF-8", func(d *AssetDetails) { d.Languages = []string{invalidUTF8} }, ErrInvalidText),
		listing("community too long", func(d *AssetDetails) { d.Communities = []string{tooLong} }, ErrInvalidText),
		{name: "ListAsset: status out of vocabulary", want: []error{ErrUnknownValue},
			op: func(w *peopleWorld) ([]any, error) {
				a, e, err := ListAsset(NewID[Asset](w.f.ids), lunchClub(1), AssetStatus(9), w.f.tick())
				return []any{a, e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &Asset{}, AssetListed{Asset: NewID[Asset](w.f.ids), Details: lunchClub(1), Status: 9, At: w.f.tick()}
			}},
		{name: "ListAsset: year 10000", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				a, e, err := ListAsset(NewID[Asset](w.f.ids), lunchClub(1), AssetStatusActive, yearAfter)
				return []any{a, e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &Asset{}, AssetListed{Asset: NewID[Asset](w.f.ids), Details: lunchClub(1), Status: AssetStatusActive, At: yearAfter}
			}},
		{name: "Update: language with NUL", want: []error{ErrInvalidText, ErrInvalidRecord},
			op: func(w *peopleWorld) ([]any, error) {
				d := lunchClub(3)
				d.Languages = []string{"en", withNUL}
				e, err := w.asset.Update(d, w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				d := lunchClub(3)
				d.Languages = []string{"en", withNUL}
				return &w.asset, AssetUpdated{Asset: w.asset.ID(), Details: d, At: w.f.tick()}
			}},
		{name: "Update: fewer places than in use", want: []error{ErrInvalidRecord},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.asset.Update(lunchClub(0), w.f.tick())
				return []any{e}, err
			}},
		{name: "SetStatus: out of vocabulary", want: []error{ErrUnknownValue},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.asset.SetStatus(AssetStatus(5), w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.asset, AssetStatusChanged{Asset: w.asset.ID(), From: AssetStatusActive, To: 5, At: w.f.tick()}
			}},
		{name: "SetStatus: unset", want: []error{ErrUnknownValue},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.asset.SetStatus(0, w.f.tick())
				return []any{e}, err
			}},
		{name: "SetStatus: year 10000", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.asset.SetStatus(AssetStatusInactive, yearAfter)
				return []any{e}, err
			}},
		{name: "TakePlace: full", want: []error{ErrAtCapacity},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.asset.TakePlace(NewID[Referral](w.f.ids), w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.asset, PlaceTaken{Asset: w.asset.ID(), At: w.f.tick()}
			}},
		{name: "TakePlace: year 10000", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.empty.TakePlace(NewID[Referral](w.f.ids), yearAfter)
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.empty, PlaceTaken{Asset: w.empty.ID(), At: yearAfter}
			}},
		{name: "ReleasePlace: none in use", want: []error{ErrNoPlaceInUse},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.empty.ReleasePlace(ReferralID{}, w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.empty, PlaceReleased{Asset: w.empty.ID(), At: w.f.tick()}
			}},
		{name: "ReleasePlace: another asset's event", want: []error{ErrWrongSubject},
			op: func(w *peopleWorld) ([]any, error) {
				return nil, w.asset.Apply(PlaceReleased{Asset: w.empty.ID(), At: w.f.tick()})
			}},

		{name: "RaiseConcern: year 10000", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				c, e, err := RaiseConcern(NewID[Concern](w.f.ids), w.contact, yearAfter)
				return []any{c, e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &Concern{}, ConcernRaised{Concern: NewID[Concern](w.f.ids), Referral: w.contact.Referral,
					Patient: w.f.pat, Contact: w.contact.Contact.ID, RaisedBy: w.f.lw, At: yearAfter}
			}},
		{name: "RaiseConcern: on no contact", want: []error{ErrInvalidID},
			op: func(w *peopleWorld) ([]any, error) {
				c, e, err := RaiseConcern(NewID[Concern](w.f.ids), ContactRecorded{}, w.f.tick())
				return []any{c, e}, err
			}},
		{name: "Escalate: blank lead", want: []error{ErrNoLead},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.concern.Escalate("  \n ", w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.concern, ConcernEscalated{Concern: w.concern.ID(), Lead: "  \n ", At: w.f.tick()}
			}},
		{name: "Escalate: lead not UTF-8", want: []error{ErrInvalidText},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.concern.Escalate(invalidUTF8, w.f.tick())
				return []any{e}, err
			},
			replay: func(w *peopleWorld) (Applier, Event) {
				return &w.concern, ConcernEscalated{Concern: w.concern.ID(), Lead: invalidUTF8, At: w.f.tick()}
			}},
		{name: "Escalate: lead too long", want: []error{ErrInvalidText},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.concern.Escalate(tooLong, w.f.tick())
				return []any{e}, err
			}},
		{name: "Escalate: year 10000", want: []error{ErrTimeOutOfRange},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.concern.Escalate("Priya Shah", yearAfter)
				return []any{e}, err
			}},
		{name: "Escalate: before it was raised", want: []error{ErrTimeWentBackwards},
			op: func(w *peopleWorld) ([]any, error) {
				e, err := w.concern.Escalate("Priya Shah", w.concern.RaisedAt().Add(-time.Minute))
				return []any{e}, err
			}},
	}
}

// TestEV_3_PeopleOperationsRefuseWhatCannotBeStoredOrReplayed tries every
// refusal of the people side: each returns an error wrapping its documented
// sentinels, the zero event (and zero record, for constructors), changes
// nothing, and Apply refuses the event the operation would have made.
func TestEV_3_PeopleOperationsRefuseWhatCannotBeStoredOrReplayed(t *testing.T) {
	for _, c := range peopleRefusals() {
		t.Run(c.name, func(t *testing.T) {
			w := newPeopleWorld(t)
			before := w.snapshot()
			got, err := c.op(w)
			require.Error(t, err)
			for _, want := range c.want {
				assert.ErrorIs(t, err, want)
			}
			for i, v := range got {
				assert.True(t, reflect.ValueOf(v).IsZero(), "returned value %d is not zero: %#v", i, v)
			}
			assert.Equal(t, before.patient, w.patient)
			assert.Equal(t, before.consents, w.consents)
			assert.Equal(t, before.asset, w.asset)
			assert.Equal(t, before.empty, w.empty)
			assert.Equal(t, before.concern, w.concern)
			if c.replay != nil {
				rec, e := c.replay(w)
				err := rec.Apply(e)
				require.Error(t, err, "Apply accepts what the live operation refuses")
				for _, want := range c.want {
					assert.ErrorIs(t, err, want, "Apply")
				}
			}
		})
	}
}

// TestEV_1_TextAtTheBoundIsAccepted shows the other side of the text bound:
// text of exactly MaxTextBytes is accepted everywhere the people side takes
// text, and stored and replayed unchanged.
func TestEV_1_TextAtTheBoundIsAccepted(t *testing.T) {
	w := newPeopleWorld(t)
	d := examplePatientDetails(t)
	d.GivenName, d.Contact.Address = longest, longest
	_, err := w.patient.UpdateDetails(d, w.f.tick())
	require.NoError(t, err)
	assert.Equal(t, longest, w.patient.Details().GivenName)
	a := lunchClub(2)
	a.Name, a.Languages = longest, []string{longest}
	_, err = w.empty.Update(a, w.f.tick())
	require.NoError(t, err)
	_, err = w.concern.Escalate(longest, w.f.tick())
	require.NoError(t, err)
	_, _, err = RegisterPractice(w.f.prac, PracticeDetails{Name: longest, ODSCode: longest}, w.f.tick())
	require.NoError(t, err)
	_, _, err = RegisterPCN(NewID[PCN](w.f.ids), PCNDetails{Name: longest}, w.f.tick())
	require.NoError(t, err)
	_, _, err = RegisterPatient(NewID[Patient](w.f.ids), w.f.prac, PersonalDetails{}, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC))
	require.NoError(t, err, "the last second of year 9999")
	_, _, err = RegisterPatient(NewID[Patient](w.f.ids), w.f.prac, PersonalDetails{}, time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC))
	require.NoError(t, err, "just after the zero time, in year 1")
}

func TestPeopleRecordsRefuseHostileInput(t *testing.T) {
	f := newFixture(t)
	prac := NewID[Practice](f.ids)
	var err error
	cases := []struct {
		name string
		err  error
		want []error
	}{
		{"practice name with NUL", PracticeDetails{Name: withNUL}.Validate(), []error{ErrInvalidRecord, ErrInvalidText}},
		{"practice blank name", PracticeDetails{Name: "   "}.Validate(), []error{ErrInvalidRecord}},
		{"practice ODS code not UTF-8", PracticeDetails{Name: "Mill Lane", ODSCode: invalidUTF8}.Validate(), []error{ErrInvalidRecord, ErrInvalidText}},
		{"PCN name too long", PCNDetails{Name: tooLong}.Validate(), []error{ErrInvalidRecord, ErrInvalidText}},
		{"PCN blank name", PCNDetails{Name: "\t"}.Validate(), []error{ErrInvalidRecord}},
		{"link worker title out of vocabulary", LinkWorkerDetails{Title: Title(9), Employer: EmployerPCN}.Validate(),
			[]error{ErrInvalidRecord, ErrUnknownValue}},
		{"link worker employer unset", LinkWorkerDetails{Title: TitleLinkWorker}.Validate(),
			[]error{ErrInvalidRecord, ErrUnknownValue}},
		{"contact mode out of vocabulary", Contact{ID: NewID[Contact](f.ids), At: f.now, Mode: ContactMode(7)}.Validate(),
			[]error{ErrUnknownValue}},
		{"contact in year 10000", Contact{ID: NewID[Contact](f.ids), At: yearAfter, Mode: ContactModeVideo}.Validate(),
			[]error{ErrTimeOutOfRange}},
		{"contact without time", Contact{ID: NewID[Contact](f.ids), Mode: ContactModeVideo}.Validate(), []error{ErrNoTime}},
		{"risk assessed in year 0", Contact{ID: NewID[Contact](f.ids), At: f.now, Mode: ContactModeHomeVisit, RiskAssessedAt: yearZero}.Validate(),
			[]error{ErrTimeOutOfRange}},
		{"contact without ID", Contact{At: f.now, Mode: ContactModeVideo}.Validate(), []error{ErrMissingDetail}},
		{"guidance NaN", Guidance{ContactsPerPerson: Range{Min: math.NaN(), Max: 12}, PeoplePerYear: Range{Min: 1, Max: 2}}.Validate(),
			[]error{ErrNotFinite, ErrInvalidGuidance}},
		{"guidance infinite", Range{Min: 0, Max: math.Inf(1)}.Validate(), []error{ErrNotFinite, ErrInvalidGuidance}},
		{"guidance upside down", Range{Min: 12, Max: 6}.Validate(), []error{ErrInvalidGuidance}},
		{"safeguarding limit too long", SafeguardingRules{EscalateWithinWorkingDays: MaxEscalationWorkingDays + 1}.Validate(),
			[]error{ErrInvalidRecord}},
		{"safeguarding holiday in year 10000", SafeguardingRules{Holidays: []time.Time{yearAfter}}.Validate(),
			[]error{ErrInvalidRecord, ErrTimeOutOfRange}},
	}
	for _, c := range cases {
		require.Error(t, c.err, c.name)
		for _, want := range c.want {
			assert.ErrorIs(t, c.err, want, c.name)
		}
	}
	assert.NoError(t, Contact{ID: NewID[Contact](f.ids), At: f.now, Mode: ContactModeHomeVisit, RiskAssessedAt: f.now}.Validate())
	assert.NoError(t, SafeguardingRules{EscalateWithinWorkingDays: MaxEscalationWorkingDays}.Validate())
	assert.NoError(t, ContactRules{RiskAssessmentMonths: MaxRiskAssessmentMonths}.Validate())
	assert.ErrorIs(t, ContactRules{RiskAssessmentMonths: MaxRiskAssessmentMonths + 1}.Validate(), ErrInvalidRecord)
	assert.ErrorIs(t, ContactRules{RiskAssessmentMonths: -1}.Validate(), ErrInvalidRecord)
	assert.NoError(t, ContactRules{}.Validate(), "zero means the default")
	assert.NoError(t, NHSEnglandGuidance().Validate())

	// Caseload refuses guidance it cannot read and periods JSON cannot carry.
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = Caseload(f.lw, from, from.AddDate(1, 0, 0), nil, Guidance{PeoplePerYear: Range{Min: math.NaN(), Max: 250}})
	assert.ErrorIs(t, err, ErrNotFinite)
	_, err = Caseload(f.lw, from, yearAfter, nil, Guidance{})
	assert.ErrorIs(t, err, ErrInvalidPeriod)
	assert.ErrorIs(t, err, ErrTimeOutOfRange)

	// Adding a practice refuses a zero or listed one and changes nothing.
	w, _, err := RegisterLinkWorker(f.lw, LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN, Practices: []PracticeID{prac}}, f.tick())
	require.NoError(t, err)
	for _, p := range []PracticeID{{}, prac} {
		e, err := w.AddPractice(p, f.tick())
		assert.ErrorIs(t, err, ErrInvalidRecord)
		assert.Zero(t, e)
	}
	assert.Equal(t, []PracticeID{prac}, w.Practices())
	assert.Equal(t, 1, w.Version())
	n, _, err := RegisterPCN(NewID[PCN](f.ids), PCNDetails{Name: "Riverside", Practices: []PracticeID{prac}}, f.tick())
	require.NoError(t, err)
	e, err := n.AddPractice(prac, f.tick())
	assert.ErrorIs(t, err, ErrInvalidRecord)
	assert.Zero(t, e)
	assert.Equal(t, []PracticeID{prac}, n.Practices())
}

// TestASSET_1_MatchingRefusesValuesOutsideTheVocabularies: a profile's
// needs and barriers must be named values.
func TestASSET_1_MatchingRefusesValuesOutsideTheVocabularies(t *testing.T) {
	f := newFixture(t)
	assets := f.directory(t)
	_, err := MatchAssets(Profile{Needs: []Need{Need(17)}}, assets)
	assert.ErrorIs(t, err, ErrUnknownValue)
	assert.ErrorIs(t, err, ErrMissingDetail)
	_, err = MatchAssets(Profile{Needs: []Need{NeedMoney}, Barriers: []Barrier{0}}, assets)
	assert.ErrorIs(t, err, ErrUnknownValue)
}

package prescribing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The property test of the people side (the proof): random
// sequences of operations on a Patient, its Consents, an Asset, a Concern
// and the people records, mixing valid operations with refused ones and
// hostile input. Every refusal must return zero values, leave the record
// as it was and wrap a documented sentinel; every accepted event is kept,
// and at the end the kept events go through the codec as JSON Lines and are
// replayed into fresh records, which must equal the live ones.

const (
	peopleSequences = 200
	peopleSteps     = 60
)

// documentedSentinels are the errors the people side's refusals wrap.
var documentedSentinels = []error{
	ErrTimeOutOfRange, ErrInvalidText, ErrNotFinite, ErrUnknownValue, ErrMissingDetail, ErrNoTime,
	ErrTimeWentBackwards, ErrWrongSubject, ErrUnexpectedEvent, ErrInvalidID, ErrAnonymised,
	ErrInvalidPersonalDetails, ErrNoConsent, ErrInvalidRecord, ErrAtCapacity, ErrNotActive,
	ErrNoPlaceInUse, ErrNoLead, ErrAlreadyEscalated,
}

// peopleRun is the state of one random sequence.
type peopleRun struct {
	t   *testing.T
	r   *rand.Rand
	ids IDSource
	now time.Time

	patientID PatientID
	assetID   AssetID
	concernID ConcernID
	assets    []AssetID // consent and sharing pick from these

	patient  Patient
	consents Consents
	asset    Asset
	concern  Concern
	contact  ContactRecorded
	workers  LinkWorker
	pcn      PCN

	kept     []Event
	refused  int
	accepted int
	// outcomes counts, per operation, how often it was accepted ([0]) and
	// refused ([1]), across sequences.
	outcomes map[string]*[2]int
}

var zones = []*time.Location{
	time.UTC,
	time.FixedZone("UTC-12", -12*3600),
	time.FixedZone("UTC+5:45", 5*3600+45*60),
}

func init() {
	for _, name := range []string{"Europe/London", "America/New_York", "Pacific/Kiritimati", "Australia/Lord_Howe"} {
		if loc, err := time.LoadLocation(name); err == nil {
			zones = append(zones, loc)
		}
	}
}

// at returns the time of the next operation: mostly later than the last, in
// any zone, sometimes earlier, zero, or outside the years JSON carries.
func (p *peopleRun) at() time.Time {
	switch n := p.r.IntN(100); {
	case n < 6:
		return p.now.Add(-time.Duration(1+p.r.IntN(100)) * time.Hour) // backwards
	case n < 10:
		return time.Date(10000+p.r.IntN(3), time.Month(1+p.r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
	case n < 13:
		return time.Date(-p.r.IntN(3), 12, 31, 23, 0, 0, 0, time.UTC)
	case n < 15:
		return time.Time{}
	default:
		p.now = p.now.Add(time.Duration(1+p.r.IntN(72*60)) * time.Minute).Add(time.Duration(p.r.IntN(1000)) * time.Nanosecond)
		return p.now.In(zones[p.r.IntN(len(zones))])
	}
}

// text returns free text: valid, at the bound, or hostile.
func (p *peopleRun) text() string {
	valid := []string{"Priya Shah", "Zoë Ñandú-Okafor", "OX4 1AB", "en", "pl", "Mill Lane lunch club",
		"🙂 tea & chat", longest, "line\u2028separator", "<b>&amp;</b>"}
	hostile := []string{"", "   ", "\t\n", invalidUTF8, withNUL, tooLong}
	if p.r.IntN(3) > 0 {
		return valid[p.r.IntN(len(valid))]
	}
	return hostile[p.r.IntN(len(hostile))]
}

func (p *peopleRun) details() PersonalDetails {
	d := PersonalDetails{GivenName: p.text(), FamilyName: p.text(),
		Contact: ContactDetails{Phone: p.text(), Email: p.text(), Address: p.text(), Postcode: p.text()}}
	if p.r.IntN(3) > 0 {
		d = PersonalDetails{GivenName: "Adaeze", FamilyName: "Okonkwo-Smith"}
	}
	switch n := p.r.IntN(10); {
	case n < 5:
		loc := zones[p.r.IntN(len(zones))]
		d.DateOfBirth = time.Date(1900+p.r.IntN(126), time.Month(1+p.r.IntN(12)), 1+p.r.IntN(28),
			p.r.IntN(24), p.r.IntN(60), 0, 0, loc)
	case n < 6:
		d.DateOfBirth = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	case n < 7:
		d.DateOfBirth = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) // after any registration here
	}
	if p.r.IntN(2) == 0 {
		n, err := ParseNHSNumber("943 476 5919")
		require.NoError(p.t, err)
		d.NHSNumber = n
	}
	return d
}

func (p *peopleRun) assetDetails() AssetDetails {
	d := lunchClub(p.r.IntN(4))
	if p.r.IntN(3) == 0 {
		d.Name = p.text()
	}
	if p.r.IntN(4) == 0 {
		d.Needs = []Need{Need(p.r.IntN(15))}
	}
	if p.r.IntN(4) == 0 {
		d.Languages = append(d.Languages, p.text())
	}
	if p.r.IntN(5) == 0 {
		d.Places, d.OpenAccess = 0, true
	}
	if p.r.IntN(8) == 0 {
		d.Places = -1
	}
	if p.r.IntN(6) == 0 {
		d.CulturallySpecific, d.Communities = true, []string{p.text()}
	}
	return d
}

// pick returns one of the IDs, or (sometimes) a stranger's.
func pick[E any](p *peopleRun, own ID[E]) ID[E] {
	switch p.r.IntN(12) {
	case 0:
		return ID[E]{}
	case 1:
		return NewID[E](p.ids)
	default:
		return own
	}
}

// step runs one operation: op returns what the operation returned (all
// zero on refusal) and its error; record is the record it may change.
func (p *peopleRun) step(name string, record any, op func() ([]any, Event, error)) {
	t := p.t
	before := deepCopy(record)
	got, e, err := op()
	if p.outcomes[name] == nil {
		p.outcomes[name] = &[2]int{}
	}
	if err != nil {
		p.outcomes[name][1]++
		p.refused++
		for i, v := range got {
			require.True(t, v == nil || reflect.ValueOf(v).IsZero(), "%s: refused with a non-zero value %d: %#v (%v)", name, i, v, err)
		}
		require.Equal(t, before, deepCopy(record), "%s: refused (%v) but changed the record", name, err)
		require.True(t, wrapsOneOf(err, documentedSentinels), "%s: %v wraps no documented sentinel", name, err)
		return
	}
	p.outcomes[name][0]++
	p.accepted++
	if e != nil {
		p.kept = append(p.kept, e)
	}
}

func wrapsOneOf(err error, targets []error) bool {
	for _, s := range targets {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// deepCopy returns a copy of the record pointed to that shares no lists
// with it, so that a change made in place would show.
func deepCopy(record any) any {
	switch r := record.(type) {
	case *Patient:
		return *r
	case *Consents:
		c := *r
		c.grants = append([]consentGrant(nil), r.grants...)
		return c
	case *Asset:
		a := *r
		a.details.Needs = append([]Need(nil), r.details.Needs...)
		a.details.Languages = append([]string(nil), r.details.Languages...)
		a.details.Communities = append([]string(nil), r.details.Communities...)
		return a
	case *Concern:
		return *r
	case *LinkWorker:
		w := *r
		w.Practices = append([]PracticeID(nil), r.Practices...)
		return w
	case *PCN:
		n := *r
		n.Practices = append([]PracticeID(nil), r.Practices...)
		return n
	default:
		panic(fmt.Sprintf("deepCopy: %T", record))
	}
}

func (p *peopleRun) operation() {
	r := p.r
	op := r.IntN(24)
	// Records that do not exist yet are mostly created first, so that the
	// operations on them are tried on something.
	switch {
	case p.patient.ID().IsZero() && r.IntN(2) == 0:
		op = 0
	case p.asset.ID().IsZero() && r.IntN(2) == 0:
		op = 11
	case p.concern.ID().IsZero() && r.IntN(3) == 0:
		op = 18
	}
	switch op {
	case 0: // register the patient, or try to register it again
		at, d := p.at(), p.details()
		if p.patient.ID().IsZero() {
			p.step("RegisterPatient", &p.patient, func() ([]any, Event, error) {
				v, e, err := RegisterPatient(pick(p, p.patientID), PracticeID{}, d, at)
				if err == nil && v.ID() != p.patientID {
					return []any{v, e}, nil, nil // a stranger registered: not this record's
				}
				if err == nil {
					p.patient = v
				}
				return []any{v, e}, e, err
			})
			return
		}
		p.step("Apply(PatientRegistered)", &p.patient, func() ([]any, Event, error) {
			return nil, nil, p.patient.Apply(PatientRegistered{Patient: p.patientID, Details: d.normalised(), At: Stamp(at)})
		})
	case 1, 2:
		at, d := p.at(), p.details()
		p.step("UpdateDetails", &p.patient, func() ([]any, Event, error) {
			e, err := p.patient.UpdateDetails(d, at)
			return []any{e}, e, err
		})
	case 3:
		at, by := p.at(), pick(p, NewID[LinkWorker](p.ids))
		p.step("RecordRiskAssessment", &p.patient, func() ([]any, Event, error) {
			e, err := p.patient.RecordRiskAssessment(at, by)
			return []any{e}, e, err
		})
	case 4:
		if r.IntN(3) > 0 {
			return // anonymising ends the patient's story; keep it rare
		}
		at := p.at()
		p.step("Anonymise", &p.patient, func() ([]any, Event, error) {
			e, err := p.patient.Anonymise(at)
			return []any{e}, e, err
		})
	case 5: // a stranger's event, or one with a date of birth that is not a date
		at := p.at()
		d := p.details()
		p.step("Apply(foreign patient event)", &p.patient, func() ([]any, Event, error) {
			if r.IntN(2) == 0 {
				return nil, nil, p.patient.Apply(PatientDetailsChanged{Patient: NewID[Patient](p.ids), Details: d.normalised(), At: Stamp(at)})
			}
			d.DateOfBirth = time.Date(1960, 5, 5, 1+r.IntN(23), 0, 0, 0, time.UTC)
			e := PatientDetailsChanged{Patient: p.patientID, Details: d, At: Stamp(at)}
			return nil, nil, p.patient.Apply(e)
		})

	case 6, 7:
		scope, asset, at := ConsentScope(r.IntN(5)), p.consentAsset(), p.at()
		p.step("Give", &p.consents, func() ([]any, Event, error) {
			e, err := p.consents.Give(scope, asset, at)
			return []any{e}, e, err
		})
	case 8:
		scope, asset, at := ConsentScope(r.IntN(5)), p.consentAsset(), p.at()
		p.step("Withdraw", &p.consents, func() ([]any, Event, error) {
			e, err := p.consents.Withdraw(scope, asset, at)
			return []any{e}, e, err
		})
	case 9:
		asset, at := p.assets[r.IntN(len(p.assets))], p.at()
		p.step("ShareWithAsset", &p.consents, func() ([]any, Event, error) {
			e, err := p.consents.ShareWithAsset(asset, at)
			return []any{e}, e, err
		})
	case 10:
		at := p.at()
		p.step("Apply(foreign consent)", &p.consents, func() ([]any, Event, error) {
			return nil, nil, p.consents.Apply(ConsentGiven{Patient: NewID[Patient](p.ids), Scope: ConsentScopeContactByText, At: Stamp(at)})
		})

	case 11: // list the asset, or try to list it again
		d, status, at := p.assetDetails(), AssetStatus(r.IntN(6)), p.at()
		if p.asset.ID().IsZero() {
			p.step("ListAsset", &p.asset, func() ([]any, Event, error) {
				v, e, err := ListAsset(pick(p, p.assetID), d, status, at)
				if err == nil && v.ID() != p.assetID {
					return []any{v, e}, nil, nil
				}
				if err == nil {
					p.asset = v
				}
				return []any{v, e}, e, err
			})
			return
		}
		p.step("Apply(AssetListed)", &p.asset, func() ([]any, Event, error) {
			return nil, nil, p.asset.Apply(AssetListed{Asset: p.assetID, Details: d, Status: AssetStatusActive, At: Stamp(at)})
		})
	case 12:
		d, at := p.assetDetails(), p.at()
		p.step("Update", &p.asset, func() ([]any, Event, error) {
			e, err := p.asset.Update(d, at)
			return []any{e}, e, err
		})
	case 13:
		status, at := AssetStatus(r.IntN(6)), p.at()
		if status == AssetStatusDefunct && r.IntN(3) > 0 {
			status = AssetStatusActive // defunct ends the asset's story; keep it rare
		}
		p.step("SetStatus", &p.asset, func() ([]any, Event, error) {
			e, err := p.asset.SetStatus(status, at)
			return []any{e}, e, err
		})
	case 14, 15:
		ref, at := pick(p, NewID[Referral](p.ids)), p.at()
		p.step("TakePlace", &p.asset, func() ([]any, Event, error) {
			e, err := p.asset.TakePlace(ref, at)
			return []any{e}, e, err
		})
	case 16:
		ref, at := pick(p, NewID[Referral](p.ids)), p.at()
		p.step("ReleasePlace", &p.asset, func() ([]any, Event, error) {
			e, err := p.asset.ReleasePlace(ref, at)
			return []any{e}, e, err
		})
	case 17:
		at := p.at()
		p.step("Apply(foreign asset event)", &p.asset, func() ([]any, Event, error) {
			return nil, nil, p.asset.Apply(PlaceTaken{Asset: NewID[Asset](p.ids), At: Stamp(at)})
		})

	case 18: // raise the concern, or try to raise it again
		at := p.at()
		if p.concern.ID().IsZero() {
			on := p.contact
			if r.IntN(6) == 0 {
				on.LinkWorker = LinkWorkerID{}
			}
			p.step("RaiseConcern", &p.concern, func() ([]any, Event, error) {
				v, e, err := RaiseConcern(pick(p, p.concernID), on, at)
				if err == nil && v.ID() != p.concernID {
					return []any{v, e}, nil, nil
				}
				if err == nil {
					p.concern = v
				}
				return []any{v, e}, e, err
			})
			return
		}
		p.step("Apply(ConcernRaised)", &p.concern, func() ([]any, Event, error) {
			return nil, nil, p.concern.Apply(ConcernRaised{Concern: p.concernID, Referral: p.contact.Referral, Patient: p.patientID,
				Contact: p.contact.Contact.ID, RaisedBy: p.contact.LinkWorker, At: Stamp(at)})
		})
	case 19:
		lead, at := p.text(), p.at()
		p.step("Escalate", &p.concern, func() ([]any, Event, error) {
			e, err := p.concern.Escalate(lead, at)
			return []any{e}, e, err
		})

	case 20, 21: // people records: accepted ones round-trip through JSON
		p.peopleRecord()
	case 22:
		prac := pick(p, NewID[Practice](p.ids))
		if len(p.workers.Practices) > 0 && r.IntN(3) == 0 {
			prac = p.workers.Practices[r.IntN(len(p.workers.Practices))]
		}
		p.step("LinkWorker.AddPractice", &p.workers, func() ([]any, Event, error) {
			return nil, nil, p.workers.AddPractice(prac)
		})
	case 23:
		prac := pick(p, NewID[Practice](p.ids))
		p.step("PCN.AddPractice", &p.pcn, func() ([]any, Event, error) {
			return nil, nil, p.pcn.AddPractice(prac)
		})
	}
}

// consentAsset returns an asset for a consent: one of the known ones, or
// none (right only for the scopes that name none).
func (p *peopleRun) consentAsset() AssetID {
	if p.r.IntN(3) == 0 {
		return AssetID{}
	}
	return p.assets[p.r.IntN(len(p.assets))]
}

// peopleRecord makes a practice, PCN or link worker from random, sometimes
// hostile, values: Validate refuses it with a documented sentinel, or it
// round-trips through JSON unchanged.
func (p *peopleRun) peopleRecord() {
	r := p.r
	var prac []PracticeID
	for range r.IntN(3) {
		prac = append(prac, pick(p, NewID[Practice](p.ids)))
	}
	if len(prac) > 1 && r.IntN(4) == 0 {
		prac[1] = prac[0]
	}
	roundTrip := func(v any, back any) {
		b, err := json.Marshal(v)
		require.NoError(p.t, err)
		require.NoError(p.t, json.Unmarshal(b, back))
		require.Equal(p.t, v, reflect.ValueOf(back).Elem().Interface())
	}
	var err error
	switch r.IntN(3) {
	case 0:
		v := Practice{ID: pick(p, NewID[Practice](p.ids)), Name: p.text(), ODSCode: p.text(), PCN: pick(p, NewID[PCN](p.ids))}
		if err = v.Validate(); err == nil {
			roundTrip(v, &Practice{})
		}
	case 1:
		v := PCN{ID: pick(p, NewID[PCN](p.ids)), Name: p.text(), Practices: prac}
		if err = v.Validate(); err == nil {
			roundTrip(v, &PCN{})
			p.pcn = v
		}
	default:
		v := LinkWorker{ID: pick(p, NewID[LinkWorker](p.ids)), Title: Title(r.IntN(7)), Employer: Employer(r.IntN(6)), Practices: prac}
		if err = v.Validate(); err == nil {
			roundTrip(v, &LinkWorker{})
			p.workers = v
		}
	}
	if err != nil {
		p.refused++
		require.True(p.t, wrapsOneOf(err, documentedSentinels), "%v wraps no documented sentinel", err)
	} else {
		p.accepted++
	}
}

// replayPeople encodes the kept events as JSON Lines, decodes them and
// replays each record's events into a fresh record.
func (p *peopleRun) replayPeople(codec *EventCodec) (Patient, Consents, Asset, Concern) {
	t := p.t
	var stored bytes.Buffer
	require.NoError(t, codec.Encode(&stored, p.kept))
	decoded, err := codec.Decode(&stored)
	require.NoError(t, err)
	require.Equal(t, p.kept, decoded, "the codec gives back the events it was given")

	patient, consents, asset, concern := Patient{}, ConsentsOf(p.patientID), Asset{}, Concern{}
	streams := map[string][]Event{}
	for _, e := range decoded {
		kind, _, _ := strings.Cut(e.EventType(), ".")
		streams[kind] = append(streams[kind], e)
	}
	require.NoError(t, Replay(&patient, streams["patient"]))
	require.NoError(t, Replay(&consents, streams["consent"]))
	require.NoError(t, Replay(&asset, streams["asset"]))
	require.NoError(t, Replay(&concern, streams["safeguarding"]))
	return patient, consents, asset, concern
}

func TestEV_3_PeoplePropertyRandomSequencesReplayEqual(t *testing.T) {
	codec := mustCodec(t)
	var refused, accepted int
	outcomes := map[string]*[2]int{}
	for seed := range uint64(peopleSequences) {
		r := rand.New(rand.NewPCG(seed, 0x9e0b1e))
		ids := SeededIDs(rand.New(rand.NewPCG(seed, 1)))
		p := &peopleRun{t: t, r: r, ids: ids, now: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), outcomes: outcomes}
		p.patientID, p.assetID, p.concernID = NewID[Patient](ids), NewID[Asset](ids), NewID[Concern](ids)
		p.assets = []AssetID{p.assetID, NewID[Asset](ids), NewID[Asset](ids)}
		p.consents = ConsentsOf(p.patientID)
		p.contact = ContactRecorded{Referral: NewID[Referral](ids), Patient: p.patientID, LinkWorker: NewID[LinkWorker](ids),
			Contact: Contact{ID: NewID[Contact](ids), At: p.now.Add(time.Hour), Mode: ContactModeTelephone, Minutes: 15, Attended: true}}
		for range peopleSteps {
			p.operation()
		}
		patient, consents, asset, concern := p.replayPeople(codec)
		assert.Equal(t, p.patient, patient, "seed %d: patient", seed)
		assert.Equal(t, p.consents, consents, "seed %d: consents", seed)
		assert.Equal(t, p.asset, asset, "seed %d: asset", seed)
		assert.Equal(t, p.concern, concern, "seed %d: concern", seed)
		refused += p.refused
		accepted += p.accepted
	}
	// The sequences exercise both sides, or the property proves little.
	t.Logf("%d operations accepted, %d refused", accepted, refused)
	assert.Greater(t, accepted, peopleSequences*peopleSteps/4)
	assert.Greater(t, refused, peopleSequences*peopleSteps/4)
	for _, name := range []string{
		"RegisterPatient", "UpdateDetails", "RecordRiskAssessment", "Anonymise", "Give", "Withdraw", "ShareWithAsset",
		"ListAsset", "Update", "SetStatus", "TakePlace", "ReleasePlace", "RaiseConcern", "Escalate",
		"LinkWorker.AddPractice", "PCN.AddPractice",
	} {
		o := outcomes[name]
		require.NotNil(t, o, name)
		assert.Positive(t, o[0], "%s never accepted", name)
		assert.Positive(t, o[1], "%s never refused", name)
	}
	for _, name := range []string{"Apply(PatientRegistered)", "Apply(foreign patient event)", "Apply(foreign consent)",
		"Apply(AssetListed)", "Apply(foreign asset event)", "Apply(ConcernRaised)"} {
		o := outcomes[name]
		require.NotNil(t, o, name)
		assert.Zero(t, o[0], "%s accepted", name)
		assert.Positive(t, o[1], name)
	}
}

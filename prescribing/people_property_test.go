package prescribing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
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
	ErrNoPlaceInUse, ErrNoLead, ErrAlreadyEscalated, ErrOutOfRange,
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
	pracID    PracticeID
	pcnID     PCNID
	workerID  LinkWorkerID
	assets    []AssetID // consent and sharing pick from these

	patient  Patient
	consents Consents
	asset    Asset
	concern  Concern
	measures Measures
	contact  ContactRecorded
	practice Practice
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
	case *Measures:
		m := *r
		m.ons4 = append([]ONS4Recorded(nil), r.ons4...)
		m.swemwbs = append([]SWEMWBSRecorded(nil), r.swemwbs...)
		return m
	case *Practice:
		return *r
	case *LinkWorker:
		w := *r
		w.details.Practices = append([]PracticeID(nil), r.details.Practices...)
		w.details.Languages = append([]string(nil), r.details.Languages...)
		w.details.Communities = append([]string(nil), r.details.Communities...)
		return w
	case *PCN:
		n := *r
		n.details.Practices = append([]PracticeID(nil), r.details.Practices...)
		return n
	default:
		panic(fmt.Sprintf("deepCopy: %T", record))
	}
}

func (p *peopleRun) operation() {
	r := p.r
	op := r.IntN(38)
	// Records that do not exist yet are mostly created first, so that the
	// operations on them are tried on something.
	switch {
	case p.patient.ID().IsZero() && r.IntN(2) == 0:
		op = 0
	case p.asset.ID().IsZero() && r.IntN(2) == 0:
		op = 11
	case p.concern.ID().IsZero() && r.IntN(3) == 0:
		op = 18
	case p.consents.Patient().IsZero() && r.IntN(2) == 0:
		op = 24
	case p.measures.Patient().IsZero() && r.IntN(2) == 0:
		op = 25
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

	case 20, 21: // details of people records: accepted ones round-trip through JSON
		p.peopleDetails()
	case 22:
		prac := pick(p, NewID[Practice](p.ids))
		if ps := p.workers.Practices(); len(ps) > 0 && r.IntN(3) == 0 {
			prac = ps[r.IntN(len(ps))]
		}
		at := p.at()
		p.step("LinkWorker.AddPractice", &p.workers, func() ([]any, Event, error) {
			e, err := p.workers.AddPractice(prac, at)
			return []any{e}, e, err
		})
	case 23:
		prac, at := pick(p, NewID[Practice](p.ids)), p.at()
		p.step("PCN.AddPractice", &p.pcn, func() ([]any, Event, error) {
			e, err := p.pcn.AddPractice(prac, at)
			return []any{e}, e, err
		})
	case 24: // open the consents, or try to open them again
		id, at := pick(p, p.patientID), p.at()
		p.step("OpenConsents", &p.consents, func() ([]any, Event, error) {
			if !p.consents.Patient().IsZero() {
				return nil, nil, p.consents.Apply(ConsentsOpened{Patient: p.patientID, At: Stamp(at)})
			}
			v, e, err := OpenConsents(id, at)
			if err == nil && id != p.patientID {
				return []any{v, e}, nil, nil
			}
			if err == nil {
				p.consents = v
			}
			return []any{v, e}, e, err
		})
	case 25: // open the measures, or try to open them again
		id, at := pick(p, p.patientID), p.at()
		p.step("OpenMeasures", &p.measures, func() ([]any, Event, error) {
			if !p.measures.Patient().IsZero() {
				return nil, nil, p.measures.Apply(MeasuresOpened{Patient: p.patientID, At: Stamp(at)})
			}
			v, e, err := OpenMeasures(id, at)
			if err == nil && id != p.patientID {
				return []any{v, e}, nil, nil
			}
			if err == nil {
				p.measures = v
			}
			return []any{v, e}, e, err
		})
	case 26, 27:
		ref, answers, at := pick(p, NewID[Referral](p.ids)), ONS4{LifeSatisfaction: p.score(0, 10), Worthwhile: p.score(0, 10),
			Happiness: p.score(0, 10), Anxiety: p.score(0, 10)}, p.at()
		p.step("RecordONS4", &p.measures, func() ([]any, Event, error) {
			e, err := p.measures.RecordONS4(ref, answers, at)
			return []any{e}, e, err
		})
	case 28:
		var answers SWEMWBS
		for i := range answers.Items {
			answers.Items[i] = p.score(1, 5)
		}
		ref, at := pick(p, NewID[Referral](p.ids)), p.at()
		p.step("RecordSWEMWBS", &p.measures, func() ([]any, Event, error) {
			e, err := p.measures.RecordSWEMWBS(ref, answers, at)
			return []any{e}, e, err
		})
	case 29:
		at := p.at()
		p.step("Apply(foreign measurement)", &p.measures, func() ([]any, Event, error) {
			return nil, nil, p.measures.Apply(ONS4Recorded{Patient: NewID[Patient](p.ids), At: Stamp(at)})
		})
	case 30: // register the practice, or try to register it again
		id, d, at := pick(p, p.pracID), p.practiceDetails(), p.at()
		p.step("RegisterPractice", &p.practice, func() ([]any, Event, error) {
			if !p.practice.ID().IsZero() {
				return nil, nil, p.practice.Apply(PracticeRegistered{Practice: p.pracID, Details: d, At: Stamp(at)})
			}
			v, e, err := RegisterPractice(id, d, at)
			if err == nil && id != p.pracID {
				return []any{v, e}, nil, nil
			}
			if err == nil {
				p.practice = v
			}
			return []any{v, e}, e, err
		})
	case 31:
		d, at := p.practiceDetails(), p.at()
		p.step("Practice.Change", &p.practice, func() ([]any, Event, error) {
			e, err := p.practice.Change(d, at)
			return []any{e}, e, err
		})
	case 32:
		id, d, at := pick(p, p.pcnID), p.pcnDetails(), p.at()
		p.step("RegisterPCN", &p.pcn, func() ([]any, Event, error) {
			if !p.pcn.ID().IsZero() {
				return nil, nil, p.pcn.Apply(PCNRegistered{PCN: p.pcnID, Details: d, At: Stamp(at)})
			}
			v, e, err := RegisterPCN(id, d, at)
			if err == nil && id != p.pcnID {
				return []any{v, e}, nil, nil
			}
			if err == nil {
				p.pcn = v
			}
			return []any{v, e}, e, err
		})
	case 33:
		d, at := p.pcnDetails(), p.at()
		p.step("PCN.Change", &p.pcn, func() ([]any, Event, error) {
			e, err := p.pcn.Change(d, at)
			return []any{e}, e, err
		})
	case 34:
		id, d, at := pick(p, p.workerID), p.workerDetails(), p.at()
		p.step("RegisterLinkWorker", &p.workers, func() ([]any, Event, error) {
			if !p.workers.ID().IsZero() {
				return nil, nil, p.workers.Apply(LinkWorkerRegistered{LinkWorker: p.workerID, Details: d, At: Stamp(at)})
			}
			v, e, err := RegisterLinkWorker(id, d, at)
			if err == nil && id != p.workerID {
				return []any{v, e}, nil, nil
			}
			if err == nil {
				p.workers = v
			}
			return []any{v, e}, e, err
		})
	case 36, 37: // PREF-1: preferences, sometimes hostile
		prefs, at := p.preferences(), p.at()
		p.step("RecordPreferences", &p.patient, func() ([]any, Event, error) {
			if r.IntN(6) == 0 {
				return nil, nil, p.patient.Apply(PatientPreferencesRecorded{Patient: NewID[Patient](p.ids), Preferences: prefs, At: Stamp(at)})
			}
			e, err := p.patient.RecordPreferences(at, prefs)
			return []any{e}, e, err
		})
	case 35:
		d, at := p.workerDetails(), p.at()
		p.step("LinkWorker.Change", &p.workers, func() ([]any, Event, error) {
			if r.IntN(5) == 0 {
				return nil, nil, p.workers.Apply(LinkWorkerChanged{LinkWorker: NewID[LinkWorker](p.ids), Details: d, At: Stamp(at)})
			}
			e, err := p.workers.Change(d, at)
			return []any{e}, e, err
		})
	}
}

// score returns an answer: mostly a whole number in lo..hi, sometimes
// missing, out of range, fractional or not finite.
func (p *peopleRun) score(lo, hi int) Score {
	switch n := p.r.IntN(40); {
	case n == 0:
		return ScoreOf(math.NaN())
	case n == 1:
		return ScoreOf(math.Inf(1 - 2*p.r.IntN(2)))
	case n == 2:
		return ScoreOf(float64(hi + 1))
	case n == 3:
		return ScoreOf(float64(lo) + 0.5)
	case n < 8:
		return Score{}
	default:
		return ScoreOf(float64(lo + p.r.IntN(hi-lo+1)))
	}
}

// practices returns a list of practices, sometimes with a zero or repeated
// one.
func (p *peopleRun) practices() []PracticeID {
	var prac []PracticeID
	for range p.r.IntN(3) {
		prac = append(prac, pick(p, NewID[Practice](p.ids)))
	}
	if len(prac) > 1 && p.r.IntN(4) == 0 {
		prac[1] = prac[0]
	}
	return prac
}

func (p *peopleRun) practiceDetails() PracticeDetails {
	return PracticeDetails{Name: p.text(), ODSCode: p.text(), PCN: pick(p, NewID[PCN](p.ids))}
}

func (p *peopleRun) pcnDetails() PCNDetails {
	return PCNDetails{Name: p.text(), Practices: p.practices()}
}

func (p *peopleRun) workerDetails() LinkWorkerDetails {
	d := LinkWorkerDetails{Title: Title(p.r.IntN(7)), Employer: Employer(p.r.IntN(6)), Practices: p.practices()}
	if p.r.IntN(2) == 0 {
		d.Languages = p.languages() // PREF-1
	}
	if p.r.IntN(2) == 0 {
		d.LocalTitle = p.text() // TITLE-1: an open set
	}
	if p.r.IntN(2) == 0 {
		d.Communities = p.communities() // PREF-1: an open set
	}
	return d
}

// communities returns community names, sometimes hostile, blank or
// repeated.
func (p *peopleRun) communities() []string {
	var out []string
	for range p.r.IntN(3) {
		if p.r.IntN(4) == 0 {
			out = append(out, p.text())
		} else {
			out = append(out, []string{"Polish", "Somali", "Deaf"}[p.r.IntN(3)])
		}
	}
	return out
}

// languages returns language tags, sometimes hostile, blank or repeated.
func (p *peopleRun) languages() []string {
	var out []string
	for range p.r.IntN(3) {
		if p.r.IntN(4) == 0 {
			out = append(out, p.text())
		} else {
			out = append(out, []string{"en", "pl", "ur", "cy"}[p.r.IntN(4)])
		}
	}
	return out
}

// preferences returns a person's preferences (PREF-1): modes, sometimes
// outside the vocabulary or repeated, languages and a community, sometimes
// hostile.
func (p *peopleRun) preferences() Preferences {
	var prefs Preferences
	for range p.r.IntN(3) {
		prefs.Modes = append(prefs.Modes, ContactMode(p.r.IntN(8)))
	}
	prefs.Languages = p.languages()
	if p.r.IntN(2) == 0 {
		prefs.Community = p.text()
	}
	return prefs
}

// consentAsset returns an asset for a consent: one of the known ones, or
// none (right only for the scopes that name none).
func (p *peopleRun) consentAsset() AssetID {
	if p.r.IntN(3) == 0 {
		return AssetID{}
	}
	return p.assets[p.r.IntN(len(p.assets))]
}

// peopleDetails makes the details of a practice, PCN or link worker from
// random, sometimes hostile, values: Validate refuses them with a
// documented sentinel, or they round-trip through JSON unchanged.
func (p *peopleRun) peopleDetails() {
	roundTrip := func(v any, back any) {
		b, err := json.Marshal(v)
		require.NoError(p.t, err)
		require.NoError(p.t, json.Unmarshal(b, back))
		require.Equal(p.t, v, reflect.ValueOf(back).Elem().Interface())
	}
	var err error
	switch p.r.IntN(3) {
	case 0:
		v := p.practiceDetails()
		if err = v.Validate(); err == nil {
			roundTrip(v, &PracticeDetails{})
		}
	case 1:
		v := p.pcnDetails()
		if err = v.Validate(); err == nil {
			roundTrip(v, &PCNDetails{})
		}
	default:
		v := p.workerDetails()
		if err = v.Validate(); err == nil {
			roundTrip(v, &LinkWorkerDetails{})
		}
	}
	if err != nil {
		p.refused++
		require.True(p.t, wrapsOneOf(err, documentedSentinels), "%v wraps no documented sentinel", err)
	} else {
		p.accepted++
	}
}

// replayed holds the records rebuilt from the stored events.
type replayed struct {
	patient  Patient
	consents Consents
	measures Measures
	asset    Asset
	concern  Concern
	practice Practice
	pcn      PCN
	worker   LinkWorker
}

// replayPeople encodes the kept events as JSON Lines, decodes them, splits
// them by stream (the streams must be the live records' own) and replays
// each stream into a zero record.
func (p *peopleRun) replayPeople(codec *EventCodec) replayed {
	t := p.t
	var stored bytes.Buffer
	require.NoError(t, codec.Encode(&stored, p.kept))
	decoded, err := codec.Decode(&stored)
	require.NoError(t, err)
	require.Equal(t, p.kept, decoded, "the codec gives back the events it was given")

	streams := map[Stream][]Event{}
	for _, e := range decoded {
		streams[e.EventStream()] = append(streams[e.EventStream()], e)
	}
	var out replayed
	records := []struct {
		live, into StreamRecord
	}{
		{&p.patient, &out.patient}, {&p.consents, &out.consents}, {&p.measures, &out.measures},
		{&p.asset, &out.asset}, {&p.concern, &out.concern}, {&p.practice, &out.practice},
		{&p.pcn, &out.pcn}, {&p.workers, &out.worker},
	}
	replayedEvents := 0
	for _, r := range records {
		s := r.live.Stream()
		require.Equal(t, r.live.Version(), len(streams[s]), "%s: the version counts the stream's events", s)
		require.NoError(t, Replay(r.into, streams[s]))
		require.Equal(t, r.live.Version(), r.into.Version())
		replayedEvents += len(streams[s])
	}
	require.Equal(t, len(decoded), replayedEvents, "every kept event belongs to one record's stream")
	return out
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
		p.pracID, p.pcnID, p.workerID = NewID[Practice](ids), NewID[PCN](ids), NewID[LinkWorker](ids)
		p.contact = ContactRecorded{Referral: NewID[Referral](ids), Patient: p.patientID, LinkWorker: NewID[LinkWorker](ids),
			Contact: Contact{ID: NewID[Contact](ids), At: p.now.Add(time.Hour), Mode: ContactModeTelephone, Minutes: 15, Attended: true}}
		for range peopleSteps {
			p.operation()
		}
		got := p.replayPeople(codec)
		assert.Equal(t, p.patient, got.patient, "seed %d: patient", seed)
		assert.Equal(t, p.consents, got.consents, "seed %d: consents", seed)
		assert.Equal(t, p.measures, got.measures, "seed %d: measures", seed)
		assert.Equal(t, p.asset, got.asset, "seed %d: asset", seed)
		assert.Equal(t, p.concern, got.concern, "seed %d: concern", seed)
		assert.Equal(t, p.practice, got.practice, "seed %d: practice", seed)
		assert.Equal(t, p.pcn, got.pcn, "seed %d: PCN", seed)
		assert.Equal(t, p.workers, got.worker, "seed %d: link worker", seed)
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
		"LinkWorker.AddPractice", "PCN.AddPractice", "OpenConsents", "OpenMeasures", "RecordONS4", "RecordSWEMWBS",
		"RegisterPractice", "Practice.Change", "RegisterPCN", "PCN.Change", "RegisterLinkWorker", "LinkWorker.Change",
		"RecordPreferences",
	} {
		o := outcomes[name]
		require.NotNil(t, o, name)
		assert.Positive(t, o[0], "%s never accepted", name)
		assert.Positive(t, o[1], "%s never refused", name)
	}
	for _, name := range []string{"Apply(PatientRegistered)", "Apply(foreign patient event)", "Apply(foreign consent)",
		"Apply(AssetListed)", "Apply(foreign asset event)", "Apply(ConcernRaised)", "Apply(foreign measurement)"} {
		o := outcomes[name]
		require.NotNil(t, o, name)
		assert.Zero(t, o[0], "%s accepted", name)
		assert.Positive(t, o[1], name)
	}
}

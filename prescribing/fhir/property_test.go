package fhir_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/fhir"
	"github.com/socialprescribing/linkwork/prescribing/fhir/fhirtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The property: random sequences of operations on a referral and its
// consents, valid and hostile, are exported after every operation. Every
// export of records that belong together succeeds and says what the records
// say (the Task status is rule REF-5's, businessStatus appears exactly
// where that status is ambiguous, the SNOMED CT code exactly once first
// contact is recorded, the message back exactly once closed, every
// reference of a Bundle resolves inside it); what a live ServiceRequest
// Bundle holds imports back as the same referral and details; a refused
// operation returns the zero event and changes nothing. At the end the kept
// events go through the event codec and replay into records whose exports
// are byte for byte those of the live records.

var (
	invalidUTF8 = "bad \xff\xfe text"
	withNUL     = "nul\x00inside"
	tooLong     = strings.Repeat("x", prescribing.MaxTextBytes+1)
	longest     = strings.Repeat("é", prescribing.MaxTextBytes/2)
)

type fhirRun struct {
	t        *testing.T
	r        *rand.Rand
	ids      prescribing.IDSource
	now      time.Time
	rec      fhir.Records
	workers  []prescribing.LinkWorker
	assets   []prescribing.AssetID
	kept     []prescribing.Event
	accepted int
}

func (p *fhirRun) text() string {
	valid := []string{"waiting for capacity", "Zoë Ñandú-Okafor", "no\u00a0break", "line\u2028separator",
		"<b>&amp;</b> \"quoted\"", longest, "🙂 tea & chat", "tab\there"}
	hostile := []string{"", "   ", "\t\n", invalidUTF8, withNUL, tooLong}
	if p.r.IntN(3) > 0 {
		return valid[p.r.IntN(len(valid))]
	}
	return hostile[p.r.IntN(len(hostile))]
}

// at returns the time of the next operation: mostly later, sometimes the
// same, earlier, out of range or in another zone.
func (p *fhirRun) at() time.Time {
	switch p.r.IntN(24) {
	case 0:
		return p.now.Add(-time.Hour)
	case 1:
		return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	case 2:
		return time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)
	case 3:
		return p.now.In(time.FixedZone("UTC+5", 5*3600))
	case 4:
		return time.Time{}
	}
	p.now = p.now.Add(time.Duration(p.r.IntN(72)) * time.Hour)
	return p.now
}

func (p *fhirRun) needs() []prescribing.Need {
	var out []prescribing.Need
	for range p.r.IntN(3) {
		out = append(out, prescribing.Need(p.r.IntN(14)))
	}
	return out
}

func (p *fhirRun) support(withAsset bool) []prescribing.CommunitySupport {
	var out []prescribing.CommunitySupport
	for range 1 + p.r.IntN(2) {
		s := prescribing.CommunitySupport{Need: prescribing.Need(1 + p.r.IntN(13)), Name: p.text()}
		if withAsset || p.r.IntN(2) == 0 {
			s.Asset = p.assets[p.r.IntN(len(p.assets))]
		}
		out = append(out, s)
	}
	return out
}

func (p *fhirRun) score(hi float64) prescribing.Score {
	switch p.r.IntN(8) {
	case 0:
		return prescribing.Score{}
	case 1:
		return prescribing.ScoreOf(math.NaN())
	case 2:
		return prescribing.ScoreOf(hi + 1)
	}
	return prescribing.ScoreOf(float64(p.r.IntN(int(hi) + 1)))
}

func (p *fhirRun) measures() []prescribing.MeasureChange {
	var out []prescribing.MeasureChange
	for range p.r.IntN(3) {
		if p.r.IntN(2) == 0 {
			out = append(out, prescribing.MeasureChange{Instrument: prescribing.InstrumentONS4,
				Item: prescribing.ONS4Item(p.r.IntN(6)), Before: p.score(10), After: p.score(10)})
		} else {
			out = append(out, prescribing.MeasureChange{Instrument: prescribing.Instrument(2 + p.r.IntN(2)),
				Before: prescribing.ScoreOf(7 + float64(p.r.IntN(29))), After: p.score(35)})
		}
	}
	return out
}

func (p *fhirRun) worker() prescribing.LinkWorkerID {
	if p.r.IntN(8) == 0 {
		return prescribing.LinkWorkerID{}
	}
	return p.workers[p.r.IntN(len(p.workers))].ID()
}

// step runs one random operation and checks a refusal changed nothing.
func (p *fhirRun) step() {
	ref := &p.rec.Referral
	cons := &p.rec.Consents
	beforeRef, beforeCons := *ref, *cons
	var e prescribing.Event
	var err error
	keep := func(ev prescribing.Event, er error) { e, err = ev, er }
	// Moves deeper into the lifecycle are likelier than endings, so that
	// sequences reach every state.
	switch n := p.r.IntN(1000); {
	case n < 120:
		keep(ref.Accept(p.at(), p.worker()))
	case n < 240:
		keep(ref.RecordFirstContact(p.at()))
	case n < 360:
		keep(ref.StartSupport(p.at(), prescribing.SupportPlan{Needs: p.needs(), Offered: p.support(false)}))
	case n < 480:
		keep(ref.Connect(p.at(), p.support(p.r.IntN(4) > 0)...))
	case n < 560:
		keep(ref.PutOnHold(p.at(), p.text()))
	case n < 640:
		keep(ref.Resume(p.at()))
	case n < 740:
		ev, er := ref.Close(p.at(), prescribing.Outcome(p.r.IntN(10)), p.measures()...)
		keep(ev, er)
	case n < 810:
		keep(ref.UpdatePlan(p.at(), prescribing.SupportPlan{Needs: p.needs(), Offered: p.support(false)}))
	case n < 850:
		keep(ref.Reassign(p.at(), p.worker(), p.text()))
	case n < 920:
		asset := prescribing.AssetID{}
		if p.r.IntN(2) == 0 {
			asset = p.assets[p.r.IntN(len(p.assets))]
		}
		keep(cons.Give(prescribing.ConsentScope(p.r.IntN(5)), asset, p.at()))
	case n < 980:
		asset := prescribing.AssetID{}
		if p.r.IntN(2) == 0 {
			asset = p.assets[p.r.IntN(len(p.assets))]
		}
		keep(cons.Withdraw(prescribing.ConsentScope(p.r.IntN(5)), asset, p.at()))
	case n < 985:
		keep(ref.Reject(p.at(), p.text()))
	case n < 990:
		keep(ref.Decline(p.at(), p.text()))
	case n < 995:
		keep(ref.Cancel(p.at(), p.text()))
	default:
		keep(ref.EnterInError(p.at(), p.text()))
	}
	if err != nil {
		require.True(p.t, reflect.ValueOf(e).IsZero(), "a refusal returns the zero event: %v", err)
		require.Equal(p.t, beforeRef, *ref, "a refusal changes nothing: %v", err)
		require.Equal(p.t, beforeCons, *cons, "a refusal changes nothing: %v", err)
		return
	}
	p.accepted++
	p.kept = append(p.kept, e)
}

// records returns the records with the link worker record of the
// referral's link worker.
func (p *fhirRun) records() fhir.Records {
	rec := p.rec
	rec.LinkWorker = prescribing.LinkWorker{}
	for _, w := range p.workers {
		if w.ID() == rec.Referral.LinkWorker() {
			rec.LinkWorker = w
		}
	}
	return rec
}

// exports returns every export of the records as JSON, checking each.
func (p *fhirRun) exports() []byte {
	t := p.t
	rec := p.records()
	ref := &rec.Referral
	var all bytes.Buffer
	add := func(v any) {
		data, err := json.Marshal(v)
		require.NoError(t, err)
		all.Write(data)
		all.WriteByte('\n')
	}
	b, err := fhir.TransactionBundle(rec)
	require.NoError(t, err)
	add(b)
	sr, err := fhir.ServiceRequestResource(rec)
	require.NoError(t, err)
	task, err := fhir.TaskResource(rec)
	require.NoError(t, err)
	cs, err := fhir.ConsentResources(rec)
	require.NoError(t, err)
	add(fhir.PatientResource(rec.Patient))
	add(sr)
	add(task)
	add(cs)
	require.Len(t, cs, len(rec.Consents.Grants()))

	state := ref.State()
	require.Equal(t, state.TaskStatus().String(), task.Status, "REF-5")
	_, back := prescribing.StateFromTaskStatus(state.TaskStatus())
	require.Equal(t, errors.Is(back, prescribing.ErrAmbiguousStatus), task.BusinessStatus != nil)
	if task.BusinessStatus != nil {
		require.Equal(t, state.String(), task.BusinessStatus.Coding[0].Code)
	}
	_, _, coded := ref.SNOMED()
	require.Equal(t, coded, len(sr.Code.Coding) == 1, "REF-6")
	require.Len(t, task.Output, len(ref.Connections()))

	urls := map[string]bool{}
	for _, e := range b.Entry {
		urls[e.FullURL] = true
	}
	data, err := json.Marshal(b)
	require.NoError(t, err)
	for _, r := range references(t, data) {
		require.True(t, urls[r], "reference %s has no entry", r)
	}

	doc, err := fhir.MessageBack(rec)
	if state == prescribing.StateClosed {
		require.NoError(t, err)
		add(doc)
	} else {
		require.ErrorIs(t, err, prescribing.ErrMessageIncomplete)
	}

	if sr.Status == "active" {
		in, err := fhir.ImportReferral(bytes.NewReader(data), prescribing.RandomIDs())
		require.NoError(t, err)
		require.Equal(t, ref.ID(), in.Referral.ID)
		require.Equal(t, ref.Needs(), normalNeeds(in.Referral.Needs))
		require.Equal(t, ref.Source(), in.Referral.Source)
		require.Equal(t, fhirString(ref.Referrer()), in.Referral.Referrer)
		d := rec.Patient.Details()
		d.GivenName, d.FamilyName = fhirString(d.GivenName), fhirString(d.FamilyName)
		d.Contact = prescribing.ContactDetails{Phone: fhirString(d.Contact.Phone), Email: fhirString(d.Contact.Email),
			Address: fhirString(d.Contact.Address), Postcode: fhirString(d.Contact.Postcode)}
		require.Equal(t, d, in.Details)
	}
	return all.Bytes()
}

// normalNeeds returns needs as a referral holds them: a set, in vocabulary
// order, or nil.
func normalNeeds(ns []prescribing.Need) []prescribing.Need {
	return prescribing.SetOf(ns...).List()
}

// fhirString is the text the export writes: white space FHIR cannot hold
// as a space.
func fhirString(s string) string {
	return strings.NewReplacer("\u00a0", " ", "\u2028", " ").Replace(s)
}

func TestPropertyExportsFollowTheRecordsAndReplayExportsTheSame(t *testing.T) {
	codec, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	require.NoError(t, err)
	total := 0
	states := map[prescribing.State]bool{}
	final := map[prescribing.State]int{}
	for seed := range uint64(200) {
		p := &fhirRun{t: t, r: rand.New(rand.NewPCG(seed, 99)),
			ids: prescribing.SeededIDs(rand.New(rand.NewPCG(seed, 100))), now: fhirtest.Day(0)}
		practice, _, err := prescribing.RegisterPractice(prescribing.NewID[prescribing.Practice](p.ids),
			prescribing.PracticeDetails{Name: "Riverside Surgery", ODSCode: "A81001"}, p.now)
		require.NoError(t, err)
		for range 2 {
			w, _, err := prescribing.RegisterLinkWorker(prescribing.NewID[prescribing.LinkWorker](p.ids),
				prescribing.LinkWorkerDetails{Title: prescribing.TitleLinkWorker, Employer: prescribing.EmployerPCN}, p.now)
			require.NoError(t, err)
			p.workers = append(p.workers, w)
		}
		for range 3 {
			p.assets = append(p.assets, prescribing.NewID[prescribing.Asset](p.ids))
		}
		patientID := prescribing.NewID[prescribing.Patient](p.ids)
		details := fhirtest.Details(int(seed))
		details.Contact.Address, details.FamilyName = p.text(), p.text()
		patient, registered, err := prescribing.RegisterPatient(patientID, practice.ID(), details, p.now)
		if err != nil {
			patient, registered, err = prescribing.RegisterPatient(patientID, practice.ID(), fhirtest.Details(int(seed)), p.now)
			require.NoError(t, err)
		}
		ref, received, err := prescribing.ReceiveReferral(prescribing.NewReferral{
			ID: prescribing.NewID[prescribing.Referral](p.ids), Patient: patientID, Practice: practice.ID(),
			Source: prescribing.ReferralSource(1 + p.r.IntN(16)), Referrer: "Dr Patel", Needs: p.needs()[:0],
		}, p.now)
		require.NoError(t, err)
		consents, opened, err := prescribing.OpenConsents(patientID, p.now)
		require.NoError(t, err)
		p.rec = fhir.Records{Referral: ref, Patient: patient, Practice: practice, Consents: consents}
		p.kept = []prescribing.Event{registered, received, opened}
		for range 60 {
			p.step()
			p.exports()
			states[p.rec.Referral.State()] = true
		}
		final[p.rec.Referral.State()]++
		live := p.exports()
		total += p.accepted

		var stream bytes.Buffer
		require.NoError(t, codec.Encode(&stream, p.kept))
		decoded, err := codec.Decode(&stream)
		require.NoError(t, err)
		var again fhir.Records
		again.Practice = practice
		for _, e := range decoded {
			switch e.(type) {
			case prescribing.PatientRegistered:
				require.NoError(t, again.Patient.Apply(e))
			case prescribing.ConsentsOpened, prescribing.ConsentGiven, prescribing.ConsentWithdrawn:
				require.NoError(t, again.Consents.Apply(e))
			default:
				require.NoError(t, again.Referral.Apply(e))
			}
		}
		require.Equal(t, p.rec.Referral, again.Referral, "seed %d", seed)
		require.Equal(t, p.rec.Consents, again.Consents, "seed %d", seed)
		p.rec = again
		require.Equal(t, string(live), string(p.exports()), "seed %d: replay exports the same bytes", seed)
	}
	assert.Greater(t, total, 200*5, "sequences reach into the lifecycle")
	assert.Greater(t, final[prescribing.StateClosed], 20, "many sequences close")
	for _, s := range prescribing.States() {
		assert.True(t, states[s], "no sequence reached %s", s)
	}
	t.Log(fmt.Sprintf("%d operations accepted; final states %v", total, final))
}

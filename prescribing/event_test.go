package prescribing

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyEvent returns events of every kind this package has: a patient's
// registration, change and anonymisation, and a referral's whole story.
func everyEvent(t testing.TB) []Event {
	f := newFixture(t)
	p, reg, err := RegisterPatient(f.pat, f.prac, examplePatientDetails(t), f.tick())
	require.NoError(t, err)
	changed, err := p.UpdateDetails(examplePatientDetails(t), f.tick())
	require.NoError(t, err)
	risk, err := p.RecordRiskAssessment(f.tick(), f.lw)
	require.NoError(t, err)
	anon, err := p.Anonymise(f.tick())
	require.NoError(t, err)
	_, story, _ := f.story()
	measures, mopened := f.openMeasures()
	ons, err := measures.RecordONS4(story[0].(ReferralReceived).Referral, ONS4{LifeSatisfaction: ScoreOf(4), Anxiety: ScoreOf(7)}, f.tick())
	require.NoError(t, err)
	sw, err := NewSWEMWBS(3, 2, 4, 3, 3, 2, 3)
	require.NoError(t, err)
	sw.Items[6] = Score{}
	swe, err := measures.RecordSWEMWBS(ReferralID{}, sw, f.tick())
	require.NoError(t, err)
	contact := story[7].(ContactRecorded)
	concern, raised, err := RaiseConcern(NewID[Concern](f.ids), contact, contact.Contact.At)
	require.NoError(t, err)
	escalated, err := concern.Escalate("Safeguarding lead, Riverside PCN", f.tick())
	require.NoError(t, err)
	consents, copened := f.openConsents()
	asset := NewID[Asset](f.ids)
	given, err := consents.Give(ConsentScopeShareWithAsset, asset, f.tick())
	require.NoError(t, err)
	shared, err := consents.ShareWithAsset(asset, f.tick())
	require.NoError(t, err)
	withdrawn, err := consents.Withdraw(ConsentScopeShareWithAsset, asset, f.tick())
	require.NoError(t, err)
	a, listed := f.asset(t, lunchClub(2), AssetStatusActive)
	updated, err := a.Update(lunchClub(3), f.tick())
	require.NoError(t, err)
	taken, err := a.TakePlace(story[0].(ReferralReceived).Referral, f.tick())
	require.NoError(t, err)
	released, err := a.ReleasePlace(story[0].(ReferralReceived).Referral, f.tick())
	require.NoError(t, err)
	closed, err := a.SetStatus(AssetStatusTemporarilyClosed, f.tick())
	require.NoError(t, err)
	pr, pregistered, err := RegisterPractice(f.prac, PracticeDetails{ODSCode: "A81001", Name: "Mill Lane Surgery"}, f.tick())
	require.NoError(t, err)
	pcnID := NewID[PCN](f.ids)
	pchanged, err := pr.Change(PracticeDetails{ODSCode: "A81001", Name: "Mill Lane Surgery", PCN: pcnID}, f.tick())
	require.NoError(t, err)
	n, nregistered, err := RegisterPCN(pcnID, PCNDetails{Name: "Riverside PCN"}, f.tick())
	require.NoError(t, err)
	nchanged, err := n.AddPractice(f.prac, f.tick())
	require.NoError(t, err)
	w, wregistered, err := RegisterLinkWorker(f.lw, LinkWorkerDetails{Title: TitleSocialPrescriber, Employer: EmployerVCSE}, f.tick())
	require.NoError(t, err)
	wchanged, err := w.AddPractice(f.prac, f.tick())
	require.NoError(t, err)
	p2, reg2, err := RegisterPatient(NewID[Patient](f.ids), f.prac, PersonalDetails{}, f.tick())
	require.NoError(t, err)
	prefs, err := p2.RecordPreferences(f.tick(), Preferences{Modes: []ContactMode{ContactModeTelephone}, Languages: []string{"pl"}})
	require.NoError(t, err)
	research := f.research().events
	return append([]Event{reg, changed, risk, anon}, append(story, append([]Event{mopened, ons, swe, raised, escalated, copened, given, shared, withdrawn,
		listed, updated, taken, released, closed, pregistered, pchanged, nregistered, nchanged, wregistered, wchanged, reg2, prefs},
		research...)...)...)
}

func mustCodec(t testing.TB) *EventCodec {
	c, err := NewEventCodec(EventKinds()...)
	require.NoError(t, err)
	return c
}

func TestEV_1_EveryChangeIsATypedEventWithTimeAndIDs(t *testing.T) {
	events := everyEvent(t)
	kinds := map[string]bool{}
	for _, e := range events {
		kinds[e.EventType()] = true
		assert.False(t, e.EventTime().IsZero(), e.EventType())
		assert.NoError(t, e.EventStream().Check(), e.EventType())
		assert.Equal(t, reflect.Struct, reflect.TypeOf(e).Kind(), "events are values: %T", e)
	}
	var all []string
	for _, k := range EventKinds() {
		all = append(all, k.Type())
		assert.True(t, kinds[k.Type()], "the story touches %s", k.Type())
	}
	assert.Equal(t, mustCodec(t).Types(), slices.Sorted(slices.Values(all)))

	// The live operations return the event they applied, and the referral
	// and patient take nothing but events: a change made by replaying the
	// returned events is the same change.
	f := newFixture(t)
	live, history := f.referralIn(StateConnected)
	var rebuilt Referral
	for _, e := range history {
		require.NoError(t, rebuilt.Apply(e))
	}
	assert.Equal(t, live, rebuilt)
}

func TestEV_2_EveryEventRoundTripsThroughJSON(t *testing.T) {
	codec := mustCodec(t)
	for _, e := range everyEvent(t) {
		b, err := codec.Marshal(e)
		require.NoError(t, err, e.EventType())
		var env map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(b, &env))
		assert.JSONEq(t, `"`+e.EventType()+`"`, string(env["type"]), "stable type field")
		back, err := codec.Unmarshal(b)
		require.NoError(t, err, string(b))
		assert.Equal(t, e, back, e.EventType())
	}
}

func TestEV_2_StoredFormIsStable(t *testing.T) {
	// The JSON of an event is a stored format: pin one, so a renamed field
	// or type is noticed before it strands stored histories.
	codec := mustCodec(t)
	ids := SeededIDs(rand.New(rand.NewPCG(3, 3)))
	e := ReferralTransitioned{
		Referral: NewID[Referral](ids), From: StateInSupport, To: StateOnHold,
		At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Reason: "waiting for a place",
	}
	b, err := codec.Marshal(e)
	require.NoError(t, err)
	body := `{"referral":"` + e.Referral.String() + `","from":"in-support","to":"on-hold","at":"2026-01-02T03:04:05Z","reason":"waiting for a place"}`
	assert.Equal(t, `{"type":"referral.transitioned","version":1,"event":`+body+`}`, string(b))

	// An envelope written before versions were recorded has none: it is
	// read as version 1, and written back with it.
	back, err := codec.Unmarshal([]byte(`{"type":"referral.transitioned","event":` + body + `}`))
	require.NoError(t, err)
	assert.Equal(t, e, back)
}

func TestEV_2_PersonalDetailsAreStoredInFullByTheCodecOnly(t *testing.T) {
	codec := mustCodec(t)
	f := newFixture(t)
	_, reg, err := RegisterPatient(f.pat, f.prac, examplePatientDetails(t), f.tick())
	require.NoError(t, err)
	stored, err := codec.Marshal(reg)
	require.NoError(t, err)
	assert.Contains(t, string(stored), "9434765919")
	back, err := codec.Unmarshal(stored)
	require.NoError(t, err)
	assert.Equal(t, reg, back)

	plain, err := json.Marshal(reg)
	require.NoError(t, err)
	for _, s := range secrets {
		assert.NotContains(t, string(plain), s)
	}
}

func TestEV_2_BadInputIsAnErrorNeverAPanic(t *testing.T) {
	codec := mustCodec(t)
	good, err := codec.Marshal(everyEvent(t)[4])
	require.NoError(t, err)
	cases := map[string]error{
		``:     ErrMalformedEvent,
		`null`: ErrMalformedEvent,
		`[]`:   ErrMalformedEvent,
		`{"type":"referral.exploded","event":{}}`: ErrUnknownEventType,
		`{"event":{}}`:                                                           ErrMalformedEvent,
		`{"type":"referral.received"}`:                                           ErrMalformedEvent,
		`{"type":"referral.received","event":null}`:                              ErrMalformedEvent,
		`{"type":"referral.received","event":{},"extra":1}`:                      ErrMalformedEvent,
		`{"type":"referral.received","event":{"colour":"red"}}`:                  ErrMalformedEvent,
		`{"type":"referral.received","event":{"source":"carrier_pigeon"}}`:       ErrUnknownValue,
		`{"type":"referral.received","event":{"referral":"not-a-uuid"}}`:         ErrInvalidID,
		`{"type":"referral.received","event":{"at":"yesterday"}}`:                ErrMalformedEvent,
		`{"type":"referral.transitioned","event":{"to":"teleported"}}`:           ErrUnknownValue,
		`{"type":"referral.transitioned","event":{"measures":[{"before":"x"}]}}`: ErrInvalidMeasure,
		`{"type":"patient.registered","event":{"details":"[redacted]"}}`:         ErrRedacted,
		string(good) + `{}`:        ErrMalformedEvent,
		string(good) + `]`:         ErrMalformedEvent,
		string(good[:len(good)-3]): ErrMalformedEvent,
	}
	for in, want := range cases {
		_, err := codec.Unmarshal([]byte(in))
		assert.ErrorIs(t, err, want, "%s", in)
	}
	_, err = codec.Marshal(nil)
	assert.ErrorIs(t, err, ErrUnknownEventType)
	_, err = codec.Marshal(foreignEvent{})
	assert.ErrorIs(t, err, ErrUnknownEventType, "the codec writes only what it can read")
}

func TestEV_2_StreamsOfJSONLines(t *testing.T) {
	codec := mustCodec(t)
	events := everyEvent(t)
	var buf bytes.Buffer
	require.NoError(t, codec.Encode(&buf, events))
	assert.Equal(t, len(events), strings.Count(buf.String(), "\n"))
	back, err := codec.Decode(strings.NewReader(buf.String() + "\n\n"))
	require.NoError(t, err)
	assert.Equal(t, events, back)

	lines := strings.SplitAfter(buf.String(), "\n")
	broken := strings.Join(lines[:3], "") + "{oops}\n" + strings.Join(lines[3:], "")
	got, err := codec.Decode(strings.NewReader(broken))
	require.ErrorIs(t, err, ErrMalformedEvent)
	assert.Contains(t, err.Error(), "line 4")
	assert.Equal(t, events[:3], got, "what came before the bad line is kept")

	assert.Error(t, codec.Encode(&buf, []Event{foreignEvent{}}))
}

func TestEV_2_CodecIsBuiltFromKinds(t *testing.T) {
	_, err := NewEventCodec(KindOf[ReferralReceived](), KindOf[ReferralReceived]())
	assert.Error(t, err, "a type given twice")
	_, err = NewEventCodec(EventKind{})
	assert.Error(t, err)
	c, err := NewEventCodec(append(EventKinds(), KindOf[foreignEvent]())...)
	require.NoError(t, err)
	e := foreignEvent{Subject: uuid.MustParse("6f2c3c1e-8d0a-4a43-9d6a-1f7f0c3e5b21"), At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b, err := c.Marshal(e)
	require.NoError(t, err)
	back, err := c.Unmarshal(b)
	require.NoError(t, err)
	assert.Equal(t, e, back)
}

// foreignEvent stands for an event of another package.
type foreignEvent struct {
	Subject uuid.UUID `json:"subject"`
	At      time.Time `json:"at"`
}

func (foreignEvent) EventType() string      { return "elsewhere.happened" }
func (e foreignEvent) EventTime() time.Time { return e.At }
func (e foreignEvent) EventStream() Stream {
	return Stream{Kind: StreamKindJourney, ID: e.Subject}
}

func TestEV_3_ReplayEqualsLiveOperations(t *testing.T) {
	codec := mustCodec(t)
	f := newFixture(t)
	live, history, _ := f.story()

	// Through storage and back, as a service would.
	var buf bytes.Buffer
	require.NoError(t, codec.Encode(&buf, history))
	stored, err := codec.Decode(&buf)
	require.NoError(t, err)
	var replayed Referral
	require.NoError(t, Replay(&replayed, stored))
	assert.Equal(t, live, replayed)
}

func TestEV_3_ReplayRefusesTheFirstBadEventWithItsPosition(t *testing.T) {
	f := newFixture(t)
	_, history, _ := f.story()

	cases := []struct {
		name   string
		breakF func([]Event) []Event
		pos    int
		want   error
	}{
		{"an event out of order", func(h []Event) []Event {
			h[3], h[4] = h[4], h[3]
			return h
		}, 3, ErrInvalidTransition},
		{"a transition missing", func(h []Event) []Event {
			return slices.Delete(h, 2, 3)
		}, 2, ErrInvalidTransition},
		{"time going backwards", func(h []Event) []Event {
			e := h[5].(ReferralTransitioned)
			e.At = e.At.Add(-72 * time.Hour)
			h[5] = e
			return h
		}, 5, ErrTimeWentBackwards},
		{"a rejected referral without a reason", func(h []Event) []Event {
			id := h[0].(ReferralReceived).Referral
			e := ReferralTransitioned{Referral: id, From: StateReceived, To: StateRejected, At: h[1].EventTime()}
			return []Event{h[0], e}
		}, 1, ErrReasonRequired},
		{"another referral's event", func(h []Event) []Event {
			e := h[1].(ReferralTransitioned)
			e.Referral = NewID[Referral](f.ids)
			h[1] = e
			return h
		}, 1, ErrWrongSubject},
		{"a patient event in a referral stream", func(h []Event) []Event {
			return slices.Insert(h, 2, Event(PatientAnonymised{Patient: f.pat, At: h[1].EventTime()}))
		}, 2, ErrUnexpectedEvent},
		{"received twice", func(h []Event) []Event {
			return slices.Insert(h, 1, h[0])
		}, 1, ErrUnexpectedEvent},
		{"a change before receipt", func(h []Event) []Event {
			return h[1:]
		}, 0, ErrUnexpectedEvent},
		{"a nil event", func(h []Event) []Event {
			return slices.Insert(h, 4, Event(nil))
		}, 4, ErrUnexpectedEvent},
	}
	for _, c := range cases {
		t.Run("EV_3 "+c.name, func(t *testing.T) {
			stream := c.breakF(slices.Clone(history))
			var r Referral
			err := Replay(&r, stream)
			require.Error(t, err)
			var re *ReplayError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, c.pos, re.Position)
			assert.ErrorIs(t, err, c.want)
			assert.Contains(t, err.Error(), "event "+strconv.Itoa(c.pos))
			// Everything before the bad event was applied, nothing after.
			assert.Equal(t, c.pos, r.Version())
		})
	}
}

func TestEV_2_CanonicalForm(t *testing.T) {
	codec := mustCodec(t)
	e := everyEvent(t)[5]
	stored, err := codec.Marshal(e)
	require.NoError(t, err)
	// The same event written with other spacing and field order.
	var loose map[string]any
	require.NoError(t, json.Unmarshal(stored, &loose))
	reordered, err := json.MarshalIndent(map[string]any{"event": loose["event"], "type": loose["type"]}, "", "   ")
	require.NoError(t, err)
	out, back, err := codec.Canonical(reordered)
	require.NoError(t, err)
	assert.Equal(t, string(stored), string(out))
	assert.Equal(t, e, back)
	_, _, err = codec.Canonical([]byte(`{"type":"x"}`))
	assert.ErrorIs(t, err, ErrUnknownEventType)
}

func TestEV_3_NotForNamesTheEventAndTheRecord(t *testing.T) {
	assert.EqualError(t, NotFor(ReferralReceived{}, "patient"), "unexpected event: referral.received is not a patient event")
	assert.EqualError(t, NotFor(nil, "asset"), "unexpected event: nil is not an asset event")
	assert.ErrorIs(t, NotFor(nil, "holding"), ErrUnexpectedEvent)
}

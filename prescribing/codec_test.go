package prescribing

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEV_2_AnEventWithoutARequiredFieldIsRefused(t *testing.T) {
	codec := mustCodec(t)
	f := newFixture(t)
	id := NewID[Referral](f.ids).String()

	cases := []struct {
		name, in, missing string
	}{
		{"an empty transition", `{"type":"referral.transitioned","event":{}}`, `"referral"`},
		{"a transition without its from-state", `{"type":"referral.transitioned","event":{"referral":"` + id + `","to":"accepted","at":"2026-01-02T00:00:00Z"}}`, `"from"`},
		{"a transition without its to-state", `{"type":"referral.transitioned","event":{"referral":"` + id + `","from":"received","at":"2026-01-02T00:00:00Z"}}`, `"to"`},
		{"a transition without its time", `{"type":"referral.transitioned","event":{"referral":"` + id + `","from":"received","to":"accepted"}}`, `"at"`},
		{"a reassignment without its reason", `{"type":"referral.reassigned","event":{"referral":"` + id + `","from":"` + f.lw.String() + `","to":"` + f.lw2.String() + `","at":"2026-01-02T00:00:00Z"}}`, `"reason"`},
		{"a field spelt in another case", `{"type":"referral.transitioned","event":{"Referral":"` + id + `","from":"received","to":"accepted","at":"2026-01-02T00:00:00Z"}}`, `"referral"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := codec.Unmarshal([]byte(c.in))
			require.ErrorIs(t, err, ErrMalformedEvent)
			assert.Nil(t, e)
			assert.Contains(t, err.Error(), "no "+c.missing+" field")
		})
	}

	t.Run("a zero time or a nil stream ID", func(t *testing.T) {
		for in, want := range map[string]string{
			`{"type":"referral.transitioned","event":{"referral":"` + id + `","from":"received","to":"accepted","at":"0001-01-01T00:00:00Z"}}`:                           "no time",
			`{"type":"referral.transitioned","event":{"referral":"00000000-0000-0000-0000-000000000000","from":"received","to":"accepted","at":"2026-01-02T00:00:00Z"}}`: "no stream",
			`{"type":"referral.transitioned","event":{"referral":"","from":"received","to":"accepted","at":"2026-01-02T00:00:00Z"}}`:                                     "no stream",
		} {
			_, err := codec.Unmarshal([]byte(in))
			require.ErrorIs(t, err, ErrMalformedEvent, in)
			assert.Contains(t, err.Error(), want, in)
		}
	})

	t.Run("every field that is always written is required, for every kind", func(t *testing.T) {
		for _, e := range everyEvent(t) {
			stored, err := codec.Marshal(e)
			require.NoError(t, err)
			var env struct {
				Type  string                     `json:"type"`
				Event map[string]json.RawMessage `json:"event"`
			}
			require.NoError(t, json.Unmarshal(stored, &env))
			optional := omittable(reflect.TypeOf(e))
			for name := range env.Event {
				without := make(map[string]json.RawMessage, len(env.Event))
				for k, v := range env.Event {
					if k != name {
						without[k] = v
					}
				}
				body, err := json.Marshal(without)
				require.NoError(t, err)
				in, err := json.Marshal(map[string]any{"type": env.Type, "event": json.RawMessage(body)})
				require.NoError(t, err)
				_, err = codec.Unmarshal(in)
				if optional[name] {
					continue // Apply judges whether the event needs it
				}
				require.ErrorIs(t, err, ErrMalformedEvent, "%s without %s", env.Type, name)
				assert.Contains(t, err.Error(), "no "+quoteShort(name)+" field", env.Type)
			}
		}
	})
}

// TestEV_2_ANestedFieldMissingIsRefused removes, from the stored form of
// every kind, each key of every nested object in turn (a contact's mode, a
// measure's instrument, a support's need): the codec must refuse the body,
// unless the key is one that encoding leaves out of such a value anyway.
func TestEV_2_ANestedFieldMissingIsRefused(t *testing.T) {
	codec := mustCodec(t)
	removed := 0
	for _, e := range everyEvent(t) {
		stored, err := codec.Marshal(e)
		require.NoError(t, err)
		var env map[string]any
		require.NoError(t, json.Unmarshal(stored, &env))
		body := env["event"].(map[string]any)
		for _, nested := range nestedObjects(body, 0) {
			for key, v := range nested {
				delete(nested, key)
				in, err := json.Marshal(env)
				require.NoError(t, err)
				got, err := codec.Unmarshal(in)
				nested[key] = v
				if err == nil {
					// Accepted: only if the key carried nothing (the event
					// decodes the same without it), or if it is one that
					// encoding leaves out of a value without it.
					out, err := codec.Marshal(got)
					require.NoError(t, err)
					if !assert.ObjectsAreEqual(e, got) {
						assert.NotContains(t, string(out), `"`+key+`":`,
							"%s decoded without nested %q", e.EventType(), key)
					}
					continue
				}
				removed++
				require.ErrorIs(t, err, ErrMalformedEvent, "%s without nested %s", e.EventType(), key)
				assert.Contains(t, err.Error(), key, e.EventType())
			}
		}
	}
	assert.Positive(t, removed, "no event has nested objects: the test checks nothing")

	t.Run("a contact without its mode", func(t *testing.T) {
		f := newFixture(t)
		in := `{"type":"referral.contact_recorded","event":{"referral":"` + NewID[Referral](f.ids).String() +
			`","patient":"` + NewID[Patient](f.ids).String() + `","link_worker":"` + f.lw.String() +
			`","contact":{"id":"` + NewID[Contact](f.ids).String() + `","at":"2026-01-02T00:00:00Z"}}}`
		_, err := codec.Unmarshal([]byte(in))
		require.ErrorIs(t, err, ErrMalformedEvent)
		assert.Contains(t, err.Error(), `"contact.`)
	})
}

// nestedObjects returns the JSON objects inside v, below its top level,
// in lists too.
func nestedObjects(v any, depth int) []map[string]any {
	var out []map[string]any
	switch v := v.(type) {
	case map[string]any:
		if depth > 0 {
			out = append(out, v)
		}
		for _, x := range v {
			out = append(out, nestedObjects(x, depth+1)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, nestedObjects(x, depth+1)...)
		}
	}
	return out
}

// omittable returns the JSON names of the fields of struct type t that its
// encoding may leave out.
func omittable(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") {
			out[name] = true
		}
	}
	return out
}

func TestEV_2_RequiredFieldsFollowEncodingJSONRules(t *testing.T) {
	type inner struct {
		Deep    string `json:"deep"`
		Shallow string `json:"shallow,omitempty"`
	}
	type Named struct {
		X int `json:"x"`
	}
	type sample struct {
		inner
		Named   `json:"named"`
		Plain   int
		Tagged  int    `json:"tagged"`
		Empty   int    `json:"empty,omitempty"`
		Zero    int    `json:"zero,omitzero"`
		Skipped int    `json:"-"`
		Dash    int    `json:"-,"`
		Opts    int    `json:",string"`
		private int    //nolint:unused // unexported fields are never encoded
		Score   Score  `json:"score"`
		Text    string `json:"text,omitempty,string"`
	}
	_ = sample{}.private
	assert.Equal(t, []string{"deep", "named", "Plain", "tagged", "-", "Opts", "score"},
		requiredFields(reflect.TypeFor[sample]()))
	assert.Nil(t, requiredFields(reflect.TypeFor[Score]()), "a type that decodes itself")
	assert.Nil(t, requiredFields(reflect.TypeFor[int]()))
}

// requiredFields returns the JSON names of the fields of struct type t that
// its encoding always writes, at its top level.
func requiredFields(t reflect.Type) []string {
	s := shapeOf(t, 0)
	if s == nil {
		return nil
	}
	var out []string
	for _, f := range s.fields {
		if f.required {
			out = append(out, f.name)
		}
	}
	return out
}

// TestEV_1_EveryEventTimeIsTheTimeGiven checks, for every event type of
// referrals and measures, that EventTime is the time the event was given and
// not another time it carries.
func TestEV_1_EveryEventTimeIsTheTimeGiven(t *testing.T) {
	f := newFixture(t)
	at := time.Date(2031, 5, 6, 7, 8, 9, 10, time.UTC)
	other := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) // any other time an event carries
	ref := NewID[Referral](f.ids)
	cases := []Event{
		ReferralReceived{Referral: ref, Patient: f.pat, At: at},
		ReferralTransitioned{Referral: ref, From: StateReceived, To: StateAccepted, At: at, LinkWorker: f.lw},
		ReferralPlanUpdated{Referral: ref, At: at},
		ReferralReassigned{Referral: ref, From: f.lw, To: f.lw2, At: at, Reason: "left"},
		ContactRecorded{Referral: ref, Patient: f.pat, LinkWorker: f.lw,
			Contact: Contact{ID: NewID[Contact](f.ids), At: at, Mode: ContactModeHomeVisit, RiskAssessedAt: other}},
		ONS4Recorded{Patient: f.pat, Referral: ref, At: at},
		SWEMWBSRecorded{Patient: f.pat, Referral: ref, At: at},
	}
	for _, e := range cases {
		assert.Equal(t, at, e.EventTime(), e.EventType())
	}

	// The live operations stamp the time they are given, in UTC.
	zoned := time.Date(2026, 3, 10, 9, 30, 0, 0, time.FixedZone("UTC+5", 5*3600))
	r, received := f.receive()
	e1, err := r.Accept(zoned, f.lw)
	require.NoError(t, err)
	assert.True(t, e1.EventTime().Equal(zoned))
	assert.Equal(t, time.UTC, e1.EventTime().Location())
	assert.True(t, received[0].EventTime().Before(zoned))
	m, _, err := OpenMeasures(f.pat, zoned.Add(-time.Hour))
	require.NoError(t, err)
	o, err := m.RecordONS4(ref, ONS4{}, zoned)
	require.NoError(t, err)
	assert.True(t, o.EventTime().Equal(zoned))
	s, err := m.RecordSWEMWBS(ref, SWEMWBS{}, zoned)
	require.NoError(t, err)
	assert.True(t, s.EventTime().Equal(zoned))
}

// FuzzEventCodecDecodeStream feeds JSON Lines streams of this package's
// events to Decode: it never panics, what it returns before an error is
// what the lines before the bad one hold, and what it accepts encodes and
// decodes again to the same events. (Each package that has events of its
// own fuzzes a stream of its kinds the same way.)
func FuzzEventCodecDecodeStream(f *testing.F) {
	codec := mustCodec(f)
	events := everyEvent(f)
	var all bytes.Buffer
	if err := codec.Encode(&all, events); err != nil {
		f.Fatal(err)
	}
	f.Add(all.Bytes())
	lines := bytes.SplitAfter(all.Bytes(), []byte("\n"))
	f.Add(bytes.Join(lines[:3], nil))
	f.Add(append(bytes.Join(lines[:2], nil), `{"type":"referral.transitioned","event":{}}`+"\n"...))
	f.Add([]byte("\n\n" + `{"type":"referral.received","event":{"needs":["money"]}}` + "\n"))
	f.Add([]byte(`{"type":"x"}` + "\r\n" + `null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := codec.Decode(bytes.NewReader(b))
		if err != nil && !errors.Is(err, ErrMalformedEvent) && !errors.Is(err, ErrUnknownEventType) {
			t.Fatalf("error wraps no codec sentinel: %v", err)
		}
		var out bytes.Buffer
		if err := codec.Encode(&out, got); err != nil {
			t.Fatalf("decoded events do not encode: %v", err)
		}
		back, err := codec.Decode(&out)
		if err != nil {
			t.Fatalf("the encoded stream does not decode: %v", err)
		}
		if len(back) != len(got) {
			t.Fatalf("%d events came back as %d", len(got), len(back))
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], back[i]) {
				t.Fatalf("event %d changed on the way through:\n%#v\n%#v", i, got[i], back[i])
			}
		}
		var r Referral
		for _, e := range got {
			_ = r.Apply(e)
		}
	})
}

// TestEV_2_NoEventDecodesWithoutAStream guards the check in KindOf for
// every kind of this package: a nil stream ID is refused whichever ID it is.
func TestEV_2_NoEventDecodesWithoutAStream(t *testing.T) {
	codec := mustCodec(t)
	for _, e := range everyEvent(t) {
		stored, err := codec.Marshal(e)
		require.NoError(t, err)
		nilled := strings.ReplaceAll(string(stored), `"`+e.EventStream().ID.String()+`"`, `"`+uuid.Nil.String()+`"`)
		_, err = codec.Unmarshal([]byte(nilled))
		assert.ErrorIs(t, err, ErrMalformedEvent, "%s", nilled)
	}
}

// TestEV_2_JSONFieldNamesAreSnakeCase checks that every exported field of
// the referral's and the measures' events, records and inputs is named in
// JSON by a snake_case tag.
func TestEV_2_JSONFieldNamesAreSnakeCase(t *testing.T) {
	for _, v := range []any{
		ReferralReceived{}, ReferralTransitioned{}, ReferralPlanUpdated{}, ReferralReassigned{},
		ONS4Recorded{}, SWEMWBSRecorded{}, ONS4{}, SWEMWBS{}, MeasureChange{}, CommunitySupport{},
		ClosureMessage{}, NewReferral{}, SupportPlan{}, Transition{},
	} {
		typ := reflect.TypeOf(v)
		for f := range typ.Fields() {
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			assert.Regexp(t, `^[a-z][a-z0-9]*(_[a-z0-9]+)*$`, name, "%s.%s", typ.Name(), f.Name)
		}
	}
}

// TestEV_2_StoredFormsTheDecoderWouldChangeAreRefused: JSON's decoder
// silently rewrites bytes that are not UTF-8 to U+FFFD and keeps the last
// of a key given twice; the codec refuses both, so nothing stored comes
// back different from what was written.
func TestEV_2_StoredFormsTheDecoderWouldChangeAreRefused(t *testing.T) {
	codec := mustCodec(t)
	f := newFixture(t)
	id := NewID[Referral](f.ids).String()
	good := `{"type":"referral.reassigned","event":{"referral":"` + id + `","from":"` + f.lw.String() +
		`","to":"` + f.lw2.String() + `","reason":"cover","at":"2026-01-02T00:00:00Z"}}`
	_, err := codec.Unmarshal([]byte(good))
	require.NoError(t, err, "the form the cases below spoil")
	for name, in := range map[string]string{
		"a byte that is not UTF-8":  strings.Replace(good, "cover", "cov\xffer", 1),
		"a key given twice":         strings.Replace(good, `"reason":"cover"`, `"reason":"cover","reason":"leave"`, 1),
		"a key twice in other case": strings.Replace(good, `"reason":"cover"`, `"reason":"cover","Reason":"leave"`, 1),
		"an envelope key twice":     strings.Replace(good, `{"type":"referral.reassigned"`, `{"type":"referral.reassigned","type":"referral.reassigned"`, 1),
	} {
		e, err := codec.Unmarshal([]byte(in))
		require.ErrorIs(t, err, ErrMalformedEvent, name)
		assert.Nil(t, e, name)
		assert.NotContains(t, err.Error(), "leave", "%s: the error quotes no stored value", name)
		_, err = codec.Decode(strings.NewReader(good + "\n" + in + "\n"))
		assert.ErrorIs(t, err, ErrMalformedEvent, name)
	}
}

package prescribing

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEV_2_TheEnvelopeCarriesTheSchemaVersion: every event type of this
// package is at version 1, and the codec writes it in the envelope.
func TestEV_2_TheEnvelopeCarriesTheSchemaVersion(t *testing.T) {
	codec := mustCodec(t)
	for _, k := range EventKinds() {
		assert.Equal(t, 1, k.Version(), k.Type())
		v, ok := codec.Version(k.Type())
		assert.True(t, ok)
		assert.Equal(t, 1, v, k.Type())
	}
	_, ok := codec.Version("elsewhere.happened")
	assert.False(t, ok)
	for _, e := range everyEvent(t) {
		b, err := codec.Marshal(e)
		require.NoError(t, err)
		var env map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(b, &env))
		assert.Equal(t, "1", string(env["version"]), e.EventType())
		assert.Len(t, env, 3, "type, version and event, nothing else")
		assert.True(t, bytes.HasPrefix(b, []byte(`{"type":"`+e.EventType()+`","version":1,"event":{`)), "%s", b)
	}
}

// TestEV_2_TheSchemaVersionIsReadStrictly: a version must be a whole number
// from 1 to MaxSchemaVersion; a newer one than the codec knows is refused
// with ErrUnknownVersion; a missing one reads as 1.
func TestEV_2_TheSchemaVersionIsReadStrictly(t *testing.T) {
	codec := mustCodec(t)
	body := `{"patient":"1b4e28ba-2fa1-41d2-883f-0016d3cca427","at":"2026-01-02T00:00:00Z"}`
	env := func(version string) string {
		if version == "" {
			return `{"type":"patient.anonymised","event":` + body + `}`
		}
		return `{"type":"patient.anonymised","version":` + version + `,"event":` + body + `}`
	}
	e, err := codec.Unmarshal([]byte(env("")))
	require.NoError(t, err, "no version: the form written before versions")
	assert.Equal(t, "patient.anonymised", e.EventType())
	_, err = codec.Unmarshal([]byte(env("1")))
	require.NoError(t, err)
	out, _, err := codec.Canonical([]byte(env("")))
	require.NoError(t, err)
	assert.Equal(t, env("1"), string(out), "written back with its version")

	for _, bad := range []string{"0", "-1", `"1"`, "1.0", "1.5", "null", "true", "1e0", "1001", "99999999999999999999"} {
		_, err := codec.Unmarshal([]byte(env(bad)))
		assert.ErrorIs(t, err, ErrMalformedEvent, bad)
		assert.NotErrorIs(t, err, ErrUnknownVersion, bad)
	}
	for _, newer := range []string{"2", "1000"} {
		e, err := codec.Unmarshal([]byte(env(newer)))
		require.ErrorIs(t, err, ErrUnknownVersion, newer)
		assert.Nil(t, e)
		assert.Contains(t, err.Error(), "patient.anonymised at version "+newer+" is newer than this program reads (version 1)")
	}
	_, err = codec.Unmarshal([]byte(`{"type":"patient.anonymised","version":1,"version":2,"event":` + body + `}`))
	assert.Error(t, err, "a version given twice")
}

// Referral reassignment as it might have been stored by older programs: the
// hypothetical version 1 called the reason "why" and the link workers
// "from_link_worker" and "to_link_worker"; version 2 renamed the reason;
// the current form, version 3 here, is the one ReferralReassigned writes.
const (
	reassignedV1 = `{"referral":"1b4e28ba-2fa1-41d2-883f-0016d3cca427","from_link_worker":"6f2c3c1e-8d0a-4a43-9d6a-1f7f0c3e5b21",` +
		`"to_link_worker":"0c0e2a55-4a0b-4c3e-8f54-3b7a9d2e1f60","at":"2026-02-03T10:00:00Z","why":"link worker left"}`
	reassignedV2 = `{"referral":"1b4e28ba-2fa1-41d2-883f-0016d3cca427","from_link_worker":"6f2c3c1e-8d0a-4a43-9d6a-1f7f0c3e5b21",` +
		`"to_link_worker":"0c0e2a55-4a0b-4c3e-8f54-3b7a9d2e1f60","at":"2026-02-03T10:00:00Z","reason":"link worker left"}`
)

// renameFields returns an upcaster that renames top-level fields of a JSON
// object, keeping the rest.
func renameFields(from, to []string) Upcaster {
	return func(body []byte) ([]byte, error) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		for i, name := range from {
			v, ok := m[name]
			if !ok {
				return nil, errors.New("no " + name + " field to rename")
			}
			delete(m, name)
			m[to[i]] = v
		}
		for i := range body {
			body[i] = 'x' // the upcaster owns its copy: scribbling on it must not reach the caller
		}
		return json.Marshal(m)
	}
}

// upcastingCodec is this package's codec with referral.reassigned at
// version 3 and upcasters from versions 1 and 2.
func upcastingCodec(t testing.TB) *EventCodec {
	kinds := EventKinds()
	for i, k := range kinds {
		if k.Type() == "referral.reassigned" {
			kinds[i] = k.WithVersion(3).
				WithUpcaster(1, renameFields([]string{"why"}, []string{"reason"})).
				WithUpcaster(2, renameFields([]string{"from_link_worker", "to_link_worker"}, []string{"from", "to"}))
		}
	}
	c, err := NewEventCodec(kinds...)
	require.NoError(t, err)
	return c
}

func TestEV_2_UpcastersBringOlderVersionsUpToDate(t *testing.T) {
	c := upcastingCodec(t)
	want := ReferralReassigned{
		Referral: IDFromUUID[Referral](uuid.MustParse("1b4e28ba-2fa1-41d2-883f-0016d3cca427")),
		From:     IDFromUUID[LinkWorker](uuid.MustParse("6f2c3c1e-8d0a-4a43-9d6a-1f7f0c3e5b21")),
		To:       IDFromUUID[LinkWorker](uuid.MustParse("0c0e2a55-4a0b-4c3e-8f54-3b7a9d2e1f60")),
		At:       time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC),
		Reason:   "link worker left",
	}
	current, err := json.Marshal(want)
	require.NoError(t, err)

	stored := []byte(`{"type":"referral.reassigned","version":1,"event":` + reassignedV1 + `}`)
	kept := bytes.Clone(stored)
	e, err := c.Unmarshal(stored)
	require.NoError(t, err, "version 1 runs both upcasters")
	assert.Equal(t, want, e)
	assert.Equal(t, kept, stored, "the stored bytes are not changed")

	e, err = c.Unmarshal([]byte(`{"type":"referral.reassigned","version":2,"event":` + reassignedV2 + `}`))
	require.NoError(t, err, "version 2 runs the second")
	assert.Equal(t, want, e)
	e, err = c.Unmarshal([]byte(`{"type":"referral.reassigned","event":` + reassignedV1 + `}`))
	require.NoError(t, err, "no version is version 1")
	assert.Equal(t, want, e)
	e, err = c.UnmarshalBody("referral.reassigned", 3, current)
	require.NoError(t, err, "the current version needs none")
	assert.Equal(t, want, e)

	// The codec writes the current version, which it reads back as is.
	out, err := c.Marshal(want)
	require.NoError(t, err)
	assert.Equal(t, `{"type":"referral.reassigned","version":3,"event":`+string(current)+`}`, string(out))
	typ, v, body, err := c.MarshalBody(want)
	require.NoError(t, err)
	assert.Equal(t, "referral.reassigned", typ)
	assert.Equal(t, 3, v)
	assert.JSONEq(t, string(current), string(body))

	// A newer version is refused; so is an old body the upcasters cannot
	// read, and one they turn into something the event type does not take.
	_, err = c.Unmarshal([]byte(`{"type":"referral.reassigned","version":4,"event":` + string(current) + `}`))
	assert.ErrorIs(t, err, ErrUnknownVersion)
	_, err = c.Unmarshal([]byte(`{"type":"referral.reassigned","version":1,"event":` + reassignedV2 + `}`))
	assert.ErrorIs(t, err, ErrMalformedEvent, "no \"why\" to rename")
	assert.Contains(t, err.Error(), "upcasting from version 1")
	_, err = c.Unmarshal([]byte(`{"type":"referral.reassigned","version":2,"event":` +
		strings.Replace(reassignedV2, `"at"`, `"colour":"red","at"`, 1) + `}`))
	assert.ErrorIs(t, err, ErrMalformedEvent, "what an upcaster writes is decoded strictly")
}

func TestEV_2_AGapInTheUpcastersIsAnUnknownVersion(t *testing.T) {
	k := KindOf[ReferralReassigned]().WithVersion(3).WithUpcaster(2, renameFields(nil, nil))
	c, err := NewEventCodec(k)
	require.NoError(t, err)
	_, err = c.Unmarshal([]byte(`{"type":"referral.reassigned","version":1,"event":` + reassignedV1 + `}`))
	require.ErrorIs(t, err, ErrUnknownVersion)
	assert.Contains(t, err.Error(), "no upcaster from version 1 to 2")
	assert.NotContains(t, err.Error(), "link worker left", "no stored content in the error")
}

func TestEV_2_CodecRefusesKindsWithBadVersionsOrUpcasters(t *testing.T) {
	up := renameFields(nil, nil)
	k := KindOf[ReferralReassigned]()
	for name, bad := range map[string]EventKind{
		"version 0":                      k.WithVersion(0),
		"version past the bound":         k.WithVersion(MaxSchemaVersion + 1),
		"an upcaster from the current":   k.WithVersion(2).WithUpcaster(2, up),
		"an upcaster from a later one":   k.WithVersion(2).WithUpcaster(5, up),
		"an upcaster from version 0":     k.WithVersion(2).WithUpcaster(0, up),
		"an upcaster without a function": k.WithVersion(2).WithUpcaster(1, nil),
	} {
		_, err := NewEventCodec(bad)
		assert.Error(t, err, name)
	}
	_, err := NewEventCodec(k.WithVersion(MaxSchemaVersion).WithUpcaster(MaxSchemaVersion-1, up))
	assert.NoError(t, err, "the bound itself")

	// WithUpcaster gives a new kind: the one it was called on keeps its own.
	base := k.WithVersion(2)
	with := base.WithUpcaster(1, up)
	_, err = NewEventCodec(base)
	require.NoError(t, err)
	c, err := NewEventCodec(base)
	require.NoError(t, err)
	_, err = c.Unmarshal([]byte(`{"type":"referral.reassigned","version":1,"event":` + reassignedV2 + `}`))
	assert.ErrorIs(t, err, ErrUnknownVersion, "the base kind has no upcaster")
	_, err = NewEventCodec(with)
	require.NoError(t, err)
}

// laterEvent is an event type whose stored form changed twice.
type laterEvent struct {
	Subject uuid.UUID `json:"subject"`
	At      time.Time `json:"at"`
}

func (laterEvent) EventType() string      { return "elsewhere.changed" }
func (e laterEvent) EventTime() time.Time { return e.At }
func (e laterEvent) EventStream() Stream  { return Stream{Kind: StreamKindJourney, ID: e.Subject} }
func (laterEvent) SchemaVersion() int     { return 3 }

func TestEV_2_AVersionedEventTypeDeclaresItsVersion(t *testing.T) {
	k := KindOf[laterEvent]()
	assert.Equal(t, 3, k.Version())
	c, err := NewEventCodec(k)
	require.NoError(t, err)
	e := laterEvent{Subject: uuid.MustParse("6f2c3c1e-8d0a-4a43-9d6a-1f7f0c3e5b21"), At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b, err := c.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"version":3`)
	back, err := c.Unmarshal(b)
	require.NoError(t, err)
	assert.Equal(t, e, back)
	_, err = c.Unmarshal(bytes.Replace(b, []byte(`"version":3`), []byte(`"version":2`), 1))
	assert.ErrorIs(t, err, ErrUnknownVersion, "no upcaster from 2")
}

func TestEV_2_BodiesRoundTripWithoutTheEnvelope(t *testing.T) {
	c := mustCodec(t)
	for _, e := range everyEvent(t) {
		typ, v, body, err := c.MarshalBody(e)
		require.NoError(t, err)
		assert.Equal(t, e.EventType(), typ)
		assert.Equal(t, 1, v)
		back, err := c.UnmarshalBody(typ, v, body)
		require.NoError(t, err, typ)
		assert.Equal(t, e, back)
		_, err = c.UnmarshalBody(typ, 0, body)
		assert.ErrorIs(t, err, ErrMalformedEvent)
		_, err = c.UnmarshalBody(typ, 2, body)
		assert.ErrorIs(t, err, ErrUnknownVersion)
	}
	_, err := c.UnmarshalBody("elsewhere.happened", 1, []byte(`{}`))
	assert.ErrorIs(t, err, ErrUnknownEventType)
	_, _, _, err = c.MarshalBody(nil)
	assert.ErrorIs(t, err, ErrUnknownEventType)
}

func FuzzUpcastedEventUnmarshal(f *testing.F) {
	c := upcastingCodec(f)
	f.Add([]byte(`{"type":"referral.reassigned","version":1,"event":` + reassignedV1 + `}`))
	f.Add([]byte(`{"type":"referral.reassigned","version":2,"event":` + reassignedV2 + `}`))
	f.Add([]byte(`{"type":"referral.reassigned","event":` + reassignedV1 + `}`))
	r := rand.New(rand.NewPCG(1, 1))
	f.Add([]byte(`{"type":"referral.reassigned","version":` + string(rune('0'+r.IntN(5))) + `,"event":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, e, err := c.Canonical(b)
		if err != nil {
			return
		}
		if !bytes.Contains(out, []byte(`"version":`)) {
			t.Fatalf("written without a version: %s", out)
		}
		again, e2, err := c.Canonical(out)
		if err != nil || !bytes.Equal(out, again) {
			t.Fatalf("the canonical form does not hold:\n%s\n%s (%v)", out, again, err)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("the event changed: %#v %#v", e, e2)
		}
	})
}

package prescribing

import (
	"database/sql/driver"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every record type of this package is a StreamRecord.
var (
	_ StreamRecord = (*Patient)(nil)
	_ StreamRecord = (*Consents)(nil)
	_ StreamRecord = (*Measures)(nil)
	_ StreamRecord = (*Referral)(nil)
	_ StreamRecord = (*Concern)(nil)
	_ StreamRecord = (*Asset)(nil)
	_ StreamRecord = (*Practice)(nil)
	_ StreamRecord = (*PCN)(nil)
	_ StreamRecord = (*LinkWorker)(nil)
)

func TestStreamTextForms(t *testing.T) {
	id := uuid.MustParse("1b4e28ba-2fa1-41d2-883f-0016d3cca427")
	s := Stream{Kind: StreamKindReferral, ID: id}
	require.NoError(t, s.Check())
	assert.Equal(t, "referral/1b4e28ba-2fa1-41d2-883f-0016d3cca427", s.String())

	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Equal(t, `"referral/1b4e28ba-2fa1-41d2-883f-0016d3cca427"`, string(b))
	var back Stream
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, s, back)

	v, err := s.Value()
	require.NoError(t, err)
	assert.Equal(t, driver.Value(s.String()), v)
	var scanned Stream
	require.NoError(t, scanned.Scan(v))
	assert.Equal(t, s, scanned)
	require.NoError(t, scanned.Scan([]byte("consents/"+strings.ToUpper(id.String()))))
	assert.Equal(t, Stream{Kind: StreamKindConsents, ID: id}, scanned, "an ID in either case")

	// The zero stream is "none": empty text, NULL in a database.
	var zero Stream
	assert.True(t, zero.IsZero())
	assert.False(t, zero.IsValid())
	assert.Equal(t, "none", zero.String())
	b, err = zero.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, b)
	v, err = zero.Value()
	require.NoError(t, err)
	assert.Nil(t, v)
	require.NoError(t, scanned.Scan(nil))
	assert.True(t, scanned.IsZero())
	parsed, err := ParseStream("")
	require.NoError(t, err)
	assert.True(t, parsed.IsZero())

	// Every kind has one text form, and round-trips.
	for _, k := range StreamKinds() {
		s := StreamOf(k, IDFromUUID[Patient](id))
		back, err := ParseStream(s.String())
		require.NoError(t, err, k.String())
		assert.Equal(t, s, back)
		assert.NotContains(t, k.String(), "/", "the separator cannot be in a kind")
	}
	assert.Len(t, StreamKinds(), 16)
}

func TestStreamRefusesWhatIsNotAStream(t *testing.T) {
	id := "1b4e28ba-2fa1-41d2-883f-0016d3cca427"
	secret := "Adaeze Okafor 943 476 5919"
	for in, also := range map[string]error{
		"referral":                      nil,
		"referral-" + id:                nil,
		"/" + id:                        ErrUnknownValue,
		"spaceship/" + id:               ErrUnknownValue,
		"Referral/" + id:                ErrUnknownValue,
		"referral/":                     nil,
		"referral/" + id + "/x":         ErrInvalidID,
		"referral/{" + id + "}":         ErrInvalidID,
		"referral/" + uuid.Nil.String(): nil,
		secret + "/" + id:               ErrUnknownValue,
		"referral/" + secret:            ErrInvalidID,
	} {
		s, err := ParseStream(in)
		require.ErrorIs(t, err, ErrInvalidStream, in)
		if also != nil {
			assert.ErrorIs(t, err, also, in)
		}
		assert.Zero(t, s, in)
		assert.NotContains(t, err.Error(), "Adaeze", "errors never quote the text")
		var into Stream
		assert.ErrorIs(t, into.UnmarshalText([]byte(in)), ErrInvalidStream, in)
		assert.Zero(t, into, in)
	}
	var into Stream
	assert.ErrorIs(t, into.Scan(42), ErrInvalidStream)
	for _, bad := range []Stream{{Kind: StreamKindPatient}, {ID: uuid.New()}, {Kind: StreamKind(99), ID: uuid.New()}} {
		_, err := bad.MarshalText()
		assert.ErrorIs(t, err, ErrInvalidStream, "%#v", bad)
		_, err = bad.Value()
		assert.ErrorIs(t, err, ErrInvalidStream)
		assert.False(t, bad.IsValid())
	}
}

// TestEV_1_EveryEventNamesItsOwnRecordsStream: each event of this package
// names the stream of the record that takes it, and records that share an
// ID (a patient's record, consents and measures) have different streams.
func TestEV_1_EveryEventNamesItsOwnRecordsStream(t *testing.T) {
	f := newFixture(t)
	events := everyEvent(t)
	kinds := map[string]StreamKind{}
	for _, e := range events {
		s := e.EventStream()
		require.NoError(t, s.Check(), e.EventType())
		if k, seen := kinds[e.EventType()]; seen {
			assert.Equal(t, k, s.Kind, "one kind per event type: %s", e.EventType())
		}
		kinds[e.EventType()] = s.Kind
	}
	patient := StreamOf(StreamKindPatient, f.pat)
	consents := StreamOf(StreamKindConsents, f.pat)
	measures := StreamOf(StreamKindMeasures, f.pat)
	assert.NotEqual(t, patient, consents)
	assert.NotEqual(t, patient, measures)
	assert.NotEqual(t, consents, measures)
	assert.Equal(t, StreamKindConsents, kinds["consent.given"])
	assert.Equal(t, StreamKindMeasures, kinds["measure.ons4_recorded"])
	assert.Equal(t, StreamKindPatient, kinds["patient.registered"])
	assert.Equal(t, StreamKindReferral, kinds["referral.contact_recorded"])

	// A mixed log splits by stream, without a type switch, and each stream
	// replays into the zero value of its record.
	streams := map[Stream][]Event{}
	for _, e := range events {
		streams[e.EventStream()] = append(streams[e.EventStream()], e)
	}
	records := map[StreamKind]func() StreamRecord{
		StreamKindPatient: func() StreamRecord { return new(Patient) }, StreamKindConsents: func() StreamRecord { return new(Consents) },
		StreamKindMeasures: func() StreamRecord { return new(Measures) }, StreamKindReferral: func() StreamRecord { return new(Referral) },
		StreamKindConcern: func() StreamRecord { return new(Concern) }, StreamKindAsset: func() StreamRecord { return new(Asset) },
		StreamKindPractice: func() StreamRecord { return new(Practice) }, StreamKindPCN: func() StreamRecord { return new(PCN) },
		StreamKindLinkWorker: func() StreamRecord { return new(LinkWorker) },
	}
	for s, list := range streams {
		r := records[s.Kind]()
		assert.Zero(t, r.Version())
		assert.True(t, r.Stream().IsZero())
		require.NoError(t, Replay(r, list), s.String())
		assert.Equal(t, s, r.Stream())
		assert.Equal(t, len(list), r.Version(), s.String())
	}
}

func FuzzParseStream(f *testing.F) {
	for _, s := range []string{"", "referral/1b4e28ba-2fa1-41d2-883f-0016d3cca427", "training/1B4E28BA-2FA1-41D2-883F-0016D3CCA427",
		"patient/", "/", "holding_episode/00000000-0000-0000-0000-000000000000", "act_log//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseStream(in)
		if err != nil {
			if !s.IsZero() {
				t.Fatalf("a refusal gave %v", s)
			}
			return
		}
		if in == "" {
			if !s.IsZero() {
				t.Fatal("the empty text is the zero stream")
			}
			return
		}
		if !s.IsValid() {
			t.Fatalf("parsed an invalid stream %#v", s)
		}
		back, err := ParseStream(s.String())
		if err != nil || back != s {
			t.Fatalf("%q does not round-trip: %v %v", in, back, err)
		}
		if !strings.EqualFold(s.String(), in) {
			t.Fatalf("%q parsed as %s", in, s)
		}
	})
}

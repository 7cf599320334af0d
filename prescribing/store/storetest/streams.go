package storetest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testRecords appends a patient's events through its record and rebuilds
// the record from its stream: the pattern a service follows.
func testRecords(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, stream := f.patient()
	live, reg, err := prescribing.RegisterPatient(p, prescribing.PracticeID{}, personal("Augusta"), f.at)
	require.NoError(t, err)
	require.Equal(t, stream, live.Stream())
	envs, err := store.AppendRecord(f.ctx, f.s, &live, meta, reg)
	require.NoError(t, err, "a new record's stream is expected empty")
	require.Len(t, envs, 1)
	assert.Equal(t, int64(1), envs[0].Version)

	// Two writers change copies of version 1: the first wins, the second
	// is told, and nothing of its change is written.
	a, b := live, live
	riskA, err := a.RecordRiskAssessment(f.at.Add(time.Hour), f.by)
	require.NoError(t, err)
	riskB, err := b.RecordRiskAssessment(f.at.Add(2*time.Hour), f.by)
	require.NoError(t, err)
	_, err = store.AppendRecord(f.ctx, f.s, &a, meta, riskA)
	require.NoError(t, err)
	_, err = store.AppendRecord(f.ctx, f.s, &b, meta, riskB)
	assert.ErrorIs(t, err, store.ErrConflict, "the stream moved on since b was loaded")

	// The zero value plus its stream rebuilds the record at its version.
	var rebuilt prescribing.Patient
	require.NoError(t, store.Rebuild(f.ctx, f.s, stream, &rebuilt))
	assert.Equal(t, a, rebuilt, "the winner's record")
	assert.Equal(t, 2, rebuilt.Version())
	loaded, err := f.s.Load(f.ctx, stream, 0)
	require.NoError(t, err)
	assert.Len(t, loaded, rebuilt.Version(), "the version is the stream's length")

	anon, err := rebuilt.Anonymise(f.at.Add(3 * time.Hour))
	require.NoError(t, err)
	envs, err = store.AppendRecord(f.ctx, f.s, &rebuilt, meta, anon)
	require.NoError(t, err, "the rebuilt record appends at its version")
	assert.Equal(t, int64(3), envs[0].Version)
	var again prescribing.Patient
	require.NoError(t, store.Rebuild(f.ctx, f.s, stream, &again))
	assert.Equal(t, rebuilt, again)

	// A record cannot have made more events than its version counts.
	_, err = store.AppendRecord(f.ctx, f.s, &prescribing.Patient{}, meta, reg)
	assert.ErrorIs(t, err, store.ErrInvalidAppend)

	// A stream without events leaves the zero value; a stream replayed into
	// a record of another kind is refused at its first event.
	_, empty := f.patient()
	var none prescribing.Patient
	require.NoError(t, store.Rebuild(f.ctx, f.s, empty, &none))
	assert.Equal(t, prescribing.Patient{}, none)
	var wrong prescribing.Consents
	err = store.Rebuild(f.ctx, f.s, stream, &wrong)
	var replayErr *prescribing.ReplayError
	require.ErrorAs(t, err, &replayErr)
	assert.Equal(t, 0, replayErr.Position)
	assert.ErrorIs(t, err, prescribing.ErrUnexpectedEvent)
	assert.ErrorIs(t, store.Rebuild(f.ctx, f.s, prescribing.Stream{}, &none), prescribing.ErrInvalidStream)
}

// testMixedLog appends the records of one person kept in streams of
// different kinds with the same ID, and checks that the global log names
// each event's stream and that each stream loads only its own.
func testMixedLog(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, patientStream := f.patient()
	patient, reg, err := prescribing.RegisterPatient(p, prescribing.PracticeID{}, personal("Augusta"), f.at)
	require.NoError(t, err)
	consents, opened, err := prescribing.OpenConsents(p, f.at)
	require.NoError(t, err)
	given, err := consents.Give(prescribing.ConsentScopeContactByText, prescribing.AssetID{}, f.at.Add(time.Minute))
	require.NoError(t, err)
	risk, err := patient.RecordRiskAssessment(f.at.Add(time.Hour), f.by)
	require.NoError(t, err)
	require.NotEqual(t, patientStream, consents.Stream())
	require.Equal(t, patientStream.ID, consents.Stream().ID, "same ID, another kind")

	_, err = store.AppendRecord(f.ctx, f.s, &consents, meta, opened, given)
	require.NoError(t, err)
	_, err = store.AppendRecord(f.ctx, f.s, &patient, meta, reg, risk)
	require.NoError(t, err)

	all := f.all()
	requireWell(t, all)
	kinds := make([]prescribing.StreamKind, len(all))
	for i, e := range all {
		kinds[i] = e.Stream.Kind
	}
	assert.Equal(t, []prescribing.StreamKind{prescribing.StreamKindConsents, prescribing.StreamKindConsents,
		prescribing.StreamKindPatient, prescribing.StreamKindPatient}, kinds)
	for _, rec := range []prescribing.StreamRecord{&patient, &consents} {
		loaded, err := f.s.Load(f.ctx, rec.Stream(), 0)
		require.NoError(t, err)
		require.Len(t, loaded, rec.Version())
		for _, e := range loaded {
			assert.Equal(t, rec.Stream(), e.Event.EventStream())
		}
	}
	var rebuilt prescribing.Consents
	require.NoError(t, store.Rebuild(f.ctx, f.s, consents.Stream(), &rebuilt))
	assert.Equal(t, consents, rebuilt)
}

// switchCodec is a store codec whose codec a test can change, as a program
// that is upgraded reads with a new codec what an older one wrote.
type switchCodec struct {
	mu sync.Mutex
	c  store.Codec
}

func (s *switchCodec) set(c store.Codec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.c = c
}

func (s *switchCodec) get() store.Codec {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c
}

// MarshalBody implements [store.Codec].
func (s *switchCodec) MarshalBody(e prescribing.Event) (string, int, []byte, error) {
	return s.get().MarshalBody(e)
}

// UnmarshalBody implements [store.Codec].
func (s *switchCodec) UnmarshalBody(typ string, version int, body []byte) (prescribing.Event, error) {
	return s.get().UnmarshalBody(typ, version, body)
}

// renameField returns body with its top-level field from renamed to.
func renameField(body []byte, from, to string) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, err
	}
	v, ok := fields[from]
	if !ok {
		return nil, fmt.Errorf("no %q field", from)
	}
	delete(fields, from)
	fields[to] = v
	return json.Marshal(fields)
}

// riskV1Codec writes patient.risk_assessed as it was at schema version 1
// in this test's story, with the link worker in an "assessor" field (the
// event's current form, version 2, calls it "by"); other events it writes
// as the suite's codec does.
type riskV1Codec struct{ c *prescribing.EventCodec }

func (r riskV1Codec) MarshalBody(e prescribing.Event) (string, int, []byte, error) {
	typ, v, body, err := r.c.MarshalBody(e)
	if err != nil || typ != "patient.risk_assessed" {
		return typ, v, body, err
	}
	body, err = renameField(body, "by", "assessor")
	return typ, 1, body, err
}

func (r riskV1Codec) UnmarshalBody(typ string, version int, body []byte) (prescribing.Event, error) {
	if typ == "patient.risk_assessed" && version == 1 {
		b, err := renameField(body, "assessor", "by")
		if err != nil {
			return nil, err
		}
		body = b
	}
	return r.c.UnmarshalBody(typ, version, body)
}

// codecWith returns the suite's codec with the kind of event type typ
// changed by change.
func codecWith(t *testing.T, typ string, change func(prescribing.EventKind) prescribing.EventKind) *prescribing.EventCodec {
	t.Helper()
	kinds := prescribing.EventKinds()
	found := false
	for i, k := range kinds {
		if k.Type() == typ {
			kinds[i], found = change(k), true
		}
	}
	require.True(t, found, typ)
	c, err := prescribing.NewEventCodec(kinds...)
	require.NoError(t, err)
	return c
}

// testUpcast stores events with a program's old codec, then reads them
// with its new one, which upcasts the old schema version.
func testUpcast(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	codec := &switchCodec{c: riskV1Codec{f.codec}}
	s := newStore(t, codec, f.clock.Now)
	p, stream := f.patient()
	live, reg, err := prescribing.RegisterPatient(p, prescribing.PracticeID{}, personal("Augusta"), f.at)
	require.NoError(t, err)
	risk, err := live.RecordRiskAssessment(f.at.Add(time.Hour), f.by)
	require.NoError(t, err)
	old, err := store.AppendRecord(f.ctx, s, &live, meta, reg, risk)
	require.NoError(t, err)
	require.Equal(t, 1, old[1].SchemaVersion)
	require.Contains(t, string(old[1].Data), `"assessor"`, "stored in the old form")

	// The program is upgraded: patient.risk_assessed is at version 2, with
	// an upcaster from version 1.
	codec.set(codecWith(t, "patient.risk_assessed", func(k prescribing.EventKind) prescribing.EventKind {
		return k.WithVersion(2).WithUpcaster(1, func(body []byte) ([]byte, error) {
			return renameField(body, "assessor", "by")
		})
	}))
	again, err := live.RecordRiskAssessment(f.at.Add(2*time.Hour), f.by)
	require.NoError(t, err)
	envs, err := store.AppendRecord(f.ctx, s, &live, meta, again)
	require.NoError(t, err, "appends go on after the upgrade, at the new version")
	require.Equal(t, 2, envs[0].SchemaVersion)
	assert.Contains(t, string(envs[0].Data), `"by"`)

	loaded, err := s.Load(f.ctx, stream, 0)
	require.NoError(t, err)
	require.Len(t, loaded, 3)
	assert.Equal(t, []int{1, 1, 2}, []int{loaded[0].SchemaVersion, loaded[1].SchemaVersion, loaded[2].SchemaVersion},
		"each envelope says the version its body is stored at")
	assert.Equal(t, []prescribing.Event{reg, risk, again}, store.Events(loaded), "the old body is read upcast")
	assert.Equal(t, old[1].Data, loaded[1].Data, "the stored body is left as it was")
	page, err := s.ReadAll(f.ctx, 1, 10)
	require.NoError(t, err)
	assert.Equal(t, loaded, page, "global reads upcast too")
	var rebuilt prescribing.Patient
	require.NoError(t, store.Rebuild(f.ctx, s, stream, &rebuilt))
	assert.Equal(t, live, rebuilt)

	// Without the upcaster the old version cannot be read.
	codec.set(codecWith(t, "patient.risk_assessed", func(k prescribing.EventKind) prescribing.EventKind { return k.WithVersion(2) }))
	_, err = s.Load(f.ctx, stream, 0)
	assert.ErrorIs(t, err, store.ErrCorrupt)
	assert.ErrorIs(t, err, prescribing.ErrUnknownVersion)
}

// testNewerVersion stores an event with a newer program's codec and reads
// it with an older one, which must refuse it rather than guess.
func testNewerVersion(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	codec := &switchCodec{c: codecWith(t, "patient.risk_assessed", func(k prescribing.EventKind) prescribing.EventKind { return k.WithVersion(3) })}
	s := newStore(t, codec, f.clock.Now)
	p, stream := f.patient()
	live, reg, err := prescribing.RegisterPatient(p, prescribing.PracticeID{}, personal("Augusta"), f.at)
	require.NoError(t, err)
	risk, err := live.RecordRiskAssessment(f.at.Add(time.Hour), f.by)
	require.NoError(t, err)
	envs, err := store.AppendRecord(f.ctx, s, &live, meta, reg, risk)
	require.NoError(t, err)
	require.Equal(t, 3, envs[1].SchemaVersion)

	codec.set(f.codec) // the older program: version 1
	for name, read := range map[string]func() error{
		"load":          func() error { _, err := s.Load(f.ctx, stream, 0); return err },
		"load from it":  func() error { _, err := s.Load(f.ctx, stream, 2); return err },
		"read all":      func() error { _, err := s.ReadAll(f.ctx, 1, 10); return err },
		"rebuild":       func() error { var p prescribing.Patient; return store.Rebuild(f.ctx, s, stream, &p) },
		"erase":         func() error { _, err := s.Erase(f.ctx, stream, store.ErasePatient(p), meta); return err },
		"read it alone": func() error { _, err := s.ReadAll(f.ctx, 2, 1); return err },
	} {
		err := read()
		require.Error(t, err, name)
		assert.ErrorIs(t, err, store.ErrCorrupt, name)
		assert.ErrorIs(t, err, prescribing.ErrUnknownVersion, name)
		assert.NotContains(t, err.Error(), "Augusta", "%s: no personal data in the error", name)
	}
	first, err := s.ReadAll(f.ctx, 1, 1)
	require.NoError(t, err, "the event before it still reads")
	assert.Equal(t, []prescribing.Event{reg}, store.Events(first))
	erasures, err := s.Erasures(f.ctx, 1, 10)
	require.NoError(t, err)
	assert.Empty(t, erasures, "a refused erasure is not logged")
}

// testEraseUpcast erases a patient whose registration is stored at an older
// schema version: the rewritten event is stored at the codec's current
// version, the events the erasure does not change keep theirs.
func testEraseUpcast(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	codec := &switchCodec{c: f.codec}
	s := newStore(t, codec, f.clock.Now)
	p, stream := f.patient()
	live, reg, err := prescribing.RegisterPatient(p, prescribing.PracticeID{}, personal("Augusta"), f.at)
	require.NoError(t, err)
	risk, err := live.RecordRiskAssessment(f.at.Add(time.Hour), f.by)
	require.NoError(t, err)
	anon, err := live.Anonymise(f.at.Add(2 * time.Hour))
	require.NoError(t, err)
	_, err = store.AppendRecord(f.ctx, s, &live, meta, reg, risk, anon)
	require.NoError(t, err)

	codec.set(codecWith(t, "patient.registered", func(k prescribing.EventKind) prescribing.EventKind {
		return k.WithVersion(2).WithUpcaster(1, func(body []byte) ([]byte, error) { return body, nil })
	}))
	erasure, err := s.Erase(f.ctx, stream, store.ErasePatient(p), meta)
	require.NoError(t, err)
	assert.Equal(t, 1, erasure.Rewritten)
	loaded, err := s.Load(f.ctx, stream, 0)
	require.NoError(t, err)
	require.Len(t, loaded, 3)
	assert.Equal(t, 2, loaded[0].SchemaVersion, "rewritten at the current version")
	assert.Equal(t, 1, loaded[1].SchemaVersion, "untouched")
	assert.NotContains(t, string(loaded[0].Data), "Augusta")
	var rebuilt prescribing.Patient
	require.NoError(t, prescribing.Replay(&rebuilt, store.Events(loaded)))
	assert.Equal(t, live, rebuilt, "replays to the anonymised record")
}

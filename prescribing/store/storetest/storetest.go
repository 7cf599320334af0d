// Package storetest is the conformance suite of linkwork's event stores:
// one set of tests and benchmarks that every [store.Store] must pass, run
// against the in-memory store in the library's tests and against SQLite and
// PostgreSQL in the examples/store module.
//
// A program with its own Store implementation runs it too:
//
//	func TestMyStore(t *testing.T) {
//		storetest.Run(t, func(t testing.TB, codec store.Codec, clock func() time.Time) store.Store {
//			return newMyEmptyStore(t, codec, clock)
//		})
//	}
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Factory returns a new, empty store that encodes events with codec and
// stamps them with clock. The suite calls it once per test; tests of one
// Run do not run in parallel, so a factory may reuse one database by
// emptying it.
type Factory func(t testing.TB, codec store.Codec, clock func() time.Time) store.Store

// Codec returns the codec the suite stores events with: every event kind
// of package prescribing.
func Codec(t testing.TB) *prescribing.EventCodec {
	t.Helper()
	c, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	require.NoError(t, err)
	return c
}

// Clock is a store clock that advances by one second a call, from a fixed
// start in a named time zone (so stores must convert it to UTC). It is
// safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock starting at 1 March 2025, 09:00 in London.
func NewClock() *Clock {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		london = time.FixedZone("BST", 3600)
	}
	return &Clock{t: time.Date(2025, 3, 1, 9, 0, 0, 123456789, london)}
}

// Now returns the next time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// fixture holds what the tests share.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	codec *prescribing.EventCodec
	clock *Clock
	s     store.Store
	ids   prescribing.IDSource
	by    prescribing.LinkWorkerID
	at    time.Time
}

func newFixture(t *testing.T, newStore Factory) *fixture {
	f := &fixture{
		t:     t,
		ctx:   t.Context(),
		codec: Codec(t),
		clock: NewClock(),
		ids:   prescribing.SeededIDs(rand.New(rand.NewPCG(16, 2))),
		at:    time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC),
	}
	f.by = prescribing.NewID[prescribing.LinkWorker](f.ids)
	f.s = newStore(t, f.codec, f.clock.Now)
	require.NotNil(t, f.s)
	return f
}

// patient returns a new patient's ID and stream.
func (f *fixture) patient() (prescribing.PatientID, prescribing.Stream) {
	p := prescribing.NewID[prescribing.Patient](f.ids)
	return p, store.PatientStream(p)
}

// risks returns n events about patient p, a minute apart.
func (f *fixture) risks(p prescribing.PatientID, n int) []prescribing.Event {
	out := make([]prescribing.Event, n)
	for i := range out {
		f.at = f.at.Add(time.Minute)
		out[i] = prescribing.RiskAssessed{Patient: p, By: f.by, At: f.at}
	}
	return out
}

// all reads every event of the store, in pages of 3.
func (f *fixture) all() []store.Envelope {
	var out []store.Envelope
	from := int64(1)
	for {
		page, err := f.s.ReadAll(f.ctx, from, 3)
		require.NoError(f.t, err)
		require.LessOrEqual(f.t, len(page), 3)
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		from = page[len(page)-1].Position + 1
	}
}

// requireWell checks the store's global invariants: positions 1..n
// without gaps or repeats, every stream's versions 1..k in order, and
// every envelope's Event decoded from its Data.
func requireWell(t *testing.T, envs []store.Envelope) {
	t.Helper()
	versions := map[prescribing.Stream]int64{}
	for i, e := range envs {
		require.Equal(t, int64(i+1), e.Position, "positions without gaps")
		versions[e.Stream]++
		require.Equal(t, versions[e.Stream], e.Version, "versions of %s without gaps", e.Stream)
		require.Equal(t, e.Type, e.Event.EventType())
		require.Equal(t, e.Stream, e.Event.EventStream(), "an event is stored in its own stream")
	}
}

var meta = store.Metadata{
	Actor:       mustStaff("staff-0042"),
	Correlation: uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000001"),
	Causation:   uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000002"),
}

func mustStaff(s string) store.StaffID {
	a, err := store.ParseStaffID(s)
	if err != nil {
		panic(err)
	}
	return a
}

// test is one test of the suite.
type test struct {
	name string
	test func(*testing.T, Factory)
}

func runAll(t *testing.T, newStore Factory, tests []test) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, newStore) })
	}
}

// Run runs the whole conformance suite against the stores newStore makes:
// [RunCore], [RunStreams] and [RunErasure]. A program that names its tests
// after the rules they check runs the three parts from tests of their own.
func Run(t *testing.T, newStore Factory) {
	t.Run("core", func(t *testing.T) { RunCore(t, newStore) })
	t.Run("streams", func(t *testing.T) { RunStreams(t, newStore) })
	t.Run("erasure", func(t *testing.T) { RunErasure(t, newStore) })
}

// RunCore runs the tests of appends, expected versions, loads, global
// reads, refusals and concurrency.
func RunCore(t *testing.T, newStore Factory) {
	runAll(t, newStore, []test{
		{"append and load", testAppendLoad},
		{"expected version", testExpectedVersion},
		{"append is all or nothing", testAtomic},
		{"load from a version", testLoadFrom},
		{"read all in pages", testReadAll},
		{"refuses bad reads", testBadReads},
		{"refuses a bad clock", testBadClock},
		{"returned envelopes are the caller's", testCopies},
		{"random operations match a model", testRandomOperations},
		{"concurrent appends to many streams", testConcurrentManyStreams},
		{"concurrent appends to one stream", testConcurrentOneStream},
	})
}

// RunErasure runs the tests of erasure (rule PRIV-2): personal details
// rewritten out of a patient's stored events, versions and other streams
// kept, and the erasure logged.
func RunErasure(t *testing.T, newStore Factory) {
	runAll(t, newStore, []test{
		{"erasure", testErasure},
		{"erasure refuses a bad rewrite", testBadErasure},
		{"erasure rewrites an older schema version", testEraseUpcast},
	})
}

// RunStreams runs the tests of streams and records (rule EV-3): a record's
// events appended to its stream and replayed into its zero value, events of
// another stream refused, and stored schema versions read through the
// codec's upcasters.
func RunStreams(t *testing.T, newStore Factory) {
	runAll(t, newStore, []test{
		{"records append and rebuild", testRecords},
		{"a mixed log splits by stream", testMixedLog},
		{"an older schema version is upcast", testUpcast},
		{"a newer schema version is refused", testNewerVersion},
	})
}

func testAppendLoad(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, stream := f.patient()
	events := f.risks(p, 3)
	envs, err := f.s.Append(f.ctx, stream, store.ExpectNoStream, meta, events...)
	require.NoError(t, err)
	require.Len(t, envs, 3)
	recorded := envs[0].RecordedAt
	assert.Equal(t, time.UTC, recorded.Location(), "record time in UTC")
	assert.Equal(t, 123456789, recorded.Nanosecond(), "record time kept to the nanosecond")
	for i, e := range envs {
		_, _, data, err := f.codec.MarshalBody(events[i])
		require.NoError(t, err)
		want := store.Envelope{
			Position: int64(i + 1), Stream: stream, Version: int64(i + 1),
			Type: "patient.risk_assessed", SchemaVersion: 1,
			EventTime: events[i].EventTime(), RecordedAt: recorded,
			Metadata: meta, Data: data, Event: events[i],
		}
		assert.Equal(t, want, e, "envelope %d", i)
	}
	loaded, err := f.s.Load(f.ctx, stream, 0)
	require.NoError(t, err)
	assert.Equal(t, envs, loaded, "load returns what append stored")

	// A second append gets the next versions and positions and a later
	// record time; a stream without events loads as none.
	more, err := f.s.Append(f.ctx, stream, 3, store.Metadata{}, f.risks(p, 1)...)
	require.NoError(t, err)
	assert.Equal(t, int64(4), more[0].Version)
	assert.Equal(t, int64(4), more[0].Position)
	assert.True(t, more[0].RecordedAt.After(recorded))
	assert.Equal(t, store.Metadata{}, more[0].Metadata)
	_, empty := f.patient()
	none, err := f.s.Load(f.ctx, empty, 0)
	require.NoError(t, err)
	assert.Empty(t, none)
	requireWell(t, f.all())
}

func testExpectedVersion(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, stream := f.patient()
	_, err := f.s.Append(f.ctx, stream, store.ExpectedVersion(1), meta, f.risks(p, 1)...)
	assert.ErrorIs(t, err, store.ErrConflict, "version 1 expected of a stream with none")
	_, err = f.s.Append(f.ctx, stream, store.ExpectNoStream, meta, f.risks(p, 2)...)
	require.NoError(t, err)
	before := f.all()

	for _, expected := range []store.ExpectedVersion{store.ExpectNoStream, 1, 3, 100} {
		_, err := f.s.Append(f.ctx, stream, expected, meta, f.risks(p, 1)...)
		assert.ErrorIs(t, err, store.ErrConflict, "expected %s, stream at version 2", expected)
		assert.NotErrorIs(t, err, store.ErrInvalidAppend)
	}
	assert.Equal(t, before, f.all(), "a conflict writes nothing")

	_, err = f.s.Append(f.ctx, stream, 2, meta, f.risks(p, 1)...)
	require.NoError(t, err, "the exact version")
	_, err = f.s.Append(f.ctx, stream, store.ExpectAny, meta, f.risks(p, 1)...)
	require.NoError(t, err, "any version of an existing stream")
	q, other := f.patient()
	_, err = f.s.Append(f.ctx, other, store.ExpectAny, meta, f.risks(q, 1)...)
	require.NoError(t, err, "any version of a new stream")
	loaded, err := f.s.Load(f.ctx, stream, 0)
	require.NoError(t, err)
	assert.Len(t, loaded, 4)

	_, err = f.s.Append(f.ctx, stream, store.ExpectedVersion(-2), meta, f.risks(p, 1)...)
	assert.ErrorIs(t, err, store.ErrInvalidAppend, "below ExpectAny")
	requireWell(t, f.all())
}

func testAtomic(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, stream := f.patient()
	_, err := f.s.Append(f.ctx, stream, store.ExpectNoStream, meta, f.risks(p, 1)...)
	require.NoError(t, err)
	before := f.all()
	q, _ := f.patient()
	good := f.risks(p, 2)
	hostile := map[string]struct {
		event  prescribing.Event
		stream prescribing.Stream
	}{
		"nil event":              {nil, stream},
		"no event time":          {prescribing.RiskAssessed{Patient: p, By: f.by}, stream},
		"year 10000":             {prescribing.RiskAssessed{Patient: p, By: f.by, At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, stream},
		"another record's":       {prescribing.RiskAssessed{Patient: q, By: f.by, At: f.at}, stream},
		"same ID, another kind":  {good[0], prescribing.StreamOf(prescribing.StreamKindConsents, p)},
		"unknown stream kind":    {good[0], prescribing.Stream{Kind: 99, ID: p.UUID()}},
		"unknown to the codec":   {alien{at: f.at, stream: stream}, stream},
		"zero stream":            {good[0], prescribing.Stream{}},
		"text the codec refuses": {prescribing.PatientDetailsChanged{Patient: p, Details: prescribing.PersonalDetails{GivenName: "\x00"}, At: f.at}, stream},
	}
	for name, h := range hostile {
		t.Run(name, func(t *testing.T) {
			events := []prescribing.Event{good[0], h.event, good[1]}
			envs, err := f.s.Append(f.ctx, h.stream, 1, meta, events...)
			assert.Error(t, err)
			assert.Nil(t, envs)
			switch {
			case !h.stream.IsValid():
				assert.ErrorIs(t, err, prescribing.ErrInvalidStream)
			case name == "another record's" || name == "same ID, another kind":
				assert.ErrorIs(t, err, store.ErrInvalidAppend)
				assert.ErrorIs(t, err, prescribing.ErrWrongSubject)
			default:
				assert.ErrorIs(t, err, store.ErrInvalidAppend)
			}
			assert.Equal(t, before, f.all(), "nothing written")
		})
	}
	_, err = f.s.Append(f.ctx, stream, 1, meta)
	assert.ErrorIs(t, err, store.ErrInvalidAppend, "no events")

	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	_, err = f.s.Append(ctx, stream, 1, meta, good...)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, before, f.all(), "nothing written by a cancelled append")

	envs, err := f.s.Append(f.ctx, stream, 1, meta, good...)
	require.NoError(t, err, "the same events alone")
	assert.Equal(t, []int64{2, 3}, []int64{envs[0].Version, envs[1].Version})
}

// alien is an event no codec of the suite knows.
type alien struct {
	at     time.Time
	stream prescribing.Stream
}

func (alien) EventType() string                 { return "alien.landed" }
func (a alien) EventTime() time.Time            { return a.at }
func (a alien) EventStream() prescribing.Stream { return a.stream }

func testLoadFrom(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, stream := f.patient()
	q, other := f.patient()
	for range 3 {
		_, err := f.s.Append(f.ctx, stream, store.ExpectAny, meta, f.risks(p, 2)...)
		require.NoError(t, err)
		_, err = f.s.Append(f.ctx, other, store.ExpectAny, meta, f.risks(q, 1)...)
		require.NoError(t, err)
	}
	all, err := f.s.Load(f.ctx, stream, 0)
	require.NoError(t, err)
	require.Len(t, all, 6)
	for _, from := range []int64{0, 1, 2, 5, 6, 7, 100} {
		got, err := f.s.Load(f.ctx, stream, from)
		require.NoError(t, err)
		want := all[min(max(from-1, 0), 6):]
		assert.Equal(t, want, append([]store.Envelope{}, got...), "from %d", from)
	}
	_, err = f.s.Load(f.ctx, stream, -1)
	assert.ErrorIs(t, err, store.ErrInvalidRead)
	_, err = f.s.Load(f.ctx, prescribing.Stream{}, 0)
	assert.ErrorIs(t, err, prescribing.ErrInvalidStream)
}

func testReadAll(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	type appended struct {
		stream prescribing.Stream
		events []prescribing.Event
	}
	var done []appended
	ps := make([]prescribing.PatientID, 4)
	streams := make([]prescribing.Stream, 4)
	for i := range ps {
		ps[i], streams[i] = f.patient()
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 12 {
		i := rng.IntN(4)
		events := f.risks(ps[i], 1+rng.IntN(3))
		_, err := f.s.Append(f.ctx, streams[i], store.ExpectAny, meta, events...)
		require.NoError(t, err)
		done = append(done, appended{streams[i], events})
	}
	all := f.all()
	requireWell(t, all)
	var want []prescribing.Event
	var wantStreams []prescribing.Stream
	for _, a := range done {
		want = append(want, a.events...)
		for range a.events {
			wantStreams = append(wantStreams, a.stream)
		}
	}
	got := make([]prescribing.Event, len(all))
	gotStreams := make([]prescribing.Stream, len(all))
	for i, e := range all {
		got[i], gotStreams[i] = e.Event, e.Stream
	}
	assert.Equal(t, want, got, "every event once, in the order appended")
	assert.Equal(t, wantStreams, gotStreams)

	for _, tc := range []struct {
		from  int64
		limit int
		want  []store.Envelope
	}{
		{0, 5, all[:5]},
		{1, 5, all[:5]},
		{3, 2, all[2:4]},
		{int64(len(all)), 10, all[len(all)-1:]},
		{int64(len(all)) + 1, 10, nil},
		{1, store.MaxReadLimit, all},
	} {
		page, err := f.s.ReadAll(f.ctx, tc.from, tc.limit)
		require.NoError(t, err)
		assert.Equal(t, len(tc.want), len(page), "from %d limit %d", tc.from, tc.limit)
		if len(tc.want) > 0 {
			assert.Equal(t, tc.want, page, "from %d limit %d", tc.from, tc.limit)
		}
	}
}

func testBadReads(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	for _, tc := range []struct {
		from  int64
		limit int
	}{{-1, 1}, {1, 0}, {1, -1}, {1, store.MaxReadLimit + 1}} {
		_, err := f.s.ReadAll(f.ctx, tc.from, tc.limit)
		assert.ErrorIs(t, err, store.ErrInvalidRead, "ReadAll from %d limit %d", tc.from, tc.limit)
		_, err = f.s.Erasures(f.ctx, tc.from, tc.limit)
		assert.ErrorIs(t, err, store.ErrInvalidRead, "Erasures from %d limit %d", tc.from, tc.limit)
	}
}

func testBadClock(t *testing.T, newStore Factory) {
	for name, clock := range map[string]func() time.Time{
		"zero":       func() time.Time { return time.Time{} },
		"year 10000": func() time.Time { return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, func(t testing.TB, codec store.Codec, _ func() time.Time) store.Store {
				return newStore(t, codec, clock)
			})
			p, stream := f.patient()
			_, err := f.s.Append(f.ctx, stream, store.ExpectNoStream, meta, f.risks(p, 1)...)
			assert.ErrorIs(t, err, store.ErrClock)
			_, err = f.s.Erase(f.ctx, stream, store.ErasePatient(p), meta)
			assert.ErrorIs(t, err, store.ErrClock)
			assert.Empty(t, f.all(), "nothing written")
			erasures, err := f.s.Erasures(f.ctx, 1, 10)
			require.NoError(t, err)
			assert.Empty(t, erasures)
		})
	}
}

func testCopies(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, stream := f.patient()
	envs, err := f.s.Append(f.ctx, stream, store.ExpectNoStream, meta, f.risks(p, 1)...)
	require.NoError(t, err)
	want := bytes.Clone(envs[0].Data)
	envs[0].Data[0] = 'X'
	loaded, err := f.s.Load(f.ctx, stream, 0)
	require.NoError(t, err)
	assert.Equal(t, want, loaded[0].Data, "changing what Append returned changes nothing stored")
	loaded[0].Data[0] = 'Y'
	page, err := f.s.ReadAll(f.ctx, 1, 1)
	require.NoError(t, err)
	assert.Equal(t, want, page[0].Data, "changing what Load returned changes nothing stored")
}

// personal returns details whose every field is a recognisable secret.
func personal(given string) prescribing.PersonalDetails {
	return prescribing.PersonalDetails{
		GivenName:   given,
		FamilyName:  "Lovelace-" + given,
		DateOfBirth: time.Date(1961, 7, 14, 0, 0, 0, 0, time.UTC),
		Contact:     prescribing.ContactDetails{Phone: "07700 900" + given[:3], Email: given + "@example.org"},
	}
}

func testErasure(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, stream := f.patient()
	practice := prescribing.NewID[prescribing.Practice](f.ids)
	patient, reg, err := prescribing.RegisterPatient(p, practice, personal("Augusta"), f.at)
	require.NoError(t, err)
	changed, err := patient.UpdateDetails(personal("Ada"), f.at.Add(time.Hour))
	require.NoError(t, err)
	risk := prescribing.RiskAssessed{Patient: p, By: f.by, At: f.at.Add(2 * time.Hour)}
	require.NoError(t, patient.Apply(risk))
	anon, err := patient.Anonymise(f.at.Add(3 * time.Hour))
	require.NoError(t, err)

	q, other := f.patient()
	_, regOther, err := prescribing.RegisterPatient(q, practice, personal("Grace"), f.at)
	require.NoError(t, err)

	_, err = f.s.Append(f.ctx, stream, store.ExpectNoStream, meta, reg, changed)
	require.NoError(t, err)
	_, err = f.s.Append(f.ctx, other, store.ExpectNoStream, meta, regOther)
	require.NoError(t, err)
	_, err = f.s.Append(f.ctx, stream, 2, meta, risk, anon)
	require.NoError(t, err)
	before := f.all()
	secrets := []string{"Augusta", "Ada", "Lovelace", "1961", "07700", "example.org"}
	require.Contains(t, string(before[0].Data), "Augusta", "the stored form holds the details before erasure")

	erasure, err := f.s.Erase(f.ctx, stream, store.ErasePatient(p), meta)
	require.NoError(t, err)
	assert.Equal(t, int64(1), erasure.Sequence)
	assert.Equal(t, stream, erasure.Stream)
	assert.Equal(t, int64(4), erasure.ThroughVersion)
	assert.Equal(t, 2, erasure.Rewritten, "the registration and the change of details")
	assert.Equal(t, meta, erasure.Metadata)
	assert.Equal(t, time.UTC, erasure.RecordedAt.Location())

	after := f.all()
	require.Len(t, after, len(before), "no event added or removed")
	requireWell(t, after)
	for i, e := range after {
		b := before[i]
		assert.Equal(t, []any{b.Position, b.Stream, b.Version, b.Type, b.SchemaVersion, b.EventTime, b.RecordedAt, b.Metadata},
			[]any{e.Position, e.Stream, e.Version, e.Type, e.SchemaVersion, e.EventTime, e.RecordedAt, e.Metadata}, "position %d keeps its place", e.Position)
		if e.Stream != stream {
			assert.Equal(t, b, e, "another stream untouched")
			continue
		}
		for _, s := range secrets {
			assert.NotContains(t, string(e.Data), s, "erased from position %d", e.Position)
		}
	}
	assert.Contains(t, string(after[2].Data), "Grace", "another patient's details kept")

	// The erased stream replays to the anonymised record the live one is.
	loaded, err := f.s.Load(f.ctx, stream, 0)
	require.NoError(t, err)
	var replayed prescribing.Patient
	require.NoError(t, prescribing.Replay(&replayed, store.Events(loaded)))
	assert.Equal(t, patient, replayed)

	// The record of the erasure is kept and holds no personal data.
	records, err := f.s.Erasures(f.ctx, 1, 10)
	require.NoError(t, err)
	assert.Equal(t, []store.Erasure{erasure}, records)
	printed := fmt.Sprintf("%+v %v", records, records)
	for _, s := range secrets {
		assert.NotContains(t, printed, s)
	}

	// Erasing again changes nothing more and is recorded again.
	again, err := f.s.Erase(f.ctx, stream, store.ErasePatient(p), meta)
	require.NoError(t, err)
	assert.Equal(t, int64(2), again.Sequence)
	assert.Equal(t, 0, again.Rewritten)
	assert.Equal(t, after, f.all())
	records, err = f.s.Erasures(f.ctx, 2, 10)
	require.NoError(t, err)
	assert.Equal(t, []store.Erasure{again}, records)

	// Appends go on after an erasure, at the next version.
	envs, err := f.s.Append(f.ctx, stream, 4, meta, riskAt(p, f.by, f.at.Add(4*time.Hour)))
	require.NoError(t, err)
	assert.Equal(t, int64(5), envs[0].Version)
	assert.Equal(t, int64(len(after)+1), envs[0].Position)
}

func riskAt(p prescribing.PatientID, by prescribing.LinkWorkerID, at time.Time) prescribing.Event {
	return prescribing.RiskAssessed{Patient: p, By: by, At: at}
}

func testBadErasure(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, stream := f.patient()
	_, reg, err := prescribing.RegisterPatient(p, prescribing.PracticeID{}, personal("Augusta"), f.at)
	require.NoError(t, err)
	_, err = f.s.Append(f.ctx, stream, store.ExpectNoStream, meta, reg, riskAt(p, f.by, f.at.Add(time.Hour)))
	require.NoError(t, err)
	before := f.all()
	q := prescribing.NewID[prescribing.Patient](f.ids)
	for name, rewrite := range map[string]store.Rewrite{
		"nil rewrite": nil,
		"to nil":      func(prescribing.Event) prescribing.Event { return nil },
		"another type": func(e prescribing.Event) prescribing.Event {
			return prescribing.PatientAnonymised{Patient: p, At: e.EventTime()}
		},
		"another time": func(e prescribing.Event) prescribing.Event {
			if r, ok := e.(prescribing.RiskAssessed); ok {
				r.At = r.At.Add(time.Second)
				return r
			}
			return store.ErasePatient(p)(e)
		},
		"another stream": func(e prescribing.Event) prescribing.Event {
			if r, ok := e.(prescribing.RiskAssessed); ok {
				r.Patient = q
				return r
			}
			return e
		},
		"details the codec refuses": func(e prescribing.Event) prescribing.Event {
			if r, ok := e.(prescribing.PatientRegistered); ok {
				r.Details.GivenName = strings.Repeat("x", prescribing.MaxTextBytes+1)
				return r
			}
			return e
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.s.Erase(f.ctx, stream, rewrite, meta)
			assert.ErrorIs(t, err, store.ErrInvalidErasure)
			assert.Equal(t, before, f.all(), "nothing changed")
			records, err := f.s.Erasures(f.ctx, 1, 10)
			require.NoError(t, err)
			assert.Empty(t, records, "no erasure recorded")
		})
	}
	_, err = f.s.Erase(f.ctx, prescribing.Stream{}, store.ErasePatient(p), meta)
	assert.ErrorIs(t, err, prescribing.ErrInvalidStream)
}

// ack is one acknowledged append.
type ack struct {
	envs []store.Envelope
}

func testConcurrentManyStreams(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	const writers, appends = 8, 12
	type writer struct {
		p      prescribing.PatientID
		stream prescribing.Stream
		events [][]prescribing.Event
	}
	ws := make([]writer, writers)
	for i := range ws {
		ws[i].p, ws[i].stream = f.patient()
		for j := range appends {
			ws[i].events = append(ws[i].events, f.risks(ws[i].p, 1+j%3))
		}
	}
	acks := make([][]ack, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup

	// A projection reads the global order while the writers commit: it
	// must see every position once, in order, never one after a higher
	// one (which it would then have skipped for good).
	stop := make(chan struct{})
	projected := make(chan []store.Envelope, 1)
	go func() {
		var seen []store.Envelope
		from := int64(1)
		for done := false; ; {
			select {
			case <-stop:
				done = true
			default:
			}
			page, err := f.s.ReadAll(f.ctx, from, 50)
			if err != nil {
				t.Errorf("projection: %v", err)
				break
			}
			for _, e := range page {
				if e.Position != from {
					t.Errorf("projection read position %d, expected %d: a position was skipped", e.Position, from)
				}
				from = e.Position + 1
			}
			seen = append(seen, page...)
			if done && len(page) == 0 {
				break
			}
		}
		projected <- seen
	}()
	for i := range ws {
		wg.Go(func() {
			version := int64(0)
			for _, events := range ws[i].events {
				envs, err := f.s.Append(f.ctx, ws[i].stream, store.ExpectedVersion(version), meta, events...)
				if err != nil {
					errs[i] = err
					return
				}
				version += int64(len(events))
				acks[i] = append(acks[i], ack{envs})
			}
		})
	}
	wg.Wait()
	close(stop)
	seen := <-projected
	for i := range ws {
		require.NoError(t, errs[i], "writer %d", i)
	}
	all := f.all()
	assert.Equal(t, all, seen, "the projection saw every event once, in order")
	requireWell(t, all)
	checkAcks(t, all, slices.Concat(acks...))
	total := 0
	for _, w := range ws {
		for _, e := range w.events {
			total += len(e)
		}
	}
	assert.Len(t, all, total, "nothing lost, nothing duplicated")
}

// checkAcks requires that every acknowledged envelope is stored as
// acknowledged, once, and that nothing unacknowledged is.
func checkAcks(t *testing.T, all []store.Envelope, acks []ack) {
	t.Helper()
	n := 0
	for _, a := range acks {
		for _, e := range a.envs {
			n++
			require.LessOrEqual(t, e.Position, int64(len(all)))
			got := all[e.Position-1]
			assert.Equal(t, e.Stream, got.Stream)
			assert.Equal(t, e.Version, got.Version)
			assert.Equal(t, e.Data, got.Data)
			assert.Equal(t, e.RecordedAt, got.RecordedAt)
		}
	}
	assert.Equal(t, len(all), n, "every stored event was acknowledged once")
}

func testConcurrentOneStream(t *testing.T, newStore Factory) {
	f := newFixture(t, newStore)
	p, stream := f.patient()
	const writers, attempts = 8, 10
	events := make([][][]prescribing.Event, writers)
	for i := range events {
		for j := range attempts {
			events[i] = append(events[i], f.risks(p, 1+(i+j)%2))
		}
	}
	var (
		mu        sync.Mutex
		acks      []ack
		conflicts int
		others    []error
		wg        sync.WaitGroup
	)
	for i := range writers {
		wg.Go(func() {
			for j := range attempts {
				// Read the version, then append expecting it: a writer
				// that lost the race must be told.
				loaded, err := f.s.Load(f.ctx, stream, 0)
				if err != nil {
					mu.Lock()
					others = append(others, err)
					mu.Unlock()
					return
				}
				envs, err := f.s.Append(f.ctx, stream, store.ExpectedVersion(len(loaded)), meta, events[i][j]...)
				mu.Lock()
				switch {
				case err == nil:
					acks = append(acks, ack{envs})
				case errors.Is(err, store.ErrConflict):
					conflicts++
				default:
					others = append(others, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Empty(t, others, "only conflicts may fail")
	t.Logf("%d appends acknowledged, %d conflicts reported", len(acks), conflicts)
	assert.Equal(t, writers*attempts, len(acks)+conflicts, "every attempt acknowledged or refused")
	all := f.all()
	requireWell(t, all)
	checkAcks(t, all, acks)

	// Every writer expecting a new stream: exactly one wins.
	q, fresh := f.patient()
	first := f.risks(q, 1)
	var wins, lost int
	for range writers {
		wg.Go(func() {
			_, err := f.s.Append(f.ctx, fresh, store.ExpectNoStream, meta, first...)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, store.ErrConflict):
				lost++
			default:
				others = append(others, err)
			}
		})
	}
	wg.Wait()
	require.Empty(t, others)
	assert.Equal(t, 1, wins, "one writer creates the stream")
	assert.Equal(t, writers-1, lost, "every other is told of the conflict")
	loaded, err := f.s.Load(f.ctx, fresh, 0)
	require.NoError(t, err)
	assert.Len(t, loaded, 1)
}

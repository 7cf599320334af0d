package embeddedness

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openRecord opens the embeddedness record of lw, at a time before the
// fixture's assessments (which need not come after it).
// Every record type of this package is a prescribing.StreamRecord.
var (
	_ prescribing.StreamRecord = (*Record)(nil)
)

func openRecord(t testing.TB, lw prescribing.LinkWorkerID) (Record, RecordOpened) {
	rec, e, err := OpenRecord(lw, time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	return rec, e
}

// mustOpen is openRecord without the event.
func mustOpen(t testing.TB, lw prescribing.LinkWorkerID) Record {
	rec, _ := openRecord(t, lw)
	return rec
}

// history returns a record and its stream: opened, three assessments at
// one practice and one at another.
func (f *fixture) history(t testing.TB) (Record, []prescribing.Event) {
	fw := DefaultFramework()
	rec, opened := openRecord(t, f.lw)
	history := []prescribing.Event{opened}
	for i, score := range []float64{0.2, 0.5, 0.9} {
		a := f.assessment(f.p1, i*6, all(score)...)
		if score > 0.8 {
			a.Adjustments = bothSides
		}
		e, err := rec.Assess(fw, a)
		require.NoError(t, err)
		history = append(history, e)
	}
	e, err := rec.Assess(fw, f.assessment(f.p2, 1, Met(IndicatorRoom, true)))
	require.NoError(t, err)
	return rec, append(history, e)
}

func codec(t testing.TB) *prescribing.EventCodec {
	c, err := prescribing.NewEventCodec(slices.Concat(prescribing.EventKinds(), EventKinds())...)
	require.NoError(t, err)
	return c
}

func TestEMB_AssessmentsAreEventsThatReplay(t *testing.T) {
	f := newFixture()
	live, history := f.history(t)
	c := codec(t)
	var buf bytes.Buffer
	require.NoError(t, c.Encode(&buf, history))
	stored, err := c.Decode(&buf)
	require.NoError(t, err)
	assert.Equal(t, history, stored)
	for _, e := range stored {
		assert.Equal(t, live.Stream(), e.EventStream(), "every event names the record's stream")
	}
	assert.Equal(t, prescribing.StreamOf(prescribing.StreamKindEmbeddedness, f.lw), live.Stream())
	assert.Equal(t, len(stored), live.Version())

	var replayed Record
	require.NoError(t, prescribing.Replay(&replayed, stored))
	assert.Equal(t, live, replayed)

	// A stream out of order at one practice is refused at that event.
	swapped := slices.Clone(stored)
	swapped[1], swapped[3] = swapped[3], swapped[1]
	var fresh Record
	err = prescribing.Replay(&fresh, swapped)
	var re *prescribing.ReplayError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 2, re.Position)
	assert.ErrorIs(t, err, prescribing.ErrTimeWentBackwards)

	var zero Record
	assert.ErrorIs(t, zero.Apply(stored[1]), prescribing.ErrUnexpectedEvent, "a record is opened first")
	assert.ErrorIs(t, fresh.Apply(stored[0]), prescribing.ErrUnexpectedEvent, "and only once")
	_, _, err = OpenRecord(prescribing.LinkWorkerID{}, time.Now())
	assert.ErrorIs(t, err, prescribing.ErrInvalidID)
	assert.ErrorIs(t, fresh.Apply(prescribing.PatientAnonymised{}), prescribing.ErrUnexpectedEvent)
}

func FuzzEventUnmarshal(f *testing.F) {
	fx := newFixture()
	_, history := fx.history(f)
	c := codec(f)
	for _, e := range history {
		b, err := c.Marshal(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"embeddedness.assessed","event":{"result":{"position":"belonging","overall":2}}}`))
	fw := DefaultFramework()
	f.Fuzz(func(t *testing.T, b []byte) {
		e, ok := eventtest.CanonicalHolds(t, c, b)
		if !ok {
			return
		}
		rec, _ := openRecord(t, fx.lw)
		_ = rec.Apply(e)
		if a, ok := e.(Assessed); ok {
			_, _ = fw.Assess(a.Assessment)
		}
	})
}

// FuzzEventStream decodes a JSON Lines stream of events and replays it: no
// panic, a bad stream is refused by Decode or by Replay (with a
// *prescribing.ReplayError), and a stream that replays is stored and
// replayed again to the same record.
func FuzzEventStream(f *testing.F) {
	fx := newFixture()
	_, history := fx.history(f)
	c := codec(f)
	var buf bytes.Buffer
	if err := c.Encode(&buf, history); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
	f.Add(slices.Concat(lines[2], lines[0]))
	f.Add(slices.Concat(lines[0], lines[0]))
	f.Add([]byte(`{"type":"embeddedness.assessed","event":{}}` + "\n"))
	f.Add(bytes.ReplaceAll(buf.Bytes(), []byte(`"score":1`), []byte(`"score":1e400`)))
	f.Add(bytes.ReplaceAll(buf.Bytes(), []byte(`"2026-`), []byte(`"10000-`)))
	f.Add(bytes.ReplaceAll(buf.Bytes(), []byte(`"kind":"access"`), []byte(`"kind":"bribe"`)))
	f.Fuzz(func(t *testing.T, b []byte) {
		events, err := c.Decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		eventtest.ReplayStoredAgain(t, c, new(Record), events, func() prescribing.Applier { return new(Record) })
	})
}

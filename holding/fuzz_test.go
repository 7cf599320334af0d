package holding

import (
	"bytes"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
)

// FuzzEventUnmarshal guards decoding of holding events: no input panics,
// what decodes encodes back to the same bytes, and applying it to an episode
// is safe.
func FuzzEventUnmarshal(f *testing.F) {
	c := codec(f)
	fx := newFixture(f)
	_, history := fx.life(f)
	for _, e := range history {
		b, err := c.Marshal(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"holding.started","event":{"reasons":[1]}}`))
	live, _ := fx.begin(ReasonAwaitingReadiness)
	f.Fuzz(func(t *testing.T, b []byte) {
		e, ok := eventtest.CanonicalHolds(t, c, b)
		if !ok {
			return
		}
		var ep Episode
		_ = ep.Apply(e)
		copyOf := live
		_ = copyOf.Apply(e)
	})
}

// FuzzEventStreamReplay guards decoding and replaying whole streams of
// holding events (JSON Lines, as a service stores them): no input panics;
// replay either refuses the stream with a [prescribing.ReplayError] naming a
// position inside it, or rebuilds an episode that the same events, written
// again and read back, rebuild equal (rules EV-2, EV-3).
func FuzzEventStreamReplay(f *testing.F) {
	c := codec(f)
	fx := newFixture(f)
	_, history := fx.life(f)
	var whole bytes.Buffer
	if err := c.Encode(&whole, history); err != nil {
		f.Fatal(err)
	}
	f.Add(whole.Bytes())
	lines := bytes.SplitAfter(whole.Bytes(), []byte("\n"))
	f.Add(bytes.Join(lines[1:], nil))                              // no start
	f.Add(bytes.Join([][]byte{lines[0], lines[0], lines[1]}, nil)) // started twice
	f.Add(bytes.Join([][]byte{lines[0], lines[2], lines[1]}, nil)) // out of order
	f.Add(bytes.ReplaceAll(whole.Bytes(), []byte("2026-"), []byte("0000-")))
	f.Add(bytes.ReplaceAll(whole.Bytes(), []byte(`"gaining confidence"`), []byte(`"\ud800 \u0000"`)))
	f.Add(bytes.ReplaceAll(whole.Bytes(), []byte("Z\""), []byte("+14:00\"")))
	f.Add([]byte(`{"type":"holding.reviewed","event":{}}` + "\n\n" + `{"type":"holding.ended","event":{"outcome":"connected"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		events, _ := c.Decode(bytes.NewReader(b)) // events before a bad line come back with the error
		re := eventtest.ReplayStoredAgain(t, c, new(Episode), events, func() prescribing.Applier { return new(Episode) })
		if re != nil && (re.Position < 0 || re.Position >= len(events)) {
			t.Fatalf("replay refused without a position in the stream: %v", re)
		}
	})
}

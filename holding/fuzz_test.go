package holding

import (
	"bytes"
	"testing"
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
	live, _ := fx.begin(AwaitingReadiness)
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := c.Unmarshal(b)
		if err != nil {
			return
		}
		out, err := c.Marshal(e)
		if err != nil {
			t.Fatalf("decoded %s but cannot encode it: %v", e.EventType(), err)
		}
		again, err := c.Unmarshal(out)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		out2, _ := c.Marshal(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", out, out2)
		}
		var ep Episode
		_ = ep.Apply(e)
		copyOf := live
		_ = copyOf.Apply(e)
	})
}

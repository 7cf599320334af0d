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
		out, e, err := c.Canonical(b)
		if err != nil {
			return
		}
		if again, _, err := c.Canonical(out); err != nil || !bytes.Equal(out, again) {
			t.Fatalf("the canonical form does not hold:\n%s\n%s (%v)", out, again, err)
		}
		var ep Episode
		_ = ep.Apply(e)
		copyOf := live
		_ = copyOf.Apply(e)
	})
}

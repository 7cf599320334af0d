package eventtest

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
)

// CanonicalHolds checks, in a fuzz target, that data the codec reads has a
// canonical form: what [prescribing.EventCodec.Canonical] writes for data
// reads back to the same bytes. It returns the event data decodes to, and
// false when the codec refuses data, which is no failure.
func CanonicalHolds(t testing.TB, c *prescribing.EventCodec, data []byte) (prescribing.Event, bool) {
	t.Helper()
	out, e, err := c.Canonical(data)
	if err != nil {
		return nil, false
	}
	if again, _, err := c.Canonical(out); err != nil || !bytes.Equal(out, again) {
		t.Fatalf("the canonical form does not hold:\n%s\n%s (%v)", out, again, err)
	}
	return e, true
}

// ReplayStoredAgain replays events into rec, as a fuzz target of a stream
// does (rules EV-2, EV-3). A refusal must be a [prescribing.ReplayError],
// which it returns for the caller to check further. An accepted stream
// must encode through c, decode, and replay into fresh() to a record
// equal to rec; it returns nil.
func ReplayStoredAgain(t testing.TB, c *prescribing.EventCodec, rec prescribing.Applier, events []prescribing.Event, fresh func() prescribing.Applier) *prescribing.ReplayError {
	t.Helper()
	if err := prescribing.Replay(rec, events); err != nil {
		var re *prescribing.ReplayError
		if !errors.As(err, &re) {
			t.Fatalf("replay refused with %T, not a *ReplayError: %v", err, err)
		}
		return re
	}
	var buf bytes.Buffer
	if err := c.Encode(&buf, events); err != nil {
		t.Fatalf("replay accepted a stream the codec cannot store: %v", err)
	}
	again, err := c.Decode(&buf)
	if err != nil {
		t.Fatalf("a stored stream does not decode: %v", err)
	}
	other := fresh()
	if err := prescribing.Replay(other, again); err != nil {
		t.Fatalf("a stored stream does not replay: %v", err)
	}
	if !reflect.DeepEqual(rec, other) {
		t.Fatalf("the stored stream replays differently:\n%#v\n%#v", rec, other)
	}
	return nil
}

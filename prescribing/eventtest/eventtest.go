// Package eventtest holds test helpers for packages that define events on
// linkwork's codec, as net/http/httptest does for HTTP: every package of
// the library pins the stored form of its events with [StoredForms], and a
// program that defines event types of its own can do the same.
package eventtest

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
)

// StoredForms pins the stored form of every event type in kinds: want holds
// one event per kind, in the order of kinds, and each line of the JSON
// Lines file at path must decode through codec to its event and encode
// back to the same bytes. A renamed field, type or value, or a changed
// encoding, fails here before it strands stored histories, and a new event
// type must add its line. With update set (a test's -update flag), the
// file is first written from want: do that only after a deliberate change,
// which also needs a new schema version and an upcaster.
func StoredForms(t testing.TB, codec *prescribing.EventCodec, kinds []prescribing.EventKind, want []prescribing.Event, path string, update bool) {
	t.Helper()
	if len(want) != len(kinds) {
		t.Fatalf("%d events for %d kinds: give one event per type", len(want), len(kinds))
	}
	for i, k := range kinds {
		if got := want[i].EventType(); got != k.Type() {
			t.Fatalf("event %d is %s where the kinds have %s: give them in the order of the kinds", i, got, k.Type())
		}
	}
	if update {
		var buf bytes.Buffer
		if err := codec.Encode(&buf, want); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if len(lines) != len(want) {
		t.Fatalf("%s has %d lines for %d event types", path, len(lines), len(want))
	}
	for i, line := range lines {
		e, err := codec.Unmarshal(line)
		if err != nil {
			t.Errorf("line %d: %v", i+1, err)
			continue
		}
		if !reflect.DeepEqual(want[i], e) {
			t.Errorf("line %d decodes to %#v, want %#v", i+1, e, want[i])
		}
		out, err := codec.Marshal(e)
		if err != nil {
			t.Errorf("line %d: %v", i+1, err)
			continue
		}
		if !bytes.Equal(line, out) {
			t.Errorf("line %d does not encode back byte for byte:\n got %s\nwant %s", i+1, out, line)
		}
	}
}

package simulation

import (
	"testing"
	"unsafe"
)

// TestPrefetchChangesNothing runs the prefetch of this architecture (the
// assembly on amd64 and arm64, the fallback elsewhere) over lengths and
// offsets throughout a buffer, up to its last byte, and checks that no byte
// changed: a prefetch that stored, on any of its lines, would fail here.
func TestPrefetchChangesNothing(t *testing.T) {
	buf := make([]byte, 1024)
	for i := range buf {
		buf[i] = byte(i*7 + 3)
	}
	want := string(buf)
	for off := 0; off < len(buf); off += 13 {
		for n := 1; off+n <= len(buf); n += 29 {
			prefetch(unsafe.Pointer(&buf[off]), uintptr(n))
		}
		// The last byte alone, and the whole tail from off.
		prefetch(unsafe.Pointer(&buf[len(buf)-1]), 1)
		prefetch(unsafe.Pointer(&buf[off]), uintptr(len(buf)-off))
	}
	if string(buf) != want {
		t.Fatal("prefetch changed the bytes it was given")
	}
}

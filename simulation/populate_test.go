package simulation

import (
	"testing"
	"unsafe"
)

// TestPopulateKeepsTheBytes populates a buffer already written, across
// many pages and at an offset that is not page-aligned, and checks that
// every byte is still there: advice that dropped the pages instead (Linux
// then hands back zeroes) would fail.
func TestPopulateKeepsTheBytes(t *testing.T) {
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i%251 + 1)
	}
	populate(unsafe.Pointer(&buf[100]), uintptr(len(buf)-200))
	populate(unsafe.Pointer(&buf[0]), 1) // less than a page: nothing to do
	for i, b := range buf {
		if b != byte(i%251+1) {
			t.Fatalf("byte %d is %d after populate, want %d", i, b, byte(i%251+1))
		}
	}
}

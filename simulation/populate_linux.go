package simulation

import (
	"syscall"
	"unsafe"
)

// madvPopulateWrite is Linux's MADV_POPULATE_WRITE (since Linux 5.14),
// which the syscall package does not name.
const madvPopulateWrite = 23

// populate asks the kernel to back the whole pages within the n bytes at p
// with memory now, in one call, rather than one page fault at a time as
// they are first written. It is a hint: it never changes the bytes, and
// where the kernel does not know the advice (before Linux 5.14) it does
// nothing.
func populate(p unsafe.Pointer, n uintptr) {
	page := uintptr(syscall.Getpagesize())
	start := (uintptr(p) + page - 1) &^ (page - 1)
	end := (uintptr(p) + n) &^ (page - 1)
	if end > start {
		// An error (an older kernel) leaves the pages to fault in as
		// usual.
		syscall.Syscall(syscall.SYS_MADVISE, start, end-start, madvPopulateWrite)
	}
}

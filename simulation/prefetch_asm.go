//go:build (amd64 || arm64) && !purego

package simulation

import "unsafe"

// prefetch asks the processor to start loading the n > 0 bytes at p into
// its caches, and returns at once: unlike a load, a prefetch does not hold
// up the instructions after it while memory answers. It never faults and
// changes nothing the program can see, only how soon later loads of those
// bytes are served.
//
//go:noescape
func prefetch(p unsafe.Pointer, n uintptr)

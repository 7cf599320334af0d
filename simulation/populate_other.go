//go:build !linux

package simulation

import "unsafe"

// populate does nothing where the package does not know how to ask the
// kernel to back memory at once; see the Linux version.
func populate(p unsafe.Pointer, n uintptr) {}

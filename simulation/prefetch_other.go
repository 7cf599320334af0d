//go:build !(amd64 || arm64) || purego

package simulation

import "unsafe"

// prefetch does nothing where the package has no assembly for it; see the
// assembly version.
func prefetch(p unsafe.Pointer, n uintptr) {}

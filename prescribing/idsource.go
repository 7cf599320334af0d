package prescribing

import (
	"crypto/rand"
	"encoding/binary"
	mrand "math/rand/v2"

	"github.com/google/uuid"
)

// IDSource makes new UUIDs for IDs (rule ID-2). Code that creates entities
// takes an IDSource instead of calling a global generator, so tests and
// simulations can make the same IDs from the same seed.
//
// Implementations need not be safe for concurrent use; [RandomIDs] is.
type IDSource interface {
	// NewUUID returns a new version 4 (random) UUID.
	NewUUID() uuid.UUID
}

// NewID returns a new ID for an entity of type E from src:
//
//	id := prescribing.NewID[prescribing.Patient](ids)
func NewID[E any](src IDSource) ID[E] { return ID[E]{u: src.NewUUID()} }

// RandomIDs returns the default source: version 4 UUIDs from the operating
// system's cryptographic random generator. It never touches the uuid
// package's global settings. It is safe for concurrent use.
func RandomIDs() IDSource { return randomIDs{} }

type randomIDs struct{}

// NewUUID draws 16 bytes from crypto/rand and marks them version 4.
func (randomIDs) NewUUID() uuid.UUID {
	var u uuid.UUID
	// crypto/rand.Read never fails since Go 1.24: on a broken system it
	// crashes the program rather than returning predictable bytes.
	_, _ = rand.Read(u[:])
	return asVersion4(u)
}

// SeededIDs returns a source that draws version 4 UUIDs from r, so the same
// seed gives the same IDs in the same order. The source owns r from then on:
// drawing from r elsewhere changes the IDs. Like r, it is not safe for
// concurrent use; give each goroutine or replication its own.
func SeededIDs(r *mrand.Rand) IDSource { return &seededIDs{r: r} }

type seededIDs struct{ r *mrand.Rand }

// NewUUID draws two 64-bit values from the generator and marks them version
// 4: the bits [asVersion4] sets (UUID bytes 6 and 8: byte 6 of the first
// big-endian word and byte 0 of the second), set in the words before they
// are written, so that the UUID is written once rather than written,
// patched byte by byte and read back.
func (s *seededIDs) NewUUID() uuid.UUID {
	hi := s.r.Uint64()&^0xf000 | 0x4000
	lo := s.r.Uint64()&^(0xc0<<56) | 0x80<<56
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[:8], hi)
	binary.BigEndian.PutUint64(u[8:], lo)
	return u
}

// asVersion4 sets the version (4, random) and variant (RFC 9562) bits.
func asVersion4(u uuid.UUID) uuid.UUID {
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return u
}

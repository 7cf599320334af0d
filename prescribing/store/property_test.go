package store_test

import (
	"testing"

	"github.com/socialprescribing/linkwork/prescribing/store/storetest"
)

// TestMemoryRandomOperations runs 50 random sequences of 60 operations
// (appends valid and hostile, wrong expected versions, erasures) against
// the in-memory store and a model of it; the conformance suite runs fewer
// against every store.
func TestMemoryRandomOperations(t *testing.T) {
	seeds := make([]uint64, 50)
	for i := range seeds {
		seeds[i] = uint64(1000 + i)
	}
	storetest.RandomOperations(t, newMemory, seeds, 60)
}

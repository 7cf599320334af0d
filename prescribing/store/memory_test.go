package store_test

import (
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing/store"
	"github.com/socialprescribing/linkwork/prescribing/store/storetest"
	"github.com/stretchr/testify/require"
)

func newMemory(t testing.TB, codec store.Codec, clock func() time.Time) store.Store {
	m, err := store.NewMemory(codec, store.WithClock(clock))
	require.NoError(t, err)
	return m
}

func TestMemoryConformance(t *testing.T) {
	storetest.RunCore(t, newMemory)
}

// TestEV_3_MemoryStreamsRebuildRecords runs the suite's tests of streams
// on the in-memory store: records appended and rebuilt from their streams,
// events of another stream refused, older schema versions upcast and newer
// ones refused.
func TestEV_3_MemoryStreamsRebuildRecords(t *testing.T) {
	storetest.RunStreams(t, newMemory)
}

// TestPRIV_2_MemoryErasureRewritesStoredEvents runs the suite's tests of
// erasure on the in-memory store.
func TestPRIV_2_MemoryErasureRewritesStoredEvents(t *testing.T) {
	storetest.RunErasure(t, newMemory)
}

func TestNewMemoryRefusesNilCodec(t *testing.T) {
	_, err := store.NewMemory(nil)
	require.Error(t, err)
}

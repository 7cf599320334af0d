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
	storetest.Run(t, newMemory)
}

func TestNewMemoryRefusesNilCodec(t *testing.T) {
	_, err := store.NewMemory(nil)
	require.Error(t, err)
}

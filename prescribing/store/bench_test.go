package store_test

import (
	"testing"

	"github.com/socialprescribing/linkwork/prescribing/store/storetest"
)

// BenchmarkMemory measures the in-memory store:
//
//	go test -run '^$' -bench Memory ./prescribing/store/
func BenchmarkMemory(b *testing.B) { storetest.Bench(b, newMemory) }

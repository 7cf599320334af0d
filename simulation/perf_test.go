package simulation

import (
	"fmt"
	"testing"
)

func BenchmarkScenario(b *testing.B) {
	for _, name := range []string{"region", "national"} {
		b.Run(name, func(b *testing.B) {
			sc, _ := Embedded(name)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := runReplication(sc, 1, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEngineHold is the classic hold model: a fixed number of pending
// events, each taken and replaced by one an exponential delay later.
func BenchmarkEngineHold(b *testing.B) {
	for _, pending := range []int{1_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprint(pending), func(b *testing.B) {
			rng := NewStreams(1, 0).Stream("hold")
			s := NewEngine[int32](pending)
			for i := range pending {
				s.After(rng.ExpFloat64()*100, int32(i))
			}
			b.ReportAllocs()
			for b.Loop() {
				e, _ := s.Next()
				s.After(rng.ExpFloat64()*100, e)
			}
		})
	}
}

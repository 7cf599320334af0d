package simulation

import (
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

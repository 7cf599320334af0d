package simulation

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkScenario runs one replication of each large embedded scenario
// and reports the time per event as well as per run: with the events'
// count, it shows how far time grows faster than the work.
func BenchmarkScenario(b *testing.B) {
	for _, name := range []string{"region", "national"} {
		b.Run(name, func(b *testing.B) {
			sc, _ := Embedded(name)
			benchmarkReplication(b, sc)
		})
	}
}

// BenchmarkScenarioScale runs the national scenario's rules with 300 link
// workers (region) up to 3,300 (national): referrals, open cases and
// events all grow in proportion, so ns/event is flat only if nothing
// else, such as the processor's caches, runs out on the way.
func BenchmarkScenarioScale(b *testing.B) {
	sc, _ := Embedded("national")
	for _, workers := range []int{300, 600, 1200, 2400, 3300} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			sc.LinkWorkers = workers
			benchmarkReplication(b, sc)
		})
	}
}

// BenchmarkScenarioHooks runs region with every hook set to its
// reference rule: beside BenchmarkScenario/region, what calling a hook
// costs where the default path calls none.
func BenchmarkScenarioHooks(b *testing.B) {
	sc, _ := Embedded("region")
	benchmarkReplicationWith(b, sc, Hooks{Assign: ReferenceAssign, Review: ReferenceReview, Readiness: ReferenceReadiness})
}

func benchmarkReplication(b *testing.B, sc Scenario) { benchmarkReplicationWith(b, sc, Hooks{}) }

func benchmarkReplicationWith(b *testing.B, sc Scenario, hooks Hooks) {
	b.ReportAllocs()
	events := 0
	for b.Loop() {
		r, err := replicate(context.Background(), sc, hooks, 1, 0, false)
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
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
				e, _ := s.next()
				s.After(rng.ExpFloat64()*100, e)
			}
		})
	}
}

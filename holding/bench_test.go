package holding

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// BenchmarkEpisodeLifecycle measures starting an episode, reviewing it at
// its endpoint with an extension, and ending it: what the simulation does
// millions of times. Target: no allocation.
func BenchmarkEpisodeLifecycle(b *testing.B) {
	f := newFixture(b)
	s := f.start(prescribing.SetOf(ReasonAwaitingReadiness))
	a := Ratings{Motivation: 4, Capacity: 4, Confidence: 4}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ep, _, err := Begin(s)
		if err != nil {
			b.Fatal(err)
		}
		due := ep.Due()
		if _, err := ep.Review(Review{At: due, Ratings: a, Decision: DecisionExtend,
			Endpoint: Endpoint{At: due.Add(28 * day), Plan: EndpointPlanReview}, Rationale: "not ready"}); err != nil {
			b.Fatal(err)
		}
		if _, err := ep.Finish(due.Add(day), EndingConnected); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSummarise measures the caseload summary over 1 million episodes
// held by 3,300 link workers (the national scenario's posts). Target: under
// 200 ms.
func BenchmarkSummarise(b *testing.B) {
	f := newFixture(b)
	rng := rand.New(rand.NewPCG(1, 1))
	workers := make([]prescribing.LinkWorkerID, 3300)
	caseloads := make(map[prescribing.LinkWorkerID]int, len(workers))
	for i := range workers {
		workers[i] = prescribing.NewID[prescribing.LinkWorker](f.ids)
		caseloads[workers[i]] = 40 + rng.IntN(20)
	}
	start := f.now
	eps := make([]Episode, 1_000_000)
	for i := range eps {
		s := f.start(prescribing.SetOf(Reasons()[rng.IntN(3)]))
		s.LinkWorker = workers[rng.IntN(len(workers))]
		s.At = start.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
		s.Endpoint.At = s.At.Add(28 * day)
		if s.Reasons.Has(ReasonLackOfProvision) {
			s.Need = prescribing.NeedHousing
		}
		ep, _, err := Begin(s)
		if err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 {
			_, _ = ep.Finish(s.At.Add(day), EndingDisengaged)
		}
		eps[i] = ep
	}
	at := start.Add(400 * day)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if got := Summarise(eps, at, caseloads, Limits{}); len(got) != len(workers) {
			b.Fatalf("%d summaries", len(got))
		}
	}
}

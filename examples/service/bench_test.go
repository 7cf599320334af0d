package main

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkLoad drives the API over loopback with 8 concurrent clients:
// four reads (GET a referral) for every write (a plan update with
// If-Match, which may conflict with 409). b.N bounds the requests, and
// each run also stops after 30 s. It reports requests per second and the
// 50th and 99th percentile latencies, on SQLite and PostgreSQL:
//
//	go test -run '^$' -bench Load -benchtime 2000x
func BenchmarkLoad(b *testing.B) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			e := newEnv(b, be)
			refs := e.supportedReferrals(8)
			const clients = 8
			var next atomic.Int64
			lat := make([][]time.Duration, clients)
			deadline := time.Now().Add(30 * time.Second)
			var failed atomic.Int64
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(c), 7))
					client := &http.Client{Timeout: 30 * time.Second}
					for next.Add(1) <= int64(b.N) && time.Now().Before(deadline) {
						ref := refs[rng.IntN(len(refs))]
						t0 := time.Now()
						status, tag, _ := send(client, e, "GET", ref, nil, "")
						if status == http.StatusOK && rng.IntN(5) == 0 {
							lat[c] = append(lat[c], time.Since(t0))
							t0 = time.Now()
							plan := map[string]any{"plan": map[string]any{"needs": []string{planNeeds[rng.IntN(len(planNeeds))]}}}
							status, _, _ = send(client, e, "POST", ref+"/plan", plan, tag)
							if status == http.StatusConflict {
								status = http.StatusOK
							}
						}
						lat[c] = append(lat[c], time.Since(t0))
						if status != http.StatusOK {
							failed.Add(1)
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			if failed.Load() > 0 {
				b.Fatalf("%d requests failed", failed.Load())
			}
			all := slices.Concat(lat...)
			slices.Sort(all)
			if len(all) == 0 {
				return
			}
			pct := func(p float64) float64 {
				return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
			}
			b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
			b.ReportMetric(pct(0.50), "p50_ms")
			b.ReportMetric(pct(0.99), "p99_ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}

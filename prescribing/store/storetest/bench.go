package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
	"github.com/stretchr/testify/require"
)

// Bench measures a store: appends of one and of ten events (each to one of
// 64 streams, expecting its version), loads of a 100-event stream, and
// pages of 1000 events in global order. Each reports events per second
// (events/s).
func Bench(b *testing.B, newStore Factory) {
	for _, size := range []int{1, 10} {
		b.Run(fmt.Sprintf("append %d", size), func(b *testing.B) {
			s, ids := benchStore(b, newStore)
			ctx := context.Background()
			const streams = 64
			ps := make([]prescribing.PatientID, streams)
			sts := make([]prescribing.Stream, streams)
			versions := make([]int64, streams)
			for i := range ps {
				ps[i] = prescribing.NewID[prescribing.Patient](ids)
				sts[i] = store.PatientStream(ps[i])
			}
			at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			events := make([]prescribing.Event, size)
			b.ResetTimer()
			for n := 0; b.Loop(); n++ {
				i := n % streams
				for j := range events {
					at = at.Add(time.Second)
					events[j] = prescribing.RiskAssessed{Patient: ps[i], At: at}
				}
				if _, err := s.Append(ctx, sts[i], store.ExpectedVersion(versions[i]), meta, events...); err != nil {
					b.Fatal(err)
				}
				versions[i] += int64(size)
			}
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "events/s")
		})
	}
	b.Run("load 100", func(b *testing.B) {
		s, ids := benchStore(b, newStore)
		ctx := context.Background()
		p := prescribing.NewID[prescribing.Patient](ids)
		st := store.PatientStream(p)
		fill(b, s, p, st, 100)
		b.ResetTimer()
		for b.Loop() {
			envs, err := s.Load(ctx, st, 0)
			if err != nil || len(envs) != 100 {
				b.Fatal(len(envs), err)
			}
		}
		b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("read all 1000", func(b *testing.B) {
		s, ids := benchStore(b, newStore)
		ctx := context.Background()
		for range 10 {
			p := prescribing.NewID[prescribing.Patient](ids)
			fill(b, s, p, store.PatientStream(p), 100)
		}
		b.ResetTimer()
		for b.Loop() {
			envs, err := s.ReadAll(ctx, 1, 1000)
			if err != nil || len(envs) != 1000 {
				b.Fatal(len(envs), err)
			}
		}
		b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "events/s")
	})
}

func benchStore(b *testing.B, newStore Factory) (store.Store, prescribing.IDSource) {
	s := newStore(b, Codec(b), time.Now)
	require.NotNil(b, s)
	return s, prescribing.SeededIDs(rand.New(rand.NewPCG(1, 6)))
}

// fill appends n events to a stream, ten at a time.
func fill(b *testing.B, s store.Store, p prescribing.PatientID, st prescribing.Stream, n int) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for v := 0; v < n; v += 10 {
		events := make([]prescribing.Event, 10)
		for j := range events {
			at = at.Add(time.Second)
			events[j] = prescribing.RiskAssessed{Patient: p, At: at}
		}
		_, err := s.Append(context.Background(), st, store.ExpectedVersion(v), meta, events...)
		require.NoError(b, err)
	}
}

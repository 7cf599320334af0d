package simulation

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWaitQueueTakesTheEarliestStartedFirst(t *testing.T) {
	// Waiters join mostly in order and sometimes late, with an earlier
	// start, and with ties; the queue must give them back exactly as a
	// sorted list would, whatever the mix of joins and takes.
	for _, seed := range []uint64{1, 2, 3} {
		rng := rand.New(rand.NewPCG(seed, 7))
		var q waitQueue
		var ref []waiter
		var seq uint64
		now, late := 0.0, 0
		for range 20000 {
			if rng.IntN(5) < 3 || len(ref) == 0 {
				now += float64(rng.IntN(3)) // ties between joins
				w := waiter{start: now, id: int32(seq)}
				if rng.IntN(4) == 0 {
					w.start = now - rng.Float64()*50 // readiness came late
					late++
				}
				seq++
				w.seq = seq
				q.push(w)
				ref = append(ref, w)
				continue
			}
			i := slices.IndexFunc(ref, func(w waiter) bool {
				return !slices.ContainsFunc(ref, func(v waiter) bool { return v.before(&w) })
			})
			want := ref[i]
			ref = slices.Delete(ref, i, i+1)
			require.Equal(t, want, q.pop(), "seed %d", seed)
			require.Equal(t, len(ref), q.len())
		}
		for len(ref) > 0 {
			slices.SortFunc(ref, func(a, b waiter) int {
				if a.before(&b) {
					return -1
				}
				return 1
			})
			require.Equal(t, ref[0], q.pop(), "seed %d", seed)
			ref = ref[1:]
		}
		require.Zero(t, q.len())
		require.Greater(t, late, 1000)
	}
}

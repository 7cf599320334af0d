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

// TestPostHeapGivesTheLeastLoadedPostLowestNumberFirst drives the heap of
// posts with random caseload changes, departures and returns, and checks
// its minimum after every step against a search of all the posts: fewest
// open cases, the lowest post number among equals, and no post at the cap
// or away.
func TestPostHeapGivesTheLeastLoadedPostLowestNumberFirst(t *testing.T) {
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 7))
		posts, capacity := 1+r.IntN(40), 1+r.IntN(8)
		h := newPostHeap(posts)
		open := make([]int, posts)
		present := make([]bool, posts)
		for step := range 2000 {
			p := int32(r.IntN(posts))
			switch r.IntN(5) {
			case 0:
				h.remove(p)
				present[p] = false
			case 1, 2:
				open[p] = min(capacity, open[p]+1)
				present[p] = true
				h.update(p, open[p], capacity)
			default:
				open[p] = max(0, open[p]-1)
				present[p] = true
				h.update(p, open[p], capacity)
			}
			want, wantOK := int32(-1), false
			for q := range int32(posts) {
				if present[q] && open[q] < capacity && (!wantOK || open[q] < open[want]) {
					want, wantOK = q, true
				}
			}
			got, ok := h.min()
			require.Equal(t, wantOK, ok, "seed %d step %d", seed, step)
			if ok {
				require.Equal(t, want, got, "seed %d step %d", seed, step)
			}
		}
	}
}

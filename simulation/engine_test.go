package simulation

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEngineTakesEventsInTimeOrderWithTiesInSchedulingOrder(t *testing.T) {
	s := NewEngine[string](0)
	s.At(5, "e")
	s.At(1, "a")
	s.At(3, "c1")
	s.At(3, "c2")
	s.At(3, "c3")
	s.At(0, "zero")
	var got []string
	s.Run(10, func(e string) { got = append(got, e) })
	assert.Equal(t, []string{"zero", "a", "c1", "c2", "c3", "e"}, got)
	assert.Equal(t, 10.0, s.Now(), "the clock stands at the end of the run")
	assert.Equal(t, 6, s.Processed())
}

func TestEngineRunStopsAtTheHorizon(t *testing.T) {
	s := NewEngine[int](0)
	s.At(1, 1)
	s.At(2, 2)
	s.At(2.5, 3)
	var got []int
	s.Run(2, func(e int) { got = append(got, e) })
	assert.Equal(t, []int{1, 2}, got, "an event at the horizon runs; after it, not")
	assert.Equal(t, 1, s.pending())
}

func TestEngineEventsScheduleEvents(t *testing.T) {
	s := NewEngine[int](0)
	s.After(1, 0)
	var times []float64
	s.Run(5.5, func(n int) {
		times = append(times, s.Now())
		s.After(1, n+1)
	})
	assert.Equal(t, []float64{1, 2, 3, 4, 5}, times)
}

func TestEngineCancel(t *testing.T) {
	s := NewEngine[string](0)
	a := s.At(1, "a")
	b := s.At(2, "b")
	c := s.At(3, "c")
	assert.True(t, s.Cancel(b))
	assert.False(t, s.Cancel(b), "twice")
	assert.False(t, s.Cancel(Handle{}), "the zero handle")
	var got []string
	s.Run(10, func(e string) {
		got = append(got, e)
		if e == "a" {
			assert.False(t, s.Cancel(a), "already taken")
		}
	})
	assert.Equal(t, []string{"a", "c"}, got)
	assert.False(t, s.Cancel(c))

	// A reused slot does not answer to an old handle.
	d := s.At(11, "d")
	assert.False(t, s.Cancel(a))
	assert.True(t, s.Cancel(d))
}

func TestEngineAgreesWithASortUnderRandomSchedulingAndCancelling(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	s := NewEngine[int](0)
	type ev struct {
		at  float64
		seq int
	}
	var want []ev
	handles := map[int]Handle{}
	for i := range 5000 {
		at := float64(rng.IntN(500)) // many ties
		handles[i] = s.At(at, i)
		want = append(want, ev{at, i})
	}
	cancelled := map[int]bool{}
	for i := range 5000 {
		if rng.IntN(3) == 0 {
			require.True(t, s.Cancel(handles[i]))
			cancelled[i] = true
		}
	}
	want = slices.DeleteFunc(want, func(e ev) bool { return cancelled[e.seq] })
	slices.SortStableFunc(want, func(a, b ev) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	var got []int
	s.Run(1e9, func(i int) { got = append(got, i) })
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, want[i].seq, got[i])
	}
}

func TestEngineRefusesThePast(t *testing.T) {
	s := NewEngine[int](0)
	s.At(5, 1)
	s.Run(5, func(int) {})
	assert.Panics(t, func() { s.At(4, 2) }, "scheduling before now is a bug in the model")
}

func TestStreamsAreReproducibleAndIndependent(t *testing.T) {
	draw := func(s Streams, name string) []uint64 {
		r := s.Stream(name)
		out := make([]uint64, 5)
		for i := range out {
			out[i] = r.Uint64()
		}
		return out
	}
	a := NewStreams(7, 3)
	assert.Equal(t, draw(a, "arrival"), draw(NewStreams(7, 3), "arrival"), "same seed, replication and name")
	assert.NotEqual(t, draw(a, "arrival"), draw(a, "contact"), "another name")
	assert.NotEqual(t, draw(a, "arrival"), draw(NewStreams(7, 4), "arrival"), "another replication")
	assert.NotEqual(t, draw(a, "arrival"), draw(NewStreams(8, 3), "arrival"), "another seed")
}

func TestEngineLanesKeepTheOrderOfEvents(t *testing.T) {
	// The same random schedule taken through the heap alone, and with some
	// events in lanes, gives the same sequence, ties included.
	type ev struct {
		id   int
		lane int // -1 heap
	}
	build := func(useLanes bool) []int {
		s := NewEngine[ev](0)
		lanes := []Lane{s.NewLane(), s.NewLane()}
		rng := rand.New(rand.NewPCG(5, 5))
		last := []float64{0, 0}
		var got []int
		next := 0
		schedule := func() {
			id := next
			next++
			switch k := rng.IntN(3); {
			case k < 2:
				// Lane-ordered: fixed delay from now, so times rise.
				t := s.Now() + float64(1+k*2)
				if t < last[k] {
					t = last[k]
				}
				last[k] = t
				if useLanes {
					s.AtLane(lanes[k], t, ev{id, k})
				} else {
					s.At(t, ev{id, -1})
				}
			default:
				s.At(s.Now()+float64(rng.IntN(4)), ev{id, -1})
			}
		}
		for range 50 {
			schedule()
		}
		s.Run(200, func(e ev) {
			got = append(got, e.id)
			if next < 3000 {
				schedule()
				schedule()
			}
		})
		return got
	}
	assert.Equal(t, build(false), build(true))
	assert.NotEmpty(t, build(true))
}

func TestEngineLaneCancelAndOrderRule(t *testing.T) {
	s := NewEngine[string](0)
	l := s.NewLane()
	a := s.AtLane(l, 1, "a")
	s.AtLane(l, 2, "b")
	s.At(1.5, "heap")
	assert.True(t, s.Cancel(a))
	assert.False(t, s.Cancel(a), "twice")
	var got []string
	s.Run(10, func(e string) { got = append(got, e) })
	assert.Equal(t, []string{"heap", "b"}, got)
	assert.Panics(t, func() {
		s.AtLane(l, 20, "c")
		s.AtLane(l, 15, "d") // before the last in the lane
	})
	assert.Equal(t, 1, s.pending())
}

// refQueue is the obvious scheduler the engine must agree with: a list
// searched for the earliest live event, ties by scheduling order.
type refQueue struct {
	at        []float64
	live      []bool
	now       float64
	processed int
}

func (q *refQueue) schedule(t float64) int {
	q.at, q.live = append(q.at, t), append(q.live, true)
	return len(q.at) - 1
}

func (q *refQueue) next(until float64) (int, bool) {
	best := -1
	for i, t := range q.at {
		if q.live[i] && t <= until && (best < 0 || t < q.at[best]) {
			best = i
		}
	}
	if best < 0 {
		return 0, false
	}
	q.live[best], q.now = false, q.at[best]
	q.processed++
	return best, true
}

func TestEngineAgreesWithAReferenceSchedulerWhileRunning(t *testing.T) {
	// Events schedule more events (ties, zero delays, delays landing
	// before the heap's earliest, lane events) and cancel others, heavily
	// enough to make the heap rebuild itself; stop and resume the run at
	// horizons. The engine must take exactly the reference's events.
	for _, seed := range []uint64{1, 2, 3} {
		rng := rand.New(rand.NewPCG(seed, 99))
		s := NewEngine[int](0)
		var ref refQueue
		lanes := []Lane{s.NewLane(), s.NewLane()}
		laneLast := []float64{0, 0}
		handles := map[int]Handle{}
		var pending []int
		schedule := func() {
			var t float64
			switch rng.IntN(4) {
			case 0:
				t = s.Now() // a tie with now
			case 1:
				t = s.Now() + float64(rng.IntN(3)) // ties between events
			default:
				t = s.Now() + rng.ExpFloat64()*10
			}
			id := ref.schedule(t)
			if k := rng.IntN(4); k < 2 && t >= laneLast[k] {
				laneLast[k] = t
				handles[id] = s.AtLane(lanes[k], t, id)
			} else {
				handles[id] = s.At(t, id)
			}
			pending = append(pending, id)
		}
		cancel := func() {
			if len(pending) == 0 {
				return
			}
			i := rng.IntN(len(pending))
			id := pending[i]
			pending[i] = pending[len(pending)-1]
			pending = pending[:len(pending)-1]
			require.Equal(t, ref.live[id], s.Cancel(handles[id]), "cancel %d", id)
			require.False(t, s.Cancel(handles[id]), "cancel %d twice", id)
			ref.live[id] = false
		}
		for range 3000 {
			schedule()
		}
		for range 2500 {
			cancel() // enough to rebuild the heap
		}
		var until float64
		taken := 0
		handle := func(id int) {
			// The reference takes its next event in step with the engine.
			want, ok := ref.next(until)
			require.True(t, ok, "seed %d: the engine took %d, the reference nothing", seed, id)
			require.Equal(t, want, id, "seed %d at %v", seed, s.Now())
			require.Equal(t, ref.now, s.Now())
			taken++
			if len(ref.at) < 20000 {
				n := rng.IntN(3)
				for range n {
					schedule()
				}
				if rng.IntN(3) == 0 {
					cancel()
				}
			}
		}
		for until = 5; until < 5000 && s.pending() > 0; until += 5 {
			s.Run(until, handle)
			_, more := ref.next(until)
			require.False(t, more, "seed %d: the engine stopped early at %v", seed, until)
		}
		assert.Equal(t, ref.processed, s.Processed())
		assert.Greater(t, taken, 5000)
		assert.Zero(t, s.pending())
	}
}

func TestEngineNegativeZeroIsZero(t *testing.T) {
	s := NewEngine[string](0)
	s.At(math.Copysign(0, -1), "minus zero")
	s.At(1, "one")
	var got []string
	s.Run(2, func(e string) { got = append(got, e) })
	assert.Equal(t, []string{"minus zero", "one"}, got)
}

func TestEngineHeapMemoryStaysInProportionToPendingEvents(t *testing.T) {
	// As the clock moves, the bulk of the pending events passes from one
	// radix bucket to another; the room the buckets keep must not grow to
	// hold everything in every bucket.
	const pending = 100_000
	rng := NewStreams(1, 0).Stream("hold")
	s := NewEngine[int32](0)
	for i := range pending {
		s.After(rng.ExpFloat64()*100, int32(i))
	}
	for range 30 * pending {
		e, _ := s.next()
		s.After(rng.ExpFloat64()*100, e)
	}
	assert.Equal(t, pending, s.pending())
	assert.Less(t, s.heap.room(), 6*pending, "room for %d entries", s.heap.room())
}

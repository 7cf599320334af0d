package simulation

import (
	"fmt"
	"math"
)

// Handle names a scheduled event so it can be cancelled. The zero Handle
// names nothing.
type Handle struct {
	slot int32
	gen  uint32
}

// IsZero reports whether h names no event.
func (h Handle) IsZero() bool { return h.gen == 0 }

// Engine is a discrete-event scheduler for events of type E: a binary heap
// ordered by time, with ties broken by the order events were scheduled, so
// runs are deterministic. Events are plain values (no goroutine per process)
// and can be cancelled. The engine holds no global state: give each
// replication its own and they can run in parallel.
//
// An Engine is not safe for concurrent use.
type Engine[E any] struct {
	now       float64
	seq       uint64
	processed int
	heap      []entry // a 4-ary heap, keys inline so comparisons stay in cache
	slots     []slot[E]
	free      []int32
}

// entry is one scheduled event in the heap: its time and sequence number
// (the order key) and its slot.
type entry struct {
	at   float64
	seq  uint64
	slot int32
}

type slot[E any] struct {
	pos   int32 // index in heap, or -1
	gen   uint32
	event E
}

// NewEngine returns an engine at time 0 with room for about capacity
// pending events.
func NewEngine[E any](capacity int) *Engine[E] {
	return &Engine[E]{heap: make([]entry, 0, capacity), slots: make([]slot[E], 0, capacity)}
}

// Now returns the current time: that of the last event taken.
func (s *Engine[E]) Now() float64 { return s.now }

// Processed returns how many events have been taken.
func (s *Engine[E]) Processed() int { return s.processed }

// Pending returns how many events are scheduled.
func (s *Engine[E]) Pending() int { return len(s.heap) }

// At schedules e at time t, which must not be before now, and returns its
// handle. A time before now or not a number panics: it is a bug in the
// model, and letting it through would break the order of events.
func (s *Engine[E]) At(t float64, e E) Handle {
	if !(t >= s.now) || math.IsInf(t, 0) {
		panic(fmt.Sprintf("simulation: event scheduled at %v, before now (%v) or not finite", t, s.now))
	}
	var i int32
	if n := len(s.free); n > 0 {
		i = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		s.slots = append(s.slots, slot[E]{})
		i = int32(len(s.slots) - 1)
	}
	sl := &s.slots[i]
	sl.gen++
	if sl.gen == 0 {
		sl.gen = 1
	}
	sl.event = e
	sl.pos = int32(len(s.heap))
	s.heap = append(s.heap, entry{at: t, seq: s.seq, slot: i})
	s.seq++
	s.up(int(sl.pos))
	return Handle{slot: i, gen: sl.gen}
}

// After schedules e after a delay from now.
func (s *Engine[E]) After(delay float64, e E) Handle { return s.At(s.now+delay, e) }

// Cancel removes a scheduled event. It reports false if the event has
// already been taken or cancelled, or h names nothing.
func (s *Engine[E]) Cancel(h Handle) bool {
	if h.gen == 0 || int(h.slot) >= len(s.slots) {
		return false
	}
	sl := &s.slots[h.slot]
	if sl.gen != h.gen || sl.pos < 0 {
		return false
	}
	s.remove(int(sl.pos))
	s.release(h.slot)
	return true
}

// Next takes the earliest event, moves the clock to its time and returns
// it; false when none is left.
func (s *Engine[E]) Next() (E, bool) {
	if len(s.heap) == 0 {
		var zero E
		return zero, false
	}
	top := s.heap[0]
	s.remove(0)
	s.now, s.processed = top.at, s.processed+1
	e := s.slots[top.slot].event
	s.release(top.slot)
	return e, true
}

// Peek returns the time of the earliest event, and false when none is left.
func (s *Engine[E]) Peek() (float64, bool) {
	if len(s.heap) == 0 {
		return 0, false
	}
	return s.heap[0].at, true
}

// Run takes events in order and hands each to handle until none is left or
// the next is after until; the clock then stands at until (if it was
// reached).
func (s *Engine[E]) Run(until float64, handle func(E)) {
	for {
		t, ok := s.Peek()
		if !ok || t > until {
			break
		}
		e, _ := s.Next()
		handle(e)
	}
	if until > s.now && !math.IsInf(until, 0) {
		s.now = until
	}
}

func (s *Engine[E]) release(i int32) {
	var zero E
	s.slots[i].event, s.slots[i].pos = zero, -1
	s.free = append(s.free, i)
}

func (s *Engine[E]) less(a, b int) bool {
	x, y := &s.heap[a], &s.heap[b]
	return x.at < y.at || (x.at == y.at && x.seq < y.seq)
}

func (s *Engine[E]) swap(a, b int) {
	s.heap[a], s.heap[b] = s.heap[b], s.heap[a]
	s.slots[s.heap[a].slot].pos, s.slots[s.heap[b].slot].pos = int32(a), int32(b)
}

func (s *Engine[E]) up(i int) {
	for i > 0 {
		p := (i - 1) / 4
		if !s.less(i, p) {
			return
		}
		s.swap(i, p)
		i = p
	}
}

func (s *Engine[E]) down(i int) {
	n := len(s.heap)
	for {
		first := 4*i + 1
		if first >= n {
			return
		}
		m := first
		for c := first + 1; c < first+4 && c < n; c++ {
			if s.less(c, m) {
				m = c
			}
		}
		if !s.less(m, i) {
			return
		}
		s.swap(i, m)
		i = m
	}
}

func (s *Engine[E]) remove(i int) {
	last := len(s.heap) - 1
	if i != last {
		s.swap(i, last)
	}
	s.slots[s.heap[last].slot].pos = -1
	s.heap = s.heap[:last]
	if i < last {
		s.down(i)
		s.up(i)
	}
}

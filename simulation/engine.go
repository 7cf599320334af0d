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

// Engine is a discrete-event scheduler for events of type E. Events are
// taken in time order, with ties broken by the order they were scheduled,
// so runs are deterministic. Events are plain values (no goroutine per
// process) and can be cancelled. The engine holds no global state: give
// each replication its own and they can run in parallel.
//
// Events go into a 4-ary heap, or into a [Lane]: a first-in, first-out
// queue for events that a model schedules in time order anyway (a fixed
// delay, such as a review every 28 days, or a process with one event
// pending at a time, such as the next arrival). A lane costs O(1) where the
// heap costs O(log n), and the order of events is the same either way.
//
// An Engine is not safe for concurrent use.
type Engine[E any] struct {
	now       float64
	seq       uint64
	processed int
	heap      []entry // a 4-ary heap, keys inline so comparisons stay in cache
	lanes     []lane
	slots     []slot[E]
	free      []int32
}

// Lane names a first-in, first-out queue of an [Engine]; see [Engine.NewLane].
type Lane int32

// lane is a FIFO of entries in time order; cancelled entries stay until
// they reach the head.
type lane struct {
	q    []entry
	head int
	last float64
}

// Slot positions other than a heap index.
const (
	posNone          = -1 // free
	posLane          = -2 // in a lane, live
	posLaneCancelled = -3 // in a lane, cancelled, waiting to reach the head
)

// entry is one scheduled event in the heap: its time and sequence number
// (the order key) and its slot.
type entry struct {
	at   float64
	seq  uint64
	slot int32
}

type slot[E any] struct {
	pos   int32 // index in heap, or one of the pos constants
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

// Pending returns how many events are scheduled, counting cancelled events
// still waiting in lanes.
func (s *Engine[E]) Pending() int {
	n := len(s.heap)
	for i := range s.lanes {
		n += len(s.lanes[i].q) - s.lanes[i].head
	}
	return n
}

// At schedules e at time t, which must not be before now, and returns its
// handle. A time before now or not a number panics: it is a bug in the
// model, and letting it through would break the order of events.
func (s *Engine[E]) At(t float64, e E) Handle {
	s.checkTime(t)
	i, h := s.alloc(e)
	s.slots[i].pos = int32(len(s.heap))
	s.heap = append(s.heap, entry{at: t, seq: s.seq, slot: i})
	s.seq++
	s.up(len(s.heap) - 1)
	return h
}

// NewLane returns a new lane: a first-in, first-out queue for events the
// model schedules in nondecreasing time order.
func (s *Engine[E]) NewLane() Lane {
	s.lanes = append(s.lanes, lane{})
	return Lane(len(s.lanes) - 1)
}

// AtLane schedules e at time t in lane l. t must not be before now nor
// before the last event scheduled in the lane; otherwise it panics, as the
// lane would no longer be in time order.
func (s *Engine[E]) AtLane(l Lane, t float64, e E) Handle {
	s.checkTime(t)
	ln := &s.lanes[l]
	if t < ln.last {
		panic(fmt.Sprintf("simulation: lane %d: event at %v scheduled after one at %v", l, t, ln.last))
	}
	ln.last = t
	i, h := s.alloc(e)
	s.slots[i].pos = posLane
	ln.q = append(ln.q, entry{at: t, seq: s.seq, slot: i})
	s.seq++
	return h
}

// AfterLane schedules e in lane l after a delay from now.
func (s *Engine[E]) AfterLane(l Lane, delay float64, e E) Handle { return s.AtLane(l, s.now+delay, e) }

func (s *Engine[E]) checkTime(t float64) {
	if !(t >= s.now) || math.IsInf(t, 0) {
		panic(fmt.Sprintf("simulation: event scheduled at %v, before now (%v) or not finite", t, s.now))
	}
}

func (s *Engine[E]) alloc(e E) (int32, Handle) {
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
	return i, Handle{slot: i, gen: sl.gen}
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
	if sl.gen != h.gen {
		return false
	}
	switch {
	case sl.pos >= 0:
		s.remove(int(sl.pos))
		s.release(h.slot)
	case sl.pos == posLane:
		// Stays in the lane until it reaches the head; then its slot is
		// freed.
		var zero E
		sl.pos, sl.event = posLaneCancelled, zero
	default:
		return false
	}
	return true
}

// Next takes the earliest event, moves the clock to its time and returns
// it; false when none is left.
func (s *Engine[E]) Next() (E, bool) {
	src := s.earliest()
	if src == noEvent {
		var zero E
		return zero, false
	}
	var top entry
	if src == fromHeap {
		top = s.heap[0]
		s.remove(0)
	} else {
		ln := &s.lanes[src]
		top = ln.q[ln.head]
		ln.pop()
	}
	s.now, s.processed = top.at, s.processed+1
	e := s.slots[top.slot].event
	s.release(top.slot)
	return e, true
}

// Peek returns the time of the earliest event, and false when none is left.
func (s *Engine[E]) Peek() (float64, bool) {
	switch src := s.earliest(); src {
	case noEvent:
		return 0, false
	case fromHeap:
		return s.heap[0].at, true
	default:
		ln := &s.lanes[src]
		return ln.q[ln.head].at, true
	}
}

const (
	noEvent  = -2
	fromHeap = -1
)

// earliest returns where the next event is: fromHeap, a lane's index, or
// noEvent. It drops cancelled entries from the heads of lanes on the way.
func (s *Engine[E]) earliest() int {
	src := noEvent
	var best *entry
	if len(s.heap) > 0 {
		src, best = fromHeap, &s.heap[0]
	}
	for i := range s.lanes {
		ln := &s.lanes[i]
		for ln.head < len(ln.q) && s.slots[ln.q[ln.head].slot].pos == posLaneCancelled {
			s.release(ln.q[ln.head].slot)
			ln.pop()
		}
		if ln.head == len(ln.q) {
			continue
		}
		if e := &ln.q[ln.head]; best == nil || e.at < best.at || (e.at == best.at && e.seq < best.seq) {
			src, best = i, e
		}
	}
	return src
}

// pop drops the head of a lane, compacting it now and then.
func (ln *lane) pop() {
	ln.head++
	if ln.head == len(ln.q) {
		ln.q, ln.head = ln.q[:0], 0
	} else if ln.head >= 1024 && ln.head*2 >= len(ln.q) {
		n := copy(ln.q, ln.q[ln.head:])
		ln.q, ln.head = ln.q[:n], 0
	}
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
	sl := &s.slots[i]
	sl.event, sl.pos = zero, posNone
	sl.gen++ // handles to the old event no longer match
	if sl.gen == 0 {
		sl.gen = 1
	}
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
	s.slots[s.heap[last].slot].pos = posNone
	s.heap = s.heap[:last]
	if i < last {
		s.down(i)
		s.up(i)
	}
}

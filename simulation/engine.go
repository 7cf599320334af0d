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
// Events go into a radix heap, or into a [Lane]: a first-in, first-out
// queue for events that a model schedules in time order anyway (a fixed
// delay, such as a review every 28 days, or a process with one event
// pending at a time, such as the next arrival). The order of events is the
// same either way; a lane only saves the heap's work.
//
// The radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990) suits a
// simulation clock, which never goes back: events are filed in buckets by
// the highest bit in which their time differs from the last time taken,
// scheduling is an append, and taking the earliest event sorts only the
// lowest bucket further, so each event is moved a few times in all and
// always through memory read in order. Each event is stored once, inline
// with its time, and a cancelled event stays where it is until its time
// comes, when it is dropped unseen. When cancelled events come to
// outnumber live ones in the heap, it is rebuilt without them, so memory
// stays in proportion to what is pending.
//
// An Engine is not safe for concurrent use.
type Engine[E any] struct {
	now       float64
	seq       uint64
	processed int
	heap      radix[E]
	stale     int // cancelled entries still in the heap
	lanes     []lane[E]
	gens      []uint32 // by slot: the generation of its pending event
	inHeap    []bool   // by slot: whether its pending event is in the heap
	free      []int32  // slots with no pending event
}

// Lane names a first-in, first-out queue of an [Engine]; see [Engine.NewLane].
type Lane int32

// lane is a FIFO of entries in time order, in a ring buffer whose length
// is a power of two.
type lane[E any] struct {
	q          []entry[E]
	head, size int
	last       float64
}

// entry is one scheduled event: its time and sequence number (the order
// key), the slot and generation its handle names, and the event.
type entry[E any] struct {
	at    float64
	seq   uint64
	slot  int32
	gen   uint32
	event E
}

// before reports whether x comes before y: earlier, or as early and
// scheduled first.
func (x *entry[E]) before(y *entry[E]) bool {
	return x.at < y.at || (x.at == y.at && x.seq < y.seq)
}

// NewEngine returns an engine at time 0 with room for about capacity
// pending events.
func NewEngine[E any](capacity int) *Engine[E] {
	return &Engine[E]{gens: make([]uint32, 0, capacity), inHeap: make([]bool, 0, capacity)}
}

// Now returns the current time: that of the last event taken.
func (s *Engine[E]) Now() float64 { return s.now }

// Processed returns how many events have been taken.
func (s *Engine[E]) Processed() int { return s.processed }

// pending returns how many events are scheduled and not cancelled.
func (s *Engine[E]) pending() int { return len(s.gens) - len(s.free) }

// At schedules e at time t, which must not be before now, and returns its
// handle. A time before now or not a number panics: it is a bug in the
// model, and letting it through would break the order of events.
func (s *Engine[E]) At(t float64, e E) Handle {
	s.checkTime(t)
	h := s.alloc(true)
	s.heap.push(entry[E]{at: t, seq: s.seq, slot: h.slot, gen: h.gen, event: e})
	s.seq++
	return h
}

// After schedules e after a delay from now.
func (s *Engine[E]) After(delay float64, e E) Handle { return s.At(s.now+delay, e) }

// NewLane returns a new lane: a first-in, first-out queue for events the
// model schedules in nondecreasing time order.
func (s *Engine[E]) NewLane() Lane {
	s.lanes = append(s.lanes, lane[E]{})
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
	h := s.alloc(false)
	ln.push(entry[E]{at: t, seq: s.seq, slot: h.slot, gen: h.gen, event: e})
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

// alloc takes a slot for a new event, in the heap or a lane, and returns
// its handle.
func (s *Engine[E]) alloc(inHeap bool) Handle {
	var i int32
	if n := len(s.free); n > 0 {
		i = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		s.gens = append(s.gens, 0)
		s.inHeap = append(s.inHeap, false)
		i = int32(len(s.gens) - 1)
	}
	s.inHeap[i] = inHeap
	return Handle{slot: i, gen: s.bump(i)}
}

// bump moves slot i to its next generation, skipping 0, and returns it.
func (s *Engine[E]) bump(i int32) uint32 {
	g := s.gens[i] + 1
	if g == 0 {
		g = 1
	}
	s.gens[i] = g
	return g
}

// live reports whether e is still pending: not cancelled.
func (s *Engine[E]) live(e *entry[E]) bool { return s.gens[e.slot] == e.gen }

// Cancel takes back a scheduled event. It reports false if the event has
// already been taken or cancelled, or h names nothing.
func (s *Engine[E]) Cancel(h Handle) bool {
	if h.gen == 0 || int(h.slot) >= len(s.gens) || s.gens[h.slot] != h.gen {
		return false
	}
	s.release(h.slot)
	// The entry stays where it is and is dropped when reached. Lanes are
	// cheap to carry them; the heap is rebuilt when they crowd it.
	if s.inHeap[h.slot] {
		s.stale++
		if s.stale > 1024 && 2*s.stale > s.heap.n {
			s.compact()
		}
	}
	return true
}

// release ends the slot's event: its handle no longer matches, and the
// slot can carry a new one.
func (s *Engine[E]) release(i int32) {
	s.bump(i)
	s.free = append(s.free, i)
}

// compact rebuilds the heap without its cancelled entries. Cancelled lane
// entries are left for the lanes to drop: they cost nothing until reached.
func (s *Engine[E]) compact() {
	s.stale -= s.heap.filter(s.live)
}

// next takes the earliest event, moves the clock to its time and returns
// it; false when none is left.
func (s *Engine[E]) next() (E, bool) {
	return s.take(math.Inf(1))
}

// take takes the earliest live event if it is due no later than until.
func (s *Engine[E]) take(until float64) (E, bool) {
	for {
		src, top := s.earliest()
		if top == nil || top.at > until {
			var zero E
			return zero, false
		}
		var e entry[E]
		if src == fromHeap {
			e = s.heap.pop()
		} else {
			e = s.lanes[src].pop()
		}
		if !s.live(&e) {
			if src == fromHeap {
				s.stale--
			}
			continue
		}
		s.release(e.slot)
		s.now, s.processed = e.at, s.processed+1
		return e.event, true
	}
}

const fromHeap = -1

// earliest returns the earliest entry, live or not, and where it is:
// fromHeap or a lane's index. The entry is nil when nothing is scheduled.
func (s *Engine[E]) earliest() (int, *entry[E]) {
	src, best := fromHeap, s.heap.min()
	for i := range s.lanes {
		ln := &s.lanes[i]
		if ln.size == 0 {
			continue
		}
		if e := &ln.q[ln.head]; best == nil || e.before(best) {
			src, best = i, e
		}
	}
	return src, best
}

// Run takes events in order and hands each to handle until none is left or
// the next is after until; the clock then stands at until (if it was
// reached).
func (s *Engine[E]) Run(until float64, handle func(E)) {
	for {
		e, ok := s.take(until)
		if !ok {
			break
		}
		handle(e)
	}
	if until > s.now && !math.IsInf(until, 0) {
		s.now = until
	}
}

// push adds an entry at the back of the lane.
func (ln *lane[E]) push(e entry[E]) {
	if ln.size == len(ln.q) {
		q := make([]entry[E], max(16, 2*len(ln.q)))
		n := copy(q, ln.q[ln.head:])
		copy(q[n:], ln.q[:ln.head])
		ln.q, ln.head = q, 0
	}
	ln.q[(ln.head+ln.size)&(len(ln.q)-1)] = e
	ln.size++
}

// pop removes and returns the entry at the front of the lane.
func (ln *lane[E]) pop() entry[E] {
	e := ln.q[ln.head]
	ln.q[ln.head] = entry[E]{}
	ln.head = (ln.head + 1) & (len(ln.q) - 1)
	ln.size--
	return e
}

package simulation

// deque is the PCN's waiting list of case ids: arrivals join the back,
// transferred cases the front.
type deque struct {
	buf        []int32
	head, size int
}

func (d *deque) len() int { return d.size }

func (d *deque) grow() {
	n := max(16, 2*len(d.buf))
	buf := make([]int32, n)
	for i := range d.size {
		buf[i] = d.buf[(d.head+i)%len(d.buf)]
	}
	d.buf, d.head = buf, 0
}

func (d *deque) pushBack(v int32) {
	if d.size == len(d.buf) {
		d.grow()
	}
	d.buf[(d.head+d.size)%len(d.buf)] = v
	d.size++
}

func (d *deque) pushFront(v int32) {
	if d.size == len(d.buf) {
		d.grow()
	}
	d.head = (d.head - 1 + len(d.buf)) % len(d.buf)
	d.buf[d.head] = v
	d.size++
}

func (d *deque) front() int32 { return d.buf[d.head] }

func (d *deque) popFront() int32 {
	v := d.buf[d.head]
	d.head = (d.head + 1) % len(d.buf)
	d.size--
	return v
}

// postHeap holds the posts with a present link worker and room under the
// caseload cap, ordered by open cases and then post number: its minimum is
// the post the next case goes to (docs/model.md, rule 2). Each entry packs
// both into one key, open cases above the post number, so that ordering
// compares two integers held in the heap itself.
type postHeap struct {
	heap []uint64 // keys: open cases << 32 | post
	pos  []int32  // by post: index in heap, or -1
}

func newPostHeap(posts int) postHeap {
	h := postHeap{pos: make([]int32, posts)}
	for i := range h.pos {
		h.pos[i] = -1
	}
	return h
}

func postKey(p int32, open int) uint64 { return uint64(open)<<32 | uint64(uint32(p)) }

func keyPost(k uint64) int32 { return int32(uint32(k)) }

func (h *postHeap) swap(a, b int) {
	h.heap[a], h.heap[b] = h.heap[b], h.heap[a]
	h.pos[keyPost(h.heap[a])], h.pos[keyPost(h.heap[b])] = int32(a), int32(b)
}

func (h *postHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h.heap[i] >= h.heap[p] {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h *postHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h.heap) {
			return
		}
		m := l
		if r := l + 1; r < len(h.heap) && h.heap[r] < h.heap[l] {
			m = r
		}
		if h.heap[m] >= h.heap[i] {
			return
		}
		h.swap(i, m)
		i = m
	}
}

// min returns the post with the fewest open cases (lowest number on ties).
func (h *postHeap) min() (int32, bool) {
	if len(h.heap) == 0 {
		return 0, false
	}
	return keyPost(h.heap[0]), true
}

// update records a present post's open cases: in the heap while under the
// cap, out of it at the cap.
func (h *postHeap) update(p int32, open, cap int) {
	if open >= cap {
		h.remove(p)
		return
	}
	k := postKey(p, open)
	i := int(h.pos[p])
	if i < 0 {
		h.pos[p] = int32(len(h.heap))
		h.heap = append(h.heap, k)
		h.up(len(h.heap) - 1)
		return
	}
	old := h.heap[i]
	h.heap[i] = k
	if k < old {
		h.up(i)
	} else {
		h.down(i)
	}
}

// remove takes a post out (its worker left, or it is full).
func (h *postHeap) remove(p int32) {
	i := int(h.pos[p])
	if i < 0 {
		return
	}
	last := len(h.heap) - 1
	if i != last {
		h.swap(i, last)
	}
	h.heap = h.heap[:last]
	h.pos[p] = -1
	if i < last {
		h.down(i)
		h.up(i)
	}
}

// waiter is a ready person in an open holding episode for a need.
type waiter struct {
	start float64 // episode start
	seq   uint64  // order of joining, for ties
	id    int32
	gen   uint32 // the case's episode number, to spot stale entries
}

// before reports whether waiter a comes before b: an earlier episode
// start, or as early and joined first.
func (a *waiter) before(b *waiter) bool {
	return a.start < b.start || (a.start == b.start && a.seq < b.seq)
}

// waitQueue orders waiters by episode start: a freed place goes to the one
// whose episode started earliest (docs/model.md, rule 6). Stale entries are
// skipped by the caller when popped.
//
// Most waiters join as their episode starts, so they come in order; they
// go to a first-in, first-out list, read in order from memory. Those whose
// readiness comes later join with an earlier start and go to a heap. The
// earlier of the two fronts is taken.
type waitQueue struct {
	inOrder []waiter // from head on, in order
	head    int
	late    waitHeap
}

func (q *waitQueue) len() int { return len(q.inOrder) - q.head + len(q.late) }

func (q *waitQueue) push(w waiter) {
	if n := len(q.inOrder); n == q.head || q.inOrder[n-1].before(&w) {
		q.inOrder = append(q.inOrder, w)
		return
	}
	q.late.push(w)
}

// pop removes and returns the first waiter; the queue must not be empty.
func (q *waitQueue) pop() waiter {
	if q.head == len(q.inOrder) || (len(q.late) > 0 && q.late[0].before(&q.inOrder[q.head])) {
		return q.late.pop()
	}
	w := q.inOrder[q.head]
	q.head++
	if q.head == len(q.inOrder) {
		q.inOrder, q.head = q.inOrder[:0], 0
	} else if q.head >= 1024 && 2*q.head >= len(q.inOrder) {
		n := copy(q.inOrder, q.inOrder[q.head:])
		q.inOrder, q.head = q.inOrder[:n], 0
	}
	return w
}

// waitHeap is a binary heap of waiters, the first on top.
type waitHeap []waiter

func (h waitHeap) less(a, b int) bool { return h[a].before(&h[b]) }
func (h *waitHeap) push(w waiter) {
	*h = append(*h, w)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s.less(i, p) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *waitHeap) pop() waiter {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(s) {
			break
		}
		m := l
		if r := l + 1; r < len(s) && s.less(r, l) {
			m = r
		}
		if !s.less(m, i) {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

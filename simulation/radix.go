package simulation

import (
	"math"
	"math/bits"
)

// radix is a radix heap of entries keyed by time (Ahuja, Mehlhorn, Orlin
// and Tarjan, "Faster algorithms for the shortest path problem", JACM
// 1990). It relies on what a simulation guarantees: no entry is ever pushed
// earlier than the last one popped.
//
// Times are non-negative, so their IEEE 754 bits order as unsigned
// integers. Bucket b > 0 holds the entries whose key first differs from
// last (the key of the last entry popped) in bit b-1; bucket 0 holds those
// equal to it. Every key in a bucket is below every key in a higher one.
// Popping takes from bucket 0, or else finds the lowest non-empty bucket,
// moves last up to its smallest key and spreads the bucket over the buckets
// below, where every one of its entries lands.
//
// Entries with equal times are taken in order of sequence number: they all
// meet in bucket 0, which is searched for the lowest.
type radix[E any] struct {
	last    uint64
	buckets [65][]entry[E]
	full    [2]uint64 // bit b%64 of word b/64: bucket b is not empty
	n       int

	// The earliest entry, once found, until the heap changes under it.
	minOK      bool
	minB, minI int
}

// key returns t's bits, which order as t does for t >= 0; -0 counts as 0.
func key(t float64) uint64 {
	if t == 0 {
		return 0
	}
	return math.Float64bits(t)
}

// bucket returns the bucket for key k.
func (h *radix[E]) bucket(k uint64) int { return bits.Len64(k ^ h.last) }

func (h *radix[E]) add(b int, e entry[E]) {
	h.buckets[b] = append(h.buckets[b], e)
	h.full[b/64] |= 1 << (b % 64)
}

// push adds an entry, whose time must not be before the last popped.
func (h *radix[E]) push(e entry[E]) {
	b := h.bucket(key(e.at))
	h.add(b, e)
	h.n++
	if h.minOK && (b < h.minB || (b == h.minB && e.before(&h.buckets[b][h.minI]))) {
		h.minB, h.minI = b, len(h.buckets[b])-1
	}
}

// lowest returns the lowest non-empty bucket, or -1.
func (h *radix[E]) lowest() int {
	if h.full[0] != 0 {
		return bits.TrailingZeros64(h.full[0])
	}
	if h.full[1] != 0 {
		return 64
	}
	return -1
}

// min returns the earliest entry without removing it, or nil.
func (h *radix[E]) min() *entry[E] {
	if !h.minOK {
		b := h.lowest()
		if b < 0 {
			return nil
		}
		bk := h.buckets[b]
		m := 0
		for i := 1; i < len(bk); i++ {
			if bk[i].before(&bk[m]) {
				m = i
			}
		}
		h.minOK, h.minB, h.minI = true, b, m
	}
	return &h.buckets[h.minB][h.minI]
}

// pop removes and returns the earliest entry; the heap must not be empty.
func (h *radix[E]) pop() entry[E] {
	h.min()
	if b := h.minB; b > 0 {
		// Spread bucket b below, around its earliest key.
		bk := h.buckets[b]
		h.last = key(bk[h.minI].at)
		h.buckets[b] = bk[:0]
		h.full[b/64] &^= 1 << (b % 64)
		for i := range bk {
			h.add(h.bucket(key(bk[i].at)), bk[i])
		}
		clear(bk)
		if cap(bk) > 4096 && h.room() > 3*h.n+1<<16 {
			// As the clock moves, the bulk of the entries passes from
			// bucket to bucket. Emptied buckets keep their room for reuse,
			// but not without bound: in time every bucket would hold room
			// for all.
			h.buckets[b] = nil
		}
		// The earliest is now in bucket 0, with any entries as early.
		h.minOK = false
		h.min()
	}
	b0 := h.buckets[0]
	e := b0[h.minI]
	last := len(b0) - 1
	b0[h.minI] = b0[last]
	b0[last] = entry[E]{}
	h.buckets[0] = b0[:last]
	if last == 0 {
		h.full[0] &^= 1
	}
	h.n--
	h.minOK = false
	return e
}

// room returns how many entries the buckets have room for.
func (h *radix[E]) room() int {
	n := 0
	for i := range h.buckets {
		n += cap(h.buckets[i])
	}
	return n
}

// filter keeps only the entries keep reports true for, and returns how many
// it dropped.
func (h *radix[E]) filter(keep func(*entry[E]) bool) int {
	dropped := 0
	for b := range h.buckets {
		bk := h.buckets[b]
		kept := bk[:0]
		for i := range bk {
			if keep(&bk[i]) {
				kept = append(kept, bk[i])
			}
		}
		clear(bk[len(kept):])
		dropped += len(bk) - len(kept)
		h.buckets[b] = kept
		if len(kept) == 0 {
			h.full[b/64] &^= 1 << (b % 64)
		}
	}
	h.n -= dropped
	h.minOK = false
	return dropped
}

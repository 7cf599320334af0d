package simulation

import (
	"math"
	"math/rand/v2"
	"slices"
)

// rateSegment is a stretch of days, from its start to the next segment's,
// over which the referral rate is the base rate times multiplier.
type rateSegment struct {
	from, multiplier float64
}

// surgeSegments returns the referral rate's multiplier over time as
// segments in time order, the first from day 0 and the last open-ended: a
// segment starts wherever a surge starts or ends, and its multiplier is
// the product of those of the surges in force over it (1 when none is).
func surgeSegments(surges []ReferralSurge) []rateSegment {
	cuts := []float64{0}
	for _, g := range surges {
		cuts = append(cuts, g.FromDay, g.ToDay)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	segments := make([]rateSegment, len(cuts))
	for i, c := range cuts {
		m := 1.0
		for _, g := range surges {
			if g.FromDay <= c && c < g.ToDay {
				m *= g.Multiplier
			}
		}
		segments[i] = rateSegment{from: c, multiplier: m}
	}
	return segments
}

// arrivalProcess is a Poisson process whose rate is constant over each
// segment: base times the segment's multiplier.
//
// It draws each arrival exactly, by inverting the integrated rate rather
// than by thinning: the integrated rate between arrivals of a Poisson
// process is Exp(1), so the next arrival after now is where the rate
// integrated from now reaches a unit exponential draw, walking across
// segments as needed. One draw per arrival, none wasted, and no bound on
// the rate to choose; without surges it is the usual Exp(1)/rate.
type arrivalProcess struct {
	base     float64 // referrals a day without surges
	segments []rateSegment
	current  int // the segment of the last arrival (times only move on)
}

// next returns the time of the first arrival after now, and false if none
// ever comes (the rate stays 0 from some day on).
func (a *arrivalProcess) next(now float64, rng *rand.Rand) (float64, bool) {
	e := rng.ExpFloat64()
	t := now
	for {
		for a.current+1 < len(a.segments) && a.segments[a.current+1].from <= t {
			a.current++
		}
		end := math.Inf(1)
		if a.current+1 < len(a.segments) {
			end = a.segments[a.current+1].from
		}
		if rate := a.base * a.segments[a.current].multiplier; rate > 0 {
			if arrival := t + e/rate; arrival < end {
				return arrival, true
			}
			// The draw outlasts the segment: carry what is left of it
			// into the next, never below 0 through rounding.
			e = max(0, e-rate*(end-t))
		}
		if math.IsInf(end, 1) {
			return 0, false
		}
		t = end
	}
}

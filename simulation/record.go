package simulation

import (
	"context"
	"math"
)

// seriesSlack is the slack of a time series' last point: points are taken
// while k × every is at most span plus this many days, so that a span of a
// whole number of intervals ends with a point whatever the rounding.
const seriesSlack = 1e-9

// Record runs sim from its current time to from+span, handing each event to
// handle, and takes a time series on the way: at the times from + k×every
// for k = 0, 1, 2, ... while k×every is at most span (plus 1e-9 days of
// slack for rounding, the last point then at from+span), it calls point
// with k×every, after every event at that instant, and keeps what point
// returns. A nil point takes no series but runs the same events.
//
// Record checks ctx at each time of the series, and stops there with
// ctx's error when it is done: an interrupted replication stops within one
// interval of simulated time.
// every must be more than 0 and from no earlier than sim's current time.
//
// A model calls it once the state it measures is ready at from (a
// warm-up, if it has one, is run before); see the package example.
func Record[E, P any](ctx context.Context, sim *Engine[E], from, span, every float64, handle func(E), point func(day float64) P) ([]P, error) {
	if !(every > 0) {
		every = span
	}
	var out []P
	for k := 0; ; k++ {
		day := float64(k) * every
		if day > span+seriesSlack || math.IsInf(day, 0) {
			break
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
		sim.Run(from+min(day, span), handle)
		if point != nil {
			out = append(out, point(day))
		}
		if every == 0 || span == 0 {
			break
		}
	}
	sim.Run(from+span, handle)
	return out, nil
}

// runUntil runs sim until just before until, in steps of every days,
// checking ctx between them: the warm-up of a replication, which an
// interrupt should not have to wait for.
func runUntil[E any](ctx context.Context, sim *Engine[E], until, every float64, handle func(E)) error {
	for t := sim.Now() + every; t < until; t += every {
		if err := ctx.Err(); err != nil {
			return err
		}
		sim.Run(t, handle)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sim.Run(math.Nextafter(until, math.Inf(-1)), handle)
	return nil
}

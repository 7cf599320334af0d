package simulation_test

import (
	"fmt"

	"github.com/socialprescribing/linkwork/simulation"
)

// Example writes a small model on the engine: a single link worker drop-in
// where people arrive every 2 days and each conversation takes 3 days of
// the worker's time. Events are plain values; the model keeps its own
// state and schedules what follows each event.
func Example() {
	type kind int
	const (
		arrive kind = iota
		done
	)
	type event struct {
		kind   kind
		person int
	}
	sim := simulation.NewEngine[event](16)
	rng := simulation.NewStreams(1, 0).Stream("arrivals")
	_ = rng // a real model draws its delays from named streams like this one

	queue, busy, served := 0, false, 0
	next := 0
	sim.At(0, event{kind: arrive, person: next})
	sim.Run(20, func(e event) {
		switch e.kind {
		case arrive:
			next++
			sim.After(2, event{kind: arrive, person: next})
			if busy {
				queue++
				return
			}
			busy = true
			sim.After(3, event{kind: done, person: e.person})
		case done:
			served++
			if queue > 0 {
				queue--
				sim.After(3, event{kind: done})
				return
			}
			busy = false
		}
	})
	fmt.Printf("day %.0f: served %d, waiting %d, events %d\n", sim.Now(), served, queue, sim.Processed())
	// Output:
	// day 20: served 6, waiting 4, events 17
}

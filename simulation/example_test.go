package simulation_test

import (
	"fmt"
	"strings"

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

// ExampleWriteSeriesCSV runs a referral surge on the pcn scenario and
// writes the time series: a row per replication and time, from the start
// of the measured window to its end.
func ExampleWriteSeriesCSV() {
	sc, err := simulation.LoadScenario([]byte(`{"horizon_days": 90, "series_days": 30,
		"referral_surges": [{"from_day": 200, "to_day": 240, "multiplier": 2}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	results, err := simulation.Run(sc, simulation.Options{Seed: 1, Replications: 2, Series: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := simulation.WriteSeriesCSV(&b, results); err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	fmt.Println(lines[0])
	for _, line := range lines[1:] {
		replication, rest, _ := strings.Cut(line, ",")
		day, _, _ := strings.Cut(rest, ",")
		fmt.Printf("replication %s, day %s\n", replication, day)
	}
	// Output:
	// replication,day,waiting,open_cases,in_holding,workers_present,workers_liminal,places_in_use
	// replication 0, day 0
	// replication 0, day 30
	// replication 0, day 60
	// replication 0, day 90
	// replication 1, day 0
	// replication 1, day 30
	// replication 1, day 60
	// replication 1, day 90
}

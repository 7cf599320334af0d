package simulation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/socialprescribing/linkwork/simulation"
)

// dropIn is a small model of one's own on the engine: a link worker's
// drop-in, where people arrive at random (every Exp(gap) days) and each
// conversation takes Exp(3) days of the one worker's time.
type dropIn struct {
	sim      *simulation.Engine[dropInEvent]
	arrivals *rand.Rand
	talks    *rand.Rand
	gap      float64
	queue    int
	busy     bool
	served   int
	waited   float64 // person-days waited, for the mean queue
	last     float64
}

type dropInEvent uint8

const (
	dropInArrive dropInEvent = iota + 1
	dropInDone
)

// dropInResult is one replication's row: it lists its columns, so the
// writers and summaries take it.
type dropInResult struct {
	replication, served int
	meanQueue           float64
	series              []queuePoint
}

func (r dropInResult) Row() []simulation.Column {
	return []simulation.Column{simulation.Label("replication", fmt.Sprint(r.replication)),
		simulation.Count("served", r.served), simulation.Measured("mean_queue", r.meanQueue)}
}

// queuePoint is a point of the drop-in's time series.
type queuePoint struct {
	replication int
	day         float64
	queue       int
}

func (p queuePoint) Row() []simulation.Column {
	return []simulation.Column{simulation.Label("replication", fmt.Sprint(p.replication)),
		simulation.Label("day", fmt.Sprint(p.day)), simulation.Count("queue", p.queue)}
}

func (m *dropIn) handle(e dropInEvent) {
	now := m.sim.Now()
	m.waited += float64(m.queue) * (now - m.last)
	m.last = now
	switch e {
	case dropInArrive:
		m.sim.After(m.arrivals.ExpFloat64()*m.gap, dropInArrive)
		if m.busy {
			m.queue++
			return
		}
		m.busy = true
		m.sim.After(m.talks.ExpFloat64()*3, dropInDone)
	case dropInDone:
		m.served++
		if m.queue > 0 {
			m.queue--
			m.sim.After(m.talks.ExpFloat64()*3, dropInDone)
			return
		}
		m.busy = false
	}
}

// Example builds a small model of one's own and runs it as the reference
// model runs: two arms (people arriving every 4 or every 5 days on
// average) with 20 replications each, in parallel, handed on in order;
// each replication draws from the streams of its seed and number, the
// same in both arms, so the arms are paired. Rows go to a CSV writer with
// the arm's parameter before them, a time series is taken every 30 days,
// and the summary gives each arm's mean with its 95% interval, and their
// paired difference.
func Example() {
	arms := [][]simulation.Column{{simulation.Label("gap_days", "4")}, {simulation.Label("gap_days", "5")}}
	gaps := []float64{4, 5}
	replicate := func(ctx context.Context, t simulation.Task) (dropInResult, error) {
		st := t.Streams()
		m := &dropIn{sim: simulation.NewEngine[dropInEvent](16), arrivals: st.Stream("arrivals"),
			talks: st.Stream("talks"), gap: gaps[t.Arm]}
		m.sim.At(0, dropInArrive)
		series, err := simulation.Record(ctx, m.sim, 0, 360, 30, m.handle, func(day float64) queuePoint {
			return queuePoint{t.Replication, day, m.queue}
		})
		if err != nil {
			return dropInResult{}, err
		}
		return dropInResult{t.Replication, m.served, m.waited / 360, series}, nil
	}

	var rows, points strings.Builder
	csv, series := simulation.NewCSVWriter(&rows), simulation.NewCSVWriter(&points)
	summary := simulation.NewSummary(arms)
	n, err := simulation.Replicate(context.Background(), simulation.Plan{Seed: 1, Replications: 20, Arms: 2, Parallel: 1},
		replicate, func(t simulation.Task, r dropInResult) error {
			if err := csv.Write(arms[t.Arm], r.Row()); err != nil {
				return err
			}
			for _, p := range r.series {
				if err := series.Write(arms[t.Arm], p.Row()); err != nil {
					return err
				}
			}
			return summary.Add(t.Arm, t.Replication, r.Row())
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d rows, the first:\n%s", n, strings.Join(strings.SplitAfter(rows.String(), "\n")[:2], ""))
	fmt.Printf("series, the first points:\n%s", strings.Join(strings.SplitAfter(points.String(), "\n")[:4], ""))
	if err := summary.WriteTable(os.Stdout, "drop-in, 20 replications an arm"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 40 rows, the first:
	// gap_days,replication,served,mean_queue
	// 4,0,84,1.07639
	// series, the first points:
	// gap_days,replication,day,queue
	// 4,0,0,0
	// 4,0,30,0
	// 4,0,60,0
	// drop-in, 20 replications an arm
	//   arm  gap_days
	//     0         4
	//     1         5
	//
	//       result  arm   n   mean          95% CI
	//       served    0  20   85.6    81.1 to 90.1
	//                 1  20   70.2    66.4 to 74.1
	//               1-0  20  -15.3  -16.9 to -13.8
	//   mean_queue    0  20   1.69    1.11 to 2.27
	//                 1  20   0.82    0.54 to 1.09
	//               1-0  20  -0.88  -1.20 to -0.56
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

// ExampleHooks replaces one rule of the reference model: the case at the
// head of the waiting list goes to a supervised link worker with room if
// there is one (the fewest cases among them), and only otherwise to the
// reference choice. Both runs use the same seeds, so the difference is
// the rule's.
func ExampleHooks() {
	sc, err := simulation.Embedded("pcn")
	if err != nil {
		fmt.Println(err)
		return
	}
	if sc, err = sc.Set("caseload_cap", "25"); err != nil { // a waiting list, so the choice matters
		fmt.Println(err)
		return
	}
	supervisedFirst := func(a simulation.Assignment) int {
		best := -1
		for p := range a.Posts() {
			s := a.Post(p)
			if s.Room && s.Supervised && (best < 0 || s.Cases < a.Post(best).Cases) {
				best = p
			}
		}
		if best < 0 {
			return simulation.ReferenceAssign(a)
		}
		return best
	}
	for _, hooks := range []simulation.Hooks{{}, {Assign: supervisedFirst}} {
		res, err := simulation.Run(sc, simulation.Options{Seed: 1, Replications: 4, Hooks: hooks})
		if err != nil {
			fmt.Println(err)
			return
		}
		wait := 0.0
		for _, r := range res {
			wait += r.MeanWaitFirstContact / float64(len(res))
		}
		fmt.Printf("mean wait for a first contact: %.1f days\n", wait)
	}
	// Output:
	// mean wait for a first contact: 5.7 days
	// mean wait for a first contact: 6.2 days
}

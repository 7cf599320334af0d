package simulation

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// ErrShard reports a shard that is not i/n with 0 <= i < n.
var ErrShard = errors.New("invalid shard")

// Shard selects the replications r with r mod N = I, so that a sweep can be
// spread over machines. The zero Shard (N 0) selects every replication.
type Shard struct {
	I, N int
}

// Includes reports whether replication r belongs to the shard.
func (s Shard) Includes(r int) bool { return s.N <= 1 || r%s.N == s.I }

// Validate reports a shard with N < 0, or I outside 0..N-1.
func (s Shard) Validate() error {
	if s.N < 0 || (s.N > 0 && (s.I < 0 || s.I >= s.N)) {
		return fmt.Errorf("%w: %d/%d: want i/n with 0 <= i < n", ErrShard, s.I, s.N)
	}
	return nil
}

// Options say which replications to run and how.
type Options struct {
	// Seed seeds every replication: replication r draws from (Seed, r)
	// alone.
	Seed uint64
	// Replications is how many replications the whole run has (0..n-1).
	Replications int
	// Parallel is how many replications run at once; zero means all cores.
	Parallel int
	// Shard selects this machine's share of the replications.
	Shard Shard
	// Series keeps each replication's time series in its [Result].
	Series bool
}

// Run runs the replications of the reference model that the shard
// selects, in parallel, and returns their results ordered by replication.
// The results depend on the scenario, the seed and the replication numbers
// alone: not on Parallel, the shard, or the machine.
func Run(sc Scenario, o Options) ([]Result, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if err := o.Shard.Validate(); err != nil {
		return nil, err
	}
	if o.Replications < 0 {
		return nil, fmt.Errorf("simulation: %d replications", o.Replications)
	}
	var reps []int
	for r := range o.Replications {
		if o.Shard.Includes(r) {
			reps = append(reps, r)
		}
	}
	workers := o.Parallel
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, len(reps))
	results := make([]Result, len(reps))
	errs := make([]error, len(reps))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = runReplication(sc, o.Seed, reps[i], o.Series)
			}
		}()
	}
	for i := range reps {
		next <- i
	}
	close(next)
	wg.Wait()
	return results, errors.Join(errs...)
}

package simulation

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// ErrShard reports a shard that is not i/n with 0 <= i < n, or one that
// selects none of a run's replications.
var ErrShard = errors.New("invalid shard")

// ErrOptions reports Options out of their bounds.
var ErrOptions = errors.New("invalid options")

// ErrReplication is wrapped by the error of a replication that failed: the
// model broke one of its own rules, a bug to report with the replication
// and seed the error names, which reproduce it.
var ErrReplication = errors.New("replication failed")

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
	// Replications is how many replications the whole run has (0..n-1),
	// at most [MaxReplications].
	Replications int
	// Parallel is how many replications run at once; zero means all cores.
	// Each holds its own state: memory grows with it.
	Parallel int
	// Shard selects this machine's share of the replications.
	Shard Shard
	// Series keeps each replication's time series in its [Result].
	Series bool

	// replicate runs one replication; nil means the reference model. A
	// test sets it to make a replication fail.
	replicate func(sc Scenario, seed uint64, replication int, series bool) (Result, error)
}

// Run runs the replications of the reference model that the shard
// selects, in parallel, and returns their results ordered by replication.
// The results depend on the scenario, the seed and the replication numbers
// alone: not on Parallel, the shard, or the machine.
//
// Before simulating anything, Run refuses an invalid scenario (see
// [Scenario.Validate]), an invalid shard or one that selects none of the
// replications, Replications outside 0..[MaxReplications], and a run whose
// estimated events (the scenario's estimate times the replications the
// shard selects) exceed 2e10, about 1,000 replications of national: spread
// such a sweep over shards. A replication that fails, even by a panic in the
// model, comes back as an error wrapping [ErrReplication] that names its
// replication and seed; the other replications still run.
func Run(sc Scenario, o Options) ([]Result, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if err := o.Shard.Validate(); err != nil {
		return nil, err
	}
	if o.Replications < 0 || o.Replications > MaxReplications {
		return nil, fmt.Errorf("replications: %w: must be from 0 to %d, got %d", ErrOptions, MaxReplications, o.Replications)
	}
	var reps []int
	for r := range o.Replications {
		if o.Shard.Includes(r) {
			reps = append(reps, r)
		}
	}
	if len(reps) == 0 && o.Replications > 0 {
		return nil, fmt.Errorf("%w: %d/%d selects none of %d replications", ErrShard, o.Shard.I, o.Shard.N, o.Replications)
	}
	if err := checkWork(sc, len(reps), o.Series); err != nil {
		return nil, err
	}
	replicate := o.replicate
	if replicate == nil {
		replicate = runReplication
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
				results[i], errs[i] = recovered(replicate, sc, o.Seed, reps[i], o.Series)
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

// recovered runs one replication, turning a panic into an error that names
// the replication and seed.
func recovered(replicate func(Scenario, uint64, int, bool) (Result, error), sc Scenario, seed uint64, r int, series bool) (res Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = Result{}, fmt.Errorf("%w: replication %d of seed %d: %v", ErrReplication, r, seed, p)
		}
	}()
	res, err = replicate(sc, seed, r, series)
	if err != nil {
		return Result{}, fmt.Errorf("%w: replication %d of seed %d: %w", ErrReplication, r, seed, err)
	}
	return res, nil
}

// checkWork refuses a run of n replications of sc whose estimated events
// exceed maxEvents, or, when it keeps time series, whose series points
// together exceed maxRunSeriesPoints: Run holds every replication's series
// until it returns.
func checkWork(sc Scenario, n int, series bool) error {
	if per, _ := sc.estimatedEvents(); per*float64(n) > maxEvents {
		return fmt.Errorf("replications: %w: %d replications of about %.3g events each are more than %.3g; spread them over shards",
			ErrTooMuchWork, n, per, float64(maxEvents))
	}
	if points := (math.Floor(sc.HorizonDays/sc.SeriesDays) + 1) * float64(n); series && points > maxRunSeriesPoints {
		return fmt.Errorf("replications: %w: %d replications keep %.3g series points, more than %d; spread them over shards",
			ErrTooMuchWork, n, points, maxRunSeriesPoints)
	}
	return nil
}

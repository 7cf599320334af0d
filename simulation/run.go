package simulation

import (
	"context"
	"errors"
	"fmt"
	"math"
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

// Shard selects the replications r with r mod N = I (the tasks k of a
// sweep's grid, [Plan].Shard), so that a run can be spread over machines. The zero Shard (N 0) selects every replication.
type Shard struct {
	I int `json:"i"`
	N int `json:"n"`
}

// Includes reports whether replication r belongs to the shard.
func (s Shard) Includes(r int) bool { return s.N <= 1 || r%s.N == s.I }

// Count returns how many of 0..n-1 the shard includes, counted without
// visiting them: what a caller sizes its output or progress by. The shard
// must be valid ([Shard.Validate]).
func (s Shard) Count(n int) int {
	switch {
	case n <= 0:
		return 0
	case s.N <= 1:
		return n
	case s.I >= n:
		return 0
	}
	return (n-1-s.I)/s.N + 1
}

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
	Seed uint64 `json:"seed"`
	// Replications is how many replications the whole run has (0..n-1),
	// at most [MaxReplications].
	Replications int `json:"replications"`
	// Parallel is how many replications run at once; zero means all cores.
	// Each holds its own state: memory grows with it.
	Parallel int `json:"parallel"`
	// Shard selects this machine's share of the replications (of a
	// [Sweep], of its grid of arms and replications; see [Plan].Shard).
	Shard Shard `json:"shard"`
	// Series keeps each replication's time series in its [Result].
	Series bool `json:"series"`
	// Hooks replace rules of the model; the zero Hooks is the reference
	// model.
	Hooks Hooks `json:"-"`
	// Progress, if set, is called as results come through; see
	// [Plan].Progress.
	Progress func(done, total int) `json:"-"`

	// replicate runs one replication; nil means the reference model. A
	// test sets it to make a replication fail.
	replicate func(sc Scenario, seed uint64, replication int, series bool) (Result, error)
}

// Arm is one arm of a [Sweep]: a scenario, and the parameters that set it
// apart from the other arms, which the writers put before each of its
// rows (tidy data: a row says which arm it belongs to).
type Arm struct {
	Scenario   Scenario `json:"scenario"`
	Parameters []Column `json:"parameters"`
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
// replication and seed; the other replications still run, and the failed
// one's place in the results holds the zero Result.
//
// Run keeps every result until it returns; [Sweep] hands them on as they
// come, for runs too long or too large to keep. Both run on [Replicate].
func Run(sc Scenario, o Options) ([]Result, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	p := Plan{Seed: o.Seed, Replications: o.Replications, Parallel: o.Parallel, Shard: o.Shard, Progress: o.Progress}
	tasks, err := p.tasks()
	if err != nil {
		return nil, err
	}
	if err := checkWork(sc, len(tasks), o.Series); err != nil {
		return nil, err
	}
	slot := make(map[int]int, len(tasks))
	for i, t := range tasks {
		slot[t.Replication] = i
	}
	results := make([]Result, len(tasks))
	_, err = replicateTasks(context.Background(), p, tasks, o.runner([]Arm{{Scenario: sc}}), func(t Task, r Result) error {
		results[slot[t.Replication]] = r
		return nil
	})
	return results, err
}

// runner returns what runs one task of the arms.
func (o Options) runner(arms []Arm) func(context.Context, Task) (Result, error) {
	return func(ctx context.Context, t Task) (Result, error) {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if o.replicate != nil {
			return o.replicate(arms[t.Arm].Scenario, t.Seed, t.Replication, o.Series)
		}
		return replicate(ctx, arms[t.Arm].Scenario, o.Hooks, t.Seed, t.Replication, o.Series)
	}
}

// Sweep runs replications 0..Replications-1 of every arm with the same
// seeds, and hands each result to emit, with its arm's number, as soon as
// it and every one before it are through: in order by replication, then by
// arm, whatever Parallel and the shard (which splits the grid of arms and
// replications, [Plan].Shard). Replication r of every arm draws from the
// same streams of (Seed, r) ([Task.Streams]), so the arms' results are
// paired: compare them replication by replication ([Summary]).
//
// Sweep refuses, before simulating anything, an arm whose scenario is
// invalid (naming the arm), no arms or more than 10,000, an invalid shard
// or one that selects nothing, Replications outside 0..[MaxReplications],
// and a run whose estimated events exceed 2e10 (as [Run]). It keeps
// nothing once handed on, so its memory does not grow with the
// replications; a result's series goes with it. A failed replication, an
// error from emit and ctx being done behave as in [Replicate]: Sweep
// returns how many results it handed on, and every one before the first it
// did not hand on is complete.
func Sweep(ctx context.Context, arms []Arm, o Options, emit func(arm int, r Result) error) (int, error) {
	if len(arms) == 0 {
		return 0, fmt.Errorf("arms: %w: a sweep needs at least one arm", ErrOptions)
	}
	for i, a := range arms {
		if err := a.Scenario.Validate(); err != nil {
			if len(arms) == 1 {
				return 0, err
			}
			return 0, fmt.Errorf("arm %d: %w", i, err)
		}
	}
	p := Plan{Seed: o.Seed, Replications: o.Replications, Arms: len(arms), Parallel: o.Parallel, Shard: o.Shard,
		Progress: o.Progress}
	tasks, err := p.tasks()
	if err != nil {
		return 0, err
	}
	perArm := make([]int, len(arms))
	for _, t := range tasks {
		perArm[t.Arm]++
	}
	work := 0.0
	for i, a := range arms {
		e, _ := a.Scenario.estimatedEvents()
		work += e * float64(perArm[i])
	}
	if work > maxEvents {
		return 0, fmt.Errorf("replications: %w: %d replications of %d arms are estimated at %.3g events, more than %.3g; spread them over shards",
			ErrTooMuchWork, o.Replications, len(arms), work, float64(maxEvents))
	}
	return replicateTasks(ctx, p, tasks, o.runner(arms), func(t Task, r Result) error { return emit(t.Arm, r) })
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

package simulation

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Task is one replication of one arm of a run, as [Replicate] hands it to
// a model.
type Task struct {
	// Arm is the arm's number, 0..Plan.Arms-1.
	Arm int `json:"arm"`
	// Replication is the replication's number, 0..Plan.Replications-1.
	Replication int `json:"replication"`
	// Seed is the run's seed.
	Seed uint64 `json:"seed"`
}

// Streams returns the task's random streams: those of replication
// Replication of Seed ([NewStreams]), the same for every arm. This is what
// makes arms paired: replication r of every arm draws its arrivals, its
// people and its workforce from the same numbers, stream by stream (common
// random numbers), so the arms differ by what the arms change and by the
// draws that the change moves, not by luck.
func (t Task) Streams() Streams { return NewStreams(t.Seed, uint64(t.Replication)) }

// String names the task for an error: its replication and seed, and its
// arm when it is not arm 0.
func (t Task) String() string {
	if t.Arm != 0 {
		return fmt.Sprintf("arm %d, replication %d of seed %d", t.Arm, t.Replication, t.Seed)
	}
	return fmt.Sprintf("replication %d of seed %d", t.Replication, t.Seed)
}

// Plan says which tasks a run of [Replicate] has and how to run them.
type Plan struct {
	// Seed is the run's seed; each task draws from (Seed, its replication).
	Seed uint64 `json:"seed"`
	// Replications is how many replications each arm has.
	Replications int `json:"replications"`
	// Arms is how many arms the run has; 0 means 1.
	Arms int `json:"arms"`
	// Parallel is how many tasks run at once; zero means all cores.
	Parallel int `json:"parallel"`
	// Shard selects this machine's share of the tasks: the tasks are
	// numbered k = replication × arms + arm, and the shard takes those
	// with k mod N = I. With one arm, k is the replication.
	Shard Shard `json:"shard"`
	// Progress, if set, is called after each task's result is handed on
	// (or found failed) with how many of the shard's tasks are through and
	// how many it has. It is called from Replicate's goroutine.
	Progress func(done, total int) `json:"-"`
}

// tasks returns the tasks the plan selects, in order: by replication, then
// by arm.
func (p Plan) tasks() ([]Task, error) {
	if err := p.Shard.Validate(); err != nil {
		return nil, err
	}
	if p.Replications < 0 || p.Replications > MaxReplications {
		return nil, fmt.Errorf("replications: %w: must be from 0 to %d, got %d", ErrOptions, MaxReplications, p.Replications)
	}
	arms := max(p.Arms, 1)
	if p.Arms < 0 || arms > MaxArms {
		return nil, fmt.Errorf("arms: %w: must be from 1 to %d, got %d", ErrOptions, MaxArms, p.Arms)
	}
	if p.Replications*arms > maxTasks {
		return nil, fmt.Errorf("replications: %w: %d replications of %d arms are more than %d tasks; spread them over runs",
			ErrOptions, p.Replications, arms, maxTasks)
	}
	if p.Parallel < 0 {
		return nil, fmt.Errorf("parallel: %w: must be 0 (all cores) or more, got %d", ErrOptions, p.Parallel)
	}
	var out []Task
	for k := range p.Replications * arms {
		if p.Shard.Includes(k) {
			out = append(out, Task{Arm: k % arms, Replication: k / arms, Seed: p.Seed})
		}
	}
	if len(out) == 0 && p.Replications > 0 {
		what := "replications"
		if arms > 1 {
			what = "tasks (replications x arms)"
		}
		return nil, fmt.Errorf("%w: %d/%d selects none of %d %s", ErrShard, p.Shard.I, p.Shard.N, p.Replications*arms, what)
	}
	return out, nil
}

// MaxArms bounds the arms of a run ([Plan].Arms, the arms of [Sweep]): a
// grid of sweeps multiplies quickly.
const MaxArms = 10_000

// maxTasks bounds the tasks of a run, replications times arms: the list
// of tasks is made before the run starts.
const maxTasks = 1_000_000

// Replicate runs the tasks of a plan with run, in parallel, and hands each
// result to emit in the order of the tasks (by replication, then by arm),
// as soon as it and every task before it are through: a reorder buffer
// holds results that finish early, and no task starts more than a few
// times Parallel ahead of the oldest unfinished one, so memory stays
// bounded however long the run. The results, and so what emit sees, depend
// on the plan's seed and the tasks alone, not on Parallel, the shard or
// the machine, provided run draws only from [Task.Streams].
//
// A task that fails, by an error or a panic, is not handed on; its error
// wraps [ErrReplication] and names the task, and the other tasks still
// run. When ctx is done, Replicate starts nothing more, passes the done
// context to the tasks running (a model may stop early on it), hands on
// the results that finished before the first task that did not, and
// returns ctx's error. An error from emit stops the run the same way and
// is returned. Replicate returns how many results it handed on, and
// returns only when every task it started has returned.
//
// Replicate refuses, before running anything, an invalid shard or one
// that selects no task, Replications outside 0..[MaxReplications], a
// negative Parallel, more arms than 10,000, or more than 1,000,000 tasks
// (replications times arms).
func Replicate[R any](ctx context.Context, p Plan, run func(context.Context, Task) (R, error), emit func(Task, R) error) (int, error) {
	tasks, err := p.tasks()
	if err != nil {
		return 0, err
	}
	return replicateTasks(ctx, p, tasks, run, emit)
}

// replicateTasks is [Replicate] for tasks already made from p ([Plan.tasks]),
// for [Run] and [Sweep], which check them before running anything.
func replicateTasks[R any](ctx context.Context, p Plan, tasks []Task, run func(context.Context, Task) (R, error), emit func(Task, R) error) (int, error) {
	if len(tasks) == 0 {
		return 0, nil
	}
	workers := p.Parallel
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, len(tasks))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type outcome struct {
		i   int
		r   R
		err error
	}
	window := make(chan struct{}, 4*workers) // a token per task started and not yet through
	next := make(chan int)
	outcomes := make(chan outcome)
	go func() {
		defer close(next)
		for i := range tasks {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				<-window
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, err := protect(ctx, run, tasks[i])
				outcomes <- outcome{i, r, err}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(outcomes)
	}()

	pending := make(map[int]outcome, cap(window))
	var errs []error
	var stopped error // why the run stopped early, if it did
	first, done := 0, 0
	for o := range outcomes {
		pending[o.i] = o
		for {
			o, ok := pending[first]
			if !ok {
				break
			}
			if stopped == nil && o.err != nil && !errors.Is(o.err, ErrReplication) {
				// Stopped while running (a done context): nothing after
				// it is handed on.
				break
			}
			delete(pending, first)
			first++
			<-window
			switch {
			case stopped != nil:
				continue
			case o.err != nil:
				errs = append(errs, o.err)
			default:
				if err := emit(tasks[o.i], o.r); err != nil {
					stopped = err
					cancel()
					continue
				}
				done++
			}
			if p.Progress != nil {
				p.Progress(first, len(tasks))
			}
		}
	}
	if stopped == nil && first < len(tasks) {
		stopped = ctx.Err()
	}
	// Failures past the point where the run stopped are reported too.
	for i := first; i < len(tasks); i++ {
		if o, ok := pending[i]; ok && errors.Is(o.err, ErrReplication) {
			errs = append(errs, o.err)
		}
	}
	if stopped != nil {
		errs = append([]error{stopped}, errs...)
	}
	return done, errors.Join(errs...)
}

// protect runs one task, turning a panic into an error; either wraps
// [ErrReplication] and names the task.
func protect[R any](ctx context.Context, run func(context.Context, Task) (R, error), t Task) (r R, err error) {
	defer func() {
		if p := recover(); p != nil {
			var zero R
			r, err = zero, fmt.Errorf("%w: %v: %v", ErrReplication, t, p)
		}
	}()
	r, err = run(ctx, t)
	if err != nil {
		var zero R
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return zero, err
		}
		return zero, fmt.Errorf("%w: %v: %w", ErrReplication, t, err)
	}
	return r, nil
}

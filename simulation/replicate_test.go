package simulation

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// draw is a task whose result is its first draw: it shows which streams a
// task got.
func draw(_ context.Context, t Task) (string, error) {
	return fmt.Sprintf("%d/%d:%d", t.Replication, t.Arm, t.Streams().Stream("x").Uint64()%1000), nil
}

func collect(t *testing.T, p Plan, run func(context.Context, Task) (string, error)) []string {
	t.Helper()
	var out []string
	n, err := Replicate(context.Background(), p, run, func(_ Task, s string) error {
		out = append(out, s)
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, len(out), n)
	return out
}

func TestReplicateHandsResultsOnInTaskOrderWhateverTheParallelism(t *testing.T) {
	// Later tasks finish first: the reorder buffer puts them back.
	slow := func(ctx context.Context, t Task) (string, error) {
		time.Sleep(time.Duration(6-t.Replication) * time.Millisecond)
		return draw(ctx, t)
	}
	one := collect(t, Plan{Seed: 3, Replications: 6, Arms: 2, Parallel: 1}, draw)
	many := collect(t, Plan{Seed: 3, Replications: 6, Arms: 2, Parallel: 5}, slow)
	assert.Equal(t, one, many)
	require.Len(t, one, 12)
	assert.Regexp(t, `^0/0:`, one[0])
	assert.Regexp(t, `^0/1:`, one[1], "by replication, then arm")
	assert.Regexp(t, `^5/1:`, one[11])
	// Arms share the streams of their replication.
	for i := 0; i < 12; i += 2 {
		assert.Equal(t, one[i][4:], one[i+1][4:], "the arms of replication %d draw the same", i/2)
	}
	assert.NotEqual(t, one[0][4:], one[2][4:], "replications draw differently")
}

func TestReplicateShardsSplitTheGrid(t *testing.T) {
	whole := collect(t, Plan{Seed: 1, Replications: 5, Arms: 3}, draw)
	seen := map[string]bool{}
	for i := range 4 {
		for _, s := range collect(t, Plan{Seed: 1, Replications: 5, Arms: 3, Shard: Shard{I: i, N: 4}}, draw) {
			assert.False(t, seen[s], s)
			seen[s] = true
		}
	}
	assert.Len(t, seen, len(whole))
	for _, s := range whole {
		assert.True(t, seen[s], s)
	}
	_, err := Replicate(context.Background(), Plan{Replications: 1, Arms: 2, Shard: Shard{I: 2, N: 3}}, draw,
		func(Task, string) error { return nil })
	assert.ErrorIs(t, err, ErrShard)
}

func TestReplicateRefusesBadPlans(t *testing.T) {
	for _, p := range []Plan{{Replications: -1}, {Replications: MaxReplications + 1}, {Replications: 1, Arms: -1},
		{Replications: 1, Arms: MaxArms + 1}, {Replications: 1, Parallel: -1}, {Replications: MaxReplications, Arms: 11}} {
		ran := false
		_, err := Replicate(context.Background(), p, func(context.Context, Task) (int, error) { ran = true; return 0, nil },
			func(Task, int) error { return nil })
		assert.ErrorIs(t, err, ErrOptions, "%+v", p)
		assert.False(t, ran)
	}
	_, err := Replicate(context.Background(), Plan{Replications: 1, Shard: Shard{I: 1, N: 1}},
		func(context.Context, Task) (int, error) { return 0, nil }, func(Task, int) error { return nil })
	assert.ErrorIs(t, err, ErrShard)
}

func TestReplicateReportsFailuresAndRunsTheRest(t *testing.T) {
	var got []int
	n, err := Replicate(context.Background(), Plan{Seed: 8, Replications: 5, Parallel: 2},
		func(_ context.Context, t Task) (int, error) {
			switch t.Replication {
			case 1:
				panic("a bug")
			case 3:
				return 0, errors.New("refused")
			}
			return t.Replication, nil
		}, func(_ Task, r int) error { got = append(got, r); return nil })
	require.ErrorIs(t, err, ErrReplication)
	assert.Contains(t, err.Error(), "replication 1 of seed 8: a bug")
	assert.Contains(t, err.Error(), "replication 3 of seed 8: refused")
	assert.Equal(t, []int{0, 2, 4}, got)
	assert.Equal(t, 3, n)
	assert.Equal(t, "arm 2, replication 1 of seed 8", Task{Arm: 2, Replication: 1, Seed: 8}.String())
}

func TestReplicateStopsWhenTheContextIsDoneKeepingAnUnbrokenPrefix(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	var got []int
	var progress [][2]int
	n, err := Replicate(ctx, Plan{Replications: 1000, Parallel: 3, Progress: func(d, t int) { progress = append(progress, [2]int{d, t}) }},
		func(ctx context.Context, t Task) (int, error) {
			started.Add(1)
			if t.Replication == 10 {
				cancel()
			}
			if t.Replication >= 10 {
				<-ctx.Done()
				return 0, ctx.Err()
			}
			return t.Replication, nil
		}, func(_ Task, r int) error { got = append(got, r); return nil })
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrReplication, "a stopped task is not a failure")
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, got, "every result before the first stopped task")
	assert.Equal(t, 10, n)
	assert.Less(t, int(started.Load()), 10+4*3+1, "no task starts after the stop beyond the window")
	assert.Equal(t, [2]int{10, 1000}, progress[len(progress)-1])
}

func TestReplicateStopsOnAnEmitError(t *testing.T) {
	wrote := errors.New("disk full")
	calls := 0
	n, err := Replicate(context.Background(), Plan{Replications: 50, Parallel: 2},
		func(_ context.Context, t Task) (int, error) { return t.Replication, nil },
		func(_ Task, r int) error {
			calls++
			if r == 3 {
				return wrote
			}
			return nil
		})
	require.ErrorIs(t, err, wrote)
	assert.Equal(t, 3, n)
	assert.Equal(t, 4, calls, "nothing is handed on after the error")
}

// TestReplicateBoundsTheReorderBuffer holds task 0 back: no more than
// 4 x Parallel tasks start before it is through.
func TestReplicateBoundsTheReorderBuffer(t *testing.T) {
	release := make(chan struct{})
	var started atomic.Int32
	done := make(chan int)
	go func() {
		n, _ := Replicate(context.Background(), Plan{Replications: 100, Parallel: 2},
			func(_ context.Context, t Task) (int, error) {
				started.Add(1)
				if t.Replication == 0 {
					<-release
				}
				return 0, nil
			}, func(Task, int) error { return nil })
		done <- n
	}()
	require.Eventually(t, func() bool { return started.Load() == 8 }, 5*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, int32(8), started.Load(), "4 x Parallel tasks, the held one included")
	close(release)
	assert.Equal(t, 100, <-done)
}

// TestAFailureAfterAStopIsStillReported: a replication that failed is
// reported even when the run stopped before it was reached in order.
func TestAFailureAfterAStopIsStillReported(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	var got []int
	_, err := Replicate(ctx, Plan{Seed: 4, Replications: 10, Parallel: 3},
		func(ctx context.Context, t Task) (int, error) {
			switch t.Replication {
			case 0:
				<-release // held until the others have failed and stopped
				return 0, ctx.Err()
			case 1:
				return 0, errors.New("refused")
			case 2:
				cancel()
				close(release)
				return 0, ctx.Err()
			}
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			return t.Replication, nil
		}, func(_ Task, r int) error { got = append(got, r); return nil })
	require.ErrorIs(t, err, context.Canceled, "%v", err)
	require.ErrorIs(t, err, ErrReplication, "%v", err)
	assert.Contains(t, err.Error(), "replication 1 of seed 4: refused")
	assert.Empty(t, got, "replication 0 was stopped: nothing after it is handed on")
}

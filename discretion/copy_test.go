package discretion

import (
	"sync"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDISC_3_CopiesOfALogShareNothing: two copies of one log, each changed
// by its own goroutine (run with -race), each hold their own acts alone.
func TestDISC_3_CopiesOfALogShareNothing(t *testing.T) {
	f := newFixture()
	patient := prescribing.NewID[prescribing.Patient](f.ids)
	original, _ := f.log(t)
	for range 3 {
		_, err := original.Record(f.act(AspectAdvocacy, LevelGuided, patient))
		require.NoError(t, err)
	}
	before := original
	beforeActs := original.Acts()
	a, b := original, original
	var forA, forB []Act
	for range 50 {
		forA = append(forA, f.act(AspectHomeVisits, LevelOpen, patient))
		forB = append(forB, f.act(AspectSessions, LevelBoundaried, patient))
	}
	// The same act in both copies: each copy takes it once.
	shared := f.act(AspectPracticalHelp, LevelDiscretionary, patient)
	forA, forB = append(forA, shared), append(forB, shared)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, c := range []struct {
		log  *Log
		acts []Act
	}{{&a, forA}, {&b, forB}} {
		wg.Go(func() {
			for _, act := range c.acts {
				if _, err := c.log.Record(act); err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	assert.Equal(t, before, original, "the original is unchanged")
	assert.Equal(t, beforeActs, original.Acts())
	assert.Equal(t, append(append([]Act(nil), beforeActs...), forA...), a.Acts(), "each copy holds its own acts alone")
	assert.Equal(t, append(append([]Act(nil), beforeActs...), forB...), b.Acts())

	acts := a.Acts()
	acts[0].What = "changed by the caller"
	assert.NotEqual(t, "changed by the caller", a.Acts()[0].What, "Acts is the caller's")
}

// TestDISC_2_CopiesOfAPolicyShareNothing: two copies of one policy, each
// changed by its own goroutine (run with -race), each hold their own levels
// alone; the adoption event and the caller's map share nothing with the
// policy.
func TestDISC_2_CopiesOfAPolicyShareNothing(t *testing.T) {
	f := newFixture()
	levels := map[Aspect]Level{AspectHomeVisits: LevelGuided, AspectSessions: LevelBoundaried}
	original, adopted, err := AdoptPolicy(prescribing.NewID[Policy](f.ids), "Mill Lane", levels, f.tick())
	require.NoError(t, err)
	levels[AspectHomeVisits] = LevelOpen
	adopted.Levels[AspectSessions] = LevelOpen
	l, _ := original.Level(AspectHomeVisits)
	assert.Equal(t, LevelGuided, l, "the caller's map is not the policy's")
	l, _ = original.Level(AspectSessions)
	assert.Equal(t, LevelBoundaried, l, "the event's map is not the policy's")

	before := original
	a, b := original, original
	start := f.tick()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, c := range []struct {
		p      *Policy
		aspect Aspect
		level  Level
	}{{&a, AspectAdvocacy, LevelOpen}, {&b, AspectOutOfHours, LevelFixedRule}} {
		wg.Go(func() {
			for k := range 50 {
				at := start.Add(time.Duration(k) * time.Minute)
				if _, err := c.p.Set(c.aspect, Levels()[k%len(Levels())], at); err != nil {
					errs[i] = err
					return
				}
				if _, err := c.p.Set(AspectHomeVisits, c.level, at); err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	assert.Equal(t, before, original, "the original is unchanged")
	assert.Equal(t, []Aspect{AspectHomeVisits, AspectSessions}, original.Aspects())
	assert.Equal(t, []Aspect{AspectAdvocacy, AspectHomeVisits, AspectSessions}, a.Aspects(), "each copy holds its own changes alone")
	assert.Equal(t, []Aspect{AspectHomeVisits, AspectOutOfHours, AspectSessions}, b.Aspects())
	la, _ := a.Level(AspectHomeVisits)
	lb, _ := b.Level(AspectHomeVisits)
	assert.Equal(t, []Level{LevelOpen, LevelFixedRule}, []Level{la, lb})
}

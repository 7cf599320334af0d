package embeddedness

import (
	"sync"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEMB_4_CopiesOfARecordShareNothing: two copies of one record, each
// changed by its own goroutine (run with -race), each change only
// themselves; events and getters share nothing with the record.
func TestEMB_4_CopiesOfARecordShareNothing(t *testing.T) {
	f := newFixture()
	fw := DefaultFramework()
	original, history := f.history(t)
	before := original
	beforeSeries := original.Series(f.p1)
	a, b := original, original
	p3 := prescribing.NewID[prescribing.Practice](f.ids)
	// Each copy gets many assessments at existing practices and at a new
	// one, so that the two goroutines overlap.
	plan := func(months int) []Assessment {
		var out []Assessment
		for k := range 40 {
			p := []prescribing.PracticeID{f.p1, p3, f.p2}[k%3]
			out = append(out, f.assessment(p, months+k, all(0.4)...))
		}
		return out
	}
	forA, forB := plan(20), plan(80)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, c := range []struct {
		rec *Record
		as  []Assessment
	}{{&a, forA}, {&b, forB}} {
		wg.Go(func() {
			for _, as := range c.as {
				if _, err := c.rec.Assess(fw, as); err != nil {
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
	assert.Equal(t, beforeSeries, original.Series(f.p1))
	for _, c := range []struct {
		rec *Record
		as  []Assessment
	}{{&a, forA}, {&b, forB}} {
		s := c.rec.Series(f.p1)
		require.Len(t, s, 3+14, "three from history and its own")
		assert.Equal(t, c.as[0].ID, s[3].Assessment, "each copy holds its own changes alone")
		assert.Equal(t, c.as[39].ID, s[len(s)-1].Assessment)
		require.Len(t, c.rec.Series(p3), 13)
		assert.Equal(t, c.as[1].ID, c.rec.Series(p3)[0].Assessment)
		assert.Len(t, c.rec.Positions(), 3)
	}
	assert.Empty(t, original.Series(p3))

	// Getters and events are the caller's to change.
	s := a.Series(f.p1)
	s[0].Overall = 0.99
	assert.NotEqual(t, 0.99, a.Series(f.p1)[0].Overall)
	e := history[1].(Assessed)
	e.Assessment.Observations[0].Score = 0
	fresh, _ := openRecord(t, f.lw)
	require.NoError(t, fresh.Apply(history[1]))
	obs := []Observation{Met(IndicatorRoom, true)}
	ev, err := fresh.Assess(fw, f.assessment(f.p2, 40, obs...))
	require.NoError(t, err)
	obs[0].Score = 0
	assert.Equal(t, 1.0, ev.Assessment.Observations[0].Score, "the event does not share the caller's observations")
}

package liminality

import (
	"sync"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values are safe to copy: each copy of a record, changed in its own
// goroutine, changes alone. Run under -race, a shared map or slice written by
// both shows as a data race; without it, as a copy that changed when the
// other did.

func TestJourneyCopiesAreIndependent(t *testing.T) {
	f := newFixture()
	j, _ := f.begin(t)
	f.through(t, &j)
	original := j
	a, b := j, j
	start := f.now

	var wg sync.WaitGroup
	wg.Go(func() {
		_, err := a.Disrupt(DisruptionNewPractice, start.Add(time.Hour))
		assert.NoError(t, err)
		_, err = a.NoteTheme(ThemeAmbiguity, start.Add(2*time.Hour))
		assert.NoError(t, err)
		_, err = a.RecordSupport(RoleSupportPeer, prescribing.SetOf(ThemeAmbiguity, ThemeDisconnection), start.Add(3*time.Hour))
		assert.NoError(t, err)
	})
	wg.Go(func() {
		_, err := b.Leave(start.Add(time.Hour))
		assert.NoError(t, err)
	})
	wg.Wait()

	assert.Equal(t, original, j, "the original is untouched")
	pa, _ := a.Phase()
	pb, _ := b.Phase()
	assert.Equal(t, PhaseLiminal, pa)
	assert.Equal(t, PhaseLeft, pb)
	assert.Equal(t, prescribing.SetOf(ThemeDisconnection, ThemeAmbiguity), a.Present())
	assert.Equal(t, original.Present(), b.Present())
	assert.Equal(t, 1, a.Disruptions())
	assert.Zero(t, b.Disruptions())
}

func TestTrainingRecordCopiesAreIndependent(t *testing.T) {
	f := newFixture()
	r, _, err := BeginTraining(prescribing.NewID[prescribing.LinkWorker](f.ids), nil, f.now)
	require.NoError(t, err)
	// Three completions: a slice grown by append would have room for a
	// fourth, which both copies would then write into.
	for _, area := range []string{"safeguarding", "it_systems", "risk_assessment"} {
		_, err := r.Complete(area, f.after(1))
		require.NoError(t, err)
	}
	original := r
	originalDone := r.Completed()
	a, b := r, r
	start := f.now

	var wg sync.WaitGroup
	wg.Go(func() {
		for i, area := range []string{"confidentiality", "who_is_who", "welfare_benefits"} {
			_, err := a.Complete(area, start.Add(time.Duration(i+1)*time.Hour))
			assert.NoError(t, err)
		}
	})
	wg.Go(func() {
		for i, area := range []string{"data_protection", "mental_health"} {
			_, err := b.Complete(area, start.Add(time.Duration(i+1)*time.Minute))
			assert.NoError(t, err)
		}
	})
	wg.Wait()

	assert.Equal(t, original, r, "the original is untouched")
	assert.Equal(t, originalDone, r.Completed())
	keys := func(r *TrainingRecord) []string {
		var out []string
		for _, c := range r.Completed() {
			out = append(out, c.Area)
		}
		return out
	}
	assert.Equal(t, []string{"confidentiality", "it_systems", "risk_assessment", "safeguarding", "welfare_benefits", "who_is_who"}, keys(&a))
	assert.Equal(t, []string{"data_protection", "it_systems", "mental_health", "risk_assessment", "safeguarding"}, keys(&b))
}

// TestTrainingRecordSharesNoMemory checks that the record shares no slice
// with its caller, its getters' results or the events it returns and takes.
func TestTrainingRecordSharesNoMemory(t *testing.T) {
	f := newFixture()
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)
	mine := []Area{{Key: "a", Description: "first"}, {Key: "b", Description: "second"}}
	r, begun, err := BeginTraining(lw, mine, f.now)
	require.NoError(t, err)
	want := []Area{{Key: "a", Description: "first"}, {Key: "b", Description: "second"}}

	mine[0].Key = "changed by the caller"
	begun.Curriculum[1].Key = "changed in the event"
	got := r.Curriculum()
	got[0].Description = "changed through a getter"
	assert.Equal(t, want, r.Curriculum())
	assert.Equal(t, "a", r.Coverage().Lacks[0].Key)

	_, err = r.Complete("a", f.after(1))
	require.NoError(t, err)
	done := r.Completed()
	done[0].Area = "changed through a getter"
	assert.Equal(t, "a", r.Completed()[0].Area)

	stored := TrainingBegun{LinkWorker: lw, Curriculum: []Area{{Key: "x"}}, At: f.now}
	var replayed TrainingRecord
	require.NoError(t, replayed.Apply(stored))
	stored.Curriculum[0].Key = "changed after Apply"
	assert.Equal(t, []Area{{Key: "x"}}, replayed.Curriculum())
}

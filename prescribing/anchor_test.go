package prescribing

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestANCHOR_1_StepsAfterAContactAreRecorded(t *testing.T) {
	s := newFixture(t).research()
	steps := s.r.Steps()
	require.Len(t, steps, 2)
	assert.Equal(t, s.contact, steps[0].PromptedBy, "the first step names the contact that prompted it")
	assert.False(t, steps[0].Unprompted())
	assert.True(t, steps[1].Unprompted())
	steps[0].What = "changed by the caller"
	assert.Equal(t, "went to the walk once", s.r.Steps()[0].What, "Steps returns a copy")
}

func TestANCHOR_1_StepRefusals(t *testing.T) {
	f := newFixture(t)
	accepted, _ := f.referralIn(StateAccepted)
	_, err := accepted.RecordStep(Step{Kind: StepKindOther, What: "x", At: f.tick()})
	require.ErrorIs(t, err, ErrUnexpectedEvent, "ANCHOR-1: before first contact there is no step")

	r, _ := f.referralIn(StateInSupport)
	c := NewID[Contact](f.ids)
	_, err = r.RecordContact(Contact{ID: c, At: f.tick(), Mode: ContactModeVideo, Minutes: 20, Attended: true}, ContactRules{})
	require.NoError(t, err)
	at := f.tick()
	for name, tc := range map[string]struct {
		step Step
		want error
	}{
		"no kind":             {Step{What: "walked", At: at}, ErrUnknownValue},
		"kind out of range":   {Step{Kind: StepKind(6), What: "walked", At: at}, ErrUnknownValue},
		"blank text":          {Step{Kind: StepKindOther, What: " \t", At: at}, ErrMissingDetail},
		"invalid text":        {Step{Kind: StepKindOther, What: invalidUTF8, At: at}, ErrInvalidText},
		"too long":            {Step{Kind: StepKindOther, What: tooLongText, At: at}, ErrInvalidText},
		"unknown contact":     {Step{Kind: StepKindOther, What: "walked", PromptedBy: NewID[Contact](f.ids), At: at}, ErrWrongSubject},
		"time before last":    {Step{Kind: StepKindOther, What: "walked", At: at.AddDate(0, 0, -3)}, ErrTimeWentBackwards},
		"time past year 9999": {Step{Kind: StepKindOther, What: "walked", At: yearAfter}, ErrTimeOutOfRange},
		"no time at all":      {Step{Kind: StepKindOther, What: "walked"}, ErrNoTime},
	} {
		before := r
		e, err := r.RecordStep(tc.step)
		assert.ErrorIs(t, err, tc.want, name)
		assert.Zero(t, e, name)
		assert.Equal(t, before, r, name)
	}
	// The boundaries that pass: the longest text, the last kind, the known contact.
	e, err := r.RecordStep(Step{Kind: StepKindOther, What: longestText, PromptedBy: c, At: at})
	require.NoError(t, err)
	assert.Equal(t, c, e.Step.PromptedBy)
}

func TestANCHOR_1_ShareOfPeopleWhoTookAStep(t *testing.T) {
	f := newFixture(t)
	took := f.research().r // took two steps, one unprompted

	g := newFixture(t)
	g.pat, g.lw = NewID[Patient](g.ids), f.lw
	none, _ := g.referralIn(StateInSupport)
	_, err := none.RecordContact(Contact{ID: NewID[Contact](g.ids), At: g.tick(), Mode: ContactModePractice, Minutes: 30, Attended: true}, ContactRules{})
	require.NoError(t, err)

	h := newFixture(t)
	h.pat, h.lw = NewID[Patient](h.ids), f.lw
	unseen, _ := h.referralIn(StateInSupport) // no attended contact: not counted
	_, err = unseen.RecordContact(Contact{ID: NewID[Contact](h.ids), At: h.tick(), Mode: ContactModePractice}, ContactRules{})
	require.NoError(t, err)

	rep := Anchor(f.lw, []Referral{took, none, unseen, f.research().earlier})
	assert.Equal(t, AnchorReport{LinkWorker: f.lw, People: 2, TookStep: 1, Unprompted: 1, Share: 0.5}, rep)

	// A person with two referrals counts once; another link worker's are left out.
	rep = Anchor(f.lw, []Referral{took, took})
	assert.Equal(t, 1, rep.People)
	assert.Equal(t, 1.0, rep.Share)
	assert.Equal(t, AnchorReport{LinkWorker: f.lw2}, Anchor(f.lw2, []Referral{took, none}))
	assert.Zero(t, Anchor(LinkWorkerID{}, []Referral{took}).People)
}

// TestANCHOR_1_AStepNamesAnyContactOfItsOwnReferral: a step may name any
// contact recorded on the referral, the first of many as well as the last,
// and a copy of the referral knows only the contacts recorded on it: the
// ones before the copy and its own after, never the other copy's.
func TestANCHOR_1_AStepNamesAnyContactOfItsOwnReferral(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	record := func(r *Referral, n int) []ContactID {
		var ids []ContactID
		for range n {
			id := NewID[Contact](f.ids)
			_, err := r.RecordContact(Contact{ID: id, At: f.tick(), Mode: ContactModeTelephone, Minutes: 15, Attended: true}, ContactRules{})
			require.NoError(t, err)
			ids = append(ids, id)
		}
		return ids
	}
	shared := record(&r, 10)
	other := r
	mine, theirs := record(&r, 3), record(&other, 5)
	step := func(r *Referral, by ContactID) error {
		before := *r
		_, err := r.RecordStep(Step{Kind: StepKindOther, What: "went to the group", PromptedBy: by, At: f.tick()})
		if err != nil {
			assert.Equal(t, before, *r, "a refused step changes nothing")
		}
		return err
	}
	for _, c := range []struct {
		r          *Referral
		own, not   []ContactID
		recordedBy string
	}{{&r, mine, theirs, "the first copy"}, {&other, theirs, mine, "the second copy"}} {
		for i, id := range append(slices.Clone(shared), c.own...) {
			assert.NoError(t, step(c.r, id), "%s: contact %d", c.recordedBy, i+1)
		}
		for i, id := range c.not {
			assert.ErrorIs(t, step(c.r, id), ErrWrongSubject, "%s: the other copy's contact %d", c.recordedBy, i+1)
		}
	}
	recorded, _ := r.ContactCount()
	assert.Equal(t, 13, recorded)
	recorded, _ = other.ContactCount()
	assert.Equal(t, 15, recorded)
}

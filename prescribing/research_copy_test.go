package prescribing

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEV_3_ReferralCopiesShareNothingWithIssue20Records: two copies of a
// referral that record steps, follow-ups and contacts at once in two
// goroutines each change alone, and the lists given and returned are the
// caller's (run with -race). It covers ANCHOR-1, FOLLOW-1 and DEP-1's
// lists on the referral.
func TestEV_3_ReferralCopiesShareNothingWithIssue20Records(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	contact := NewID[Contact](f.ids)
	_, err := r.RecordContact(Contact{ID: contact, At: f.tick(), Mode: ContactModeVideo, Minutes: 10, Attended: true}, ContactRules{})
	require.NoError(t, err)
	a1, a2 := walkingGroup, walkingGroup
	a1.Asset, a2.Asset = NewID[Asset](f.ids), NewID[Asset](f.ids)
	_, err = r.Connect(f.tick(), a1, a2)
	require.NoError(t, err)
	orig := r
	x, y := r, r
	ids := []ContactID{NewID[Contact](f.ids), NewID[Contact](f.ids)}
	at := f.tick()
	change := func(c *Referral, what string, asset AssetID, id ContactID) {
		for i := range 30 {
			when := at.Add(time.Duration(i) * time.Minute)
			if _, err := c.RecordStep(Step{Kind: StepKindOther, What: what, PromptedBy: contact, At: when}); err != nil {
				panic(err)
			}
			if _, err := c.RecordContact(Contact{ID: id, At: when, Mode: ContactModeTelephone, Minutes: 5, Attended: true}, ContactRules{}); err != nil {
				panic(err)
			}
		}
		if _, err := c.RecordFollowUp(FollowUp{Asset: asset, Attended: true, Feedback: what, At: at.Add(time.Hour)}); err != nil {
			panic(err)
		}
	}
	apart(func() { change(&x, "copy x", a1.Asset, ids[0]) }, func() { change(&y, "copy y", a2.Asset, ids[1]) })
	for _, c := range []struct {
		r          Referral
		mine, they string
	}{{x, "copy x", "copy y"}, {y, "copy y", "copy x"}} {
		for _, s := range c.r.Steps() {
			assert.Equal(t, c.mine, s.What)
		}
		assert.Len(t, c.r.Steps(), 30)
		require.Len(t, c.r.FollowUps(), 1)
		assert.Equal(t, c.mine, c.r.FollowUps()[0].Feedback)
	}
	assert.Equal(t, orig, r)

	// Getters and events are the caller's.
	steps := x.Steps()
	steps[0].What = "changed by the caller"
	assert.Equal(t, "copy x", x.Steps()[0].What)
	earlier, _ := f.receive()
	s, _ := f.receive()
	e, err := s.LinkEarlier(f.tick(), earlier)
	require.NoError(t, err)
	e.Earlier[0] = ReferralID{}
	s.Earlier()[0] = ReferralID{}
	assert.Equal(t, []ReferralID{earlier.ID()}, s.Earlier())
}

// TestPREF_1_CopiesOfAPatientsPreferencesChangeApart: two copies of a
// patient record new preferences at once and each changes alone; neither
// the caller's lists nor the event's are the record's (run with -race).
func TestPREF_1_CopiesOfAPatientsPreferencesChangeApart(t *testing.T) {
	w := newPeopleWorld(t)
	langs := append(make([]string, 0, 8), "pl")
	e, err := w.patient.RecordPreferences(w.f.tick(), Preferences{Languages: langs})
	require.NoError(t, err)
	langs[0], e.Preferences.Languages[0] = "changed", "changed"
	orig := w.patient
	a, b := orig, orig
	atA, atB := w.f.tick(), w.f.tick()
	var errA, errB error
	apart(func() {
		_, errA = a.RecordPreferences(atA, Preferences{Modes: []ContactMode{ContactModeVideo}, Languages: []string{"en"}})
	}, func() {
		_, errB = b.RecordPreferences(atB, Preferences{Modes: []ContactMode{ContactModeTelephone}, Languages: []string{"ur"}})
	})
	require.NoError(t, errA)
	require.NoError(t, errB)
	assert.Equal(t, Preferences{Modes: []ContactMode{ContactModeVideo}, Languages: []string{"en"}}, a.Preferences())
	assert.Equal(t, Preferences{Modes: []ContactMode{ContactModeTelephone}, Languages: []string{"ur"}}, b.Preferences())
	assert.Equal(t, Preferences{Languages: []string{"pl"}}, orig.Preferences())
	got := a.Preferences()
	got.Languages[0] = "changed"
	assert.Equal(t, []string{"en"}, a.Preferences().Languages, "the getter's lists are the caller's")
}

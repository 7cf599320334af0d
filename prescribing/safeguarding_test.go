package prescribing

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (f *fixture) recordedContact(t *testing.T) (Referral, ContactRecorded) {
	r, _ := f.referralIn(StateInSupport)
	e, err := r.RecordContact(f.contact(ContactModeTelephone, 25, true), ContactRules{})
	require.NoError(t, err)
	return r, e
}

func TestSAFE_1_ConcernRaisedOnAContactAndEscalatedToANamedLead(t *testing.T) {
	f := newFixture(t)
	r, contact := f.recordedContact(t)
	c, raised, err := RaiseConcern(NewID[Concern](f.ids), contact, contact.Contact.At.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, r.ID(), c.Referral())
	assert.Equal(t, f.pat, c.Patient())
	assert.Equal(t, contact.Contact.ID, c.Contact())
	assert.Equal(t, f.lw, c.RaisedBy())
	_, _, ok := c.Escalated()
	assert.False(t, ok)

	_, err = c.Escalate("", f.tick())
	require.ErrorIs(t, err, ErrNoLead, "escalation names the lead")
	assert.Contains(t, err.Error(), "SAFE-1")
	_, err = c.Escalate("Priya Shah", raised.At.Add(-time.Minute))
	require.ErrorIs(t, err, ErrTimeWentBackwards)

	at := f.tick()
	escalated, err := c.Escalate("Priya Shah", at)
	require.NoError(t, err)
	lead, when, ok := c.Escalated()
	require.True(t, ok)
	assert.Equal(t, "Priya Shah", lead)
	assert.Equal(t, at, when)
	_, err = c.Escalate("Someone else", f.tick())
	assert.ErrorIs(t, err, ErrAlreadyEscalated)

	var replayed Concern
	require.NoError(t, Replay(&replayed, []Event{raised, escalated}))
	assert.Equal(t, c, replayed)

	_, _, err = RaiseConcern(NewID[Concern](f.ids), contact, contact.Contact.At.Add(-time.Hour))
	assert.ErrorIs(t, err, ErrTimeWentBackwards, "not before the contact it is about")
	_, _, err = RaiseConcern(NewID[Concern](f.ids), ContactRecorded{}, f.tick())
	assert.ErrorIs(t, err, ErrInvalidID, "only on a recorded contact")
}

func TestSAFE_1_UnescalatedConcernsOverdueAfterOneWorkingDay(t *testing.T) {
	f := newFixture(t)
	_, contact := f.recordedContact(t)
	raise := func(at time.Time) Concern {
		contact.Contact.At = at.Add(-time.Hour)
		c, _, err := RaiseConcern(NewID[Concern](f.ids), contact, at)
		require.NoError(t, err)
		return c
	}
	friday := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC) // a Friday
	wednesday := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	onFriday := raise(friday)
	onWednesday := raise(wednesday)
	escalated := raise(wednesday)
	_, err := escalated.Escalate("Priya Shah", wednesday.Add(2*time.Hour))
	require.NoError(t, err)
	concerns := []Concern{onFriday, onWednesday, escalated}

	policy := SafeguardingRules{}
	assert.Equal(t, time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC), policy.Due(friday), "Friday afternoon is due Monday afternoon")
	assert.Equal(t, time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC), policy.Due(wednesday))

	// On Saturday only Wednesday's unescalated concern is overdue.
	saturday := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	overdue := OverdueConcerns(concerns, saturday, policy)
	require.Len(t, overdue, 1)
	assert.Equal(t, onWednesday.ID(), overdue[0].Concern)
	assert.Equal(t, saturday.Sub(policy.Due(wednesday)), overdue[0].Overdue)

	// On Monday evening both are, most overdue first; the escalated one never.
	monday := time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)
	overdue = OverdueConcerns(concerns, monday, policy)
	require.Len(t, overdue, 2)
	assert.Equal(t, onWednesday.ID(), overdue[0].Concern)
	assert.Equal(t, onFriday.ID(), overdue[1].Concern)

	// A bank holiday Monday and a longer limit are the caller's to set.
	holiday := SafeguardingRules{Holidays: []time.Time{time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}}
	assert.Equal(t, time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC), holiday.Due(friday))
	assert.Len(t, OverdueConcerns(concerns, monday, holiday), 1)
	two := SafeguardingRules{EscalateWithinWorkingDays: 2}
	assert.Equal(t, time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC), two.Due(friday))
	assert.Empty(t, OverdueConcerns(concerns, wednesday.Add(time.Hour), policy))
}

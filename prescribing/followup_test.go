package prescribing

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// connected returns a connected referral, its asset and when it connected.
func (f *fixture) connected(t *testing.T) (Referral, AssetID, time.Time) {
	r, _ := f.referralIn(StateConnected)
	conns := r.Connections()
	require.Len(t, conns, 1)
	return r, conns[0].Asset, r.ConnectedAt()
}

func TestFOLLOW_1_FollowUpFallsDueAfterTheConfiguredPeriod(t *testing.T) {
	f := newFixture(t)
	r, asset, at := f.connected(t)
	due := r.FollowUpsDue(FollowUpRules{})
	require.Len(t, due, 1)
	assert.Equal(t, at.AddDate(0, 0, DefaultFollowUpDays), due[0].Due, "default 28 days")
	assert.Equal(t, asset, due[0].Asset)
	assert.Nil(t, due[0].Done)

	// Exactly at the due time it is not overdue; a nanosecond later it is.
	assert.False(t, due[0].Overdue(due[0].Due))
	assert.True(t, due[0].Overdue(due[0].Due.Add(time.Nanosecond)))
	got, err := OverdueFollowUps(due[0].Due, FollowUpRules{}, []Referral{r})
	require.NoError(t, err)
	assert.Empty(t, got)
	got, err = OverdueFollowUps(due[0].Due.Add(time.Nanosecond), FollowUpRules{}, []Referral{r})
	require.NoError(t, err)
	assert.Len(t, got, 1)

	// A configured period.
	week := r.FollowUpsDue(FollowUpRules{Days: 7})
	assert.Equal(t, at.AddDate(0, 0, 7), week[0].Due)

	// Done: no longer overdue, and it carries what it found.
	_, err = r.RecordFollowUp(FollowUp{Asset: asset, Attended: true, At: due[0].Due.Add(48 * time.Hour)})
	require.NoError(t, err)
	got, err = OverdueFollowUps(due[0].Due.AddDate(1, 0, 0), FollowUpRules{}, []Referral{r})
	require.NoError(t, err)
	assert.Empty(t, got)
	done := r.FollowUpsDue(FollowUpRules{})[0].Done
	require.NotNil(t, done)
	assert.True(t, done.Attended)
	assert.False(t, done.Helped)
}

func TestFOLLOW_1_RulesAreBounded(t *testing.T) {
	for _, tc := range []struct {
		days int
		ok   bool
	}{{-1, false}, {0, true}, {1, true}, {MaxFollowUpDays, true}, {MaxFollowUpDays + 1, false}} {
		err := FollowUpRules{Days: tc.days}.Validate()
		if tc.ok {
			assert.NoError(t, err, tc.days)
		} else {
			assert.ErrorIs(t, err, ErrInvalidRecord, tc.days)
			_, err = OverdueFollowUps(time.Now(), FollowUpRules{Days: tc.days}, nil)
			assert.ErrorIs(t, err, ErrInvalidRecord)
		}
	}
	_, err := OverdueFollowUps(yearAfter, FollowUpRules{}, nil)
	assert.ErrorIs(t, err, ErrTimeOutOfRange)
}

func TestFOLLOW_1_FollowUpRefusals(t *testing.T) {
	f := newFixture(t)
	support, _ := f.referralIn(StateInSupport)
	_, err := support.RecordFollowUp(FollowUp{Asset: NewID[Asset](f.ids), At: f.tick()})
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "never connected")

	r, asset, _ := f.connected(t)
	at := f.tick()
	for name, tc := range map[string]struct {
		fu   FollowUp
		want error
	}{
		"another asset":       {FollowUp{Asset: NewID[Asset](f.ids), At: at}, ErrUnexpectedEvent},
		"helped, not there":   {FollowUp{Asset: asset, Helped: true, At: at}, ErrMissingDetail},
		"feedback with NUL":   {FollowUp{Asset: asset, Attended: true, Feedback: withNUL, At: at}, ErrInvalidText},
		"feedback too long":   {FollowUp{Asset: asset, Attended: true, Feedback: tooLongText, At: at}, ErrInvalidText},
		"time going backward": {FollowUp{Asset: asset, Attended: true, At: at.Add(-72 * time.Hour)}, ErrTimeWentBackwards},
	} {
		before := r
		e, err := r.RecordFollowUp(tc.fu)
		assert.ErrorIs(t, err, tc.want, name)
		assert.Zero(t, e, name)
		assert.Equal(t, before, r, name)
	}
	_, err = r.RecordFollowUp(FollowUp{Asset: asset, Attended: true, Helped: true, Feedback: longestText, At: at})
	require.NoError(t, err)
	_, err = r.RecordFollowUp(FollowUp{Asset: asset, Attended: true, At: f.tick()})
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "one follow-up per connection")

	// Cancelled after connection: nothing is owed.
	g := newFixture(t)
	c, _, _ := g.connected(t)
	_, err = c.Cancel(g.tick(), "moved away")
	require.NoError(t, err)
	assert.Empty(t, c.FollowUpsDue(FollowUpRules{}))
}

func TestFOLLOW_1_MessageBackCarriesWhatFollowUpsFound(t *testing.T) {
	s := newFixture(t).research()
	require.Len(t, s.msg.FollowUps, 1)
	assert.Equal(t, FollowUp{Asset: s.asset, Attended: true, Helped: true, Feedback: "comes most weeks", At: s.r.FollowUps()[0].At}, s.msg.FollowUps[0])
	text := s.msg.Text("")
	assert.Contains(t, text, "Follow-up of asset "+s.asset.String())
	assert.Contains(t, text, "attended, helped; the asset said: comes most weeks")

	// A follow-up after closure reaches the message made afterwards, and the
	// closing date stays the closure's.
	f := newFixture(t)
	r, asset, _ := f.connected(t)
	_, err := r.Close(f.tick(), OutcomeConnectedAndBenefited)
	require.NoError(t, err)
	msg, ok := r.ClosureMessage()
	require.True(t, ok)
	assert.Empty(t, msg.FollowUps)
	_, err = r.RecordFollowUp(FollowUp{Asset: asset, At: f.tick()})
	require.NoError(t, err)
	again, ok := r.ClosureMessage()
	require.True(t, ok)
	assert.Equal(t, msg.ClosedAt, again.ClosedAt)
	require.Len(t, again.FollowUps, 1)
	assert.True(t, strings.Contains(again.Text(""), "did not attend"))
}

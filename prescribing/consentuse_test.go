package prescribing

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCONS_2_ContactByTextNeedsConsentToText(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	consents, _ := f.openConsents()
	text := func() Contact {
		return Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModeMessage, Minutes: 5, Attended: true}
	}
	before := r
	e, err := r.RecordContactWithConsent(text(), ContactRules{}, &consents)
	assert.ErrorIs(t, err, ErrNoConsent, "no consent given")
	assert.Zero(t, e)
	assert.Equal(t, before, r)

	// Other modes need no consent to text.
	_, err = r.RecordContactWithConsent(Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModeTelephone, Minutes: 5}, ContactRules{}, &consents)
	require.NoError(t, err)

	// Consent given at exactly the contact's time counts; withdrawn at
	// exactly its time it no longer does.
	c := text()
	_, err = consents.Give(ConsentScopeContactByText, AssetID{}, c.At)
	require.NoError(t, err)
	_, err = r.RecordContactWithConsent(c, ContactRules{}, &consents)
	require.NoError(t, err)
	c = text()
	_, err = consents.Withdraw(ConsentScopeContactByText, AssetID{}, c.At)
	require.NoError(t, err)
	before = r
	_, err = r.RecordContactWithConsent(c, ContactRules{}, &consents)
	assert.ErrorIs(t, err, ErrNoConsent)
	assert.Equal(t, before, r)

	// Another person's consents are not this person's.
	g := newFixture(t)
	g.pat = NewID[Patient](g.ids)
	theirs, _ := g.openConsents()
	_, err = r.RecordContactWithConsent(text(), ContactRules{}, &theirs)
	assert.ErrorIs(t, err, ErrWrongSubject)
}

func TestCONS_2_ConnectingSharesDetailsAndNeedsConsentForEachAsset(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	consents, _ := f.openConsents()
	a, b := walkingGroup, walkingGroup
	a.Asset, b.Asset = NewID[Asset](f.ids), NewID[Asset](f.ids)
	_, err := consents.Give(ConsentScopeShareWithAsset, a.Asset, f.tick())
	require.NoError(t, err)

	rBefore, cBefore := r, consents
	e, shared, err := r.ConnectSharing(&consents, f.tick(), a, b)
	assert.ErrorIs(t, err, ErrNoConsent, "no consent for the second asset")
	assert.Zero(t, e)
	assert.Nil(t, shared)
	assert.Equal(t, rBefore, r, "the referral is not connected")
	assert.Equal(t, cBefore, consents, "nothing was shared")

	_, err = consents.Give(ConsentScopeShareWithAsset, b.Asset, f.tick())
	require.NoError(t, err)
	at := f.tick()
	e, shared, err = r.ConnectSharing(&consents, at, a, b, a)
	require.NoError(t, err)
	assert.Equal(t, StateConnected, r.State())
	assert.Len(t, e.Connections, 3)
	assert.Equal(t, []DetailsShared{{Patient: f.pat, Asset: a.Asset, At: at}, {Patient: f.pat, Asset: b.Asset, At: at}}, shared)
	assert.Equal(t, 5, consents.Version(), "opened, two consents, two shares")

	g := newFixture(t)
	g.pat = NewID[Patient](g.ids)
	theirs, _ := g.openConsents()
	s, _ := f.referralIn(StateInSupport)
	_, _, err = s.ConnectSharing(&theirs, f.tick(), a)
	assert.ErrorIs(t, err, ErrWrongSubject)
}

func TestCONS_2_GPRecordWithoutConsentGetsCodesOnly(t *testing.T) {
	f := newFixture(t)
	s := f.research()
	consents, _ := f.openConsents()
	full, err := s.msg.ForGPRecord(&consents, f.now)
	require.NoError(t, err)
	assert.True(t, full.CodesOnly, "no consent: codes only")
	assert.Empty(t, full.Referrer)
	for _, x := range append(full.Offered, full.TakenUp...) {
		assert.Empty(t, x.Name)
		assert.NotZero(t, x.Need, "the need's code stays")
	}
	require.Len(t, full.FollowUps, 1)
	assert.Empty(t, full.FollowUps[0].Feedback)
	assert.True(t, full.FollowUps[0].Helped, "what the follow-up found stays")
	assert.Equal(t, s.msg.Needs, full.Needs)
	assert.Equal(t, s.msg.Outcome, full.Outcome)
	text := full.Text("")
	assert.Contains(t, text, "Consent to share with the GP record was withheld: codes only")
	assert.NotContains(t, text, "Dr Patel")
	assert.NotContains(t, text, "walking group")
	assert.NotContains(t, text, "comes most weeks")
	assert.Equal(t, "Dr Patel", s.msg.Referrer, "the original message is untouched")
	assert.Equal(t, "comes most weeks", s.msg.FollowUps[0].Feedback)

	at := f.tick()
	_, err = consents.Give(ConsentScopeShareWithGPRecord, AssetID{}, at)
	require.NoError(t, err)
	before, err := s.msg.ForGPRecord(&consents, at.Add(-1))
	require.NoError(t, err)
	assert.True(t, before.CodesOnly, "a nanosecond before consent: codes only")
	whole, err := s.msg.ForGPRecord(&consents, at)
	require.NoError(t, err)
	assert.Equal(t, s.msg, whole, "with consent the whole message")

	g := newFixture(t)
	g.pat = NewID[Patient](g.ids)
	theirs, _ := g.openConsents()
	_, err = s.msg.ForGPRecord(&theirs, at)
	assert.ErrorIs(t, err, ErrWrongSubject)
}

func TestCONS_2_NoConsentRecordIsNoConsent(t *testing.T) {
	s := newFixture(t).research()
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	before := r
	_, err := r.RecordContactWithConsent(Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModeMessage}, ContactRules{}, nil)
	assert.ErrorIs(t, err, ErrNoConsent)
	_, _, err = r.ConnectSharing(nil, f.tick(), walkingGroup)
	assert.ErrorIs(t, err, ErrNoConsent)
	assert.Equal(t, before, r)
	_, err = s.msg.ForGPRecord(nil, f.tick())
	assert.ErrorIs(t, err, ErrNoConsent)
	var none *Consents
	assert.ErrorIs(t, none.CheckContact(ContactModeMessage, f.tick()), ErrNoConsent)
	assert.NoError(t, none.CheckContact(ContactModeTelephone, f.tick()))
}

// TestCONS_2_PlainRecordContactRefusesText: the plain call cannot see
// consents, so it refuses every contact by text, even when the person has
// consented, and points to the call that checks; every other mode passes,
// and the checking call records the text it refused.
func TestCONS_2_PlainRecordContactRefusesText(t *testing.T) {
	f := newFixture(t)
	r, events := f.referralIn(StateInSupport)
	consents, _ := f.openConsents()
	_, err := consents.Give(ConsentScopeContactByText, AssetID{}, f.tick())
	require.NoError(t, err)

	c := Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModeMessage, Minutes: 5, Attended: true}
	before := r
	e, err := r.RecordContact(c, ContactRules{})
	require.ErrorIs(t, err, ErrNoConsent)
	assert.Contains(t, err.Error(), "RecordContactWithConsent")
	assert.Zero(t, e)
	assert.Equal(t, before, r)

	e, err = r.RecordContactWithConsent(c, ContactRules{}, &consents)
	require.NoError(t, err)
	assert.Equal(t, c, e.Contact)
	n, _ := r.ContactCount()
	assert.Equal(t, 1, n)
	events = append(events, e)

	// The boundary is the one mode: every other passes the plain call.
	for _, m := range ContactModes() {
		if m == ContactModeMessage || m == ContactModeHomeVisit {
			continue // home visits need a risk assessment (CASE-3)
		}
		_, err := r.RecordContact(Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: m, Minutes: 5}, ContactRules{})
		assert.NoError(t, err, m.String())
	}

	// A text recorded with consent replays: replay does not re-ask the
	// consent, which was judged when the contact was recorded.
	var replayed Referral
	require.NoError(t, Replay(&replayed, events))
	n, _ = replayed.ContactCount()
	assert.Equal(t, 1, n)
}

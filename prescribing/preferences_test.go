package prescribing

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPREF_1_PreferencesAreRecorded(t *testing.T) {
	f := newFixture(t)
	p, _, err := RegisterPatient(f.pat, f.prac, PersonalDetails{}, f.tick())
	require.NoError(t, err)
	at := f.tick()
	for name, tc := range map[string]struct {
		prefs Preferences
		want  error
	}{
		"no mode":          {Preferences{Modes: []ContactMode{0}}, ErrUnknownValue},
		"mode past end":    {Preferences{Modes: []ContactMode{ContactMode(7)}}, ErrUnknownValue},
		"mode twice":       {Preferences{Modes: []ContactMode{ContactModeVideo, ContactModeVideo}}, ErrInvalidRecord},
		"blank language":   {Preferences{Languages: []string{" "}}, ErrInvalidRecord},
		"language twice":   {Preferences{Languages: []string{"pl", "pl"}}, ErrInvalidRecord},
		"invalid language": {Preferences{Languages: []string{invalidUTF8}}, ErrInvalidText},
	} {
		before := p
		e, err := p.RecordPreferences(at, tc.prefs)
		assert.ErrorIs(t, err, tc.want, name)
		assert.Zero(t, e, name)
		assert.Equal(t, before, p, name)
	}
	prefs := Preferences{Modes: []ContactMode{ContactModeTelephone, ContactModeMessage}, Languages: []string{"pl", "en"}}
	e, err := p.RecordPreferences(at, prefs)
	require.NoError(t, err)
	prefs.Languages[0] = "changed by the caller"
	e.Preferences.Modes[0] = ContactModeVideo
	assert.Equal(t, Preferences{Modes: []ContactMode{ContactModeTelephone, ContactModeMessage}, Languages: []string{"pl", "en"}}, p.Preferences())
	assert.True(t, p.Preferences().Prefers(ContactModeMessage))
	assert.False(t, p.Preferences().Prefers(ContactModeHomeVisit))
	assert.True(t, Preferences{}.Prefers(ContactModeHomeVisit), "no preference known: every mode is")

	// Copies share nothing; anonymising clears the preferences.
	c := p
	_, err = c.RecordPreferences(f.tick(), Preferences{Languages: []string{"cy"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"pl", "en"}, p.Preferences().Languages)
	_, err = p.Anonymise(f.tick())
	require.NoError(t, err)
	assert.Zero(t, p.Preferences())
	_, err = p.RecordPreferences(f.tick(), Preferences{Languages: []string{"cy"}})
	assert.ErrorIs(t, err, ErrAnonymised)
}

func TestPREF_1_CaseloadCountsContactsInAModeNotPreferred(t *testing.T) {
	ids := newFixture(t).ids
	lw := NewID[LinkWorker](ids)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	likesPhone, noPref := NewID[Patient](ids), NewID[Patient](ids)
	contact := func(p PatientID, m ContactMode, day int) ContactRecorded {
		return ContactRecorded{Referral: NewID[Referral](ids), Patient: p, LinkWorker: lw,
			Contact: Contact{ID: NewID[Contact](ids), At: from.AddDate(0, 0, day), Mode: m, Minutes: 10, Attended: true}}
	}
	contacts := []ContactRecorded{
		contact(likesPhone, ContactModeTelephone, 1),
		contact(likesPhone, ContactModePractice, 2),
		contact(likesPhone, ContactModeMessage, 3),
		contact(noPref, ContactModeHomeVisit, 4),
	}
	opt := CaseloadOptions{Preferred: map[PatientID][]ContactMode{likesPhone: {ContactModeTelephone}, noPref: nil}}
	rep, err := CaseloadWith(lw, from, from.AddDate(0, 1, 0), contacts, Guidance{}, opt)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.NotPreferred, "practice and message for a person who prefers the telephone")
	plain, err := Caseload(lw, from, from.AddDate(0, 1, 0), contacts, Guidance{})
	require.NoError(t, err)
	assert.Zero(t, plain.NotPreferred, "no preferences given, none counted")
}

func TestPREF_1_MatchingUsesLanguages(t *testing.T) {
	f := newFixture(t)
	reg := func(langs ...string) LinkWorker {
		w, _, err := RegisterLinkWorker(NewID[LinkWorker](f.ids), LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN, Languages: langs}, f.tick())
		require.NoError(t, err)
		return w
	}
	en, enPl, urPl, none := reg("en"), reg("en", "pl"), reg("ur", "pl"), reg()
	workers := []LinkWorker{en, enPl, urPl, none}
	got := LinkWorkersSpeaking(Preferences{Languages: []string{"pl", "ur"}}, workers)
	assert.Equal(t, []LinkWorkerID{urPl.ID(), enPl.ID()}, got, "most languages in common first")
	assert.Nil(t, LinkWorkersSpeaking(Preferences{}, workers), "no language known: no match")
	assert.Empty(t, LinkWorkersSpeaking(Preferences{Languages: []string{"cy"}}, workers))

	for name, langs := range map[string][]string{"blank": {""}, "twice": {"en", "en"}, "NUL": {withNUL}} {
		_, _, err := RegisterLinkWorker(NewID[LinkWorker](f.ids), LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN, Languages: langs}, f.tick())
		assert.ErrorIs(t, err, ErrInvalidRecord, name)
	}
}

func TestTITLE_1_LocalTitlesAreAnOpenSetMappedToTheCanonicalTitle(t *testing.T) {
	f := newFixture(t)
	w, _, err := RegisterLinkWorker(f.lw, LinkWorkerDetails{Title: TitleCommunityConnector, Employer: EmployerVCSE,
		LocalTitle: "Wellbeing Connector (Riverside)"}, f.tick())
	require.NoError(t, err)
	assert.Equal(t, "Wellbeing Connector (Riverside)", w.LocalTitle())
	assert.Equal(t, TitleCommunityConnector, w.Title(), "the canonical title it maps to")

	plain, _, err := RegisterLinkWorker(f.lw2, LinkWorkerDetails{Title: TitleSocialPrescriber, Employer: EmployerPCN}, f.tick())
	require.NoError(t, err)
	assert.Equal(t, "social prescriber", plain.LocalTitle(), "no local title: the canonical one")

	for name, local := range map[string]string{"blank": " \t", "invalid": invalidUTF8, "too long": tooLongText} {
		_, _, err := RegisterLinkWorker(NewID[LinkWorker](f.ids), LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN, LocalTitle: local}, f.tick())
		assert.ErrorIs(t, err, ErrInvalidRecord, name)
	}
	_, _, err = RegisterLinkWorker(NewID[LinkWorker](f.ids), LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN, LocalTitle: longestText}, f.tick())
	assert.NoError(t, err, "the longest text is a title")
	// A local title still needs a canonical one.
	_, _, err = RegisterLinkWorker(NewID[LinkWorker](f.ids), LinkWorkerDetails{Employer: EmployerPCN, LocalTitle: "Navigator"}, f.tick())
	assert.ErrorIs(t, err, ErrUnknownValue)
}

// TestPREF_1_LinkWorkerDetailsStoredBeforeLanguagesStillRead: the
// languages (PREF-1) and local title (TITLE-1) are optional fields of
// version 1 of the link worker's events, so the form stored before they
// existed reads as before, with neither.
func TestPREF_1_LinkWorkerDetailsStoredBeforeLanguagesStillRead(t *testing.T) {
	old := `{"type":"link_worker.changed","version":1,"event":{"link_worker":"389f24ea-2d72-4f59-aa0e-cbc76f8b0824",` +
		`"details":{"title":"community_connector","employer":"pcn"},"at":"2026-03-28T10:30:15.123456789Z"}}`
	e, err := mustCodec(t).Unmarshal([]byte(old))
	require.NoError(t, err)
	changed, ok := e.(LinkWorkerChanged)
	require.True(t, ok)
	assert.Nil(t, changed.Details.Languages)
	assert.Empty(t, changed.Details.LocalTitle)
	out, err := mustCodec(t).Marshal(e)
	require.NoError(t, err)
	assert.Equal(t, old, string(out), "and writes back byte for byte")
}

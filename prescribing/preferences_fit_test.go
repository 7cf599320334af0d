package prescribing

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPREF_1_LinkWorkerCommunitiesAreRecorded: a link worker's communities
// are an open set of checked text, like their languages, kept apart from
// the caller's slices and copied out.
func TestPREF_1_LinkWorkerCommunitiesAreRecorded(t *testing.T) {
	f := newFixture(t)
	details := func(communities ...string) LinkWorkerDetails {
		return LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN, Communities: communities}
	}
	for name, tc := range map[string]struct {
		communities []string
		want        error
	}{
		"blank":      {[]string{" \t"}, ErrInvalidRecord},
		"empty":      {[]string{""}, ErrInvalidRecord},
		"twice":      {[]string{"Somali", "Somali"}, ErrInvalidRecord},
		"NUL":        {[]string{withNUL}, ErrInvalidText},
		"not UTF-8":  {[]string{invalidUTF8}, ErrInvalidText},
		"too long":   {[]string{tooLongText}, ErrInvalidText},
		"second bad": {[]string{"Somali", invalidUTF8}, ErrInvalidText},
	} {
		w, e, err := RegisterLinkWorker(NewID[LinkWorker](f.ids), details(tc.communities...), f.tick())
		assert.ErrorIs(t, err, tc.want, name)
		assert.ErrorIs(t, err, ErrInvalidRecord, name)
		assert.Zero(t, w, name)
		assert.Zero(t, e, name)
	}
	// The longest text is a community, and the list is the record's own.
	given := []string{"Somali", longestText}
	w, e, err := RegisterLinkWorker(f.lw, details(given...), f.tick())
	require.NoError(t, err)
	given[0] = "changed by the caller"
	e.Details.Communities[1] = "changed in the event"
	got := w.Communities()
	assert.Equal(t, []string{"Somali", longestText}, got)
	got[0] = "changed by the reader"
	assert.Equal(t, "Somali", w.Communities()[0])
	assert.Equal(t, "Somali", w.Details().Communities[0])

	// A change is checked as registration is, and a refusal changes nothing.
	before := w
	ch, err := w.Change(details("Somali", "Somali"), f.tick())
	assert.ErrorIs(t, err, ErrInvalidRecord)
	assert.Zero(t, ch)
	assert.Equal(t, before, w)
	_, err = w.Change(details("Deaf"), f.tick())
	require.NoError(t, err)
	assert.Equal(t, []string{"Deaf"}, w.Communities())
}

// TestPREF_1_CopiesOfALinkWorkersCommunitiesChangeApart: plain copies of a
// link worker change apart, concurrently (run under -race).
func TestPREF_1_CopiesOfALinkWorkersCommunitiesChangeApart(t *testing.T) {
	f := newFixture(t)
	w, _, err := RegisterLinkWorker(f.lw, LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN,
		Languages: []string{"en"}, Communities: []string{"Somali"}}, f.tick())
	require.NoError(t, err)
	a, b := w, w
	at := f.tick()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, err := a.Change(LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN, Communities: []string{"Polish"}}, at)
		assert.NoError(t, err)
	}()
	go func() {
		defer wg.Done()
		_, err := b.Change(LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN, Communities: []string{"Deaf", "Irish Traveller"}}, at)
		assert.NoError(t, err)
	}()
	wg.Wait()
	assert.Equal(t, []string{"Somali"}, w.Communities())
	assert.Equal(t, []string{"Polish"}, a.Communities())
	assert.Equal(t, []string{"Deaf", "Irish Traveller"}, b.Communities())
}

// TestPREF_1_APersonsCommunityIsRecorded: the person's community is
// checked text, empty when not known, cleared by anonymising.
func TestPREF_1_APersonsCommunityIsRecorded(t *testing.T) {
	f := newFixture(t)
	p, _, err := RegisterPatient(f.pat, f.prac, PersonalDetails{}, f.tick())
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		community string
		want      error
	}{
		"blank":     {" ", ErrInvalidRecord},
		"NUL":       {withNUL, ErrInvalidText},
		"not UTF-8": {invalidUTF8, ErrInvalidText},
		"too long":  {tooLongText, ErrInvalidText},
	} {
		before := p
		e, err := p.RecordPreferences(f.tick(), Preferences{Community: tc.community})
		assert.ErrorIs(t, err, tc.want, name)
		assert.Zero(t, e, name)
		assert.Equal(t, before, p, name)
	}
	_, err = p.RecordPreferences(f.tick(), Preferences{Community: longestText})
	require.NoError(t, err, "the longest text is a community")
	_, err = p.RecordPreferences(f.tick(), Preferences{Languages: []string{"so"}, Community: "Somali"})
	require.NoError(t, err)
	assert.Equal(t, "Somali", p.Preferences().Community)
	_, err = p.Anonymise(f.tick())
	require.NoError(t, err)
	assert.Empty(t, p.Preferences().Community)
}

func TestPREF_1_MatchingUsesLanguagesAndCommunities(t *testing.T) {
	f := newFixture(t)
	reg := func(langs []string, communities ...string) LinkWorker {
		w, _, err := RegisterLinkWorker(NewID[LinkWorker](f.ids), LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN,
			Languages: langs, Communities: communities}, f.tick())
		require.NoError(t, err)
		return w
	}
	en := reg([]string{"en"})
	enSo := reg([]string{"en", "so"})
	soCommunity := reg([]string{"SO "}, "somali")
	communityOnly := reg(nil, "Somali")
	other := reg([]string{"pl"}, "Polish")
	workers := []LinkWorker{en, enSo, soCommunity, communityOnly, other}
	before := []LinkWorker{en, enSo, soCommunity, communityOnly, other}

	prefs := Preferences{Languages: []string{"so", "ar"}, Community: "Somali"}
	got, err := MatchLinkWorkers(prefs, workers)
	require.NoError(t, err)
	assert.Equal(t, []LinkWorkerMatch{
		{LinkWorker: soCommunity.ID(), Languages: []string{"so"}, Community: true},
		{LinkWorker: enSo.ID(), Languages: []string{"so"}},
		{LinkWorker: communityOnly.ID(), Community: true},
	}, got, "languages in common first, then the community, tags compared ignoring case and space")
	assert.Equal(t, before, workers, "the workers are read, never changed")
	assert.Equal(t, "link worker "+soCommunity.ID().String()+": speaks so; shares the person's community", got[0].Explain())
	assert.Equal(t, "link worker "+communityOnly.ID().String()+": speaks none of the person's languages; no community in common",
		LinkWorkerMatch{LinkWorker: communityOnly.ID()}.Explain())
	assert.NotContains(t, got[2].Explain(), "Somali", "the explanation does not name the community")

	// Two languages in common outrank one and the community.
	arSo := reg([]string{"ar", "so"})
	got, err = MatchLinkWorkers(prefs, append(workers, arSo))
	require.NoError(t, err)
	assert.Equal(t, arSo.ID(), got[0].LinkWorker)

	// A community alone matches; nothing known, nothing to match on.
	got, err = MatchLinkWorkers(Preferences{Community: "Polish"}, workers)
	require.NoError(t, err)
	assert.Equal(t, []LinkWorkerMatch{{LinkWorker: other.ID(), Community: true}}, got)
	got, err = MatchLinkWorkers(Preferences{Modes: []ContactMode{ContactModeVideo}}, workers)
	require.NoError(t, err)
	assert.Nil(t, got)
	got, err = MatchLinkWorkers(Preferences{Community: "Irish Traveller"}, workers)
	require.NoError(t, err)
	assert.Empty(t, got)

	// Preferences that cannot be recorded cannot be matched.
	for name, p := range map[string]Preferences{
		"blank community": {Community: " "},
		"bad language":    {Languages: []string{invalidUTF8}},
		"unknown mode":    {Modes: []ContactMode{ContactMode(7)}},
	} {
		got, err := MatchLinkWorkers(p, workers)
		assert.Error(t, err, name)
		assert.Nil(t, got, name)
	}
}

func TestPREF_1_ReachByGroup(t *testing.T) {
	ids := newFixture(t).ids
	lw, lw2 := NewID[LinkWorker](ids), NewID[LinkWorker](ids)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 3, 0)
	p := make([]PatientID, 8)
	for i := range p {
		p[i] = NewID[Patient](ids)
	}
	contact := func(who PatientID, by LinkWorkerID, at time.Time, attended bool) ContactRecorded {
		return ContactRecorded{Referral: NewID[Referral](ids), Patient: who, LinkWorker: by,
			Contact: Contact{ID: NewID[Contact](ids), At: at, Mode: ContactModeTelephone, Minutes: 10, Attended: attended}}
	}
	contacts := []ContactRecorded{
		contact(p[0], lw, from, true),                       // at the start: in the period
		contact(p[0], lw, from.AddDate(0, 0, 5), true),      // seen twice, counted once
		contact(p[1], lw, to.Add(-time.Nanosecond), true),   // the last instant: in
		contact(p[2], lw, to, true),                         // at the end: out
		contact(p[3], lw, from.Add(-time.Nanosecond), true), // before the start: out
		contact(p[4], lw, from.AddDate(0, 1, 0), false),     // not attended: not seen
		contact(p[5], lw2, from.AddDate(0, 1, 0), true),     // another link worker's
		contact(p[7], lw, from.AddDate(0, 1, 0), true),      // not in the population
	}
	population := map[PatientID]string{
		p[0]: "so", p[1]: "so", p[2]: "so",
		p[3]: "pl", p[4]: "pl", p[5]: "pl",
		p[6]: "",
	}
	rep, err := ReachByGroup(lw, from, to, contacts, population)
	require.NoError(t, err)
	assert.Equal(t, ReachReport{LinkWorker: lw, From: from, To: to, Referred: 7, Seen: 2, SeenOutside: 1,
		Groups: []ReachGroup{
			{Group: "pl", Referred: 3},
			{Group: "so", Referred: 3, Seen: 2, Share: 2.0 / 3},
			{Group: "", Referred: 1},
		}}, rep)
	assert.Equal(t, "2 of 7 referred seen; pl 0 of 3, so 2 of 3, not known 0 of 1; 1 seen outside the population", rep.Summary())

	// The whole service: every link worker's contacts.
	svc, err := ReachByGroup(LinkWorkerID{}, from, to, contacts, population)
	require.NoError(t, err)
	assert.Equal(t, 3, svc.Seen)
	assert.Equal(t, ReachGroup{Group: "pl", Referred: 3, Seen: 1, Share: 1.0 / 3}, svc.Groups[0])

	// Grouped by another attribute: the complexity of need.
	byComplexity := map[PatientID]string{p[0]: ComplexityHigh.String(), p[1]: ComplexityLow.String()}
	rep, err = ReachByGroup(lw, from, to, contacts, byComplexity)
	require.NoError(t, err)
	assert.Equal(t, []ReachGroup{{Group: "high", Referred: 1, Seen: 1, Share: 1}, {Group: "low", Referred: 1, Seen: 1, Share: 1}}, rep.Groups)

	// Nothing referred: an empty list of groups, not nil.
	rep, err = ReachByGroup(lw, from, to, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, []ReachGroup{}, rep.Groups)

	// Refusals: the period and the labels.
	_, err = ReachByGroup(lw, from, from, contacts, population)
	assert.ErrorIs(t, err, ErrInvalidPeriod, "a period must end after it starts")
	_, err = ReachByGroup(lw, from, from.Add(time.Nanosecond), contacts, population)
	assert.NoError(t, err, "a nanosecond is a period")
	_, err = ReachByGroup(lw, from, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), contacts, population)
	assert.ErrorIs(t, err, ErrInvalidPeriod)
	for name, label := range map[string]string{"NUL": withNUL, "not UTF-8": invalidUTF8, "too long": tooLongText} {
		_, err = ReachByGroup(lw, from, to, contacts, map[PatientID]string{p[0]: label})
		assert.ErrorIs(t, err, ErrInvalidText, name)
		assert.NotContains(t, err.Error(), label, name)
	}
	_, err = ReachByGroup(lw, from, to, contacts, map[PatientID]string{p[0]: longestText})
	assert.NoError(t, err, "the longest text is a label")
}

// TestPREF_1_StoredBeforeCommunitiesStillRead: a link worker's communities
// and a person's community (PREF-1) are optional fields of version 1 of
// their events, so the forms stored before they existed read as before,
// with neither, and write back byte for byte.
func TestPREF_1_StoredBeforeCommunitiesStillRead(t *testing.T) {
	for _, old := range []string{
		`{"type":"link_worker.changed","version":1,"event":{"link_worker":"389f24ea-2d72-4f59-aa0e-cbc76f8b0824",` +
			`"details":{"title":"community_connector","employer":"pcn","languages":["en","ur"],"local_title":"Wellbeing connector"},` +
			`"at":"2026-03-28T10:30:15.123456789Z"}}`,
		`{"type":"patient.preferences_recorded","version":1,"event":{"patient":"c428a33a-3e26-4b02-a772-3bfd36f6ed92",` +
			`"preferences":{"modes":["telephone","message"],"languages":["pl"]},"at":"2026-03-31T12:30:15.123456789Z"}}`,
	} {
		e, err := mustCodec(t).Unmarshal([]byte(old))
		require.NoError(t, err)
		switch e := e.(type) {
		case LinkWorkerChanged:
			assert.Nil(t, e.Details.Communities)
			assert.Equal(t, []string{"en", "ur"}, e.Details.Languages)
		case PatientPreferencesRecorded:
			assert.Empty(t, e.Preferences.Community)
			assert.Equal(t, []string{"pl"}, e.Preferences.Languages)
		default:
			t.Fatalf("read %T", e)
		}
		out, err := mustCodec(t).Marshal(e)
		require.NoError(t, err)
		assert.Equal(t, old, string(out), "and writes back byte for byte")
	}
}

// TestPREF_1_ReachGroupsFromPreferences: people's groups by first
// language and by community come from their preferences, empty when not
// known, and feed the reach report.
func TestPREF_1_ReachGroupsFromPreferences(t *testing.T) {
	f := newFixture(t)
	register := func(prefs Preferences) Patient {
		p, _, err := RegisterPatient(NewID[Patient](f.ids), f.prac, PersonalDetails{}, f.tick())
		require.NoError(t, err)
		if prefs.Community != "" || len(prefs.Languages) > 0 {
			_, err = p.RecordPreferences(f.tick(), prefs)
			require.NoError(t, err)
		}
		return p
	}
	so := register(Preferences{Languages: []string{"so", "en"}, Community: "Somali"})
	pl := register(Preferences{Languages: []string{"pl"}})
	none := register(Preferences{})
	patients := []Patient{so, pl, none, {}}
	assert.Equal(t, map[PatientID]string{so.ID(): "so", pl.ID(): "pl", none.ID(): ""}, LanguageGroups(patients))
	assert.Equal(t, map[PatientID]string{so.ID(): "Somali", pl.ID(): "", none.ID(): ""}, CommunityGroups(patients))
	assert.Empty(t, LanguageGroups(nil))

	lw := NewID[LinkWorker](f.ids)
	from := f.tick()
	seen := ContactRecorded{Referral: NewID[Referral](f.ids), Patient: so.ID(), LinkWorker: lw,
		Contact: Contact{ID: NewID[Contact](f.ids), At: from, Mode: ContactModePractice, Minutes: 30, Attended: true}}
	rep, err := ReachByGroup(lw, from, from.AddDate(0, 1, 0), []ContactRecorded{seen}, CommunityGroups(patients))
	require.NoError(t, err)
	assert.Equal(t, []ReachGroup{{Group: "Somali", Referred: 1, Seen: 1, Share: 1}, {Group: "", Referred: 2}}, rep.Groups)
}

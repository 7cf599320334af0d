package discretion

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile text for free-text fields.
var (
	invalidUTF8 = "forms \xff\xfe"
	withNUL     = "forms\x00"
	tooLong     = strings.Repeat("a", prescribing.MaxTextBytes+1)
)

// TestDISC_3_RecordRefusesWhatTheCodecCannotCarry: every refusal of
// Log.Record wraps ErrInvalidAct (or ErrNoTime) and the sentinel of its
// cause, returns the zero event and leaves the log as it was; Apply refuses
// the same act.
func TestDISC_3_RecordRefusesWhatTheCodecCannotCarry(t *testing.T) {
	f := newFixture()
	patient := prescribing.NewID[prescribing.Patient](f.ids)
	cases := []struct {
		name   string
		change func(*Act)
		want   error
	}{
		{"year 10000", func(a *Act) { a.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, prescribing.ErrTimeOutOfRange},
		{"year 0", func(a *Act) { a.At = time.Date(0, 3, 1, 0, 0, 0, 0, time.UTC) }, prescribing.ErrTimeOutOfRange},
		{"year 9999 west of Greenwich is 10000 in UTC", func(a *Act) {
			a.At = time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("UTC-5", -5*3600))
		}, prescribing.ErrTimeOutOfRange},
		{"no time", func(a *Act) { a.At = time.Time{} }, prescribing.ErrNoTime},
		{"aspect not UTF-8", func(a *Act) { a.Aspect = Aspect(invalidUTF8) }, prescribing.ErrInvalidText},
		{"aspect with NUL", func(a *Act) { a.Aspect = Aspect(withNUL) }, prescribing.ErrInvalidText},
		{"aspect too long", func(a *Act) { a.Aspect = Aspect(tooLong) }, prescribing.ErrInvalidText},
		{"blank aspect", func(a *Act) { a.Aspect = " \t" }, ErrNoAspect},
		{"what not UTF-8", func(a *Act) { a.What = invalidUTF8 }, prescribing.ErrInvalidText},
		{"what with NUL", func(a *Act) { a.What = withNUL }, prescribing.ErrInvalidText},
		{"what too long", func(a *Act) { a.What = tooLong }, prescribing.ErrInvalidText},
		{"what blank", func(a *Act) { a.What = "\n " }, ErrInvalidAct},
		{"counterpart out of vocabulary", func(a *Act) { a.Counterpart = Counterpart(9) }, prescribing.ErrUnknownValue},
		{"motive out of vocabulary", func(a *Act) { a.Motive = Motive(4) }, prescribing.ErrUnknownValue},
		{"level out of vocabulary", func(a *Act) { a.Level = Level(6) }, prescribing.ErrUnknownValue},
		{"no level", func(a *Act) { a.Level = 0 }, ErrInvalidAct},
		{"no ID", func(a *Act) { a.ID = ActID{} }, ErrInvalidAct},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			log, _ := f.log(t)
			_, err := log.Record(f.act(AspectAdvocacy, LevelGuided, patient))
			require.NoError(t, err)
			before := log
			a := f.act(AspectPracticalHelp, LevelOpen, patient)
			c.change(&a)
			e, err := log.Record(a)
			require.ErrorIs(t, err, c.want)
			if c.want != prescribing.ErrNoTime {
				assert.ErrorIs(t, err, ErrInvalidAct)
			}
			assert.Zero(t, e, "a refusal returns the zero event")
			assert.Equal(t, before, log, "a refusal changes nothing")
			assert.ErrorIs(t, log.Apply(ActRecorded{Act: a}), c.want, "replay refuses what live refuses")
			assert.Equal(t, before, log)
		})
	}
	log, _ := f.log(t)
	a := f.act(AspectPracticalHelp, LevelOpen, patient)
	_, err := log.Record(a)
	require.NoError(t, err, "the act every case changes is accepted as it is")
	e, err := log.Record(a)
	assert.ErrorIs(t, err, ErrInvalidAct, "recorded twice")
	assert.Zero(t, e)
	assert.Len(t, log.Acts(), 1)
}

// TestDISC_2_PoliciesRefuseWhatTheCodecCannotCarry: AdoptPolicy and Set
// refuse with the zero policy and the zero event, and change nothing; Apply
// refuses the same events.
func TestDISC_2_PoliciesRefuseWhatTheCodecCannotCarry(t *testing.T) {
	f := newFixture()
	at := f.tick()
	adopt := []struct {
		name   string
		id     PolicyID
		site   string
		levels map[Aspect]Level
		at     time.Time
		want   error
	}{
		{"site not UTF-8", prescribing.NewID[Policy](f.ids), invalidUTF8, nil, at, prescribing.ErrInvalidText},
		{"site with NUL", prescribing.NewID[Policy](f.ids), withNUL, nil, at, prescribing.ErrInvalidText},
		{"site too long", prescribing.NewID[Policy](f.ids), tooLong, nil, at, prescribing.ErrInvalidText},
		{"blank site", prescribing.NewID[Policy](f.ids), "  ", nil, at, ErrInvalidPolicy},
		{"no ID", PolicyID{}, "Mill Lane", nil, at, ErrInvalidPolicy},
		{"aspect not UTF-8", prescribing.NewID[Policy](f.ids), "Mill Lane", map[Aspect]Level{Aspect(invalidUTF8): LevelGuided}, at, prescribing.ErrInvalidText},
		{"aspect too long", prescribing.NewID[Policy](f.ids), "Mill Lane", map[Aspect]Level{Aspect(tooLong): LevelGuided}, at, prescribing.ErrInvalidText},
		{"blank aspect", prescribing.NewID[Policy](f.ids), "Mill Lane", map[Aspect]Level{" ": LevelGuided}, at, ErrNoAspect},
		{"level out of vocabulary", prescribing.NewID[Policy](f.ids), "Mill Lane", map[Aspect]Level{AspectAdvocacy: Level(6)}, at, prescribing.ErrUnknownValue},
		{"no level", prescribing.NewID[Policy](f.ids), "Mill Lane", map[Aspect]Level{AspectAdvocacy: 0}, at, ErrInvalidPolicy},
		{"year 10000", prescribing.NewID[Policy](f.ids), "Mill Lane", nil, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), prescribing.ErrTimeOutOfRange},
		{"no time", prescribing.NewID[Policy](f.ids), "Mill Lane", nil, time.Time{}, prescribing.ErrNoTime},
	}
	for _, c := range adopt {
		t.Run("adopt "+c.name, func(t *testing.T) {
			p, e, err := AdoptPolicy(c.id, c.site, c.levels, c.at)
			require.ErrorIs(t, err, c.want)
			assert.Zero(t, p)
			assert.Zero(t, e)
			var q Policy
			assert.ErrorIs(t, q.Apply(PolicyAdopted{Policy: c.id, Site: c.site, Levels: c.levels, At: c.at}), c.want)
			assert.Zero(t, q)
		})
	}
	set := []struct {
		name   string
		aspect Aspect
		level  Level
		at     time.Time
		want   error
	}{
		{"aspect not UTF-8", Aspect(invalidUTF8), LevelGuided, f.tick(), prescribing.ErrInvalidText},
		{"aspect with NUL", Aspect(withNUL), LevelGuided, f.tick(), prescribing.ErrInvalidText},
		{"blank aspect", "", LevelGuided, f.tick(), ErrNoAspect},
		{"level out of vocabulary", AspectSessions, Level(200), f.tick(), prescribing.ErrUnknownValue},
		{"no level", AspectSessions, 0, f.tick(), ErrInvalidPolicy},
		{"before the last change", AspectSessions, LevelGuided, at.Add(-time.Minute), prescribing.ErrTimeWentBackwards},
		{"year 10000", AspectSessions, LevelGuided, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), prescribing.ErrTimeOutOfRange},
		{"no time", AspectSessions, LevelGuided, time.Time{}, prescribing.ErrNoTime},
	}
	for _, c := range set {
		t.Run("set "+c.name, func(t *testing.T) {
			p, _, err := AdoptPolicy(prescribing.NewID[Policy](f.ids), "Mill Lane", map[Aspect]Level{AspectSessions: LevelBoundaried}, at)
			require.NoError(t, err)
			before := p
			e, err := p.Set(c.aspect, c.level, c.at)
			require.ErrorIs(t, err, c.want)
			assert.Zero(t, e, "a refusal returns the zero event")
			assert.Equal(t, before, p, "a refusal changes nothing")
			from, _ := p.Level(c.aspect)
			assert.ErrorIs(t, p.Apply(PolicyChanged{Policy: p.ID(), Aspect: c.aspect, From: from, To: c.level, At: c.at}), c.want)
			assert.Equal(t, before, p)
		})
	}
}

func TestDISC_5_EquityRefusesThresholdsAndGroupsThatAreNotSound(t *testing.T) {
	f := newFixture()
	p := prescribing.NewID[prescribing.Patient](f.ids)
	ok := map[prescribing.PatientID]string{p: "aged 75+"}
	for name, c := range map[string]struct {
		groups    map[prescribing.PatientID]string
		threshold float64
		want      error
	}{
		"threshold NaN":       {ok, math.NaN(), prescribing.ErrNotFinite},
		"threshold +Inf":      {ok, math.Inf(1), prescribing.ErrNotFinite},
		"threshold -Inf":      {ok, math.Inf(-1), prescribing.ErrNotFinite},
		"threshold 1":         {ok, 1, ErrInvalidEquity},
		"threshold below 1":   {ok, 0.5, ErrInvalidEquity},
		"threshold negative":  {ok, -2, ErrInvalidEquity},
		"group not UTF-8":     {map[prescribing.PatientID]string{p: invalidUTF8}, 0, prescribing.ErrInvalidText},
		"group too long":      {map[prescribing.PatientID]string{p: tooLong}, 0, prescribing.ErrInvalidText},
		"group with NUL":      {map[prescribing.PatientID]string{p: withNUL}, 0, prescribing.ErrInvalidText},
		"group name is blank": {map[prescribing.PatientID]string{p: " "}, 0, ErrInvalidEquity},
	} {
		rep, err := Equity(nil, c.groups, c.threshold)
		assert.ErrorIs(t, err, c.want, name)
		assert.ErrorIs(t, err, ErrInvalidEquity, name)
		assert.Zero(t, rep, name)
	}
	rep, err := Equity(nil, ok, math.Nextafter(1, 2))
	require.NoError(t, err, "any finite ratio above 1 is a threshold")
	assert.Equal(t, math.Nextafter(1, 2), rep.Threshold)
}

// TestDISC_5_EquityThresholdAtEquality: a ratio exactly at the threshold
// is flagged Over, and exactly at its inverse Under; the next float past
// the threshold flags neither.
func TestDISC_5_EquityThresholdAtEquality(t *testing.T) {
	f := newFixture()
	groups := map[prescribing.PatientID]string{}
	var many, few []prescribing.PatientID
	for i := range 4 {
		p := prescribing.NewID[prescribing.Patient](f.ids)
		if i < 2 {
			groups[p], many = "many", append(many, p)
		} else {
			groups[p], few = "few", append(few, p)
		}
	}
	var acts []Act
	for i := range 6 { // 6 acts for 2 people: rate 3
		acts = append(acts, f.act(AspectAccompanying, LevelDiscretionary, many[i%2]))
	}
	for i := range 2 { // 2 acts for 2 people: rate 1; overall 8/4 = 2
		acts = append(acts, f.act(AspectAccompanying, LevelDiscretionary, few[i]))
	}
	for _, c := range []struct {
		name               string
		threshold          float64
		manyOver, fewUnder bool
	}{
		{name: "at 1.5 the ratio 1.5 is over", threshold: 1.5, manyOver: true, fewUnder: true},
		{name: "just above 1.5 it is not", threshold: math.Nextafter(1.5, 2), fewUnder: true},
		{name: "at 2 the ratio 0.5 is under", threshold: 2, fewUnder: true},
		{name: "just above 2 it is not", threshold: math.Nextafter(2, 3)},
		{name: "just below 2 it still is", threshold: math.Nextafter(2, 1), fewUnder: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, err := Equity(acts, groups, c.threshold)
			require.NoError(t, err)
			require.Len(t, rep.Groups, 2)
			fewG, manyG := rep.Groups[0], rep.Groups[1]
			require.Equal(t, 2.0, rep.OverallRate)
			require.Equal(t, 1.5, manyG.Ratio, "exact ratios")
			require.Equal(t, 0.5, fewG.Ratio)
			assert.Equal(t, c.manyOver, manyG.Over, "many over")
			assert.False(t, manyG.Under)
			assert.Equal(t, c.fewUnder, fewG.Under, "few under")
			assert.False(t, fewG.Over)
		})
	}
}

// TestDISC_EventTimeIsTheTimeGiven: every event's time is the time the
// live operation was given, in UTC.
func TestDISC_EventTimeIsTheTimeGiven(t *testing.T) {
	f := newFixture()
	zone := time.FixedZone("BST", 3600)
	adoptAt := time.Date(2026, 5, 4, 9, 0, 0, 0, zone)
	p, adopted, err := AdoptPolicy(prescribing.NewID[Policy](f.ids), "Mill Lane", nil, adoptAt)
	require.NoError(t, err)
	changeAt := adoptAt.Add(26 * time.Hour)
	changed, err := p.Set(AspectHomeVisits, LevelGuided, changeAt)
	require.NoError(t, err)
	actAt := time.Date(2026, 5, 1, 18, 45, 0, 0, zone)
	a := f.act(AspectOutOfHours, LevelOpen, prescribing.NewID[prescribing.Patient](f.ids))
	a.At = actAt
	log, _ := f.log(t)
	recorded, err := log.Record(a)
	require.NoError(t, err)
	for _, c := range []struct {
		e  prescribing.Event
		at time.Time
	}{{adopted, adoptAt}, {changed, changeAt}, {recorded, actAt}} {
		assert.True(t, c.e.EventTime().Equal(c.at), c.e.EventType())
		assert.Equal(t, c.at.UTC(), c.e.EventTime(), "%s: stamped in UTC", c.e.EventType())
	}
	assert.Equal(t, p.Stream(), adopted.EventStream())
	assert.Equal(t, p.Stream(), changed.EventStream())
	assert.Equal(t, log.Stream(), recorded.EventStream())
	assert.Equal(t, prescribing.StreamOf(prescribing.StreamKindActLog, a.LinkWorker), recorded.EventStream())
}

func TestDISC_EveryEnumerationThroughTheVocabulary(t *testing.T) {
	t.Run("DISC_2 level", func(t *testing.T) { eventtest.VocabularyForms[Level](t, Levels()) })
	t.Run("DISC_3 counterpart", func(t *testing.T) { eventtest.VocabularyForms[Counterpart](t, Counterparts()) })
	t.Run("DISC_3 motive", func(t *testing.T) { eventtest.VocabularyForms[Motive](t, Motives()) })
	t.Run("DISC_4 verdict", func(t *testing.T) { eventtest.VocabularyForms[Verdict](t, Verdicts()) })
}

func TestDISC_JSONFieldNamesAreSnakeCase(t *testing.T) {
	f := newFixture()
	p, adopted := f.policy(t, "Mill Lane", map[Aspect]Level{AspectHomeVisits: LevelGuided})
	q, _ := f.policy(t, "Riverside", map[Aspect]Level{AspectHomeVisits: LevelOpen, AspectAdvocacy: LevelGuided})
	changed, err := p.Set(AspectSessions, LevelOpen, f.tick())
	require.NoError(t, err)
	patient := prescribing.NewID[prescribing.Patient](f.ids)
	log, _ := f.log(t)
	recorded, err := log.Record(f.act(AspectHomeVisits, LevelOpen, patient))
	require.NoError(t, err)
	rep, err := Equity(log.Acts(), map[prescribing.PatientID]string{patient: "aged 75+"}, 0)
	require.NoError(t, err)
	for _, v := range []any{adopted, changed, recorded, CheckAct(&p, recorded.Act), Compare(&p, &q), rep, DefaultAspects()} {
		keys := eventtest.JSONKeys(t, v)
		require.NotEmpty(t, keys)
		for _, k := range keys {
			assert.Regexp(t, eventtest.SnakeCase(), k, "%T", v)
		}
	}
}

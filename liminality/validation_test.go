package liminality

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	year10000   = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	yearZero    = time.Date(0, 12, 31, 23, 0, 0, 0, time.UTC)
	invalidUTF8 = "safe\xffguarding"
	withNUL     = "safe\x00guarding"
	tooLong     = strings.Repeat("a", prescribing.MaxTextBytes+1)
)

// journeyIn returns a journey in the given phase, its last change at f.now.
func (f *fixture) journeyIn(t *testing.T, p Phase) Journey {
	t.Helper()
	j, _ := f.begin(t)
	switch p {
	case PhaseLiminal:
		_, err := j.EnterLiminal(f.after(1))
		require.NoError(t, err)
		_, err = j.NoteTheme(ThemeAmbiguity, f.after(1))
		require.NoError(t, err)
	case PhaseIncorporated:
		f.through(t, &j)
	case PhaseLeft:
		_, err := j.Leave(f.after(1))
		require.NoError(t, err)
	}
	return j
}

// TestLIM_1_JourneyRefusesWhatCannotBeStoredOrReplayed checks that every live
// operation of a journey refuses hostile input with a documented sentinel,
// returns the zero event and changes nothing; and that Apply refuses the
// same event built by hand, so replay refuses what live refuses.
func TestLIM_1_JourneyRefusesWhatCannotBeStoredOrReplayed(t *testing.T) {
	f := newFixture()
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)

	t.Run("Begin", func(t *testing.T) {
		for _, c := range []struct {
			name string
			lw   prescribing.LinkWorkerID
			at   time.Time
			want error
		}{
			{"no link worker", prescribing.LinkWorkerID{}, f.now, prescribing.ErrInvalidID},
			{"no time", lw, time.Time{}, prescribing.ErrNoTime},
			{"year 10000", lw, year10000, prescribing.ErrTimeOutOfRange},
			{"year 0", lw, yearZero, prescribing.ErrTimeOutOfRange},
			{"year 10000 in UTC, 9999 in its zone", lw, time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600)), prescribing.ErrTimeOutOfRange},
		} {
			j, e, err := Begin(c.lw, c.at)
			assert.ErrorIs(t, err, c.want, c.name)
			assert.Zero(t, e, c.name)
			assert.Zero(t, j, c.name)
			var fresh Journey
			assert.ErrorIs(t, fresh.Apply(Started{LinkWorker: c.lw, At: c.at}), c.want, "Apply: %s", c.name)
			assert.Zero(t, fresh, c.name)
		}
		j, e, err := Begin(lw, time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC))
		require.NoError(t, err, "the last instant of 9999 is in range")
		assert.Equal(t, e.At, j.Started())
	})

	type op struct {
		name  string
		phase Phase // the phase the journey is in
		do    func(j *Journey, at time.Time) (prescribing.Event, error)
		ev    func(j *Journey, at time.Time) prescribing.Event // the same change as an event, for Apply
		at    func(last time.Time) time.Time
		want  error
	}
	later := func(last time.Time) time.Time { return last.Add(time.Hour) }
	enter := func(j *Journey, at time.Time) (prescribing.Event, error) { return j.EnterLiminal(at) }
	enterEv := func(j *Journey, at time.Time) prescribing.Event {
		return PhaseChanged{LinkWorker: j.LinkWorker(), From: PhaseSeparation, To: PhaseLiminal, At: at}
	}
	theme := func(th Theme) (func(*Journey, time.Time) (prescribing.Event, error), func(*Journey, time.Time) prescribing.Event) {
		return func(j *Journey, at time.Time) (prescribing.Event, error) { return j.NoteTheme(th, at) },
			func(j *Journey, at time.Time) prescribing.Event {
				return ThemeNoted{LinkWorker: j.LinkWorker(), Theme: th, At: at}
			}
	}
	support := func(s RoleSupport, against ThemeSet) (func(*Journey, time.Time) (prescribing.Event, error), func(*Journey, time.Time) prescribing.Event) {
		return func(j *Journey, at time.Time) (prescribing.Event, error) { return j.RecordSupport(s, against, at) },
			func(j *Journey, at time.Time) prescribing.Event {
				return SupportRecorded{LinkWorker: j.LinkWorker(), Support: s, Themes: against, At: at}
			}
	}
	disrupt := func(d Disruption) (func(*Journey, time.Time) (prescribing.Event, error), func(*Journey, time.Time) prescribing.Event) {
		return func(j *Journey, at time.Time) (prescribing.Event, error) { return j.Disrupt(d, at) },
			func(j *Journey, at time.Time) prescribing.Event {
				return PhaseChanged{LinkWorker: j.LinkWorker(), From: PhaseIncorporated, To: PhaseLiminal, Disruption: d, At: at}
			}
	}
	unknownTheme, unknownThemeEv := theme(Theme(9))
	noTheme, noThemeEv := theme(0)
	unknownSupport, unknownSupportEv := support(RoleSupport(6), prescribing.SetOf(ThemeAmbiguity))
	againstUnknown, againstUnknownEv := support(RoleSupportSupervision, prescribing.SetOf(ThemeAmbiguity, Theme(5)))
	againstNothing, againstNothingEv := support(RoleSupportSupervision, 0)
	unknownDisruption, unknownDisruptionEv := disrupt(Disruption(6))
	validTheme, validThemeEv := theme(ThemeInstability)
	for _, c := range []op{
		{"a year past 9999", PhaseSeparation, enter, enterEv, func(time.Time) time.Time { return year10000 }, prescribing.ErrTimeOutOfRange},
		{"a year before 1", PhaseSeparation, enter, enterEv, func(time.Time) time.Time { return yearZero }, prescribing.ErrTimeOutOfRange},
		{"no time", PhaseSeparation, enter, enterEv, func(time.Time) time.Time { return time.Time{} }, prescribing.ErrNoTime},
		{"a time before the last change", PhaseLiminal, validTheme, validThemeEv, func(last time.Time) time.Time { return last.Add(-time.Nanosecond) }, prescribing.ErrTimeWentBackwards},
		{"a theme outside the vocabulary", PhaseLiminal, unknownTheme, unknownThemeEv, later, prescribing.ErrUnknownValue},
		{"no theme", PhaseLiminal, noTheme, noThemeEv, later, prescribing.ErrMissingDetail},
		{"a support outside the vocabulary", PhaseLiminal, unknownSupport, unknownSupportEv, later, prescribing.ErrUnknownValue},
		{"support against a theme outside the vocabulary", PhaseLiminal, againstUnknown, againstUnknownEv, later, prescribing.ErrUnknownValue},
		{"support against no theme", PhaseLiminal, againstNothing, againstNothingEv, later, prescribing.ErrMissingDetail},
		{"a disruption outside the vocabulary", PhaseIncorporated, unknownDisruption, unknownDisruptionEv, later, prescribing.ErrUnknownValue},
		{"a theme while incorporated", PhaseIncorporated, validTheme, validThemeEv, later, prescribing.ErrUnexpectedEvent},
		{"incorporation without support", PhaseLiminal,
			func(j *Journey, at time.Time) (prescribing.Event, error) { return j.Incorporate(at) },
			func(j *Journey, at time.Time) prescribing.Event {
				return PhaseChanged{LinkWorker: j.LinkWorker(), From: PhaseLiminal, To: PhaseIncorporated, At: at}
			}, later, ErrUnaddressed},
		{"leaving twice", PhaseLeft,
			func(j *Journey, at time.Time) (prescribing.Event, error) { return j.Leave(at) },
			func(j *Journey, at time.Time) prescribing.Event {
				return PhaseChanged{LinkWorker: j.LinkWorker(), From: PhaseLeft, To: PhaseLeft, At: at}
			}, later, ErrInvalidMove},
	} {
		t.Run(c.name, func(t *testing.T) {
			j := f.journeyIn(t, c.phase)
			before := j
			at := c.at(j.updatedAt)
			e, err := c.do(&j, at)
			require.ErrorIs(t, err, c.want)
			assert.Zero(t, e, "EV_1 a refused operation returns the zero event")
			assert.Equal(t, before, j, "a refused operation changes nothing")

			assert.ErrorIs(t, j.Apply(c.ev(&j, at)), c.want, "EV_3 replay refuses what live refuses")
			assert.Equal(t, before, j)
		})
	}

	t.Run("phases outside the vocabulary in a stored event", func(t *testing.T) {
		j := f.journeyIn(t, PhaseLiminal)
		before := j
		for _, e := range []PhaseChanged{
			{LinkWorker: j.LinkWorker(), From: PhaseLiminal, To: Phase(9), At: f.after(1)},
			{LinkWorker: j.LinkWorker(), From: Phase(9), To: PhaseLeft, At: f.after(1)},
			{LinkWorker: j.LinkWorker(), From: PhaseLiminal, To: 0, At: f.after(1)},
		} {
			assert.ErrorIs(t, j.Apply(e), prescribing.ErrUnknownValue, "%+v", e)
		}
		assert.ErrorIs(t, j.Apply(ThemeNoted{LinkWorker: lw, Theme: ThemeAmbiguity, At: f.after(1)}), prescribing.ErrWrongSubject)
		assert.Equal(t, before, j)
	})
}

// TestLIM_5_TrainingRefusesWhatCannotBeStoredOrReplayed checks the training
// record's live operations and Apply against hostile input.
func TestLIM_5_TrainingRefusesWhatCannotBeStoredOrReplayed(t *testing.T) {
	f := newFixture()
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)

	many := make([]Area, MaxAreas+1)
	for i := range many {
		many[i] = Area{Key: strings.Repeat("k", i+1)}
	}
	for _, c := range []struct {
		name       string
		lw         prescribing.LinkWorkerID
		curriculum []Area
		at         time.Time
		want       error
	}{
		{"no link worker", prescribing.LinkWorkerID{}, nil, f.now, prescribing.ErrInvalidID},
		{"a year past 9999", lw, nil, year10000, prescribing.ErrTimeOutOfRange},
		{"a year before 1", lw, nil, yearZero, prescribing.ErrTimeOutOfRange},
		{"no time", lw, nil, time.Time{}, prescribing.ErrNoTime},
		{"an empty curriculum", lw, []Area{}, f.now, ErrInvalidCurriculum},
		{"too many areas", lw, many, f.now, ErrInvalidCurriculum},
		{"a blank key", lw, []Area{{Key: " \t", Description: "blank"}}, f.now, ErrInvalidCurriculum},
		{"a repeated key", lw, []Area{{Key: "a"}, {Key: "b"}, {Key: "a"}}, f.now, ErrInvalidCurriculum},
		{"a key not UTF-8", lw, []Area{{Key: invalidUTF8}}, f.now, prescribing.ErrInvalidText},
		{"a key with NUL", lw, []Area{{Key: withNUL}}, f.now, prescribing.ErrInvalidText},
		{"a key too long", lw, []Area{{Key: tooLong}}, f.now, prescribing.ErrInvalidText},
		{"a description not UTF-8", lw, []Area{{Key: "a", Description: invalidUTF8}}, f.now, prescribing.ErrInvalidText},
		{"a description with NUL", lw, []Area{{Key: "a", Description: withNUL}}, f.now, prescribing.ErrInvalidText},
		{"a description too long", lw, []Area{{Key: "a", Description: tooLong}}, f.now, prescribing.ErrInvalidText},
	} {
		r, e, err := BeginTraining(c.lw, c.curriculum, c.at)
		assert.ErrorIs(t, err, c.want, c.name)
		assert.Zero(t, e, c.name)
		assert.Zero(t, r, c.name)
		var fresh TrainingRecord
		curriculum := c.curriculum
		if curriculum == nil {
			curriculum = DefaultCurriculum()
		}
		assert.ErrorIs(t, fresh.Apply(TrainingBegun{LinkWorker: c.lw, Curriculum: curriculum, At: c.at}), c.want, "Apply: %s", c.name)
		assert.Zero(t, fresh, c.name)
		if err != nil {
			assert.NotContains(t, err.Error(), "safe", "errors do not quote the text")
		}
	}
	_, _, err := BeginTraining(lw, many[:MaxAreas], f.now)
	assert.NoError(t, err, "exactly MaxAreas areas")
	_, _, err = BeginTraining(lw, []Area{{Key: strings.Repeat("a", prescribing.MaxTextBytes)}}, f.now)
	assert.NoError(t, err, "a key of exactly MaxTextBytes")

	r, _, err := BeginTraining(lw, nil, f.now)
	require.NoError(t, err)
	_, err = r.Complete("safeguarding", f.after(1))
	require.NoError(t, err)
	last := f.now
	for _, c := range []struct {
		name string
		lw   prescribing.LinkWorkerID
		area string
		at   time.Time
		want error
	}{
		{"a time before the record's last change", lw, "confidentiality", last.Add(-time.Nanosecond), prescribing.ErrTimeWentBackwards},
		{"a year past 9999", lw, "confidentiality", year10000, prescribing.ErrTimeOutOfRange},
		{"no time", lw, "confidentiality", time.Time{}, prescribing.ErrNoTime},
		{"an area not UTF-8", lw, invalidUTF8, last, prescribing.ErrInvalidText},
		{"an area with NUL", lw, withNUL, last, prescribing.ErrInvalidText},
		{"an area too long", lw, tooLong, last, prescribing.ErrInvalidText},
		{"a blank area", lw, "   ", last, prescribing.ErrMissingDetail},
		{"an area outside the curriculum", lw, "Safeguarding", last, ErrUnknownArea},
		{"another link worker", prescribing.NewID[prescribing.LinkWorker](f.ids), "confidentiality", last, prescribing.ErrWrongSubject},
	} {
		before := r
		if c.lw == lw { // a live operation cannot name another link worker
			e, err := r.Complete(c.area, c.at)
			assert.ErrorIs(t, err, c.want, c.name)
			assert.Zero(t, e, "EV_1 %s: a refused operation returns the zero event", c.name)
			assert.Equal(t, before, r, "%s: nothing changes", c.name)
		}
		assert.ErrorIs(t, r.Apply(TrainingCompleted{LinkWorker: c.lw, Area: c.area, At: c.at}), c.want, "Apply: %s", c.name)
		assert.Equal(t, before, r, c.name)
	}
	_, err = r.Complete("confidentiality", last)
	assert.NoError(t, err, "exactly at the last change is not earlier")
	assert.ErrorIs(t, r.Apply(TrainingBegun{LinkWorker: lw, Curriculum: DefaultCurriculum(), At: f.after(1)}), prescribing.ErrUnexpectedEvent, "a record begins once")
	assert.ErrorIs(t, r.Apply(ThemeNoted{LinkWorker: lw, Theme: ThemeAmbiguity, At: f.after(1)}), prescribing.ErrUnexpectedEvent)
}

// TestLIM_5_CompleteRefusesATimeBeforeTheLastChange is the boundary of the
// training record's clock: the instant of its last change is accepted, one
// nanosecond before is refused.
func TestLIM_5_CompleteRefusesATimeBeforeTheLastChange(t *testing.T) {
	f := newFixture()
	r, _, err := BeginTraining(prescribing.NewID[prescribing.LinkWorker](f.ids), nil, f.now)
	require.NoError(t, err)
	_, err = r.Complete("safeguarding", f.now.Add(-time.Nanosecond))
	assert.ErrorIs(t, err, prescribing.ErrTimeWentBackwards, "before the record began")
	_, err = r.Complete("it_systems", f.after(10))
	require.NoError(t, err)
	_, err = r.Complete("safeguarding", f.now.Add(-time.Nanosecond))
	assert.ErrorIs(t, err, prescribing.ErrTimeWentBackwards)
	_, err = r.Complete("safeguarding", f.now)
	assert.NoError(t, err)
}

func TestLIM_4_RefusesNumbersThatAreNotFinite(t *testing.T) {
	thought := NewModel(IntentionThoughtAboutLeaving)
	cohort := []Covariates{{Gap: 10, SelfEfficacy: 30}, {Gap: 40, SelfEfficacy: 20}}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, err := Calibrate(thought, cohort, rateOf(v))
		assert.ErrorIs(t, err, ErrCalibration, "rate %v", v)
		assert.ErrorIs(t, err, prescribing.ErrNotFinite, "rate %v", v)

		for _, m := range []Model{
			{Intention: IntentionThoughtAboutLeaving, Intercept: v, Gap: thought.Gap, SelfEfficacy: thought.SelfEfficacy},
			{Intention: IntentionThoughtAboutLeaving, Gap: v, SelfEfficacy: thought.SelfEfficacy},
			{Intention: IntentionThoughtAboutLeaving, Gap: thought.Gap, SelfEfficacy: v},
		} {
			assert.ErrorIs(t, m.Validate(), prescribing.ErrNotFinite)
			_, err := Calibrate(m, cohort, NALW2020())
			assert.ErrorIs(t, err, ErrCalibration)
			assert.ErrorIs(t, err, prescribing.ErrNotFinite)
		}
		for _, c := range []Covariates{{Gap: v, SelfEfficacy: 30}, {Gap: 10, SelfEfficacy: v}} {
			assert.ErrorIs(t, c.Validate(), prescribing.ErrNotFinite)
			_, err := Calibrate(thought, append([]Covariates{cohort[0]}, c), NALW2020())
			assert.ErrorIs(t, err, ErrCalibration)
			assert.ErrorIs(t, err, prescribing.ErrNotFinite)
		}
	}
	_, err := Calibrate(Model{Intention: IntentionThoughtAboutLeaving, Gap: math.MaxFloat64 / 2, SelfEfficacy: -math.MaxFloat64 / 2},
		[]Covariates{{Gap: 100, SelfEfficacy: 100}}, NALW2020())
	assert.ErrorIs(t, err, prescribing.ErrNotFinite, "finite coefficients and covariates whose linear predictor overflows")
	_, err = Calibrate(Model{Intention: Intention(3)}, cohort, NALW2020())
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
	assert.NoError(t, thought.Validate())
	assert.NoError(t, cohort[0].Validate())

	m, err := Calibrate(Model{Intention: IntentionThoughtAboutLeaving, Gap: 1e300}, []Covariates{{Gap: 100}, {Gap: 0}}, rateOf(0.5))
	require.NoError(t, err, "huge but finite predictors still calibrate")
	assert.False(t, math.IsNaN(m.Intercept) || math.IsInf(m.Intercept, 0))
}

// TestLIM_3_ASpellIsMeasuredFromItsOwnStart follows a worker who entered
// liminal a month after starting, passed through, and re-entered liminal
// after a disruption: prolonged is measured from the start of each spell,
// exactly at the threshold (not prolonged) and one instant past it
// (prolonged), never from the journey's start.
func TestLIM_3_ASpellIsMeasuredFromItsOwnStart(t *testing.T) {
	f := newFixture()
	j, _ := f.begin(t)
	began := j.Started()
	firstEntry := began.AddDate(0, 1, 0)
	_, err := j.EnterLiminal(firstEntry)
	require.NoError(t, err)
	for _, c := range []struct {
		months int
		at     time.Time
		want   bool
	}{
		{0, firstEntry.AddDate(0, 6, 0), false},
		{0, firstEntry.AddDate(0, 6, 0).Add(time.Nanosecond), true},
		{0, began.AddDate(0, 6, 0).Add(time.Nanosecond), false},
		{3, firstEntry.AddDate(0, 3, 0), false},
		{3, firstEntry.AddDate(0, 3, 0).Add(time.Nanosecond), true},
	} {
		assert.Equal(t, c.want, j.Prolonged(c.at, Threshold{Months: c.months}), "first spell, threshold %d months, at %s", c.months, c.at)
	}

	_, err = j.NoteTheme(ThemeAmbiguity, firstEntry.AddDate(0, 1, 0))
	require.NoError(t, err)
	_, err = j.RecordSupport(RoleSupportPeer, prescribing.SetOf(ThemeAmbiguity), firstEntry.AddDate(0, 2, 0))
	require.NoError(t, err)
	incorporated := firstEntry.AddDate(0, 4, 0)
	_, err = j.Incorporate(incorporated)
	require.NoError(t, err)
	reentry := incorporated.AddDate(1, 0, 0)
	assert.False(t, j.Prolonged(reentry, Threshold{}), "not liminal")
	_, err = j.Disrupt(DisruptionManagerUnavailable, reentry)
	require.NoError(t, err)

	assert.False(t, j.Prolonged(reentry.AddDate(0, 6, 0), Threshold{}), "exactly six months into the second spell")
	assert.True(t, j.Prolonged(reentry.AddDate(0, 6, 0).Add(time.Nanosecond), Threshold{}), "one instant past")
	assert.False(t, j.Prolonged(reentry.AddDate(0, 1, 0), Threshold{}),
		"a month into the second spell, though years past the journey's start and the first entry")
	assert.True(t, j.Prolonged(reentry.AddDate(0, 2, 0).Add(time.Nanosecond), Threshold{Months: 2}))

	spent := incorporated.Sub(firstEntry) + 3*24*time.Hour
	assert.Equal(t, spent, j.LiminalTime(reentry.AddDate(0, 0, 3)), "liminal time sums the spells")
	view := Cohort([]Journey{j}, reentry.AddDate(0, 6, 0), Threshold{})
	assert.Zero(t, view.Prolonged, "the cohort measures spells the same way")
	view = Cohort([]Journey{j}, reentry.AddDate(0, 6, 0).Add(time.Nanosecond), Threshold{})
	assert.Equal(t, 1, view.Prolonged)
}

// TestEV_1_EveryEventCarriesTheTimeGiven checks, for every liminality event
// type, that EventTime returns the time the caller gave (kept in UTC) and
// EventStream the link worker's journey or training record.
func TestEV_1_EveryEventCarriesTheTimeGiven(t *testing.T) {
	f := newFixture()
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	at := func(days int) time.Time { return f.after(days).In(zone) }
	var events []prescribing.Event
	var given []time.Time
	keep := func(e prescribing.Event, when time.Time, err error) {
		t.Helper()
		require.NoError(t, err)
		events = append(events, e)
		given = append(given, when)
	}
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)
	when := at(0)
	j, started, err := Begin(lw, when)
	keep(started, when, err)
	when = at(1)
	e1, err := j.EnterLiminal(when)
	keep(e1, when, err)
	when = at(1)
	e2, err := j.NoteTheme(ThemeAmbiguity, when)
	keep(e2, when, err)
	when = at(1)
	e3, err := j.RecordSupport(RoleSupportSupervision, prescribing.SetOf(ThemeAmbiguity), when)
	keep(e3, when, err)
	when = at(1)
	e4, err := j.Incorporate(when)
	keep(e4, when, err)
	when = at(1)
	e5, err := j.Disrupt(DisruptionReferralSurge, when)
	keep(e5, when, err)
	when = at(1)
	e6, err := j.Leave(when)
	keep(e6, when, err)
	when = at(1)
	r, begun, err := BeginTraining(lw, nil, when)
	keep(begun, when, err)
	when = at(1)
	done, err := r.Complete("safeguarding", when)
	keep(done, when, err)
	supervisor, other := prescribing.NewID[Supervisor](f.ids), prescribing.NewID[Supervisor](f.ids)
	when = at(2)
	s, agreed, err := AgreeSupervision(lw, supervisor, 28, when)
	keep(agreed, when, err)
	when = at(3)
	held, err := s.HoldSession(supervisor, when)
	keep(held, when, err)
	when = at(3)
	changed, err := s.Change(other, 14, when)
	keep(changed, when, err)
	when = at(4)
	ended, err := s.End("the link worker moved to another service", when)
	keep(ended, when, err)

	covered := map[string]bool{}
	for i, e := range events {
		assert.True(t, e.EventTime().Equal(given[i]), "%s: EventTime %s, given %s", e.EventType(), e.EventTime(), given[i])
		assert.Equal(t, time.UTC, e.EventTime().Location(), "%s is kept in UTC", e.EventType())
		assert.Equal(t, lw.UUID(), e.EventStream().ID, e.EventType())
		if strings.HasPrefix(e.EventType(), "liminality.training_") {
			assert.Equal(t, r.Stream(), e.EventStream(), e.EventType())
		} else if strings.HasPrefix(e.EventType(), "liminality.supervision_") {
			assert.Equal(t, s.Stream(), e.EventStream(), e.EventType())
		} else {
			assert.Equal(t, j.Stream(), e.EventStream(), e.EventType())
		}
		covered[e.EventType()] = true
	}
	for _, k := range EventKinds() {
		assert.True(t, covered[k.Type()], "event type %s is checked", k.Type())
	}
	_, since := j.Phase()
	assert.True(t, since.Equal(given[6]), "the record keeps the time given too")
}

// TestLIM_4_OutcomeVocabulary checks the text, JSON and database forms of
// every enumeration of the package, and snake_case JSON of its config types.
func TestLIM_4_OutcomeVocabulary(t *testing.T) {
	assert.Equal(t, []Intention{IntentionThoughtAboutLeaving, IntentionPlanningToLeave}, Intentions())
	for _, o := range Intentions() {
		b, err := o.MarshalText()
		require.NoError(t, err)
		var back Intention
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, o, back)
		v, err := o.Value()
		require.NoError(t, err)
		var scanned Intention
		require.NoError(t, scanned.Scan(v))
		assert.Equal(t, o, scanned)
		assert.Equal(t, string(b), o.String())
	}
	assert.Equal(t, "planning_to_leave", IntentionPlanningToLeave.String())
	_, err := Intention(3).MarshalText()
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
	var o Intention
	assert.ErrorIs(t, o.UnmarshalText([]byte("leaving")), prescribing.ErrUnknownValue)
	assert.ErrorIs(t, o.Scan(7), prescribing.ErrUnknownValue)
	assert.False(t, Intention(0).IsValid())
	assert.False(t, Intention(3).IsValid())

	b, err := json.Marshal(fixedModel(t))
	require.NoError(t, err)
	assert.JSONEq(t, `{"outcome":"planning_to_leave","intercept":-1,"gap":0.5,"self_efficacy":0}`, string(b))
	var m Model
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, fixedModel(t), m)
	assert.Error(t, json.Unmarshal([]byte(`{"outcome":"leaving"}`), &m))

	b, err = json.Marshal(GapThought())
	require.NoError(t, err)
	var keys map[string]any
	require.NoError(t, json.Unmarshal(b, &keys))
	for k := range keys {
		assert.Regexp(t, `^[a-z]+(_[a-z]+)*$`, k, "snake_case JSON")
	}
	assert.Contains(t, keys, "odds_ratio")
	b, err = json.Marshal(Threshold{Months: 9})
	require.NoError(t, err)
	assert.JSONEq(t, `{"months":9}`, string(b))
	// The types LIM-6 and SUP-1 added are snake_case too.
	for _, v := range []any{NALW2020(), GapRange(), GapThought(), Overview{Journey: true, Phase: PhaseLiminal, Supervised: true, EveryDays: 28}} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		var fields map[string]any
		require.NoError(t, json.Unmarshal(b, &fields))
		for k := range fields {
			assert.Regexp(t, `^[a-z]+(_[a-z]+)*$`, k, "snake_case JSON of %T", v)
		}
	}

	// Every enumeration of the package round-trips through text and refuses
	// values outside its vocabulary.
	checkVocabulary(t, Phases(), Phase(5))
	checkVocabulary(t, Themes(), Theme(5))
	checkVocabulary(t, RoleSupports(), RoleSupport(6))
	checkVocabulary(t, Disruptions(), Disruption(6))
	checkVocabulary(t, Intentions(), Intention(3))
}

// fixedModel returns a model for the JSON test.
func fixedModel(t *testing.T) Model {
	t.Helper()
	return Model{Intention: IntentionPlanningToLeave, Intercept: -1, Gap: 0.5}
}

type enumeration interface {
	comparable
	String() string
	IsValid() bool
	MarshalText() ([]byte, error)
}

func checkVocabulary[E enumeration, P interface {
	*E
	UnmarshalText([]byte) error
	Scan(any) error
}](t *testing.T, values []E, outside E) {
	t.Helper()
	for _, v := range values {
		assert.True(t, v.IsValid())
		b, err := json.Marshal(v)
		require.NoError(t, err)
		var back E
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, v, back)
		assert.Regexp(t, `^"[a-z]+(_[a-z]+)*"$`, string(b))
		var scanned E
		require.NoError(t, P(&scanned).Scan(v.String()))
		assert.Equal(t, v, scanned)
	}
	assert.False(t, outside.IsValid())
	_, err := json.Marshal(outside)
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
	var back E
	assert.ErrorIs(t, P(&back).UnmarshalText([]byte("no_such_value")), prescribing.ErrUnknownValue)
}

// TestLIM_2_EveryThemeHasASlot guards the per-theme arrays of a journey: a
// theme added to the vocabulary needs a slot.
func TestLIM_2_EveryThemeHasASlot(t *testing.T) {
	assert.Equal(t, len(Themes())+1, themeSlots)
}

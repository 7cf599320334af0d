package liminality

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type fixture struct {
	ids prescribing.IDSource
	now time.Time
}

// Every record type of this package is a prescribing.StreamRecord.
var (
	_ prescribing.StreamRecord = (*Journey)(nil)
	_ prescribing.StreamRecord = (*TrainingRecord)(nil)
)

func newFixture() *fixture {
	return &fixture{ids: prescribing.SeededIDs(rand.New(rand.NewPCG(7, 7))), now: time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)}
}

func (f *fixture) after(days int) time.Time { f.now = f.now.AddDate(0, 0, days); return f.now }

func (f *fixture) begin(t testing.TB) (Journey, []prescribing.Event) {
	j, e, err := Begin(prescribing.NewID[prescribing.LinkWorker](f.ids), f.now)
	require.NoError(t, err)
	return j, []prescribing.Event{e}
}

// through takes a journey from separation to incorporated with support
// against one theme, returning the events.
func (f *fixture) through(t testing.TB, j *Journey) []prescribing.Event {
	var out []prescribing.Event
	add := func(e prescribing.Event, err error) {
		require.NoError(t, err)
		out = append(out, e)
	}
	add(j.EnterLiminal(f.after(7)))
	add(j.NoteTheme(ThemeAmbiguity, f.after(7)))
	add(j.RecordSupport(RoleSupportSupervision, prescribing.SetOf(ThemeAmbiguity), f.after(14)))
	add(j.Incorporate(f.after(30)))
	return out
}

func TestLIM_1_OnlyThePassageMovesAreAllowed(t *testing.T) {
	allowed := map[[2]Phase]bool{
		{PhaseSeparation, PhaseLiminal}: true, {PhaseSeparation, PhaseLeft}: true, {PhaseLiminal, PhaseIncorporated}: true,
		{PhaseLiminal, PhaseLeft}: true, {PhaseIncorporated, PhaseLiminal}: true, {PhaseIncorporated, PhaseLeft}: true,
	}
	for _, from := range Phases() {
		for _, to := range Phases() {
			assert.Equal(t, allowed[[2]Phase{from, to}], CanMove(from, to), "%s -> %s", from, to)
		}
	}

	f := newFixture()
	j, _ := f.begin(t)
	_, err := j.Incorporate(f.after(1))
	var me *MoveError
	require.ErrorAs(t, err, &me, "no skipping liminality")
	assert.ErrorIs(t, err, ErrInvalidMove)
	assert.Equal(t, PhaseSeparation, me.From)
	assert.Equal(t, PhaseIncorporated, me.To)
	assert.Contains(t, err.Error(), "LIM-1")

	f.through(t, &j)
	phase, _ := j.Phase()
	require.Equal(t, PhaseIncorporated, phase)
	_, err = j.move(PhaseChanged{To: PhaseLiminal, At: f.after(1)})
	assert.ErrorIs(t, err, ErrInvalidMove, "back to liminal only through a disruption")
	_, err = j.EnterLiminal(f.after(1))
	assert.ErrorIs(t, err, ErrInvalidMove)

	e, err := j.Disrupt(DisruptionNewPractice, f.after(10))
	require.NoError(t, err)
	assert.Equal(t, DisruptionNewPractice, e.Disruption)
	phase, _ = j.Phase()
	assert.Equal(t, PhaseLiminal, phase)
	assert.Equal(t, prescribing.SetOf(ThemeDisconnection), j.Present(), "a new practice brings disconnection")
	assert.Equal(t, 1, j.Disruptions())
	assert.Equal(t, 2, j.Spells())
	_, err = j.Disrupt(DisruptionReferralSurge, f.after(1))
	assert.ErrorIs(t, err, ErrInvalidMove, "a disruption moves only an incorporated worker")

	_, err = j.Leave(f.after(5))
	require.NoError(t, err)
	for _, step := range []func() (PhaseChanged, error){
		func() (PhaseChanged, error) { return j.EnterLiminal(f.after(1)) },
		func() (PhaseChanged, error) { return j.Leave(f.after(1)) },
		func() (PhaseChanged, error) { return j.Disrupt(DisruptionNewPractice, f.after(1)) },
	} {
		_, err := step()
		assert.ErrorIs(t, err, ErrInvalidMove, "left is the end")
	}
	for _, d := range Disruptions() {
		assert.True(t, d.Raises().IsValid(), d.String())
	}
}

func TestLIM_2_IncorporationNeedsSupportAgainstEveryThemePresent(t *testing.T) {
	f := newFixture()
	j, _ := f.begin(t)
	_, err := j.EnterLiminal(f.after(7))
	require.NoError(t, err)

	_, err = j.Incorporate(f.after(7))
	require.ErrorIs(t, err, ErrUnaddressed, "no support at all")
	assert.Contains(t, err.Error(), "LIM-2")

	for _, th := range []Theme{ThemeAmbiguity, ThemeDisconnection, ThemeInstability} {
		_, err := j.NoteTheme(th, f.after(1))
		require.NoError(t, err)
	}
	_, err = j.RecordSupport(RoleSupportPeer, prescribing.SetOf(ThemeAmbiguity, ThemeDisconnection), f.after(7))
	require.NoError(t, err)
	assert.Equal(t, prescribing.SetOf(ThemeInstability), j.Missing(), "the journey says what is missing")
	_, err = j.Incorporate(f.after(7))
	require.ErrorIs(t, err, ErrUnaddressed)
	assert.Contains(t, err.Error(), "no support against instability")

	_, err = j.RecordSupport(RoleSupportManager, prescribing.SetOf(ThemeInstability), f.after(7))
	require.NoError(t, err)
	assert.True(t, j.Missing().IsEmpty())
	assert.Equal(t, prescribing.SetOf(RoleSupportPeer), j.SupportsFor(ThemeAmbiguity))
	_, err = j.Incorporate(f.after(7))
	require.NoError(t, err)

	// A new spell starts afresh: old supports do not carry over.
	_, err = j.Disrupt(DisruptionFundingUncertainty, f.after(30))
	require.NoError(t, err)
	assert.Equal(t, prescribing.SetOf(ThemeInstability), j.Missing())
	_, err = j.Incorporate(f.after(1))
	assert.ErrorIs(t, err, ErrUnaddressed)

	_, err = j.RecordSupport(RoleSupportTraining, 0, f.after(1))
	assert.ErrorIs(t, err, prescribing.ErrMissingDetail, "support names the themes it addresses")
	_, err = j.NoteTheme(0, f.after(1))
	assert.ErrorIs(t, err, prescribing.ErrMissingDetail)
	_, err = j.NoteTheme(Theme(9), f.after(1))
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
}

func TestLIM_3_ProlongedLiminality(t *testing.T) {
	f := newFixture()
	j, _ := f.begin(t)
	_, err := j.EnterLiminal(f.after(0))
	require.NoError(t, err)
	entered := f.now
	assert.False(t, j.Prolonged(entered.AddDate(0, 6, 0), Threshold{}), "six months exactly is not longer than six months")
	assert.True(t, j.Prolonged(entered.AddDate(0, 6, 1), Threshold{}))
	assert.False(t, j.Prolonged(entered.AddDate(0, 6, 1), Threshold{Months: 9}), "the threshold is the caller's")

	_, err = j.NoteTheme(ThemeMisalignment, entered.AddDate(0, 1, 0))
	require.NoError(t, err)
	_, err = j.RecordSupport(RoleSupportColleague, prescribing.SetOf(ThemeMisalignment), entered.AddDate(0, 2, 0))
	require.NoError(t, err)
	_, err = j.Incorporate(entered.AddDate(0, 3, 0))
	require.NoError(t, err)
	assert.False(t, j.Prolonged(entered.AddDate(1, 0, 0), Threshold{}), "not liminal now")
	assert.Equal(t, entered.AddDate(0, 3, 0).Sub(entered), j.LiminalTime(entered.AddDate(1, 0, 0)))
}

func TestLIM_4_IntentionToLeaveFromPublishedOddsRatios(t *testing.T) {
	assert.InDelta(t, math.Log(6.86)/30, GapThought().PerUnit(), 1e-15)
	assert.InDelta(t, math.Log(4.86)/30, GapPlanning().PerUnit(), 1e-15)
	assert.InDelta(t, -math.Log(1.91)/10, SelfEfficacyThought().PerUnit(), 1e-15, "published per decrease")
	for _, c := range []Coefficient{GapThought(), GapPlanning(), SelfEfficacyThought()} {
		assert.Contains(t, c.Citation, "342 link workers", "the source is carried in code")
	}

	thought := NewModel(IntentionThoughtAboutLeaving)
	a := Covariates{Gap: 10, SelfEfficacy: 40}
	// The published odds ratios come back out of the model.
	assert.InDelta(t, 6.86, thought.OddsRatio(a, Covariates{Gap: 40, SelfEfficacy: 40}), 1e-9)
	assert.InDelta(t, 1.91, thought.OddsRatio(a, Covariates{Gap: 10, SelfEfficacy: 30}), 1e-9)
	planning := NewModel(IntentionPlanningToLeave)
	assert.InDelta(t, 4.86, planning.OddsRatio(a, Covariates{Gap: 40, SelfEfficacy: 40}), 1e-9)
	assert.Equal(t, 1.0, planning.OddsRatio(a, Covariates{Gap: 10, SelfEfficacy: 0}), "no self-efficacy term for planning to leave")
	assert.Zero(t, NewModel(0))

	// Calibrating the intercept to a base rate over a cohort.
	rng := rand.New(rand.NewPCG(1, 2))
	cohort := make([]Covariates, 342)
	for i := range cohort {
		cohort[i] = Covariates{Gap: min(max(rng.NormFloat64()*15+20, 0), 100), SelfEfficacy: min(max(rng.NormFloat64()*8+35, 0), 100)}
	}
	calibrated, err := Calibrate(thought, cohort, NALW2020())
	require.NoError(t, err)
	assert.InDelta(t, 0.29, calibrated.MeanProbability(cohort), 1e-9)
	assert.Equal(t, thought.Gap, calibrated.Gap, "the slopes stay the published ones")
	assert.Greater(t, calibrated.Probability(Covariates{Gap: 50, SelfEfficacy: 35}),
		calibrated.Probability(Covariates{Gap: 0, SelfEfficacy: 35}))

	for _, rate := range []float64{0, 1, -0.1, math.NaN()} {
		_, err := Calibrate(thought, cohort, rateOf(rate))
		assert.ErrorIs(t, err, ErrCalibration, "rate %g", rate)
	}
	_, err = Calibrate(thought, nil, rateOf(0.3))
	assert.ErrorIs(t, err, ErrCalibration)
	_, err = Calibrate(thought, []Covariates{{Gap: math.Inf(1)}}, rateOf(0.3))
	assert.ErrorIs(t, err, ErrCalibration)
	// Extreme rates still calibrate.
	for _, rate := range []float64{0.001, 0.999} {
		m, err := Calibrate(planning, cohort, rateOf(rate))
		require.NoError(t, err)
		assert.InDelta(t, rate, m.MeanProbability(cohort), 1e-9)
	}
}

func TestLIM_5_TrainingCoverageAgainstACurriculum(t *testing.T) {
	f := newFixture()
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)
	r, begun, err := BeginTraining(lw, nil, f.now)
	require.NoError(t, err)
	assert.Equal(t, DefaultCurriculum(), begun.Curriculum, "nil means the default curriculum")
	when := map[string]time.Time{}
	for _, area := range []string{"welfare_benefits", "safeguarding", "risk_assessment"} {
		_, err := r.Complete(area, f.after(7))
		require.NoError(t, err)
		when[area] = f.now
	}
	_, err = r.Complete("safeguarding", f.after(7))
	require.NoError(t, err, "refresher training is recorded")
	c := r.Coverage()
	var has, lacks []string
	for _, a := range c.Has {
		has = append(has, a.Key)
	}
	for _, a := range c.Lacks {
		lacks = append(lacks, a.Key)
	}
	assert.Equal(t, []string{"safeguarding", "risk_assessment", "welfare_benefits"}, has, "in curriculum order")
	assert.Equal(t, []string{"it_systems", "who_is_who", "medical_records", "data_protection", "confidentiality",
		"mental_health", "routes_to_employment", "listening_and_time"}, lacks)
	assert.InDelta(t, 3.0/11, c.Share, 1e-9)
	assert.Len(t, DefaultCurriculum(), 11)
	assert.Equal(t, []Completion{{"risk_assessment", when["risk_assessment"]}, {"safeguarding", when["safeguarding"]},
		{"welfare_benefits", when["welfare_benefits"]}}, r.Completed(), "sorted by area, with the first time")

	e, err := r.Complete("motivational_interviewing", f.after(1))
	assert.ErrorIs(t, err, ErrUnknownArea, "a typo or an area outside the curriculum is refused, not kept aside")
	assert.Zero(t, e)
	_, err = r.Complete(" ", f.after(1))
	assert.ErrorIs(t, err, prescribing.ErrMissingDetail)

	own, _, err := BeginTraining(lw, []Area{{Key: "motivational_interviewing"}, {Key: "safeguarding"}}, f.now)
	require.NoError(t, err)
	_, err = own.Complete("motivational_interviewing", f.after(1))
	require.NoError(t, err)
	_, err = own.Complete("safeguarding", f.after(1))
	require.NoError(t, err)
	assert.Equal(t, 1.0, own.Coverage().Share, "a caller's own curriculum")
	assert.Empty(t, own.Coverage().Lacks)

	var zero TrainingRecord
	_, err = zero.Complete("safeguarding", f.after(1))
	assert.ErrorIs(t, err, prescribing.ErrUnexpectedEvent, "a record that has not begun")
}

func TestLIM_3_CohortView(t *testing.T) {
	f := newFixture()
	start := f.now
	var js []Journey
	// Three workers: one incorporated after 30 liminal days, one liminal for
	// 240 days (prolonged), one who left after 100 liminal days.
	a, _ := f.begin(t)
	f.now = start
	_, _ = a.EnterLiminal(start)
	_, _ = a.NoteTheme(ThemeAmbiguity, start.AddDate(0, 0, 1))
	_, _ = a.RecordSupport(RoleSupportSupervision, prescribing.SetOf(ThemeAmbiguity), start.AddDate(0, 0, 2))
	_, err := a.Incorporate(start.AddDate(0, 0, 30))
	require.NoError(t, err)
	b, _ := f.begin(t)
	_, _ = b.EnterLiminal(start)
	c, _ := f.begin(t)
	_, _ = c.EnterLiminal(start)
	_, err = c.Leave(start.AddDate(0, 0, 100))
	require.NoError(t, err)
	js = append(js, a, b, c)

	v := Cohort(js, start.AddDate(0, 0, 240), Threshold{})
	assert.Equal(t, 3, v.Workers)
	assert.Equal(t, map[Phase]int{PhaseIncorporated: 1, PhaseLiminal: 1, PhaseLeft: 1}, v.ByPhase)
	assert.InDelta(t, (30.0+240+100)/3, v.MeanLiminalDays, 1e-9)
	assert.InDelta(t, 100, v.MedianLiminalDays, 1e-9)
	assert.Equal(t, 1, v.Prolonged)
	assert.InDelta(t, 1.0/3, v.ProlongedShare, 1e-9)
	assert.InDelta(t, 1.0/3, v.LeftShare, 1e-9)
	assert.Equal(t, CohortView{At: start, ByPhase: map[Phase]int{}}, Cohort(nil, start, Threshold{}))
}

func codec(t testing.TB) *prescribing.EventCodec {
	c, err := prescribing.NewEventCodec(slices.Concat(prescribing.EventKinds(), EventKinds())...)
	require.NoError(t, err)
	return c
}

func TestEV_2_LiminalityEventsRoundTripAndReplay(t *testing.T) {
	f := newFixture()
	j, history := f.begin(t)
	history = append(history, f.through(t, &j)...)
	e, err := j.Disrupt(DisruptionRoleMisunderstood, f.after(20))
	require.NoError(t, err)
	history = append(history, e)
	e, err = j.Leave(f.after(20))
	require.NoError(t, err)
	history = append(history, e)
	tr, begun, err := BeginTraining(j.LinkWorker(), nil, f.after(1))
	require.NoError(t, err)
	done, err := tr.Complete("safeguarding", f.after(1))
	require.NoError(t, err)
	supervisor := prescribing.NewID[Supervisor](f.ids)
	sup, agreed, err := AgreeSupervision(j.LinkWorker(), supervisor, 28, f.after(1))
	require.NoError(t, err)
	held, err := sup.HoldSession(supervisor, f.after(2))
	require.NoError(t, err)
	changed, err := sup.Change(prescribing.NewID[Supervisor](f.ids), 14, f.after(3))
	require.NoError(t, err)
	ended, err := sup.End("moved to another service", f.after(4))
	require.NoError(t, err)
	supervision := []prescribing.Event{agreed, held, changed, ended}

	c := codec(t)
	var buf bytes.Buffer
	require.NoError(t, c.Encode(&buf, append(append(slices.Clone(history), begun, done), supervision...)))
	stored, err := c.Decode(&buf)
	require.NoError(t, err)
	require.Len(t, stored, len(history)+2+len(supervision))
	kinds := map[string]bool{}
	for _, e := range stored {
		kinds[e.EventType()] = true
	}
	for _, k := range EventKinds() {
		assert.True(t, kinds[k.Type()], k.Type())
	}

	var replayed Journey
	require.NoError(t, prescribing.Replay(&replayed, stored[:len(history)]))
	assert.Equal(t, j, replayed)
	var replayedTraining TrainingRecord
	require.NoError(t, prescribing.Replay(&replayedTraining, stored[len(history):len(history)+2]))
	assert.Equal(t, tr, replayedTraining)
	var replayedSupervision Supervision
	require.NoError(t, prescribing.Replay(&replayedSupervision, stored[len(history)+2:]))
	assert.Equal(t, sup, replayedSupervision)

	// Incorporation replayed without its support is refused at its position.
	bad := slices.Delete(slices.Clone(stored[:len(history)]), 3, 4)
	var k Journey
	err = prescribing.Replay(&k, bad)
	var re *prescribing.ReplayError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Position)
	assert.ErrorIs(t, err, ErrUnaddressed)
}

func FuzzEventUnmarshal(f *testing.F) {
	fx := newFixture()
	c := codec(f)
	j, history := fx.begin(f)
	history = append(history, fx.through(f, &j)...)
	for _, e := range history {
		b, err := c.Marshal(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"liminality.phase_changed","event":{"from":"incorporated","to":"liminal","disruption":"storm"}}`))
	sup := prescribing.NewID[Supervisor](fx.ids)
	s, agreed, err := AgreeSupervision(j.LinkWorker(), sup, 28, fx.now)
	if err != nil {
		f.Fatal(err)
	}
	held, _ := s.HoldSession(sup, fx.after(1))
	ended, _ := s.End("moved on", fx.after(1))
	for _, e := range []prescribing.Event{agreed, held, ended,
		SupervisionChanged{LinkWorker: j.LinkWorker(), From: sup, To: sup, EveryDays: 400, At: fx.now}} {
		b, err := c.Marshal(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	s, _, _ = AgreeSupervision(j.LinkWorker(), sup, 28, fx.now)
	f.Fuzz(func(t *testing.T, b []byte) {
		e, ok := eventtest.CanonicalHolds(t, c, b)
		if !ok {
			return
		}
		var fresh Journey
		_ = fresh.Apply(e)
		copyOf := j
		_ = copyOf.Apply(e)
		var tr TrainingRecord
		_ = tr.Apply(e)
		_ = fmt.Sprint(copyOf)
		// Supervision takes what it accepts whole: the frequency kept is the
		// frequency stored.
		var fresh2 Supervision
		if err := fresh2.Apply(e); err == nil {
			if a, ok := e.(SupervisionAgreed); !ok || a.EveryDays != fresh2.EveryDays() {
				t.Fatalf("a fresh supervision took %T with frequency %d as %d", e, a.EveryDays, fresh2.EveryDays())
			}
		}
		ongoing := s
		if err := ongoing.Apply(e); err == nil {
			if ch, ok := e.(SupervisionChanged); ok && ch.EveryDays != ongoing.EveryDays() {
				t.Fatalf("a change of frequency to %d kept %d", ch.EveryDays, ongoing.EveryDays())
			}
		}
		_ = fmt.Sprint(ongoing)
	})
}

// BenchmarkPhaseChanges measures a disruption, a theme, a support and a
// return to incorporated: four changes of an incorporated worker's journey.
func BenchmarkPhaseChanges(b *testing.B) {
	f := newFixture()
	j, _ := f.begin(b)
	f.through(b, &j)
	at := f.now
	against := prescribing.SetOf(ThemeDisconnection)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		at = at.Add(time.Hour)
		if _, err := j.Disrupt(DisruptionNewPractice, at); err != nil {
			b.Fatal(err)
		}
		if _, err := j.NoteTheme(ThemeAmbiguity, at); err != nil {
			b.Fatal(err)
		}
		if _, err := j.RecordSupport(RoleSupportPeer, against.With(ThemeAmbiguity), at); err != nil {
			b.Fatal(err)
		}
		if _, err := j.Incorporate(at); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzEventStream decodes a stream of liminality events (JSON Lines) and
// replays it into a journey and a training record: no input panics, a
// stream the records refuse is refused with a *ReplayError, and a stream
// they accept is stored again and replays to an equal record.
func FuzzEventStream(f *testing.F) {
	fx := newFixture()
	c := codec(f)
	j, history := fx.begin(f)
	history = append(history, fx.through(f, &j)...)
	e, err := j.Disrupt(DisruptionNewPractice, fx.after(3))
	if err != nil {
		f.Fatal(err)
	}
	history = append(history, e)
	tr, begun, err := BeginTraining(j.LinkWorker(), []Area{{"safeguarding", "safeguarding"}, {"it_systems", ""}}, fx.after(1))
	if err != nil {
		f.Fatal(err)
	}
	done, err := tr.Complete("safeguarding", fx.after(1))
	if err != nil {
		f.Fatal(err)
	}
	history = append(history, begun, done)
	var buf bytes.Buffer
	if err := c.Encode(&buf, history); err != nil {
		f.Fatal(err)
	}
	stream := buf.Bytes()
	f.Add(stream)
	lines := bytes.SplitAfter(stream, []byte("\n"))
	f.Add(bytes.Join(lines[1:], nil))                                     // no start
	f.Add(bytes.Join(append(slices.Clone(lines[:3]), lines[4:]...), nil)) // support left out
	f.Add(bytes.Join([][]byte{lines[0], lines[0]}, nil))                  // started twice
	f.Add(bytes.Replace(stream, []byte("2025-"), []byte("2024-"), 2))     // time going backwards
	f.Add(bytes.Replace(stream, []byte(`"safeguarding"`), []byte(`"safe\ufffdguarding"`), 1))
	f.Add([]byte(`{"type":"liminality.training_begun","event":{"link_worker":"` + j.LinkWorker().String() + `","curriculum":[],"at":"2025-01-01T00:00:00Z"}}`))
	f.Add([]byte(`{"type":"liminality.started","event":{"link_worker":"` + j.LinkWorker().String() + `","at":"9999-12-31T23:59:59Z"}}` + "\n" +
		`{"type":"liminality.phase_changed","event":{"link_worker":"` + j.LinkWorker().String() + `","from":"separation","to":"liminal","at":"9999-12-31T23:59:59.5+00:00"}}`))

	f.Fuzz(func(t *testing.T, b []byte) {
		events, err := c.Decode(bytes.NewReader(b))
		if err != nil {
			return // the codec refused the stream
		}
		var journeyEvents, trainingEvents []prescribing.Event
		for _, e := range events {
			switch e.(type) {
			case TrainingBegun, TrainingCompleted:
				trainingEvents = append(trainingEvents, e)
			default:
				journeyEvents = append(journeyEvents, e)
			}
		}
		var j Journey
		eventtest.ReplayStoredAgain(t, c, &j, journeyEvents, func() prescribing.Applier { return new(Journey) })
		var tr TrainingRecord
		eventtest.ReplayStoredAgain(t, c, &tr, trainingEvents, func() prescribing.Applier { return new(TrainingRecord) })
		_ = fmt.Sprint(j)
		_ = tr.Coverage()
	})
}

// rateOf returns a base rate that names a test population and period.
func rateOf(r float64) BaseRate {
	return BaseRate{Rate: r, Population: "a test cohort", Period: "a test period"}
}

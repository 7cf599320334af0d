package embeddedness

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type fixture struct {
	ids  prescribing.IDSource
	lw   prescribing.LinkWorkerID
	p1   prescribing.PracticeID
	p2   prescribing.PracticeID
	date time.Time
}

func newFixture() *fixture {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(5, 5)))
	return &fixture{ids: ids, lw: prescribing.NewID[prescribing.LinkWorker](ids),
		p1: prescribing.NewID[prescribing.Practice](ids), p2: prescribing.NewID[prescribing.Practice](ids),
		date: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)}
}

func (f *fixture) assessment(p prescribing.PracticeID, months int, obs ...Observation) Assessment {
	return Assessment{ID: prescribing.NewID[Assessment](f.ids), LinkWorker: f.lw, Practice: p,
		On: f.date.AddDate(0, months, 0), Observations: obs}
}

// all returns an observation of every default indicator with the score.
func all(score float64) []Observation {
	var out []Observation
	for _, in := range DefaultIndicators() {
		out = append(out, Observation{Indicator: in.Key, Score: score})
	}
	return out
}

var bothSides = Adjustments{
	ByPractice:   Adjustment{Kind: AdjustmentKindAccess, Description: "gave the link worker a room and clinical system access"},
	ByLinkWorker: Adjustment{Kind: AdjustmentKindWorkingPattern, Description: "moved clinics to the days the practice nurse runs long-term condition reviews"},
}

func TestEMB_1_PositionsAreOrderedWithTextAndJSON(t *testing.T) {
	assert.True(t, PositionBoltedOn < PositionFittingIn && PositionFittingIn < PositionBelonging)
	assert.Equal(t, []Position{PositionBoltedOn, PositionFittingIn, PositionBelonging}, Positions())
	for _, p := range Positions() {
		b, err := json.Marshal(p)
		require.NoError(t, err)
		var back Position
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, p, back)
		text, err := p.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, p.String(), string(text))
	}
	b, err := json.Marshal(PositionFittingIn)
	require.NoError(t, err)
	assert.Equal(t, `"fitting_in"`, string(b))
	var p Position
	assert.ErrorIs(t, p.UnmarshalText([]byte("embedded")), prescribing.ErrUnknownValue)
	assert.Error(t, json.Unmarshal([]byte(`2`), &p), "numbers are not a position's JSON form")
}

func TestEMB_2_ScorePerConceptOverallPositionAndWhatHoldsItBack(t *testing.T) {
	f := newFixture()
	fw := DefaultFramework()
	a := f.assessment(f.p1, 0,
		Met(IndicatorTeamMeetings, true),   // power 1
		Met(IndicatorStaffKnowRole, false), // identity (0 + 0.5)/2
		Observation{Indicator: IndicatorAppropriateReferrals, Score: 0.5},
		Met(IndicatorFeedbackShown, false), // effect 0
		Met(IndicatorClinicalSystem, true), // infrastructure (1+1+0.5)/3
		Met(IndicatorRoom, true),
		Observation{Indicator: IndicatorSupervision, Score: 0.5},
	)
	r, err := fw.Assess(a)
	require.NoError(t, err)
	want := map[Concept]float64{ConceptPower: 1, ConceptIdentity: 0.25, ConceptEffect: 0, ConceptInfrastructure: 2.5 / 3}
	require.Len(t, r.Concepts, 4)
	for _, c := range r.Concepts {
		assert.InDelta(t, want[c.Concept], c.Score, 1e-9, c.Concept.String())
	}
	assert.InDelta(t, (1+0.25+0+2.5/3)/4, r.Overall, 1e-9)
	assert.Equal(t, PositionFittingIn, r.Position)
	var held []string
	for _, h := range r.HeldBack {
		held = append(held, h.Indicator)
	}
	assert.Equal(t, []string{IndicatorFeedbackShown, IndicatorStaffKnowRole, IndicatorAppropriateReferrals, IndicatorSupervision}, held,
		"weakest first, then by key")
	assert.Equal(t, ConceptEffect, r.HeldBack[0].Concept)
	assert.Equal(t, "feedback and outcomes shown to the practice", r.HeldBack[0].Why)
	assert.Equal(t, "fitting_in (0.52): held back by feedback_shown 0, staff_know_role 0, appropriate_referrals 0.5, supervision 0.5", r.Explain())

	// Thresholds place positions.
	for score, pos := range map[float64]Position{0: PositionBoltedOn, 0.3: PositionBoltedOn, 0.34: PositionFittingIn, 0.66: PositionFittingIn, 0.67: PositionBelonging, 1: PositionBelonging} {
		a := f.assessment(f.p1, 0, all(score)...)
		a.Adjustments = bothSides
		r, err := fw.Assess(a)
		require.NoError(t, err)
		assert.Equal(t, pos, r.Position, "score %g", score)
	}

	// Concepts not observed are left out of the overall score.
	r, err = fw.Assess(f.assessment(f.p1, 0, Met(IndicatorRoom, true), Met(IndicatorTeamMeetings, false)))
	require.NoError(t, err)
	assert.InDelta(t, 0.5, r.Overall, 1e-9)
	assert.Zero(t, r.Concepts[ConceptIdentity-1].Observed)
}

func TestEMB_2_CallersExtendTheIndicators(t *testing.T) {
	f := newFixture()
	fw, err := DefaultFramework().With(Indicator{Key: "named_practice_contact", Concept: ConceptPower, Description: "a named GP partner champions the role"})
	require.NoError(t, err)
	assert.Len(t, fw.Indicators(), len(DefaultIndicators())+1)
	r, err := fw.Assess(f.assessment(f.p1, 0, Met("named_practice_contact", false), Met(IndicatorTeamMeetings, true)))
	require.NoError(t, err)
	assert.InDelta(t, 0.5, r.Concepts[ConceptPower-1].Score, 1e-9)

	_, err = DefaultFramework().Assess(f.assessment(f.p1, 0, Met("named_practice_contact", true)))
	assert.ErrorIs(t, err, ErrUnknownIndicator)
	_, err = DefaultFramework().With(Indicator{Key: IndicatorRoom, Concept: ConceptEffect})
	assert.ErrorIs(t, err, ErrInvalidIndicator, "a key given twice")
	_, err = DefaultFramework().With(Indicator{Key: "x"})
	assert.ErrorIs(t, err, ErrInvalidIndicator, "tied to no concept")
	_, err = NewFramework(DefaultThresholds(), Indicator{Key: "only_power", Concept: ConceptPower})
	assert.ErrorIs(t, err, ErrInvalidIndicator, "every concept needs an indicator")
	_, err = NewFramework(Thresholds{FittingIn: 0.7, Belonging: 0.5}, DefaultIndicators()...)
	assert.ErrorIs(t, err, ErrInvalidIndicator, "thresholds out of order")
}

func TestEMB_2_BadAssessmentsAreRefused(t *testing.T) {
	f := newFixture()
	fw := DefaultFramework()
	cases := map[string]Assessment{
		"no observations":   f.assessment(f.p1, 0),
		"score above 1":     f.assessment(f.p1, 0, Observation{Indicator: IndicatorRoom, Score: 1.5}),
		"negative score":    f.assessment(f.p1, 0, Observation{Indicator: IndicatorRoom, Score: -0.1}),
		"observed twice":    f.assessment(f.p1, 0, Met(IndicatorRoom, true), Met(IndicatorRoom, false)),
		"unknown indicator": f.assessment(f.p1, 0, Met("parking_space", true)),
	}
	for name, a := range cases {
		_, err := fw.Assess(a)
		assert.Error(t, err, name)
	}
	a := f.assessment(f.p1, 0, Met(IndicatorRoom, true))
	a.Practice = prescribing.PracticeID{}
	_, err := fw.Assess(a)
	assert.ErrorIs(t, err, prescribing.ErrInvalidID)
	a = f.assessment(f.p1, 0, Met(IndicatorRoom, true))
	a.On = time.Time{}
	_, err = fw.Assess(a)
	assert.ErrorIs(t, err, prescribing.ErrNoTime)
}

func TestEMB_3_BelongingNeedsAdjustmentByBothSides(t *testing.T) {
	f := newFixture()
	fw := DefaultFramework()
	for name, adj := range map[string]Adjustments{
		"none":             {},
		"practice only":    {ByPractice: bothSides.ByPractice},
		"link worker only": {ByLinkWorker: bothSides.ByLinkWorker},
	} {
		a := f.assessment(f.p1, 0, all(1)...)
		a.Adjustments = adj
		r, err := fw.Assess(a)
		require.NoError(t, err)
		assert.Equal(t, PositionFittingIn, r.Position, "%s: at most fitting in, whatever the score", name)
		assert.True(t, r.CappedByAdjustment, name)
		require.NotEmpty(t, r.HeldBack)
		assert.Contains(t, r.HeldBack[0].Why, "EMB-3", name)
	}
	a := f.assessment(f.p1, 0, all(1)...)
	a.Adjustments = Adjustments{ByPractice: bothSides.ByPractice}
	r, _ := fw.Assess(a)
	assert.Equal(t, "fitting_in (1.00): held back by no evidence of adjustment by the link worker (EMB-3)", r.Explain())

	a.Adjustments = bothSides
	r, err := fw.Assess(a)
	require.NoError(t, err)
	assert.Equal(t, PositionBelonging, r.Position)
	assert.False(t, r.CappedByAdjustment)
	assert.Empty(t, r.HeldBack)

	// A stored result claiming belonging without the evidence is refused.
	rec := mustOpen(t, f.lw)
	bad := Assessed{Assessment: f.assessment(f.p1, 0, all(1)...), Result: Result{Position: PositionBelonging, Overall: 1}}
	assert.ErrorIs(t, rec.Apply(bad), ErrInvalidObservation)
}

func TestEMB_4_OnePositionPerPracticeAndTrajectories(t *testing.T) {
	f := newFixture()
	fw := DefaultFramework()
	rec := mustOpen(t, f.lw)
	assess := func(p prescribing.PracticeID, months int, score float64, adj Adjustments) {
		a := f.assessment(p, months, all(score)...)
		a.Adjustments = adj
		_, err := rec.Assess(fw, a)
		require.NoError(t, err)
	}
	// Practice 1: bolted on, fitting in, belonging.
	assess(f.p1, 0, 0.2, Adjustments{})
	assess(f.p1, 6, 0.5, Adjustments{})
	assess(f.p1, 12, 0.9, bothSides)
	// Practice 2: belonging slipping back to fitting in.
	assess(f.p2, 0, 0.9, bothSides)
	assess(f.p2, 12, 0.6, bothSides)

	got := map[prescribing.PracticeID]Position{}
	for _, pp := range rec.Positions() {
		got[pp.Practice] = pp.Position
	}
	assert.Equal(t, map[prescribing.PracticeID]Position{f.p1: PositionBelonging, f.p2: PositionFittingIn}, got, "one position per practice, the latest")
	pos := rec.Positions()
	assert.Negative(t, pos[0].Practice.Compare(pos[1].Practice), "ordered by practice")

	t1, ok := rec.Trajectory(f.p1)
	require.True(t, ok)
	assert.Equal(t, Trajectory{Practice: f.p1, Direction: DirectionTowardsBelonging, From: PositionBoltedOn, To: PositionBelonging, Change: 0.9 - 0.2, Assessments: 3},
		roundChange(t1))
	t2, _ := rec.Trajectory(f.p2)
	assert.Equal(t, DirectionRegressing, t2.Direction)
	assert.Equal(t, PositionBelonging, t2.From)

	// Within one position, the score decides beyond the tolerance.
	p3 := prescribing.NewID[prescribing.Practice](f.ids)
	assess(p3, 0, 0.40, Adjustments{})
	assess(p3, 3, 0.42, Adjustments{})
	t3, _ := rec.Trajectory(p3)
	assert.Equal(t, DirectionStable, t3.Direction)
	assess(p3, 6, 0.60, Adjustments{})
	t3, _ = rec.Trajectory(p3)
	assert.Equal(t, DirectionTowardsBelonging, t3.Direction, "still fitting in, but the score rose")
	assert.Len(t, rec.Series(p3), 3)

	_, ok = rec.Trajectory(prescribing.NewID[prescribing.Practice](f.ids))
	assert.False(t, ok, "no series")

	// Assessments at one practice go forward in time; another link worker's
	// assessment does not belong in this record.
	_, err := rec.Assess(fw, f.assessment(f.p1, 3, all(0.5)...))
	assert.ErrorIs(t, err, prescribing.ErrTimeWentBackwards)
	other := f.assessment(f.p1, 24, all(0.5)...)
	other.LinkWorker = prescribing.NewID[prescribing.LinkWorker](f.ids)
	_, err = rec.Assess(fw, other)
	assert.ErrorIs(t, err, prescribing.ErrWrongSubject)
}

func roundChange(t Trajectory) Trajectory {
	t.Change = float64(int(t.Change*1e6+0.5)) / 1e6
	return t
}

func TestEMB_5_InappropriateReferralsAsAnIdentityIndicator(t *testing.T) {
	f := newFixture()
	patient := prescribing.NewID[prescribing.Patient](f.ids)
	var refs []prescribing.Referral
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)
	receive := func(practice prescribing.PracticeID, at time.Time, fate prescribing.State) {
		r, _, err := prescribing.ReceiveReferral(prescribing.NewReferral{ID: prescribing.NewID[prescribing.Referral](f.ids),
			Patient: patient, Practice: practice, Source: prescribing.SourceGP}, at)
		require.NoError(t, err)
		switch fate {
		case prescribing.StateRejected:
			_, err = r.Reject(at.Add(time.Hour), "clinical need: outside the role")
		case prescribing.StateAccepted:
			_, err = r.Accept(at.Add(time.Hour), lw)
		case prescribing.StateCancelled:
			_, err = r.Cancel(at.Add(time.Hour), "moved away")
		}
		require.NoError(t, err)
		refs = append(refs, r)
	}
	// Practice 1: 20 referrals in the year, 3 rejected, the rest accepted,
	// cancelled or still waiting; plus referrals that must not count.
	for i := range 20 {
		fate := []prescribing.State{prescribing.StateAccepted, prescribing.StateCancelled, prescribing.StateReceived}[i%3]
		if i < 3 {
			fate = prescribing.StateRejected
		}
		receive(f.p1, f.date.AddDate(0, 0, i*7), fate)
	}
	receive(f.p1, f.date.AddDate(-1, 0, 0), prescribing.StateRejected) // before the period
	receive(f.p2, f.date.AddDate(0, 1, 0), prescribing.StateRejected)  // another practice

	s, err := InappropriateShare(refs, f.p1, f.date, f.date.AddDate(1, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, ReferralShare{Practice: f.p1, Referrals: 20, Inappropriate: 3, Share: 0.15}, s)

	o, err := s.Observation(DefaultReferralScale())
	require.NoError(t, err)
	assert.Equal(t, IndicatorAppropriateReferrals, o.Indicator)
	assert.InDelta(t, (0.20-0.15)/(0.20-0.04), o.Score, 1e-9)
	in, _ := DefaultFramework().Indicator(o.Indicator)
	assert.Equal(t, ConceptIdentity, in.Concept, "an indicator of identity")

	scale := DefaultReferralScale()
	for share, want := range map[float64]float64{0: 1, 0.04: 1, 0.12: 0.5, 0.20: 0, 0.5: 0} {
		o, _ := ReferralShare{Referrals: 100, Share: share}.Observation(scale)
		assert.InDelta(t, want, o.Score, 1e-9, "share %g", share)
	}
	o, _ = ReferralShare{Referrals: 10, Share: 0.1}.Observation(ReferralScale{Good: 0.1, Poor: 0.1})
	assert.Equal(t, 1.0, o.Score, "a step scale")
	_, err = ReferralShare{}.Observation(scale)
	assert.ErrorIs(t, err, ErrNoReferrals, "no referrals, nothing to judge")
	_, err = InappropriateShare(refs, f.p1, f.date, f.date)
	assert.ErrorIs(t, err, prescribing.ErrInvalidPeriod)

	// The share feeds an assessment.
	fromShare, _ := s.Observation(DefaultReferralScale())
	r, err := DefaultFramework().Assess(f.assessment(f.p1, 0, fromShare))
	require.NoError(t, err)
	assert.InDelta(t, fromShare.Score, r.Concepts[ConceptIdentity-1].Score, 1e-9)
}

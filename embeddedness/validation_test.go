package embeddedness

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
	invalidUTF8 = "room \xff\xfe"
	withNUL     = "room\x00"
	tooLong     = strings.Repeat("a", prescribing.MaxTextBytes+1)
)

// TestEMB_2_LiveAssessRefusesWhatTheCodecCannotCarry: every refusal of
// Record.Assess wraps a documented sentinel, returns the zero event and
// leaves the record as it was; Apply refuses the same assessment inside an
// event with a sound result.
func TestEMB_2_LiveAssessRefusesWhatTheCodecCannotCarry(t *testing.T) {
	f := newFixture()
	fw := DefaultFramework()
	good := func() Assessment {
		a := f.assessment(f.p1, 12, all(1)...)
		a.Adjustments = bothSides
		return a
	}
	soundResult, err := fw.Assess(good())
	require.NoError(t, err)
	cases := []struct {
		name   string
		change func(*Assessment)
		want   error
	}{
		{"year 10000", func(a *Assessment) { a.On = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, prescribing.ErrTimeOutOfRange},
		{"year 0", func(a *Assessment) { a.On = time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC) }, prescribing.ErrTimeOutOfRange},
		{"year 9999 west of Greenwich is 10000 in UTC", func(a *Assessment) {
			a.On = time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("UTC-5", -5*3600))
		}, prescribing.ErrTimeOutOfRange},
		{"no date", func(a *Assessment) { a.On = time.Time{} }, prescribing.ErrNoTime},
		{"before the last at the practice", func(a *Assessment) { a.On = f.date }, prescribing.ErrTimeWentBackwards},
		{"no ID", func(a *Assessment) { a.ID = AssessmentID{} }, prescribing.ErrInvalidID},
		{"no practice", func(a *Assessment) { a.Practice = prescribing.PracticeID{} }, prescribing.ErrInvalidID},
		{"another link worker", func(a *Assessment) { a.LinkWorker = prescribing.NewID[prescribing.LinkWorker](f.ids) }, prescribing.ErrWrongSubject},
		{"indicator not UTF-8", func(a *Assessment) { a.Observations[0].Indicator = invalidUTF8 }, prescribing.ErrInvalidText},
		{"indicator with NUL", func(a *Assessment) { a.Observations[0].Indicator = withNUL }, prescribing.ErrInvalidText},
		{"indicator too long", func(a *Assessment) { a.Observations[0].Indicator = tooLong }, prescribing.ErrInvalidText},
		{"blank indicator", func(a *Assessment) { a.Observations[0].Indicator = " " }, ErrInvalidObservation},
		{"indicator twice", func(a *Assessment) { a.Observations[1].Indicator = a.Observations[0].Indicator }, ErrInvalidObservation},
		{"no observation", func(a *Assessment) { a.Observations = nil }, ErrInvalidObservation},
		{"score NaN", func(a *Assessment) { a.Observations[0].Score = math.NaN() }, prescribing.ErrNotFinite},
		{"score +Inf", func(a *Assessment) { a.Observations[0].Score = math.Inf(1) }, prescribing.ErrNotFinite},
		{"score -Inf", func(a *Assessment) { a.Observations[0].Score = math.Inf(-1) }, prescribing.ErrNotFinite},
		{"score just above 1", func(a *Assessment) { a.Observations[0].Score = math.Nextafter(1, 2) }, ErrInvalidObservation},
		{"score just below 0", func(a *Assessment) { a.Observations[0].Score = math.Nextafter(0, -1) }, ErrInvalidObservation},
		{"adjustment kind out of vocabulary", func(a *Assessment) { a.Adjustments.ByPractice.Kind = AdjustmentKind(99) }, prescribing.ErrUnknownValue},
		{"adjustment not UTF-8", func(a *Assessment) { a.Adjustments.ByLinkWorker.Description = invalidUTF8 + " moved clinics" }, prescribing.ErrInvalidText},
		{"adjustment with NUL", func(a *Assessment) { a.Adjustments.ByLinkWorker.Description = "moved clinics\x00" }, prescribing.ErrInvalidText},
		{"adjustment too long", func(a *Assessment) { a.Adjustments.ByPractice.Description = tooLong }, prescribing.ErrInvalidText},
		{"adjustment n/a", func(a *Assessment) { a.Adjustments.ByPractice.Description = "n/a" }, ErrInvalidAdjustment},
		{"adjustment without a kind", func(a *Assessment) { a.Adjustments.ByPractice.Kind = 0 }, ErrInvalidAdjustment},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, _ := f.history(t)
			before := rec
			a := good()
			c.change(&a)
			e, err := rec.Assess(fw, a)
			require.ErrorIs(t, err, c.want)
			assert.Zero(t, e, "a refusal returns the zero event")
			assert.Equal(t, before, rec, "a refusal changes nothing")

			a.On = prescribing.Stamp(a.On)
			assert.ErrorIs(t, rec.Apply(Assessed{Assessment: a, Result: soundResult}), c.want, "replay refuses what live refuses")
			assert.Equal(t, before, rec)
		})
	}
	rec, _ := f.history(t)
	_, err = rec.Assess(fw, good())
	require.NoError(t, err, "the assessment every case changes is accepted as it is")
}

// TestEMB_2_ApplyRefusesAResultThatIsNotWhole: a stored result with a
// score JSON cannot carry, a value outside its vocabulary or text that is
// not valid is refused on replay.
func TestEMB_2_ApplyRefusesAResultThatIsNotWhole(t *testing.T) {
	f := newFixture()
	fw := DefaultFramework()
	a := f.assessment(f.p1, 0, all(0.5)...)
	res, err := fw.Assess(a)
	require.NoError(t, err)
	require.NotEmpty(t, res.HeldBack)
	cases := []struct {
		name   string
		change func(*Result)
		want   error
	}{
		{"overall NaN", func(r *Result) { r.Overall = math.NaN() }, prescribing.ErrNotFinite},
		{"overall above 1", func(r *Result) { r.Overall = 1.5 }, ErrInvalidObservation},
		{"position out of vocabulary", func(r *Result) { r.Position = Position(9) }, prescribing.ErrUnknownValue},
		{"no position", func(r *Result) { r.Position = 0 }, prescribing.ErrUnknownValue},
		{"concept out of vocabulary", func(r *Result) { r.Concepts[0].Concept = Concept(7) }, prescribing.ErrUnknownValue},
		{"concept score +Inf", func(r *Result) { r.Concepts[1].Score = math.Inf(1) }, prescribing.ErrNotFinite},
		{"concept observed -1 times", func(r *Result) { r.Concepts[1].Observed = -1 }, ErrInvalidObservation},
		{"held back for a reason not UTF-8", func(r *Result) { r.HeldBack[0].Why = invalidUTF8 }, prescribing.ErrInvalidText},
		{"held back indicator with NUL", func(r *Result) { r.HeldBack[0].Indicator = withNUL }, prescribing.ErrInvalidText},
		{"held back score NaN", func(r *Result) { r.HeldBack[0].Score = math.NaN() }, prescribing.ErrNotFinite},
		{"held back concept out of vocabulary", func(r *Result) { r.HeldBack[0].Concept = Concept(200) }, prescribing.ErrUnknownValue},
		{"belonging without evidence (EMB-3)", func(r *Result) { r.Position = PositionBelonging }, ErrInvalidObservation},
		{"capped but bolted on (EMB-3)", func(r *Result) { r.Position, r.CappedByAdjustment = PositionBoltedOn, true }, ErrInvalidObservation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := mustOpen(t, f.lw)
			r := res
			r.Concepts = append([]ConceptScore(nil), res.Concepts...)
			r.HeldBack = append([]HeldBack(nil), res.HeldBack...)
			c.change(&r)
			assert.ErrorIs(t, rec.Apply(Assessed{Assessment: a, Result: r}), c.want)
			assert.Equal(t, mustOpen(t, f.lw), rec)
		})
	}
	rec := mustOpen(t, f.lw)
	require.NoError(t, rec.Apply(Assessed{Assessment: a, Result: res}), "the result as computed is whole")
}

func TestEMB_2_FrameworksRefuseThresholdsAndTextThatAreNotSound(t *testing.T) {
	for name, c := range map[string]struct {
		t    Thresholds
		in   Indicator
		want error
	}{
		"fitting in NaN":            {Thresholds{FittingIn: math.NaN(), Belonging: 0.6}, Indicator{}, prescribing.ErrNotFinite},
		"belonging +Inf":            {Thresholds{FittingIn: 0.3, Belonging: math.Inf(1)}, Indicator{}, prescribing.ErrNotFinite},
		"key not UTF-8":             {DefaultThresholds(), Indicator{Key: invalidUTF8, Concept: ConceptPower}, prescribing.ErrInvalidText},
		"key too long":              {DefaultThresholds(), Indicator{Key: tooLong, Concept: ConceptPower}, prescribing.ErrInvalidText},
		"description with NUL":      {DefaultThresholds(), Indicator{Key: "champion", Concept: ConceptPower, Description: withNUL}, prescribing.ErrInvalidText},
		"concept out of vocabulary": {DefaultThresholds(), Indicator{Key: "champion", Concept: Concept(5)}, prescribing.ErrUnknownValue},
		"belonging at 1 and over":   {Thresholds{FittingIn: 0.3, Belonging: math.Nextafter(1, 2)}, Indicator{}, ErrInvalidIndicator},
	} {
		indicators := DefaultIndicators()
		if c.in != (Indicator{}) {
			indicators = append(indicators, c.in)
		}
		fw, err := NewFramework(c.t, indicators...)
		assert.ErrorIs(t, err, c.want, name)
		assert.ErrorIs(t, err, ErrInvalidIndicator, name)
		assert.Nil(t, fw, name)
	}
	_, err := NewFramework(Thresholds{FittingIn: 0.3, Belonging: 1}, DefaultIndicators()...)
	assert.NoError(t, err, "belonging at exactly 1 is allowed")
}

// TestEMB_3_EvidenceIsAKindAndADescriptionThatSaysSomething: "n/a", "-" and
// their kin are not evidence of adjustment; a side left empty is no
// evidence, and caps the position at fitting in.
func TestEMB_3_EvidenceIsAKindAndADescriptionThatSaysSomething(t *testing.T) {
	for _, d := range []string{"", " ", "\t\n", "-", "--", "n/a", "N/A", "N/A.", "na", "none", "None.", "nil", "null",
		"TBC", "tbd", "?", "...", "x", "XXX", "no", "ok", "see notes", "As above", "not applicable", "Unknown", "yes", "other", "1234",
		"N/A N/A", "nothing changed", "none at all", "xxxx", "aaa", "see above", "\u200b"} {
		err := Adjustment{Kind: AdjustmentKindAccess, Description: d}.Validate()
		assert.ErrorIs(t, err, ErrInvalidAdjustment, "%q is not evidence", d)
	}
	for _, d := range []string{"gave a room", "GP partner champions the role at meetings", "Added to EMIS rota",
		"la consulta cambió de día", "joined the huddle", "rota changed for the link worker", "EMIS access"} {
		assert.NoError(t, Adjustment{Kind: AdjustmentKindTeamInclusion, Description: d}.Validate(), d)
	}
	assert.ErrorIs(t, Adjustment{Description: "gave a room"}.Validate(), ErrInvalidAdjustment, "a description needs a kind")
	assert.ErrorIs(t, Adjustment{Kind: AdjustmentKindRole}.Validate(), ErrInvalidAdjustment, "a kind needs a description")
	err := Adjustment{Kind: AdjustmentKind(len(AdjustmentKinds()) + 1), Description: "gave a room"}.Validate()
	assert.ErrorIs(t, err, ErrInvalidAdjustment)
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
	assert.NoError(t, Adjustment{}.Validate(), "an empty side is no evidence, not bad evidence")

	assert.True(t, bothSides.Both())
	assert.False(t, Adjustments{ByPractice: bothSides.ByPractice}.Both())
	assert.False(t, Adjustments{ByPractice: bothSides.ByPractice, ByLinkWorker: Adjustment{Kind: AdjustmentKindOther, Description: "n/a"}}.Both())

	// A placeholder is refused rather than taken for evidence; the caller
	// leaves the side empty instead, and the position is capped.
	f := newFixture()
	fw := DefaultFramework()
	a := f.assessment(f.p1, 0, all(1)...)
	a.Adjustments = Adjustments{ByPractice: bothSides.ByPractice, ByLinkWorker: Adjustment{Kind: AdjustmentKindOther, Description: "-"}}
	_, err = fw.Assess(a)
	assert.ErrorIs(t, err, ErrInvalidAdjustment)
	a.Adjustments.ByLinkWorker = Adjustment{}
	r, err := fw.Assess(a)
	require.NoError(t, err)
	assert.Equal(t, PositionFittingIn, r.Position)
	assert.True(t, r.CappedByAdjustment)
}

// TestEMB_2_BelongingThresholdAtEquality: a score exactly at a threshold
// reaches the position above it; the next float below does not.
func TestEMB_2_BelongingThresholdAtEquality(t *testing.T) {
	f := newFixture()
	th := Thresholds{FittingIn: 0.25, Belonging: 0.5}
	fw, err := NewFramework(th, DefaultIndicators()...)
	require.NoError(t, err)
	for _, c := range []struct {
		score float64
		want  Position
	}{
		{th.Belonging, PositionBelonging},
		{math.Nextafter(th.Belonging, 0), PositionFittingIn},
		{th.FittingIn, PositionFittingIn},
		{math.Nextafter(th.FittingIn, 0), PositionBoltedOn},
	} {
		a := f.assessment(f.p1, 0, Observation{Indicator: IndicatorRoom, Score: c.score})
		a.Adjustments = bothSides
		r, err := fw.Assess(a)
		require.NoError(t, err)
		require.Equal(t, c.score, r.Overall, "one observation scores the assessment exactly")
		assert.Equal(t, c.want, r.Position, "score %v", c.score)
	}
}

// TestEMB_4_TrajectoryToleranceAtAndBeyond: within one position, a change
// of exactly ScoreTolerance is stable; the next float beyond it moves.
func TestEMB_4_TrajectoryToleranceAtAndBeyond(t *testing.T) {
	// The documented tolerance, written out: the test fails if the
	// constant moves, not only if the comparison does.
	const tolerance = 0.05
	beyond := math.Nextafter(tolerance, 1)
	for _, c := range []struct {
		name        string
		first, last float64
		want        Direction
	}{
		{"up by exactly the tolerance", 0, tolerance, DirectionStable},
		{"up just beyond it", 0, beyond, DirectionTowardsBelonging},
		{"down by exactly the tolerance", tolerance, 0, DirectionStable},
		{"down just beyond it", beyond, 0, DirectionRegressing},
		{"no change", 0.1, 0.1, DirectionStable},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture()
			fw := DefaultFramework()
			rec := mustOpen(t, f.lw)
			for i, score := range []float64{c.first, c.last} {
				_, err := rec.Assess(fw, f.assessment(f.p1, i, Observation{Indicator: IndicatorRoom, Score: score}))
				require.NoError(t, err)
			}
			tr, ok := rec.Trajectory(f.p1)
			require.True(t, ok)
			require.Equal(t, PositionBoltedOn, tr.From, "the same position at both ends")
			require.Equal(t, PositionBoltedOn, tr.To)
			assert.Equal(t, c.want, tr.Direction, "change %v", tr.Change)
		})
	}
}

// TestEMB_5_EnteredInErrorIsNoReferral: a referral entered in error counts
// neither as a referral nor as an inappropriate one.
func TestEMB_5_EnteredInErrorIsNoReferral(t *testing.T) {
	f := newFixture()
	patient := prescribing.NewID[prescribing.Patient](f.ids)
	var refs []prescribing.Referral
	for i := range 10 {
		at := f.date.AddDate(0, 0, i)
		r, _, err := prescribing.ReceiveReferral(prescribing.NewReferral{ID: prescribing.NewID[prescribing.Referral](f.ids),
			Patient: patient, Practice: f.p1, Source: prescribing.SourceGP}, at)
		require.NoError(t, err)
		switch {
		case i < 2:
			_, err = r.Reject(at.Add(time.Hour), "outside the role")
		case i < 6:
			_, err = r.EnterInError(at.Add(time.Hour), "wrong patient record")
		}
		require.NoError(t, err)
		refs = append(refs, r)
	}
	s, err := InappropriateShare(refs, f.p1, f.date, f.date.AddDate(0, 1, 0))
	require.NoError(t, err)
	assert.Equal(t, ReferralShare{Practice: f.p1, Referrals: 6, Inappropriate: 2, Share: 2.0 / 6}, s)

	_, err = InappropriateShare(refs, f.p1, f.date, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.ErrorIs(t, err, prescribing.ErrTimeOutOfRange)
}

func TestEMB_5_SharesAndScalesMustBeFiniteShares(t *testing.T) {
	good := ReferralShare{Referrals: 10, Inappropriate: 1, Share: 0.1}
	for name, c := range map[string]struct {
		s     ReferralShare
		scale ReferralScale
		want  error
	}{
		"share NaN":                   {ReferralShare{Referrals: 10, Share: math.NaN()}, DefaultReferralScale(), prescribing.ErrNotFinite},
		"share +Inf":                  {ReferralShare{Referrals: 10, Share: math.Inf(1)}, DefaultReferralScale(), prescribing.ErrNotFinite},
		"share above 1":               {ReferralShare{Referrals: 10, Share: 1.5}, DefaultReferralScale(), ErrInvalidObservation},
		"more inappropriate than all": {ReferralShare{Referrals: 1, Inappropriate: 2, Share: 1}, DefaultReferralScale(), ErrInvalidObservation},
		"negative referrals":          {ReferralShare{Referrals: -1}, DefaultReferralScale(), ErrInvalidObservation},
		"good NaN":                    {good, ReferralScale{Good: math.NaN(), Poor: 0.2}, prescribing.ErrNotFinite},
		"poor -Inf":                   {good, ReferralScale{Good: 0.04, Poor: math.Inf(-1)}, prescribing.ErrNotFinite},
		"poor above 1":                {good, ReferralScale{Good: 0.04, Poor: 2}, ErrInvalidObservation},
	} {
		o, err := c.s.Observation(c.scale)
		assert.ErrorIs(t, err, c.want, name)
		assert.Zero(t, o, name)
	}
}

// TestEMB_EventTimeIsTheDateGiven: the event's time is the assessment's
// date as given, in UTC.
func TestEMB_EventTimeIsTheDateGiven(t *testing.T) {
	f := newFixture()
	on := time.Date(2026, 5, 4, 10, 30, 0, 0, time.FixedZone("BST", 3600))
	a := f.assessment(f.p1, 0, Met(IndicatorRoom, true))
	a.On = on
	rec := mustOpen(t, f.lw)
	e, err := rec.Assess(DefaultFramework(), a)
	require.NoError(t, err)
	assert.True(t, e.EventTime().Equal(on))
	assert.Equal(t, on.UTC(), e.EventTime(), "stamped in UTC")
	assert.Equal(t, "embeddedness.assessed", e.EventType())
	assert.Equal(t, rec.Stream(), e.EventStream())
}

func TestEMB_1_EveryEnumerationThroughTheVocabulary(t *testing.T) {
	t.Run("position", func(t *testing.T) { eventtest.VocabularyForms[Position](t, Positions()) })
	t.Run("concept", func(t *testing.T) { eventtest.VocabularyForms[Concept](t, Concepts()) })
	t.Run("direction", func(t *testing.T) {
		eventtest.VocabularyForms[Direction](t, []Direction{DirectionTowardsBelonging, DirectionStable, DirectionRegressing})
	})
	t.Run("adjustment kind", func(t *testing.T) { eventtest.VocabularyForms[AdjustmentKind](t, AdjustmentKinds()) })
}

func TestEMB_JSONFieldNamesAreSnakeCase(t *testing.T) {
	f := newFixture()
	rec, history := f.history(t)
	tr, ok := rec.Trajectory(f.p1)
	require.True(t, ok)
	for _, v := range []any{history[2], DefaultThresholds(), DefaultReferralScale(), ReferralShare{Referrals: 1},
		tr, rec.Positions(), rec.Series(f.p1), DefaultIndicators(), bothSides} {
		keys := eventtest.JSONKeys(t, v)
		require.NotEmpty(t, keys)
		for _, k := range keys {
			assert.Regexp(t, eventtest.SnakeCase(), k, "%T", v)
		}
	}
}

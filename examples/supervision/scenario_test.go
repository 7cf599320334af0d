package main

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/discretion"
	"github.com/socialprescribing/linkwork/embeddedness"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata from the seeded scenario")

// scenario is a small seeded service: three link workers under one site
// policy, seven months on. Amara (as the comments call her; the log holds
// only IDs) is stuck: liminal since September with disconnection
// unsupported, supervision lapsed since December, holding four people, one
// at risk, and two acts beyond policy. Ben passed through with supervision
// and peer support and belongs at his practice. Chidi started in February;
// his supervisor left and supervision has ended.
func scenario(t testing.TB) []prescribing.Event {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(2026, 20)))
	amara := prescribing.NewID[prescribing.LinkWorker](ids)
	ben := prescribing.NewID[prescribing.LinkWorker](ids)
	chidi := prescribing.NewID[prescribing.LinkWorker](ids)
	manager, senior := prescribing.NewID[liminality.Supervisor](ids), prescribing.NewID[liminality.Supervisor](ids)
	millLane, riverside := prescribing.NewID[prescribing.Practice](ids), prescribing.NewID[prescribing.Practice](ids)
	start := time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return start.AddDate(0, 0, d) }

	var log []prescribing.Event
	add := func(e prescribing.Event, err error) {
		t.Helper()
		require.NoError(t, err)
		log = append(log, e)
	}
	first := func(e prescribing.Event) { log = append(log, e) }

	// The site's discretion policy.
	_, adopted, err := discretion.AdoptPolicy(prescribing.NewID[discretion.Policy](ids), "North Riverside PCN", map[discretion.Aspect]discretion.Level{
		discretion.AspectHomeVisits:       discretion.LevelBoundaried,
		discretion.AspectOutOfHours:       discretion.LevelFixedRule,
		discretion.AspectPracticalHelp:    discretion.LevelDiscretionary,
		discretion.AspectEmotionalSupport: discretion.LevelGuided,
	}, start)
	require.NoError(t, err)
	first(adopted)

	// Journeys.
	ja, e, err := liminality.Begin(amara, start)
	require.NoError(t, err)
	first(e)
	add(ja.EnterLiminal(day(7)))
	add(ja.NoteTheme(liminality.ThemeAmbiguity, day(30)))
	add(ja.NoteTheme(liminality.ThemeDisconnection, day(45)))
	add(ja.RecordSupport(liminality.RoleSupportPeer, prescribing.SetOf(liminality.ThemeAmbiguity), day(60)))

	jb, e, err := liminality.Begin(ben, start)
	require.NoError(t, err)
	first(e)
	add(jb.EnterLiminal(day(7)))
	add(jb.NoteTheme(liminality.ThemeMisalignment, day(20)))
	add(jb.RecordSupport(liminality.RoleSupportSupervision, prescribing.SetOf(liminality.ThemeMisalignment), day(40)))
	add(jb.Incorporate(day(120)))

	jc, e, err := liminality.Begin(chidi, day(155))
	require.NoError(t, err)
	first(e)
	add(jc.EnterLiminal(day(160)))
	add(jc.NoteTheme(liminality.ThemeInstability, day(175)))

	// Training.
	ta, e2, err := liminality.BeginTraining(amara, nil, start)
	require.NoError(t, err)
	first(e2)
	for _, area := range []string{"it_systems", "safeguarding", "confidentiality"} {
		add(ta.Complete(area, day(30)))
	}
	tb, e2, err := liminality.BeginTraining(ben, nil, start)
	require.NoError(t, err)
	first(e2)
	for _, d := range liminality.DefaultCurriculum()[:9] {
		add(tb.Complete(d.Key, day(90)))
	}

	// Supervision.
	sa, agreed, err := liminality.AgreeSupervision(amara, manager, 28, day(7))
	require.NoError(t, err)
	first(agreed)
	add(sa.HoldSession(manager, day(35)))
	add(sa.HoldSession(manager, day(70)))
	add(sa.HoldSession(manager, day(100)))
	sb, agreed, err := liminality.AgreeSupervision(ben, senior, 28, day(7))
	require.NoError(t, err)
	first(agreed)
	for d := 30; d <= 200; d += 28 {
		add(sb.HoldSession(senior, day(d)))
	}
	sc, agreed, err := liminality.AgreeSupervision(chidi, manager, 28, day(155))
	require.NoError(t, err)
	first(agreed)
	add(sc.Change(senior, 14, day(170)))
	add(sc.End("the supervisor left the service", day(190)))

	// Holding: Amara holds four people, one overdue a review and one at
	// risk after four extensions without readiness or confidence rising;
	// Ben holds one person who is rising.
	begin := func(lw prescribing.LinkWorkerID, reason holding.Reason, at time.Time, endpoint time.Time) holding.Episode {
		t.Helper()
		ep, e, err := holding.Begin(holding.Start{ID: prescribing.NewID[holding.Episode](ids), Patient: prescribing.NewID[prescribing.Patient](ids),
			LinkWorker: lw, Reasons: prescribing.SetOf(reason), At: at,
			Endpoint: holding.Endpoint{At: endpoint, Plan: holding.EndpointPlanReview}})
		require.NoError(t, err)
		first(e)
		return ep
	}
	stalled := begin(amara, holding.ReasonAwaitingReadiness, day(20), day(40))
	flat := holding.Ratings{Motivation: 3, Capacity: 3, Confidence: 3}
	for i := range 4 {
		add(stalled.Review(holding.Review{At: day(40 + 30*i), Ratings: flat, Decision: holding.DecisionExtend,
			Endpoint: holding.Endpoint{At: day(70 + 30*i), Plan: holding.EndpointPlanReview}, Rationale: "still not ready"}))
	}
	begin(amara, holding.ReasonProtectingStaff, day(150), day(190))
	begin(amara, holding.ReasonAwaitingReadiness, day(180), day(230))
	begin(amara, holding.ReasonAwaitingReadiness, day(190), day(240))
	rising := begin(ben, holding.ReasonAwaitingReadiness, day(150), day(180))
	add(rising.Review(holding.Review{At: day(170), Ratings: holding.Ratings{Motivation: 4, Capacity: 4, Confidence: 4}, Decision: holding.DecisionContinue}))
	add(rising.Review(holding.Review{At: day(180), Ratings: holding.Ratings{Motivation: 6, Capacity: 5, Confidence: 6}, Decision: holding.DecisionExtend,
		Endpoint: holding.Endpoint{At: day(230), Plan: holding.EndpointPlanReview}, Rationale: "building confidence"}))

	// Micro-discretions.
	la, opened, err := discretion.OpenLog(amara, start)
	require.NoError(t, err)
	first(opened)
	act := func(l *discretion.Log, lw prescribing.LinkWorkerID, at time.Time, aspect discretion.Aspect, level discretion.Level, what string) {
		t.Helper()
		add(l.Record(discretion.Act{ID: prescribing.NewID[discretion.Act](ids), LinkWorker: lw, At: at, Aspect: aspect,
			Counterpart: discretion.CounterpartPatient, Patient: prescribing.NewID[prescribing.Patient](ids), What: what,
			Motive: discretion.MotivePatientBenefit, Level: level}))
	}
	act(&la, amara, day(100), discretion.AspectOutOfHours, discretion.LevelGuided, "answered a text on a Sunday")
	act(&la, amara, day(140), discretion.AspectHomeVisits, discretion.LevelDiscretionary, "visited at home without a second worker")
	act(&la, amara, day(160), discretion.AspectPracticalHelp, discretion.LevelGuided, "helped fill in a form")
	lb, opened, err := discretion.OpenLog(ben, start)
	require.NoError(t, err)
	first(opened)
	act(&lb, ben, day(130), discretion.AspectEmotionalSupport, discretion.LevelGuided, "an extra half hour to listen")

	// Embeddedness.
	fw := embeddedness.DefaultFramework()
	assess := func(r *embeddedness.Record, lw prescribing.LinkWorkerID, practice prescribing.PracticeID, on time.Time, met map[string]bool, adj embeddedness.Adjustments) {
		t.Helper()
		var obs []embeddedness.Observation
		for _, in := range fw.Indicators() {
			obs = append(obs, embeddedness.Met(in.Key, met[in.Key]))
		}
		add(r.Assess(fw, embeddedness.Assessment{ID: prescribing.NewID[embeddedness.Assessment](ids), LinkWorker: lw, Practice: practice,
			On: on, Observations: obs, Adjustments: adj}))
	}
	ea, rOpened, err := embeddedness.OpenRecord(amara, start)
	require.NoError(t, err)
	first(rOpened)
	assess(&ea, amara, millLane, day(150), map[string]bool{embeddedness.IndicatorFeedbackShown: true}, embeddedness.Adjustments{})
	assess(&ea, amara, riverside, day(150), map[string]bool{embeddedness.IndicatorClinicalSystem: true, embeddedness.IndicatorRoom: true,
		embeddedness.IndicatorSupervision: true, embeddedness.IndicatorFeedbackShown: true}, embeddedness.Adjustments{})
	eb, rOpened, err := embeddedness.OpenRecord(ben, start)
	require.NoError(t, err)
	first(rOpened)
	all := map[string]bool{}
	for _, in := range fw.Indicators() {
		all[in.Key] = true
	}
	assess(&eb, ben, riverside, day(150), all, embeddedness.Adjustments{
		ByPractice:   embeddedness.Adjustment{Kind: embeddedness.AdjustmentKindTeamInclusion, Description: "added the link worker to the Tuesday clinical meeting"},
		ByLinkWorker: embeddedness.Adjustment{Kind: embeddedness.AdjustmentKindWorkingPattern, Description: "runs a drop-in alongside the diabetes clinic"},
	})
	return log
}

// TestSUP_1_SampleLogIsTheSeededScenario: the sample log shipped in
// testdata is the seeded scenario encoded by the codec, byte for byte. Run
// with -update to rewrite it (and the golden reports) after a deliberate
// change.
func TestSUP_1_SampleLogIsTheSeededScenario(t *testing.T) {
	c, err := codec()
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, c.Encode(&buf, scenario(t)))
	path := filepath.Join("testdata", "events.jsonl")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	stored, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, buf.String(), string(stored), "the same seed gives the same bytes")
}

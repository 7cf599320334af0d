package pages

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
)

// fixtureAt is the moment the fixture's pages describe.
var fixtureAt = time.Date(2026, 11, 4, 10, 0, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }

// fixture is a small service: two link workers and a supervisor, their
// referrals, holding episodes and journeys, built through the library's
// live operations with seeded IDs so the pages are the same on every run.
type fixture struct {
	sam, ana, kim       Worker // Sam and Ana are link workers; Kim supervises them
	outsider            Worker // a link worker of another team
	referrals           []prescribing.Referral
	episodes            []holding.Episode
	journeys            []liminality.Journey
	supervisions        []liminality.Supervision
	patients            []prescribing.Patient
	assets              []prescribing.Asset
	followUps           []prescribing.FollowUpDue
	walking, shed       prescribing.AssetID
	onHold, connected   prescribing.ReferralID
	overdueEp, atRiskEp holding.EpisodeID
	// holdReason and walkingName are free text the test may make hostile.
	holdReason, walkingName string
}

type fixtureText struct{ holdReason, walkingName, samName string }

func newFixture(t testing.TB) *fixture {
	return newFixtureWith(t, fixtureText{
		holdReason:  "Waiting for the person's housing move",
		walkingName: "Tuesday walking group",
		samName:     "Sam Okafor",
	})
}

func newFixtureWith(t testing.TB, text fixtureText) *fixture {
	t.Helper()
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(18, 5)))
	f := &fixture{holdReason: text.holdReason, walkingName: text.walkingName}
	f.sam = Worker{ID: prescribing.NewID[prescribing.LinkWorker](ids), Name: text.samName}
	f.ana = Worker{ID: prescribing.NewID[prescribing.LinkWorker](ids), Name: "Ana Kowalska"}
	f.kim = Worker{ID: prescribing.NewID[prescribing.LinkWorker](ids), Name: "Kim Reid"}
	f.outsider = Worker{ID: prescribing.NewID[prescribing.LinkWorker](ids), Name: "Lee Grant"}
	practice := prescribing.NewID[prescribing.Practice](ids)

	asset := func(name string, need prescribing.Need) prescribing.AssetID {
		a, _, err := prescribing.ListAsset(prescribing.NewID[prescribing.Asset](ids),
			prescribing.AssetDetails{Name: name, Needs: []prescribing.Need{need}, OpenAccess: true},
			prescribing.AssetStatusActive, day(2026, 1, 5))
		require.NoError(t, err)
		f.assets = append(f.assets, a)
		return a.ID()
	}
	f.walking = asset(text.walkingName, prescribing.NeedPhysicalActivity)
	f.shed = asset("Riverside men's shed", prescribing.NeedSocialIsolation)

	names := []string{"Alice", "Bilal", "Chloe", "Dev", "Erin", "Femi", "Grace", "Hari", "Ivy", "Jon"}
	patient := func() prescribing.PatientID {
		n := names[len(f.patients)]
		p, _, err := prescribing.RegisterPatient(prescribing.NewID[prescribing.Patient](ids), practice,
			prescribing.PersonalDetails{GivenName: n, FamilyName: "Example"}, day(2026, 1, 2))
		require.NoError(t, err)
		f.patients = append(f.patients, p)
		return p.ID()
	}

	must := func(_ any, err error) {
		t.Helper()
		require.NoError(t, err)
	}
	// referral receives a referral on day received and takes it through
	// the lifecycle up to state to, a week a step.
	referral := func(lw Worker, received time.Time, to prescribing.State) *prescribing.Referral {
		r, _, err := prescribing.ReceiveReferral(prescribing.NewReferral{
			ID: prescribing.NewID[prescribing.Referral](ids), Patient: patient(), Practice: practice,
			Source: prescribing.SourceGP, Referrer: "Dr Patel",
		}, received)
		require.NoError(t, err)
		at := received
		step := func() time.Time { at = at.AddDate(0, 0, 7); return at }
		for _, s := range []prescribing.State{prescribing.StateAccepted, prescribing.StateContacted, prescribing.StateInSupport, prescribing.StateConnected, prescribing.StateOnHold, prescribing.StateClosed} {
			if r.State() == to {
				break
			}
			switch s {
			case prescribing.StateAccepted:
				must(r.Accept(step(), lw.ID))
			case prescribing.StateContacted:
				must(r.RecordFirstContact(step()))
			case prescribing.StateInSupport:
				must(r.StartSupport(step(), prescribing.SupportPlan{
					Needs:   []prescribing.Need{prescribing.NeedPhysicalActivity, prescribing.NeedSocialIsolation},
					Offered: []prescribing.CommunitySupport{{Need: prescribing.NeedPhysicalActivity, Asset: f.walking, Name: "Walking group"}},
				}))
			case prescribing.StateConnected:
				if to == prescribing.StateOnHold {
					continue // put on hold from in-support
				}
				must(r.Connect(step(), prescribing.CommunitySupport{Need: prescribing.NeedPhysicalActivity, Asset: f.walking, Name: "Walking group"}))
			case prescribing.StateOnHold:
				if to != prescribing.StateOnHold {
					continue // close from connected
				}
				must(r.PutOnHold(step(), text.holdReason))
			case prescribing.StateClosed:
				_, err := r.Close(step(), prescribing.OutcomeConnectedAndBenefited)
				require.NoError(t, err)
			}
		}
		require.Equal(t, to, r.State())
		f.referrals = append(f.referrals, r)
		return &f.referrals[len(f.referrals)-1]
	}

	// Sam's caseload.
	held := referral(f.sam, day(2026, 5, 11), prescribing.StateInSupport)
	heldID, heldPatient := held.ID(), held.Patient()
	newer := referral(f.sam, day(2026, 10, 19), prescribing.StateAccepted)
	_ = newer
	connected := referral(f.sam, day(2026, 8, 3), prescribing.StateConnected)
	f.connected = connected.ID()
	// Follow-ups as the library reports them (prescribing.FollowUpDue), with
	// due dates the test chooses.
	due := func(asset prescribing.AssetID, at time.Time, done bool) prescribing.FollowUpDue {
		d := prescribing.FollowUpDue{Referral: connected.ID(), Patient: connected.Patient(), LinkWorker: f.sam.ID, Asset: asset, Due: at}
		if done {
			d.Done = &prescribing.FollowUp{Asset: asset, Attended: true, Helped: true, At: at}
		}
		return d
	}
	f.followUps = append(f.followUps,
		due(f.walking, day(2026, 10, 1), false), // overdue
		due(f.shed, day(2026, 11, 20), false),   // not yet due
		due(f.shed, day(2026, 9, 1), true))      // done
	onHold := referral(f.sam, day(2026, 3, 2), prescribing.StateOnHold)
	f.onHold = onHold.ID()
	stalled := referral(f.sam, day(2026, 2, 2), prescribing.StateInSupport)
	stalledID, stalledPatient := stalled.ID(), stalled.Patient()
	onHoldPatient := onHold.Patient()
	referral(f.sam, day(2026, 1, 12), prescribing.StateClosed) // closed: not open
	// Ana's and the outsider's.
	anaRef := referral(f.ana, day(2026, 6, 1), prescribing.StateInSupport)
	anaRefID, anaPatient := anaRef.ID(), anaRef.Patient()
	referral(f.ana, day(2026, 9, 7), prescribing.StateConnected)
	outRef := referral(f.outsider, day(2026, 4, 6), prescribing.StateInSupport)
	outRefID, outPatient := outRef.ID(), outRef.Patient()

	begin := func(s holding.Start) *holding.Episode {
		t.Helper()
		s.ID = prescribing.NewID[holding.Episode](ids)
		ep, _, err := holding.Begin(s)
		require.NoError(t, err)
		f.episodes = append(f.episodes, ep)
		return &f.episodes[len(f.episodes)-1]
	}
	// Overdue: waiting for a men's shed place, endpoint passed without review.
	overdue := begin(holding.Start{Referral: heldID, Patient: heldPatient, LinkWorker: f.sam.ID,
		Reasons: prescribing.SetOf(holding.ReasonLackOfProvision), Need: prescribing.NeedSocialIsolation, Awaited: f.shed,
		At: day(2026, 6, 15), Endpoint: holding.Endpoint{At: day(2026, 10, 20), Plan: holding.EndpointPlanConnect, Asset: f.shed}})
	f.overdueEp = overdue.ID()
	// At risk: extended four times with readiness and confidence flat.
	stalledEp := begin(holding.Start{Referral: stalledID, Patient: stalledPatient, LinkWorker: f.sam.ID,
		Reasons: prescribing.SetOf(holding.ReasonAwaitingReadiness, holding.ReasonProtectingStaff),
		At:      day(2026, 3, 2), Endpoint: holding.Endpoint{At: day(2026, 4, 6), Plan: holding.EndpointPlanReadinessMilestone}})
	f.atRiskEp = stalledEp.ID()
	end := day(2026, 4, 6)
	for range 4 {
		next := end.AddDate(0, 2, 0)
		must(stalledEp.Review(holding.Review{At: end, Ratings: holding.Ratings{Motivation: 3, Capacity: 2, Confidence: 3},
			Decision: holding.DecisionExtend, Rationale: "still not ready to go alone",
			Endpoint: holding.Endpoint{At: next, Plan: holding.EndpointPlanReadinessMilestone}}))
		end = next
	}
	// Open endpoint, signed off: problems that cannot be fixed.
	begin(holding.Start{Referral: f.onHold, Patient: onHoldPatient, LinkWorker: f.sam.ID,
		Reasons: prescribing.SetOf(holding.ReasonUnfixableProblems), At: day(2026, 4, 1),
		Endpoint: holding.Endpoint{Plan: holding.EndpointPlanReview, Open: true},
		SignOff:  holding.SignOff{Supervisor: f.kim.Name, At: day(2026, 4, 1), ReviewBy: day(2026, 12, 15)}})
	// Ended: not shown.
	ended := begin(holding.Start{Referral: stalledID, Patient: stalledPatient, LinkWorker: f.sam.ID,
		Reasons: prescribing.SetOf(holding.ReasonAwaitingReadiness), At: day(2026, 2, 16),
		Endpoint: holding.Endpoint{At: day(2026, 3, 1), Plan: holding.EndpointPlanReview}})
	must(ended.Finish(day(2026, 2, 27), holding.EndingDisengaged))
	// Ana holds one person, at risk-free; the outsider holds one too.
	begin(holding.Start{Referral: anaRefID, Patient: anaPatient, LinkWorker: f.ana.ID,
		Reasons: prescribing.SetOf(holding.ReasonAwaitingReadiness), At: day(2026, 9, 1),
		Endpoint: holding.Endpoint{At: day(2026, 12, 1), Plan: holding.EndpointPlanReadinessMilestone}})
	begin(holding.Start{Referral: outRefID, Patient: outPatient, LinkWorker: f.outsider.ID,
		Reasons: prescribing.SetOf(holding.ReasonLackOfProvision), Need: prescribing.NeedHousing,
		At: day(2026, 5, 1), Endpoint: holding.Endpoint{At: day(2026, 6, 1), Plan: holding.EndpointPlanDischarge}})

	// Journeys: Sam liminal since March (prolonged at six months), with
	// ambiguity unsupported; Ana incorporated; Kim's own is not listed.
	samJ, _, err := liminality.Begin(f.sam.ID, day(2026, 1, 5))
	require.NoError(t, err)
	must(samJ.EnterLiminal(day(2026, 3, 2)))
	must(samJ.NoteTheme(liminality.ThemeDisconnection, day(2026, 4, 1)))
	must(samJ.NoteTheme(liminality.ThemeAmbiguity, day(2026, 5, 1)))
	must(samJ.NoteTheme(liminality.ThemeInstability, day(2026, 6, 1)))
	must(samJ.RecordSupport(liminality.RoleSupportPeer, prescribing.SetOf(liminality.ThemeDisconnection), day(2026, 7, 1)))
	anaJ, _, err := liminality.Begin(f.ana.ID, day(2025, 6, 2))
	require.NoError(t, err)
	must(anaJ.EnterLiminal(day(2025, 6, 2)))
	must(anaJ.NoteTheme(liminality.ThemeMisalignment, day(2025, 7, 1)))
	must(anaJ.RecordSupport(liminality.RoleSupportSupervision, prescribing.SetOf(liminality.ThemeMisalignment), day(2025, 8, 1)))
	must(anaJ.Incorporate(day(2025, 9, 1)))
	outJ, _, err := liminality.Begin(f.outsider.ID, day(2026, 1, 5))
	require.NoError(t, err)
	must(outJ.EnterLiminal(day(2026, 1, 5)))
	f.journeys = []liminality.Journey{samJ, anaJ, outJ}

	// Supervision with Kim every 28 days: Sam's last session was on 29
	// Sep, so the next fell due on 27 Oct and is overdue; Ana's falls due
	// on 17 Nov; the outsider's is overdue but not Kim's team's.
	kim := prescribing.IDFromUUID[liminality.Supervisor](f.kim.ID.UUID())
	samS, _, err := liminality.AgreeSupervision(f.sam.ID, kim, 28, day(2026, 9, 1))
	require.NoError(t, err)
	must(samS.HoldSession(kim, day(2026, 9, 29)))
	anaS, _, err := liminality.AgreeSupervision(f.ana.ID, kim, 28, day(2026, 10, 1))
	require.NoError(t, err)
	must(anaS.HoldSession(kim, day(2026, 10, 20)))
	outS, _, err := liminality.AgreeSupervision(f.outsider.ID, kim, 7, day(2026, 1, 5))
	require.NoError(t, err)
	f.supervisions = []liminality.Supervision{samS, anaS, outS}
	return f
}

// caseload builds Sam's caseload page from the fixture.
func (f *fixture) caseload(showNames bool) CaseloadView {
	return BuildCaseload(f.sam, f.referrals, f.episodes, fixtureAt, CaseloadOptions{
		ShowNames: showNames, Patients: f.patients, Assets: f.assets, FollowUps: f.followUps,
	})
}

// supervision builds Kim's page for Sam and Ana from the fixture.
func (f *fixture) supervision() SupervisionView {
	return BuildSupervision(f.kim, []Worker{f.sam, f.ana}, f.referrals, f.episodes, f.journeys, fixtureAt, SupervisionOptions{Supervisions: f.supervisions})
}

package prescribing

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The lifecycle as docs/rules.md (REF-1) draws it, written out independently of
// the table in lifecycle.go so that a change to either is caught.
var domainMoves = map[State][]State{
	StateReceived:  {StateAccepted, StateRejected, StateCancelled, StateEnteredInError},
	StateAccepted:  {StateContacted, StateDeclined, StateCancelled, StateEnteredInError},
	StateContacted: {StateInSupport, StateCancelled, StateEnteredInError},
	StateInSupport: {StateConnected, StateClosed, StateOnHold, StateCancelled, StateEnteredInError},
	StateConnected: {StateClosed, StateOnHold, StateCancelled, StateEnteredInError},
	StateOnHold:    {StateInSupport, StateConnected, StateCancelled, StateEnteredInError},
}

func TestREF_1_TransitionTableIsTheDomainLifecycle(t *testing.T) {
	for _, from := range States() {
		for _, to := range States() {
			want := false
			for _, s := range domainMoves[from] {
				want = want || s == to
			}
			assert.Equal(t, want, CanTransition(from, to), "%s -> %s", from, to)
		}
	}
	assert.Len(t, Transitions(), 24)
	assert.False(t, CanTransition(0, StateAccepted), "the zero state goes nowhere")
	assert.False(t, CanTransition(StateReceived, 0))
	assert.False(t, CanTransition(StateReceived, State(200)))
}

func TestREF_1_EveryStateRefusesEveryMoveOutsideTheTable(t *testing.T) {
	f := newFixture(t)
	for _, from := range States() {
		for _, to := range States() {
			if CanTransition(from, to) {
				continue
			}
			t.Run(fmt.Sprintf("REF_1 %s to %s", from, to), func(t *testing.T) {
				r, _ := f.referralIn(from)
				before := r
				_, err := f.moveTo(&r, to)
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidTransition)
				var te *TransitionError
				require.ErrorAs(t, err, &te)
				assert.Equal(t, r.ID(), te.Referral)
				assert.Equal(t, from, te.From)
				assert.Equal(t, to, te.To)
				assert.Contains(t, err.Error(), r.ID().String())
				assert.Contains(t, err.Error(), from.String()+" -> "+to.String())
				assert.Equal(t, before, r, "a refused move changes nothing")
			})
		}
	}
}

func TestREF_1_EveryMoveInTheTableIsTakenWithItsDetails(t *testing.T) {
	f := newFixture(t)
	for _, tr := range Transitions() {
		if tr.From == StateOnHold && tr.To.IsLive() {
			continue // returning from hold is tested on its own below
		}
		t.Run(fmt.Sprintf("REF_1 %s to %s", tr.From, tr.To), func(t *testing.T) {
			r, _ := f.referralIn(tr.From)
			e, err := f.moveTo(&r, tr.To)
			require.NoError(t, err)
			assert.Equal(t, tr.To, r.State())
			assert.Equal(t, tr.From, e.From)
			assert.Equal(t, tr.To, e.To)
		})
	}
}

func TestREF_1_OnHoldReturnsOnlyToWhereItWasHeldFrom(t *testing.T) {
	f := newFixture(t)
	for _, heldFrom := range []State{StateInSupport, StateConnected} {
		r, _ := f.referralIn(heldFrom)
		_, err := r.PutOnHold(f.tick(), "waiting for capacity")
		require.NoError(t, err)
		assert.Equal(t, heldFrom, r.OnHoldFrom())

		other := StateConnected
		if heldFrom == StateConnected {
			other = StateInSupport
		}
		_, err = r.move(ReferralTransitioned{To: other, At: f.tick()})
		assert.ErrorIs(t, err, ErrInvalidTransition, "held from %s, returning to %s", heldFrom, other)

		e, err := r.Resume(f.tick())
		require.NoError(t, err)
		assert.Equal(t, heldFrom, e.To)
		assert.Equal(t, heldFrom, r.State())
		assert.Zero(t, r.OnHoldFrom())
	}

	r, _ := f.referralIn(StateInSupport)
	_, err := r.Resume(f.tick())
	assert.ErrorIs(t, err, ErrInvalidTransition, "resume when not on hold")
}

func TestREF_1_StaleEventIsRefused(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateContacted)
	// An event written when the referral was still accepted.
	err := r.Apply(ReferralTransitioned{Referral: r.ID(), From: StateAccepted, To: StateDeclined, At: f.tick(),
		Reason: "changed mind", SNOMED: SNOMEDSocialPrescribingDeclined})
	assert.ErrorIs(t, err, ErrInvalidTransition)
	assert.Contains(t, err.Error(), "the event says it moves from accepted")
}

func TestREF_2_TimeNeverGoesBackwards(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateAccepted)
	last := r.UpdatedAt()

	_, err := r.RecordFirstContact(last.Add(-time.Second))
	require.ErrorIs(t, err, ErrTimeWentBackwards)
	assert.Contains(t, err.Error(), "REF-2")
	assert.Equal(t, StateAccepted, r.State())

	_, err = r.RecordFirstContact(time.Time{})
	require.ErrorIs(t, err, ErrNoTime)

	_, err = r.UpdatePlan(last.Add(-time.Hour), SupportPlan{Needs: []Need{NeedMoney}})
	require.ErrorIs(t, err, ErrTimeWentBackwards, "every change, not only transitions")

	// The same instant is not backwards.
	e, err := r.RecordFirstContact(last)
	require.NoError(t, err)
	assert.Equal(t, last, e.At)
	assert.Equal(t, last, r.UpdatedAt())
}

func TestREF_2_CallersTimeIsRecordedInUTC(t *testing.T) {
	f := newFixture(t)
	r, _ := f.receive()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		london = time.FixedZone("BST", 3600)
	}
	at := time.Date(2026, 7, 1, 10, 30, 0, 0, london)
	e, err := r.Accept(at, f.lw)
	require.NoError(t, err)
	assert.True(t, e.At.Equal(at), "the caller's instant")
	assert.Equal(t, time.UTC, e.At.Location())
	assert.Equal(t, e.At, r.UpdatedAt())
}

func TestREF_3_ReasonRequired(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		from State
		do   func(r *Referral, at time.Time) (ReferralTransitioned, error)
	}{
		{StateReceived, func(r *Referral, at time.Time) (ReferralTransitioned, error) { return r.Reject(at, "") }},
		{StateAccepted, func(r *Referral, at time.Time) (ReferralTransitioned, error) { return r.Decline(at, "") }},
		{StateInSupport, func(r *Referral, at time.Time) (ReferralTransitioned, error) { return r.PutOnHold(at, "") }},
		{StateConnected, func(r *Referral, at time.Time) (ReferralTransitioned, error) { return r.Cancel(at, "") }},
	}
	for _, c := range cases {
		r, _ := f.referralIn(c.from)
		_, err := c.do(&r, f.tick())
		require.ErrorIs(t, err, ErrReasonRequired, "from %s", c.from)
		assert.Contains(t, err.Error(), "REF-3")
		assert.Equal(t, c.from, r.State())
	}
	for _, s := range States() {
		want := s == StateRejected || s == StateCancelled || s == StateDeclined || s == StateOnHold
		assert.Equal(t, want, RequiresReason(s), s.String())
	}
	// Other moves take no reason.
	r, _ := f.referralIn(StateReceived)
	_, err := r.Accept(f.tick(), f.lw)
	assert.NoError(t, err)
}

func TestREF_4_CloseNeedsAnOutcome(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateInSupport)
	for _, o := range []Outcome{0, Outcome(99)} {
		_, err := r.Close(f.tick(), o)
		require.ErrorIs(t, err, ErrOutcomeRequired)
		assert.Contains(t, err.Error(), "REF-4")
		assert.Equal(t, StateInSupport, r.State())
	}
	_, err := r.Close(f.tick(), OutcomeReferredOn)
	require.NoError(t, err)
	msg, ok := r.ClosureMessage()
	require.True(t, ok)
	assert.Equal(t, OutcomeReferredOn, msg.Outcome)
	assert.Equal(t, OutcomeReferredOn, r.Outcome())
}

func TestREF_4_CannotCloseWhileTheMessageCannotBeProduced(t *testing.T) {
	f := newFixture(t)

	t.Run("REF_4 no support offered", func(t *testing.T) {
		r, _ := f.referralIn(StateContacted)
		_, err := r.StartSupport(f.tick(), SupportPlan{})
		require.NoError(t, err)
		_, err = r.Close(f.tick(), OutcomeNeedsMetWithoutConnection)
		require.ErrorIs(t, err, ErrMessageIncomplete)
		assert.Contains(t, err.Error(), "no support")
		assert.Equal(t, StateInSupport, r.State())

		// Once support is recorded the message can be produced.
		_, err = r.UpdatePlan(f.tick(), SupportPlan{Offered: []CommunitySupport{walkingGroup}})
		require.NoError(t, err)
		_, err = r.Close(f.tick(), OutcomeNeedsMetWithoutConnection)
		require.NoError(t, err)
	})

	t.Run("REF_4 no need identified", func(t *testing.T) {
		r, _, err := ReceiveReferral(NewReferral{ID: NewID[Referral](f.ids), Patient: f.pat, Source: SourceSelf}, f.tick())
		require.NoError(t, err)
		for _, to := range []State{StateAccepted, StateContacted} {
			_, err := f.moveTo(&r, to)
			require.NoError(t, err)
		}
		_, err = r.StartSupport(f.tick(), SupportPlan{Offered: []CommunitySupport{walkingGroup}})
		require.NoError(t, err)
		_, err = r.Close(f.tick(), OutcomeOther)
		require.ErrorIs(t, err, ErrMessageIncomplete)
		assert.Contains(t, err.Error(), "no need")
	})

	t.Run("REF_4 benefited from a connection never made", func(t *testing.T) {
		r, _ := f.referralIn(StateInSupport)
		_, err := r.Close(f.tick(), OutcomeConnectedAndBenefited)
		require.ErrorIs(t, err, ErrMessageIncomplete)
	})

	t.Run("REF_4 a measure that is not a number", func(t *testing.T) {
		r, _ := f.referralIn(StateInSupport)
		_, err := r.Close(f.tick(), OutcomeOther, MeasureChange{Instrument: InstrumentSWEMWBS, Before: ScoreOf(math.NaN())})
		require.ErrorIs(t, err, ErrInvalidMeasure)
		_, err = r.Close(f.tick(), OutcomeOther, MeasureChange{Before: ScoreOf(20)})
		require.ErrorIs(t, err, ErrInvalidMeasure)
	})
}

func TestREF_4_MessageBackToTheGPAndReferrer(t *testing.T) {
	f := newFixture(t)
	r, _, msg := f.story()

	assert.Equal(t, r.ID(), msg.Referral)
	assert.Equal(t, f.pat, msg.Patient)
	assert.Equal(t, f.prac, msg.Practice)
	assert.Equal(t, SourceGP, msg.Source)
	assert.Equal(t, "Dr Patel", msg.Referrer)
	assert.Equal(t, f.lw2, msg.LinkWorker, "the link worker who held it at the end")
	assert.Equal(t, r.FirstContactAt(), msg.SeenAt)
	assert.Equal(t, r.UpdatedAt(), msg.ClosedAt)
	assert.Equal(t, []Need{NeedSocialIsolation, NeedMentalWellbeing, NeedMoney}, msg.Needs.List())
	require.Len(t, msg.Offered, 2)
	assert.Equal(t, "Citizens Advice debt clinic", msg.Offered[1].Name)
	require.Len(t, msg.TakenUp, 1)
	assert.False(t, msg.TakenUp[0].Asset.IsZero())
	require.Len(t, msg.Measures, 1)
	d, ok := msg.Measures[0].Change()
	require.True(t, ok)
	assert.InDelta(t, 3.96, d, 1e-9)
	assert.Equal(t, OutcomeConnectedAndBenefited, msg.Outcome)

	again, ok := r.ClosureMessage()
	require.True(t, ok)
	assert.Equal(t, msg, again, "the message is reproducible from the referral")

	text := msg.Text("Ms A Example")
	for _, want := range []string{
		"Person seen: Ms A Example",
		"Referred by: GP (Dr Patel)",
		"Needs identified: social isolation, mental wellbeing, money",
		"Support offered: Tuesday walking group (social isolation), Citizens Advice debt clinic (money)",
		"Support taken up: Tuesday walking group (social isolation)",
		"SWEMWBS: 19.25 -> 23.21 (+3.96)",
		"Outcome: connected and benefited",
	} {
		assert.Contains(t, text, want)
	}
	assert.Contains(t, msg.Text(""), "Person seen: patient "+f.pat.String(), "no name given: the pseudonymous ID")

	open, _ := f.referralIn(StateConnected)
	_, ok = open.ClosureMessage()
	assert.False(t, ok, "only a closed referral has a message")
}

func TestREF_5_FHIRTaskStatusOfEveryState(t *testing.T) {
	want := map[State]string{
		StateReceived: "requested", StateAccepted: "accepted", StateRejected: "rejected",
		StateContacted: "in-progress", StateDeclined: "cancelled", StateInSupport: "in-progress",
		StateConnected: "in-progress", StateOnHold: "on-hold", StateClosed: "completed",
		StateCancelled: "cancelled", StateEnteredInError: "entered-in-error",
	}
	for _, s := range States() {
		assert.Equal(t, want[s], s.TaskStatus().String(), s.String())
	}
	assert.Zero(t, State(0).TaskStatus())
	assert.Zero(t, State(77).TaskStatus())
}

func TestREF_5_FHIRTaskStatusBackWhereUnambiguous(t *testing.T) {
	back := map[string]State{
		"requested": StateReceived, "accepted": StateAccepted, "rejected": StateRejected,
		"on-hold": StateOnHold, "completed": StateClosed, "entered-in-error": StateEnteredInError,
	}
	for code, s := range back {
		ts, err := ParseTaskStatus(code)
		require.NoError(t, err)
		got, err := StateFromTaskStatus(ts)
		require.NoError(t, err, code)
		assert.Equal(t, s, got, code)
		assert.Equal(t, ts, got.TaskStatus(), "round trip of %s", code)
	}
	for _, code := range []string{"in-progress", "cancelled"} {
		ts, err := ParseTaskStatus(code)
		require.NoError(t, err)
		_, err = StateFromTaskStatus(ts)
		assert.ErrorIs(t, err, ErrAmbiguousStatus, code)
	}
	for _, code := range []string{"draft", "received", "ready", "failed"} {
		ts, err := ParseTaskStatus(code)
		require.NoError(t, err)
		_, err = StateFromTaskStatus(ts)
		assert.ErrorIs(t, err, ErrUnknownValue, code)
	}
	_, err := ParseTaskStatus("finished")
	assert.ErrorIs(t, err, ErrUnknownValue)
	assert.Equal(t, "http://hl7.org/fhir/task-status", TaskStatusSystem)
}

func TestREF_6_SNOMEDRecordedAtFirstContactOnly(t *testing.T) {
	f := newFixture(t)

	r, history, _ := f.story()
	var coded []ReferralTransitioned
	for _, e := range history {
		if tr, ok := e.(ReferralTransitioned); ok && tr.SNOMED != "" {
			coded = append(coded, tr)
		}
	}
	require.Len(t, coded, 1, "once per referral")
	assert.Equal(t, StateContacted, coded[0].To)
	assert.Equal(t, SNOMEDReferralToSocialPrescribing, coded[0].SNOMED)
	assert.Equal(t, "871731000000106", coded[0].SNOMED.String())
	assert.Equal(t, "Referral to social prescribing service", coded[0].SNOMED.Display())
	code, at, ok := r.SNOMED()
	require.True(t, ok)
	assert.Equal(t, SNOMEDReferralToSocialPrescribing, code)
	assert.Equal(t, r.FirstContactAt(), at)

	d, history := f.referralIn(StateDeclined)
	last := history[len(history)-1].(ReferralTransitioned)
	assert.Equal(t, SNOMEDSocialPrescribingDeclined, last.SNOMED)
	assert.Equal(t, "Social prescribing declined", last.SNOMED.Display())
	code, _, ok = d.SNOMED()
	require.True(t, ok)
	assert.Equal(t, SNOMEDSocialPrescribingDeclined, code)

	before, _ := f.referralIn(StateAccepted)
	_, _, ok = before.SNOMED()
	assert.False(t, ok, "nothing is coded before first contact")
}

func TestREF_6_EventsCodingLaterContactsAreRefused(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateContacted)
	err := r.Apply(ReferralTransitioned{Referral: r.ID(), From: StateContacted, To: StateInSupport, At: f.tick(),
		SNOMED: SNOMEDReferralToSocialPrescribing})
	require.ErrorIs(t, err, ErrUnexpectedEvent)
	assert.Contains(t, err.Error(), "REF-6")

	// A first contact that does not record the code is refused too.
	a, _ := f.referralIn(StateAccepted)
	err = a.Apply(ReferralTransitioned{Referral: a.ID(), From: StateAccepted, To: StateContacted, At: f.tick()})
	require.ErrorIs(t, err, ErrMissingDetail)
	err = a.Apply(ReferralTransitioned{Referral: a.ID(), From: StateAccepted, To: StateContacted, At: f.tick(),
		SNOMED: SNOMEDSocialPrescribingDeclined})
	require.ErrorIs(t, err, ErrMissingDetail, "the decline code on an acceptance")
}

func TestREF_7_HistoryReplaysIntoTheSameReferral(t *testing.T) {
	f := newFixture(t)
	live, history, _ := f.story()
	assert.Len(t, history, 12)
	assert.Equal(t, len(history), live.Version())

	var replayed Referral
	require.NoError(t, Replay(&replayed, history))
	assert.Equal(t, live, replayed)

	// Every prefix of the history replays to a valid referral too.
	for n := 1; n < len(history); n++ {
		var r Referral
		require.NoError(t, Replay(&r, history[:n]))
		assert.Equal(t, n, r.Version())
	}
}

func TestReferralRefusesMissingDetails(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateReceived)
	_, err := r.Accept(f.tick(), LinkWorkerID{})
	assert.ErrorIs(t, err, ErrMissingDetail)

	r, _ = f.referralIn(StateInSupport)
	_, err = r.Connect(f.tick())
	assert.ErrorIs(t, err, ErrMissingDetail, "connecting to nothing")
	_, err = r.Connect(f.tick(), walkingGroup)
	assert.ErrorIs(t, err, ErrMissingDetail, "a connection must name its asset")
	_, err = r.StartSupport(f.tick(), SupportPlan{})
	assert.ErrorIs(t, err, ErrInvalidTransition)

	r, _ = f.referralIn(StateContacted)
	_, err = r.StartSupport(f.tick(), SupportPlan{Needs: []Need{Need(0)}})
	assert.ErrorIs(t, err, ErrMissingDetail)
	_, err = r.StartSupport(f.tick(), SupportPlan{Needs: []Need{NeedMoney, Need(60)}})
	assert.ErrorIs(t, err, ErrMissingDetail, "a value that is no need, which a set would keep")
	err = r.Apply(ReferralTransitioned{Referral: r.ID(), From: StateContacted, To: StateInSupport, At: f.tick(),
		Needs: NeedSet(1 << 60), Offered: []CommunitySupport{{Need: NeedMoney, Name: "advice"}}})
	assert.ErrorIs(t, err, ErrMissingDetail, "an event's set built from bits")
	assert.Equal(t, StateContacted, r.State())
	_, err = r.StartSupport(f.tick(), SupportPlan{Offered: []CommunitySupport{{Need: NeedMoney}}})
	assert.ErrorIs(t, err, ErrMissingDetail, "support without a name")

	_, _, err = ReceiveReferral(NewReferral{ID: NewID[Referral](f.ids), Patient: f.pat}, f.tick())
	assert.ErrorIs(t, err, ErrMissingDetail, "no source")
	_, _, err = ReceiveReferral(NewReferral{ID: NewID[Referral](f.ids), Patient: f.pat, Source: SourceGP,
		Needs: []Need{Need(99)}}, f.tick())
	assert.ErrorIs(t, err, ErrMissingDetail, "no such need")
	_, _, err = ReceiveReferral(NewReferral{Patient: f.pat, Source: SourceGP}, f.tick())
	assert.ErrorIs(t, err, ErrInvalidID)
	_, _, err = ReceiveReferral(NewReferral{ID: NewID[Referral](f.ids), Patient: f.pat, Source: SourceGP}, time.Time{})
	assert.ErrorIs(t, err, ErrNoTime)
}

func TestReferralReassign(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateReceived)
	_, err := r.Reassign(f.tick(), f.lw2, "cover")
	assert.ErrorIs(t, err, ErrUnexpectedEvent, "no link worker yet")

	r, _ = f.referralIn(StateInSupport)
	_, err = r.Reassign(f.tick(), f.lw, "same person")
	assert.ErrorIs(t, err, ErrMissingDetail)
	_, err = r.Reassign(f.tick(), f.lw2, "")
	assert.ErrorIs(t, err, ErrReasonRequired)
	e, err := r.Reassign(f.tick(), f.lw2, "link worker left")
	require.NoError(t, err)
	assert.Equal(t, f.lw, e.From)
	assert.Equal(t, f.lw2, r.LinkWorker())
	assert.Equal(t, StateInSupport, r.State(), "a handover is not a change of state")

	closed, _ := f.referralIn(StateClosed)
	_, err = closed.Reassign(f.tick(), f.lw2, "too late")
	assert.ErrorIs(t, err, ErrUnexpectedEvent)
}

func TestReferralCopiesAreIndependent(t *testing.T) {
	f := newFixture(t)
	a, _ := f.referralIn(StateInSupport)
	b := a
	_, err := a.UpdatePlan(f.tick(), SupportPlan{Needs: []Need{NeedHousing}, Offered: []CommunitySupport{{Need: NeedHousing, Name: "Shelter advice"}}})
	require.NoError(t, err)
	_, err = b.UpdatePlan(f.tick(), SupportPlan{Needs: []Need{NeedBereavement}, Offered: []CommunitySupport{{Need: NeedBereavement, Name: "Cruse"}}})
	require.NoError(t, err)
	assert.Equal(t, NeedHousing, a.Needs()[len(a.Needs())-1])
	assert.Equal(t, "Shelter advice", a.Offered()[len(a.Offered())-1].Name)
	assert.Equal(t, NeedBereavement, b.Needs()[len(b.Needs())-1])

	// Accessors return copies.
	a.Needs()[0] = NeedOther
	assert.NotEqual(t, NeedOther, a.Needs()[0])
}

func TestTransitionErrorMatchesOnlyItsSentinel(t *testing.T) {
	err := error(&TransitionError{From: StateClosed, To: StateAccepted})
	assert.True(t, errors.Is(err, ErrInvalidTransition))
	assert.False(t, errors.Is(err, ErrReasonRequired))
	assert.Contains(t, err.Error(), "closed -> accepted is not allowed (REF-1)")
}

package prescribing

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fixture holds what tests of this package share: a seeded ID source and a
// clock that the test advances by hand.
type fixture struct {
	t    testing.TB
	ids  IDSource
	now  time.Time
	lw   LinkWorkerID
	lw2  LinkWorkerID
	prac PracticeID
	pat  PatientID
}

func newFixture(t testing.TB) *fixture {
	ids := SeededIDs(rand.New(rand.NewPCG(1, 2)))
	return &fixture{
		t: t, ids: ids,
		now:  time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		lw:   NewID[LinkWorker](ids),
		lw2:  NewID[LinkWorker](ids),
		prac: NewID[Practice](ids),
		pat:  NewID[Patient](ids),
	}
}

// tick moves the clock on by a day and returns the new time.
func (f *fixture) tick() time.Time {
	f.now = f.now.Add(24 * time.Hour)
	return f.now
}

var walkingGroup = CommunitySupport{Need: NeedSocialIsolation, Name: "Tuesday walking group"}

// receive records a new GP referral for loneliness and returns it with its
// history so far.
func (f *fixture) receive() (Referral, []Event) {
	r, e, err := ReceiveReferral(NewReferral{
		ID: NewID[Referral](f.ids), Patient: f.pat, Practice: f.prac,
		Source: SourceGP, Referrer: "Dr Patel", Needs: []Need{NeedSocialIsolation},
	}, f.tick())
	require.NoError(f.t, err)
	return r, []Event{e}
}

// moveTo makes the one move of the lifecycle that enters state to, with
// whatever that move needs.
func (f *fixture) moveTo(r *Referral, to State) (ReferralTransitioned, error) {
	at := f.tick()
	switch to {
	case StateAccepted:
		return r.Accept(at, f.lw)
	case StateRejected:
		return r.Reject(at, "clinical need: outside the role")
	case StateContacted:
		return r.RecordFirstContact(at)
	case StateDeclined:
		return r.Decline(at, "does not want support now")
	case StateInSupport:
		if r.State() == StateOnHold {
			return r.Resume(at)
		}
		return r.StartSupport(at, SupportPlan{Needs: []Need{NeedMentalWellbeing}, Offered: []CommunitySupport{walkingGroup}})
	case StateConnected:
		if r.State() == StateOnHold {
			return r.Resume(at)
		}
		c := walkingGroup
		c.Asset = NewID[Asset](f.ids)
		return r.Connect(at, c)
	case StateOnHold:
		return r.PutOnHold(at, "waiting for a place")
	case StateClosed:
		e, err := r.Close(at, OutcomeNeedsMetWithoutConnection)
		return e, err
	case StateCancelled:
		return r.Cancel(at, "moved away")
	case StateEnteredInError:
		return r.EnterInError(at, "wrong patient")
	}
	return r.move(ReferralTransitioned{To: to, At: at})
}

// paths gives, for each state, the moves from received that reach it.
var paths = map[State][]State{
	StateReceived:       {},
	StateAccepted:       {StateAccepted},
	StateRejected:       {StateRejected},
	StateContacted:      {StateAccepted, StateContacted},
	StateDeclined:       {StateAccepted, StateDeclined},
	StateInSupport:      {StateAccepted, StateContacted, StateInSupport},
	StateConnected:      {StateAccepted, StateContacted, StateInSupport, StateConnected},
	StateOnHold:         {StateAccepted, StateContacted, StateInSupport, StateOnHold},
	StateClosed:         {StateAccepted, StateContacted, StateInSupport, StateClosed},
	StateCancelled:      {StateCancelled},
	StateEnteredInError: {StateEnteredInError},
}

// referralIn returns a referral in state s and its whole history.
func (f *fixture) referralIn(s State) (Referral, []Event) {
	r, history := f.receive()
	for _, to := range paths[s] {
		e, err := f.moveTo(&r, to)
		require.NoError(f.t, err, "moving to %s", to)
		history = append(history, e)
	}
	require.Equal(f.t, s, r.State())
	return r, history
}

// story is one referral's whole life, touching every referral event: it is
// received, accepted, contacted, supported, held and resumed, given more
// support, connected, handed to another link worker and closed.
func (f *fixture) story() (Referral, []Event, ClosureMessage) {
	r, history := f.referralIn(StateInSupport)
	add := func(e Event, err error) {
		require.NoError(f.t, err)
		history = append(history, e)
	}
	add(r.PutOnHold(f.tick(), "waiting for a place"))
	add(r.Resume(f.tick()))
	add(r.UpdatePlan(f.tick(), SupportPlan{Needs: []Need{NeedMoney}, Offered: []CommunitySupport{{Need: NeedMoney, Name: "Citizens Advice debt clinic"}}}))
	add(r.RecordContact(Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModeTelephone, Minutes: 20, Attended: true}, ContactRules{}))
	assessed := f.now.Add(-24 * time.Hour)
	add(r.RecordContact(Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModeHomeVisit, Minutes: 50, Attended: true,
		RiskAssessedAt: assessed}, ContactRules{}))
	c := walkingGroup
	c.Asset = NewID[Asset](f.ids)
	add(r.Connect(f.tick(), c))
	add(r.Reassign(f.tick(), f.lw2, "link worker left the PCN"))
	before, after := ScoreOf(19.25), ScoreOf(23.21)
	e, err := r.Close(f.tick(), OutcomeConnectedAndBenefited,
		MeasureChange{Instrument: InstrumentSWEMWBS, Before: before, After: after})
	add(e, err)
	msg, _ := r.ClosureMessage()
	return r, history, msg
}

// openConsents opens the fixture patient's consent record.
func (f *fixture) openConsents() (Consents, ConsentsOpened) {
	c, e, err := OpenConsents(f.pat, f.tick())
	require.NoError(f.t, err)
	return c, e
}

// openMeasures opens the fixture patient's measures record.
func (f *fixture) openMeasures() (Measures, MeasuresOpened) {
	m, e, err := OpenMeasures(f.pat, f.tick())
	require.NoError(f.t, err)
	return m, e
}

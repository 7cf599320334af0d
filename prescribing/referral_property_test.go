package prescribing

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referralSentinels are the documented errors a referral's operations and
// Apply wrap.
var referralSentinels = []error{
	ErrInvalidTransition, ErrReasonRequired, ErrOutcomeRequired, ErrMessageIncomplete, ErrMissingDetail,
	ErrNoTime, ErrTimeWentBackwards, ErrTimeOutOfRange, ErrWrongSubject, ErrUnexpectedEvent,
	ErrInvalidText, ErrUnknownValue, ErrInvalidMeasure, ErrOutOfRange, ErrNotFinite,
	ErrNoRiskAssessment, ErrInvalidID, ErrNoConsent,
}

// issue20Ops are the operations issue 20's rules add to a referral
// (ANCHOR-1, FOLLOW-1, DEP-1, BUYIN-1, CPLX-1).
var issue20Ops = []string{"record step", "follow up", "link earlier", "record buy-in", "assess complexity"}

// referralDriver drives one referral through random operations, valid and
// hostile, keeping the events of those it accepts.
type referralDriver struct {
	t       *testing.T
	rng     *rand.Rand
	ids     IDSource
	r       Referral
	kept    []Event
	start   time.Time
	pat     PatientID
	workers []LinkWorkerID
	zones   []*time.Location
	// accepted and refused count operations, to show the sequences reach
	// deep into the lifecycle rather than failing at the door.
	accepted, refused map[string]int
	visited           map[State]int
	// contacts are the IDs of the contacts recorded, for steps to name.
	contacts []ContactID
}

// input is a generated value and whether it alone must make the operation
// refuse.
type input[T any] struct {
	v   T
	bad bool
}

func (d *referralDriver) pick(n int) int { return d.rng.IntN(n) }

// last is the time a change must not go before.
func (d *referralDriver) last() time.Time {
	if d.r.ID().IsZero() {
		return time.Time{}
	}
	return d.r.UpdatedAt()
}

// when returns a time: mostly a little after the last change in some zone,
// sometimes missing, backwards, or outside the years JSON carries.
func (d *referralDriver) when() input[time.Time] {
	base := d.last()
	if base.IsZero() {
		base = d.start
	}
	var t time.Time
	switch d.pick(20) {
	case 0:
		t = time.Time{}
	case 1:
		t = base.Add(-time.Duration(1+d.pick(1e6)) * time.Second)
	case 2:
		t = yearAfter
	case 3:
		t = yearBefore
	case 4:
		t = zonedPastEnd
	case 5:
		t = zonedBeforeStart
	case 6:
		t = base // the same instant is not backwards
	default:
		t = base.Add(time.Duration(d.pick(72*60)) * time.Minute).In(d.zones[d.pick(len(d.zones))])
	}
	y := t.UTC().Year()
	bad := t.IsZero() || y < MinYear || y > MaxYear || (!d.r.ID().IsZero() && t.Before(base))
	return input[time.Time]{t, bad}
}

// text returns free text; required says whether blank text is refused.
func (d *referralDriver) text(required bool) input[string] {
	switch d.pick(12) {
	case 0:
		return input[string]{"", required}
	case 1:
		return input[string]{blankReason, required}
	case 2:
		return input[string]{invalidUTF8, true}
	case 3:
		return input[string]{withNUL, true}
	case 4:
		return input[string]{tooLongText, true}
	case 5:
		return input[string]{longestText, false}
	default:
		return input[string]{[]string{"waiting for a place", "moved to Leeds", "café on Tuesdays", "wrong patient"}[d.pick(4)], false}
	}
}

func (d *referralDriver) need() input[Need] {
	switch d.pick(10) {
	case 0:
		return input[Need]{0, true}
	case 1:
		return input[Need]{Need(13 + d.pick(60)), true}
	}
	return input[Need]{Needs()[d.pick(len(Needs()))], false}
}

func (d *referralDriver) needs() input[[]Need] {
	var out input[[]Need]
	for range d.pick(3) {
		n := d.need()
		out.v, out.bad = append(out.v, n.v), out.bad || n.bad
	}
	return out
}

func (d *referralDriver) support(needAsset bool) input[CommunitySupport] {
	n, name := d.need(), d.text(true)
	s := input[CommunitySupport]{CommunitySupport{Need: n.v, Name: name.v}, n.bad || name.bad}
	if d.pick(6) != 0 {
		s.v.Asset = NewID[Asset](d.ids)
	} else if needAsset {
		s.bad = true
	}
	return s
}

func (d *referralDriver) supports(needAsset bool, min int) input[[]CommunitySupport] {
	var out input[[]CommunitySupport]
	for range min + d.pick(3) {
		s := d.support(needAsset)
		out.v, out.bad = append(out.v, s.v), out.bad || s.bad
	}
	return out
}

func (d *referralDriver) worker() input[LinkWorkerID] {
	if d.pick(10) == 0 {
		return input[LinkWorkerID]{LinkWorkerID{}, true}
	}
	return input[LinkWorkerID]{d.workers[d.pick(len(d.workers))], false}
}

func (d *referralDriver) score(lo, hi float64, whole bool) input[Score] {
	switch d.pick(12) {
	case 0:
		return input[Score]{Score{}, false}
	case 1:
		return input[Score]{ScoreOf(math.NaN()), true}
	case 2:
		return input[Score]{ScoreOf(math.Inf(1 - 2*d.pick(2))), true}
	case 3:
		return input[Score]{ScoreOf(lo - 1), true}
	case 4:
		return input[Score]{ScoreOf(hi + 0.5), true}
	case 5:
		return input[Score]{ScoreOf(-400), true}
	case 6:
		return input[Score]{ScoreOf(lo), false}
	case 7:
		return input[Score]{ScoreOf(hi), false}
	}
	if whole {
		return input[Score]{ScoreOf(float64(int(lo) + d.pick(int(hi-lo)+1))), false}
	}
	v, _ := SWEMWBSMetric(7 + d.pick(29))
	return input[Score]{ScoreOf(v), false}
}

func (d *referralDriver) measures() input[[]MeasureChange] {
	var out input[[]MeasureChange]
	for range d.pick(3) {
		var m MeasureChange
		var bad bool
		switch d.pick(8) {
		case 0:
			m.Instrument, bad = Instrument(d.pick(2)*3), true // unset or out of the vocabulary
		case 1:
			m.Instrument, m.Item, bad = InstrumentSWEMWBS, ONS4ItemHappiness, true
		case 2:
			m.Instrument, m.Item, bad = InstrumentONS4, ONS4Item(d.pick(2)*5), true
		}
		lo, hi, whole := 7.0, 35.0, false
		if m.Instrument == 0 && !bad {
			if d.pick(2) == 0 {
				m.Instrument, m.Item = InstrumentONS4, ONS4Items()[d.pick(4)]
			} else {
				m.Instrument = InstrumentSWEMWBS
			}
		}
		if m.Instrument == InstrumentONS4 {
			lo, hi, whole = 0, 10, true
		}
		b4, after := d.score(lo, hi, whole), d.score(lo, hi, whole)
		m.Before, m.After = b4.v, after.v
		out.v, out.bad = append(out.v, m), out.bad || bad || b4.bad || after.bad
	}
	return out
}

func (d *referralDriver) outcome() input[Outcome] {
	switch d.pick(10) {
	case 0:
		return input[Outcome]{0, true}
	case 1:
		return input[Outcome]{Outcome(9 + d.pick(20)), true}
	}
	return input[Outcome]{Outcomes()[d.pick(len(Outcomes()))], false}
}

// natural is the operation that moves a referral on from its state.
var natural = map[State][]string{
	0:              {"receive"},
	StateReceived:  {"accept", "link earlier", "assess complexity"},
	StateAccepted:  {"contact", "record contact"},
	StateContacted: {"start support", "record contact", "record buy-in", "record step"},
	StateInSupport: {"connect", "update plan", "record contact", "hold", "close", "reassign", "record step"},
	StateConnected: {"close", "update plan", "record contact", "hold", "reassign", "follow up", "record step", "follow up"},
	StateClosed:    {"follow up"},
	StateOnHold:    {"resume", "record contact"},
}

var allOps = []string{"receive", "accept", "reject", "contact", "decline", "start support", "connect",
	"hold", "resume", "close", "cancel", "enter in error", "update plan", "reassign", "record contact",
	"apply hostile event", "record step", "follow up", "link earlier", "record buy-in", "assess complexity"}

// step makes one operation and checks what it did; it returns the name of
// the operation.
func (d *referralDriver) step() string {
	op := allOps[d.pick(len(allOps))]
	if ops := natural[d.r.State()]; d.pick(10) < 7 && len(ops) > 0 {
		op = ops[d.pick(len(ops))]
	}
	before := d.r
	at := d.when()
	bad := at.bad
	var e Event
	var err error
	switch op {
	case "receive":
		id, pat, src := NewID[Referral](d.ids), d.pat, ReferralSources()[d.pick(len(ReferralSources()))]
		refBad := false
		switch d.pick(10) {
		case 0:
			id, refBad = ReferralID{}, true
		case 1:
			pat, refBad = PatientID{}, true
		case 2:
			src, refBad = ReferralSource(17+d.pick(40)), true
		}
		referrer, needs := d.text(false), d.needs()
		e, err = d.r.Receive(NewReferral{ID: id, Patient: pat, Practice: NewID[Practice](d.ids), Source: src,
			Referrer: referrer.v, Needs: needs.v}, at.v)
		bad = bad || refBad || referrer.bad || needs.bad || !before.ID().IsZero()
	case "accept":
		lw := d.worker()
		e, err = d.r.Accept(at.v, lw.v)
		bad = bad || lw.bad
	case "reject", "decline", "hold", "cancel", "enter in error":
		reason := d.text(op != "enter in error")
		bad = bad || reason.bad
		switch op {
		case "reject":
			e, err = d.r.Reject(at.v, reason.v)
		case "decline":
			e, err = d.r.Decline(at.v, reason.v)
		case "hold":
			e, err = d.r.PutOnHold(at.v, reason.v)
		case "cancel":
			e, err = d.r.Cancel(at.v, reason.v)
		default:
			e, err = d.r.EnterInError(at.v, reason.v)
		}
	case "contact":
		e, err = d.r.RecordFirstContact(at.v)
	case "resume":
		e, err = d.r.Resume(at.v)
	case "start support", "update plan":
		needs, offered := d.needs(), d.supports(false, 0)
		plan := SupportPlan{Needs: needs.v, Offered: offered.v}
		bad = bad || needs.bad || offered.bad
		if op == "start support" {
			e, err = d.r.StartSupport(at.v, plan)
		} else {
			e, err = d.r.UpdatePlan(at.v, plan)
		}
	case "connect":
		taken := d.supports(true, 1)
		bad = bad || taken.bad
		e, err = d.r.Connect(at.v, taken.v...)
	case "close":
		outcome, measures := d.outcome(), d.measures()
		bad = bad || outcome.bad || measures.bad
		wasClosed := d.r.State() == StateClosed
		e, err = d.r.Close(at.v, outcome.v, measures.v...)
		msg, closed := d.r.ClosureMessage()
		if err != nil {
			require.Equal(d.t, wasClosed, closed, "a refused close leaves no message")
		} else {
			require.True(d.t, closed)
			require.Equal(d.t, d.r.Measures(), msg.Measures)
		}
	case "reassign":
		to, reason := d.worker(), d.text(true)
		bad = bad || to.bad || reason.bad
		e, err = d.r.Reassign(at.v, to.v, reason.v)
	case "record contact":
		c := Contact{ID: NewID[Contact](d.ids), At: at.v, Mode: ContactModes()[d.pick(len(ContactModes()))],
			Minutes: d.pick(90), Attended: d.pick(2) == 0}
		switch d.pick(10) {
		case 0:
			c.ID, bad = ContactID{}, true
		case 1:
			c.Mode, bad = ContactMode(7+d.pick(10)), true
		case 2:
			c.Minutes, bad = -1-d.pick(60), true
		}
		if c.Mode == ContactModeHomeVisit && d.pick(3) != 0 {
			c.RiskAssessedAt = at.v.Add(-time.Duration(d.pick(30*24)) * time.Hour)
		}
		if d.pick(10) == 0 {
			// A risk assessment the JSON form cannot carry, on any mode.
			c.RiskAssessedAt, bad = []time.Time{yearAfter, time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC)}[d.pick(2)], true
		}
		if c.Mode == ContactModeMessage && d.pick(2) == 0 {
			// With consent to text given before the referral, the checking
			// call takes a text (CONS-2).
			k, _, kerr := OpenConsents(d.pat, d.start)
			require.NoError(d.t, kerr)
			_, kerr = k.Give(ConsentScopeContactByText, AssetID{}, d.start)
			require.NoError(d.t, kerr)
			e, err = d.r.RecordContactWithConsent(c, ContactRules{}, &k)
			break
		}
		// The plain call refuses every text (CONS-2).
		bad = bad || c.Mode == ContactModeMessage
		e, err = d.r.RecordContact(c, ContactRules{})
	case "apply hostile event":
		err = d.r.Apply(d.hostileEvent(at))
		bad = true
	case "record step": // ANCHOR-1
		kind, what := StepKinds()[d.pick(len(StepKinds()))], d.text(true)
		bad = bad || what.bad
		switch d.pick(10) {
		case 0:
			kind, bad = 0, true
		case 1:
			kind, bad = StepKind(6+d.pick(20)), true
		}
		var by ContactID
		switch n := d.pick(4); {
		case n == 0 && len(d.contacts) > 0:
			by = d.contacts[d.pick(len(d.contacts))]
		case n == 1:
			by, bad = NewID[Contact](d.ids), true // a contact the referral never recorded
		}
		e, err = d.r.RecordStep(Step{Kind: kind, What: what.v, PromptedBy: by, At: at.v})
	case "follow up": // FOLLOW-1
		f := FollowUp{Attended: d.pick(2) == 0, Helped: d.pick(2) == 0, At: at.v}
		if conns := d.r.Connections(); len(conns) > 0 && d.pick(6) != 0 {
			f.Asset = conns[d.pick(len(conns))].Asset
		} else {
			f.Asset, bad = NewID[Asset](d.ids), true
		}
		feedback := d.text(false)
		f.Feedback, bad = feedback.v, bad || feedback.bad || (f.Helped && !f.Attended)
		e, err = d.r.RecordFollowUp(f)
	case "link earlier": // DEP-1
		var earlier []Referral
		for range d.pick(3) {
			pat, when := d.pat, d.start.Add(-time.Duration(1+d.pick(1000))*time.Hour)
			if d.pick(8) == 0 {
				pat, bad = NewID[Patient](d.ids), true
			}
			x, _, xerr := ReceiveReferral(NewReferral{ID: NewID[Referral](d.ids), Patient: pat, Source: SourceGP}, when)
			require.NoError(d.t, xerr)
			earlier = append(earlier, x)
		}
		if len(earlier) == 0 {
			bad = true
		} else if d.pick(8) == 0 {
			earlier, bad = append(earlier, earlier[0]), true
		}
		e, err = d.r.LinkEarlier(at.v, earlier...)
	case "record buy-in": // BUYIN-1
		b := BuyIn{Understanding: RoleUnderstanding(d.pick(6)), DeclineReason: DeclineReason(d.pick(6) * d.pick(2))}
		expected := d.text(false)
		b.Expected = expected.v
		bad = bad || expected.bad || b.Understanding > 4 || b.DeclineReason > 4
		e, err = d.r.RecordBuyIn(at.v, b)
	case "assess complexity": // CPLX-1
		c := Complexity(d.pick(5))
		bad = bad || c == 0 || c > 3
		e, err = d.r.AssessComplexity(at.v, c)
	}
	if err != nil {
		d.refused[op]++
		require.True(d.t, wrapsOneOf(err, referralSentinels), "%s: %v wraps no documented sentinel", op, err)
		if e != nil {
			require.True(d.t, reflect.ValueOf(e).IsZero(), "%s refused (%v) but returned %#v", op, err, e)
		}
		require.Equal(d.t, before, d.r, "%s refused (%v) but changed the referral", op, err)
		return op
	}
	require.False(d.t, bad, "%s took an input it must refuse: %#v", op, e)
	if c, ok := e.(ContactRecorded); ok {
		d.contacts = append(d.contacts, c.Contact.ID)
	}
	d.accepted[op]++
	d.visited[d.r.State()]++
	d.kept = append(d.kept, e)
	return op
}

// hostileEvent returns an event that Apply must refuse: one of another
// referral, one carrying a hostile value, or one whose time is hostile.
func (d *referralDriver) hostileEvent(at input[time.Time]) Event {
	r := &d.r
	good := at.v
	if at.bad {
		good = d.last().Add(time.Minute)
		if good.Year() > MaxYear || r.ID().IsZero() {
			return ReferralTransitioned{Referral: r.ID(), From: r.State(), To: StateCancelled, At: at.v, Reason: "moved"}
		}
	}
	switch d.pick(12) {
	case 7:
		return ReferralStepTaken{Referral: r.ID(), Step: Step{Kind: StepKindOther, What: tooLongText, At: good}}
	case 8:
		return ReferralFollowedUp{Referral: r.ID(), FollowUp: FollowUp{Asset: NewID[Asset](d.ids), Attended: true, Feedback: withNUL, At: good}}
	case 9:
		return ReferralLinked{Referral: r.ID(), Earlier: []ReferralID{r.ID()}, At: good}
	case 10:
		return ReferralBuyInRecorded{Referral: r.ID(), BuyIn: BuyIn{Understanding: RoleUnderstanding(9), Expected: invalidUTF8}, At: good}
	case 11:
		return ReferralComplexityAssessed{Referral: r.ID(), Complexity: Complexity(4), At: good}
	case 0:
		return ReferralTransitioned{Referral: NewID[Referral](d.ids), From: r.State(), To: StateCancelled, At: good, Reason: "moved"}
	case 1:
		return ReferralTransitioned{Referral: r.ID(), From: r.State(), To: StateCancelled, At: good, Reason: invalidUTF8}
	case 2:
		return ReferralTransitioned{Referral: r.ID(), From: r.State(), To: StateOnHold, At: good, Reason: blankReason}
	case 3:
		return ReferralReassigned{Referral: r.ID(), From: r.LinkWorker(), To: d.workers[0], At: good, Reason: withNUL}
	case 4:
		return ReferralPlanUpdated{Referral: r.ID(), At: good, Needs: NeedSet(1 << 40)}
	case 5:
		return ContactRecorded{Referral: r.ID(), Patient: r.Patient(), LinkWorker: r.LinkWorker(),
			Contact: Contact{ID: NewID[Contact](d.ids), At: good, Mode: ContactModeTelephone, RiskAssessedAt: yearBefore}}
	default:
		return ReferralTransitioned{Referral: r.ID(), From: r.State(), To: StateCancelled, At: yearAfter, Reason: "moved"}
	}
}

// TestEV_3_RandomReferralHistoriesReplayExactly drives referrals through
// random sequences of operations, valid and hostile (invalid UTF-8, NUL,
// text past MaxTextBytes, blank reasons, years outside 1..9999 in UTC, zoned
// times, times going backwards, NaN and infinite scores, values outside
// their vocabularies, wrong IDs). A refused operation must return the zero
// event, change nothing and wrap a documented sentinel; an operation given
// an input it must refuse must not be accepted. The accepted events are
// encoded to JSON Lines, decoded and replayed: the events and the referral
// that come back equal the live ones (rules EV-2, EV-3, REF-7).
func TestEV_3_RandomReferralHistoriesReplayExactly(t *testing.T) {
	codec := mustCodec(t)
	zones := []*time.Location{time.UTC, time.FixedZone("UTC-11", -11*3600), time.FixedZone("UTC+5:45", 5*3600+45*60)}
	if london, err := time.LoadLocation("Europe/London"); err == nil {
		zones = append(zones, london)
	}
	accepted, refused, visited := map[string]int{}, map[string]int{}, map[State]int{}
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 14))
		ids := SeededIDs(rand.New(rand.NewPCG(seed, 15)))
		d := &referralDriver{
			t: t, rng: rng, ids: ids, pat: NewID[Patient](ids),
			start:   time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(1e6)) * time.Minute),
			workers: []LinkWorkerID{NewID[LinkWorker](ids), NewID[LinkWorker](ids), NewID[LinkWorker](ids)},
			zones:   zones, accepted: accepted, refused: refused, visited: visited,
		}
		for range 60 {
			d.step()
		}
		if d.r.ID().IsZero() {
			require.Empty(t, d.kept)
			continue
		}

		var stored strings.Builder
		require.NoError(t, codec.Encode(&stored, d.kept), "seed %d", seed)
		back, err := codec.Decode(strings.NewReader(stored.String()))
		require.NoError(t, err, "seed %d", seed)
		require.Equal(t, d.kept, back, "seed %d: events come back as they went", seed)
		var replayed Referral
		require.NoError(t, Replay(&replayed, back), "seed %d", seed)
		require.Equal(t, d.r, replayed, "seed %d: the replayed referral equals the live one", seed)
	}

	// The sequences reach every state and take every operation, so the
	// checks above are exercised, not skipped.
	for _, s := range States() {
		assert.Positive(t, visited[s], "some sequence reaches %s", s)
	}
	for _, op := range allOps {
		if op != "apply hostile event" {
			assert.Positive(t, accepted[op], "%s accepted at least once", op)
		}
		assert.Positive(t, refused[op], "%s refused at least once", op)
	}
	t.Logf("accepted %v", accepted)
	t.Logf("refused %v", refused)
	t.Logf("states reached %v", visited)
}

// TestEV_3_ReferralCopiesShareNothing checks the copy rule: two copies of a
// referral changed at once in two goroutines each change alone, and neither
// the referral nor its copies share memory with the events they return, the
// caller's lists or the closure message (run with -race).
func TestEV_3_ReferralCopiesShareNothing(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateConnected)
	orig := r
	snapshot := r.Offered()
	a, b := r, r
	var wg sync.WaitGroup
	change := func(c *Referral, name string, at time.Time) {
		defer wg.Done()
		for i := range 50 {
			_, err := c.UpdatePlan(at.Add(time.Duration(i)*time.Minute), SupportPlan{Offered: []CommunitySupport{{Need: NeedMoney, Name: name}}})
			if err != nil {
				panic(err)
			}
		}
	}
	at := f.tick()
	wg.Add(2)
	go change(&a, "copy a", at)
	go change(&b, "copy b", at)
	wg.Wait()
	for _, c := range []struct {
		r          Referral
		mine, they string
	}{{a, "copy a", "copy b"}, {b, "copy b", "copy a"}} {
		names := map[string]int{}
		for _, s := range c.r.Offered() {
			names[s.Name]++
		}
		assert.Equal(t, 50, names[c.mine])
		assert.Zero(t, names[c.they], "a copy sees nothing of the other's changes")
	}
	assert.Equal(t, orig, r)
	assert.Equal(t, snapshot, r.Offered())

	// Events and the caller's lists are the caller's: changing them changes
	// nothing in the referral.
	plan := SupportPlan{Needs: []Need{NeedHousing}, Offered: []CommunitySupport{{Need: NeedHousing, Name: "Shelter"}}}
	e, err := r.UpdatePlan(f.tick(), plan)
	require.NoError(t, err)
	plan.Offered[0].Name = "changed by the caller"
	e.Offered[0].Name = "changed in the event"
	assert.Equal(t, "Shelter", r.Offered()[len(r.Offered())-1].Name)

	_, err = r.PutOnHold(f.tick(), "waiting")
	require.NoError(t, err)
	_, err = r.Resume(f.tick())
	require.NoError(t, err)
	ce, err := r.Close(f.tick(), OutcomeConnectedAndBenefited, swemwbsChange(17.43, 21.54))
	require.NoError(t, err)
	msg, ok := r.ClosureMessage()
	require.True(t, ok)
	closed := r
	ce.Measures[0].After = ScoreOf(7)
	msg.Measures[0].Before = ScoreOf(35)
	msg.Offered[0].Name = "changed in the message"
	msg.TakenUp[0].Name = "changed in the message"
	assert.Equal(t, closed, r)
	again, ok := r.ClosureMessage()
	require.True(t, ok)
	assert.Equal(t, swemwbsChange(17.43, 21.54), again.Measures[0])
	assert.NotEqual(t, "changed in the message", again.Offered[0].Name)
	assert.NotEqual(t, "changed in the message", again.TakenUp[0].Name)

	// Apply takes the event's lists without keeping them.
	g := newFixture(t)
	live, history := g.referralIn(StateConnected)
	var replayed Referral
	require.NoError(t, Replay(&replayed, history))
	wantOffered, wantConnections := live.Offered(), live.Connections()
	require.NotEmpty(t, wantOffered)
	require.NotEmpty(t, wantConnections)
	for _, e := range history {
		if tr, ok := e.(ReferralTransitioned); ok {
			for i := range tr.Offered {
				tr.Offered[i].Name = "changed after replay"
			}
			for i := range tr.Connections {
				tr.Connections[i].Name = "changed after replay"
			}
		}
	}
	for _, got := range []Referral{live, replayed} {
		assert.Equal(t, wantOffered, got.Offered())
		assert.Equal(t, wantConnections, got.Connections())
	}
}

// TestEV_3_SupportEventsAndTheReferralShareNothing: starting support and
// connecting copy the caller's list once for the event they return and once
// for the referral, in one allocation; changing or appending to the event's
// list, or the caller's, leaves the referral as it was, and the referral's
// later additions never reach the event.
func TestEV_3_SupportEventsAndTheReferralShareNothing(t *testing.T) {
	f := newFixture(t)
	r, _ := f.referralIn(StateContacted)
	asset := walkingGroup
	asset.Asset = NewID[Asset](f.ids)
	plan := []CommunitySupport{walkingGroup, {Need: NeedMoney, Name: "benefits advice"}}
	started, err := r.StartSupport(f.tick(), SupportPlan{Offered: plan})
	require.NoError(t, err)
	taken := []CommunitySupport{asset}
	connected, err := r.Connect(f.tick(), taken...)
	require.NoError(t, err)
	offered, connections := r.Offered(), r.Connections()
	require.Equal(t, plan, offered)
	require.Equal(t, taken, connections)

	for _, list := range [][]CommunitySupport{plan, taken, started.Offered, connected.Connections} {
		list[0].Name = "changed by the caller"
	}
	started.Offered = append(started.Offered, CommunitySupport{Need: NeedOther, Name: "appended to the event"})
	connected.Connections = append(connected.Connections, CommunitySupport{Need: NeedOther, Asset: asset.Asset, Name: "appended to the event"})
	assert.Equal(t, offered, r.Offered())
	assert.Equal(t, connections, r.Connections())

	eventOffered := slices.Clone(started.Offered)
	_, err = r.UpdatePlan(f.tick(), SupportPlan{Offered: []CommunitySupport{{Need: NeedHousing, Name: "housing advice"}}})
	require.NoError(t, err)
	assert.Len(t, r.Offered(), 3)
	assert.Equal(t, eventOffered, started.Offered, "the referral's additions never reach the event")
}

// TestREF_4_ClosureMessageListsAreIndependent checks that the lists of a
// message back to the GP, which share one allocation, never write into one
// another: appending to the support offered leaves what was taken up as it
// was.
func TestREF_4_ClosureMessageListsAreIndependent(t *testing.T) {
	f := newFixture(t)
	r, _, msg := f.story()
	require.NotEmpty(t, msg.Offered)
	require.NotEmpty(t, msg.TakenUp)
	takenUp := slices.Clone(msg.TakenUp)
	msg.Offered = append(msg.Offered, CommunitySupport{Need: NeedOther, Name: "appended"})
	assert.Equal(t, takenUp, msg.TakenUp)
	assert.Equal(t, r.Connections(), msg.TakenUp)
	again, ok := r.ClosureMessage()
	require.True(t, ok)
	assert.Equal(t, r.Offered(), again.Offered)

	// A referral closed without a connection has no list taken up.
	g := newFixture(t)
	h, _ := g.referralIn(StateClosed)
	m, ok := h.ClosureMessage()
	require.True(t, ok)
	assert.Nil(t, m.TakenUp)
	assert.Equal(t, h.Offered(), m.Offered)
}

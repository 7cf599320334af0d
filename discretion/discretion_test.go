package discretion

import (
	"bytes"
	"encoding/json"
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
	lw  prescribing.LinkWorkerID
	now time.Time
}

// Every record type of this package is a prescribing.StreamRecord.
var (
	_ prescribing.StreamRecord = (*Policy)(nil)
	_ prescribing.StreamRecord = (*Log)(nil)
)

func newFixture() *fixture {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(6, 1)))
	return &fixture{ids: ids, lw: prescribing.NewID[prescribing.LinkWorker](ids), now: time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)}
}

func (f *fixture) tick() time.Time { f.now = f.now.Add(time.Hour); return f.now }

func (f *fixture) policy(t testing.TB, site string, levels map[Aspect]Level) (Policy, PolicyAdopted) {
	p, e, err := AdoptPolicy(prescribing.NewID[Policy](f.ids), site, levels, f.tick())
	require.NoError(t, err)
	return p, e
}

// log opens the fixture link worker's log of micro-discretions.
func (f *fixture) log(t testing.TB) (Log, LogOpened) {
	l, e, err := OpenLog(f.lw, f.tick())
	require.NoError(t, err)
	return l, e
}

func (f *fixture) act(aspect Aspect, level Level, patient prescribing.PatientID) Act {
	return Act{ID: prescribing.NewID[Act](f.ids), LinkWorker: f.lw, At: f.tick(), Aspect: aspect,
		Counterpart: CounterpartPatient, Patient: patient, What: "went with them to their first session", Motive: MotivePatientBenefit, Level: level}
}

func TestDISC_1_AspectsAreAnOpenSetWithDefaults(t *testing.T) {
	var keys []Aspect
	for _, a := range DefaultAspects() {
		keys = append(keys, a.Aspect)
		assert.NotEmpty(t, a.Description)
	}
	assert.Equal(t, []Aspect{AspectSessions, AspectContactMode, AspectHomeVisits, AspectAccompanying, AspectOutOfHours,
		AspectReferralCriteria, AspectOngoingHolding, AspectEmotionalSupport, AspectAdvocacy, AspectPracticalHelp}, keys)

	// A caller's own aspect works everywhere a default one does.
	f := newFixture()
	own := Aspect("lending_money_for_bus_fare")
	p, _ := f.policy(t, "Riverside PCN", map[Aspect]Level{own: LevelFixedRule})
	l, ok := p.Level(own)
	require.True(t, ok)
	assert.Equal(t, LevelFixedRule, l)
	log, _ := f.log(t)
	_, err := log.Record(f.act(own, LevelDiscretionary, prescribing.NewID[prescribing.Patient](f.ids)))
	require.NoError(t, err)
	assert.Equal(t, VerdictBeyond, CheckAct(&p, log.Acts()[0]).Verdict)
	assert.False(t, Aspect("").Valid())
}

func TestDISC_2_PoliciesOnTheSlidingScaleComparedAspectByAspect(t *testing.T) {
	f := newFixture()
	assert.Equal(t, []Level{LevelFixedRule, LevelBoundaried, LevelGuided, LevelDiscretionary, LevelOpen}, Levels())
	a, _ := f.policy(t, "Mill Lane", map[Aspect]Level{AspectHomeVisits: LevelFixedRule, AspectSessions: LevelGuided, AspectAdvocacy: LevelOpen})
	b, _ := f.policy(t, "Riverside", map[Aspect]Level{AspectHomeVisits: LevelDiscretionary, AspectSessions: LevelGuided, AspectPracticalHelp: LevelBoundaried})
	assert.Equal(t, []Difference{
		{Aspect: AspectAdvocacy, A: LevelOpen},
		{Aspect: AspectHomeVisits, A: LevelFixedRule, B: LevelDiscretionary, Steps: 3},
		{Aspect: AspectPracticalHelp, B: LevelBoundaried},
		{Aspect: AspectSessions, A: LevelGuided, B: LevelGuided},
	}, Compare(&a, &b))
	assert.Equal(t, -3, Compare(&b, &a)[1].Steps)

	// Changing a policy is an event and replays.
	_, adopted := f.policy(t, "x", nil)
	var replayed Policy
	require.NoError(t, replayed.Apply(adopted))
	changed, err := replayed.Set(AspectOutOfHours, LevelBoundaried, f.tick())
	require.NoError(t, err)
	assert.Equal(t, Level(0), changed.From)
	var again Policy
	require.NoError(t, prescribing.Replay(&again, []prescribing.Event{adopted, changed}))
	assert.Equal(t, replayed, again)
	assert.Equal(t, []Aspect{AspectOutOfHours}, again.Aspects())

	_, _, err = AdoptPolicy(prescribing.NewID[Policy](f.ids), "y", map[Aspect]Level{roomBooking: Level(9)}, f.tick())
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	_, _, err = AdoptPolicy(prescribing.NewID[Policy](f.ids), " ", nil, f.tick())
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	_, err = again.Set(AspectHomeVisits, LevelOpen, f.now.Add(-48*time.Hour))
	assert.ErrorIs(t, err, prescribing.ErrTimeWentBackwards)
}

// roomBooking is a caller's own aspect, for tests.
const roomBooking Aspect = "room_booking"

func TestDISC_3_AnActRecordsWhoWhenWhatWithWhomAndWhy(t *testing.T) {
	f := newFixture()
	log, _ := f.log(t)
	a := f.act(AspectPracticalHelp, LevelDiscretionary, prescribing.NewID[prescribing.Patient](f.ids))
	a.What, a.Motive = "stayed after hours to finish a benefits form", MotiveSelfPreservation
	e, err := log.Record(a)
	require.NoError(t, err)
	assert.Equal(t, a, e.Act)
	for name, change := range map[string]func(*Act){
		"no link worker":             func(a *Act) { a.LinkWorker = prescribing.LinkWorkerID{} },
		"no aspect":                  func(a *Act) { a.Aspect = "" },
		"no counterpart":             func(a *Act) { a.Counterpart = 0 },
		"with a patient, none named": func(a *Act) { a.Patient = prescribing.PatientID{} },
		"nothing done":               func(a *Act) { a.What = " " },
		"no motive":                  func(a *Act) { a.Motive = 0 },
		"no level":                   func(a *Act) { a.Level = 0 },
	} {
		bad := f.act(AspectAdvocacy, LevelGuided, prescribing.NewID[prescribing.Patient](f.ids))
		change(&bad)
		_, err := log.Record(bad)
		assert.ErrorIs(t, err, ErrInvalidAct, name)
	}
	staff := f.act(AspectReferralCriteria, LevelOpen, prescribing.PatientID{})
	staff.Counterpart, staff.Motive = CounterpartPracticeStaff, MotiveUnwitting
	_, err = log.Record(staff)
	require.NoError(t, err, "an act with practice staff need not name a patient")
	_, err = log.Record(a)
	assert.ErrorIs(t, err, ErrInvalidAct, "recorded twice")
	assert.Len(t, log.Acts(), 2)
}

func TestDISC_4_CheckingAnActNeverRefusesIt(t *testing.T) {
	f := newFixture()
	p, _ := f.policy(t, "Mill Lane", map[Aspect]Level{AspectHomeVisits: LevelGuided})
	patient := prescribing.NewID[prescribing.Patient](f.ids)
	cases := []struct {
		level Level
		want  Verdict
		steps int
	}{{LevelBoundaried, VerdictWithin, -1}, {LevelGuided, VerdictAtBoundary, 0}, {LevelOpen, VerdictBeyond, 2}}
	log, _ := f.log(t)
	for _, c := range cases {
		a := f.act(AspectHomeVisits, c.level, patient)
		_, err := log.Record(a)
		require.NoError(t, err, "recorded whatever the verdict")
		chk := CheckAct(&p, a)
		assert.Equal(t, c.want, chk.Verdict, c.level.String())
		assert.Equal(t, c.steps, chk.Steps)
		assert.Equal(t, LevelGuided, chk.Allowed)
		assert.Contains(t, chk.Reason, "home_visits at Mill Lane is guided")
	}
	assert.Equal(t, "home_visits at Mill Lane is guided; the act was open, beyond it by 2 steps", CheckAct(&p, log.Acts()[2]).Reason)
	other := CheckAct(&p, f.act(AspectAdvocacy, LevelOpen, patient))
	assert.Equal(t, VerdictNotCovered, other.Verdict)
	assert.Equal(t, "Mill Lane's policy does not cover advocacy", other.Reason)
	assert.Len(t, log.Acts(), 3)
}

func TestDISC_5_EquityAcrossGroupsOfPatients(t *testing.T) {
	f := newFixture()
	groups := map[prescribing.PatientID]string{}
	var low, high []prescribing.PatientID
	for i := range 30 {
		p := prescribing.NewID[prescribing.Patient](f.ids)
		if i < 20 {
			groups[p], low = "low complexity", append(low, p)
		} else {
			groups[p], high = "high complexity", append(high, p)
		}
	}
	var acts []Act
	for i := range 18 { // 18 acts for 9 of the 20 low-complexity people
		acts = append(acts, f.act(AspectOngoingHolding, LevelDiscretionary, low[i/2]))
	}
	acts = append(acts, f.act(AspectOngoingHolding, LevelDiscretionary, high[0]))                                       // 1 act for the 10 high-complexity people
	acts = append(acts, f.act(AspectOngoingHolding, LevelDiscretionary, prescribing.NewID[prescribing.Patient](f.ids))) // not in the caseload
	staff := f.act(AspectReferralCriteria, LevelOpen, prescribing.PatientID{})
	staff.Counterpart = CounterpartPracticeStaff
	acts = append(acts, staff)

	rep, err := Equity(acts, groups, 0)
	require.NoError(t, err)
	assert.Equal(t, 30, rep.People)
	assert.Equal(t, 19, rep.Acts)
	assert.Equal(t, 2, rep.Unattributed)
	assert.InDelta(t, 19.0/30, rep.OverallRate, 1e-9)
	assert.Equal(t, DefaultEquityThreshold, rep.Threshold)
	require.Len(t, rep.Groups, 2)
	hi, lo := rep.Groups[0], rep.Groups[1]
	assert.Equal(t, "high complexity", hi.Group, "groups in name order")
	assert.InDelta(t, 0.9/(19.0/30), lo.Ratio, 1e-9)
	lo.Ratio = 0
	assert.Equal(t, EquityGroup{Group: "low complexity", People: 20, Reached: 9, Acts: 18, Rate: 0.9,
		ShareOfPeople: 20.0 / 30, ShareOfActs: 18.0 / 19}, lo, "ratio 1.42 is under the 1.5 threshold: not flagged")
	assert.True(t, hi.Under, "0.1 a person against 0.63 overall")
	assert.InDelta(t, 0.1/(19.0/30), hi.Ratio, 1e-9)

	strict, err := Equity(acts, groups, 1.2)
	require.NoError(t, err)
	assert.True(t, strict.Groups[1].Over, "at a lower threshold the low-complexity group is flagged")

	empty, err := Equity(nil, groups, 0)
	require.NoError(t, err)
	assert.Zero(t, empty.OverallRate)
	assert.Zero(t, empty.Groups[0].Ratio)
}

func codec(t testing.TB) *prescribing.EventCodec {
	c, err := prescribing.NewEventCodec(slices.Concat(prescribing.EventKinds(), EventKinds())...)
	require.NoError(t, err)
	return c
}

func TestDISC_EventsRoundTripAndReplay(t *testing.T) {
	f := newFixture()
	p, adopted := f.policy(t, "Mill Lane", map[Aspect]Level{AspectHomeVisits: LevelGuided, AspectAdvocacy: LevelOpen})
	changed, err := p.Set(AspectHomeVisits, LevelBoundaried, f.tick())
	require.NoError(t, err)
	log, opened := f.log(t)
	recorded, err := log.Record(f.act(AspectHomeVisits, LevelDiscretionary, prescribing.NewID[prescribing.Patient](f.ids)))
	require.NoError(t, err)

	c := codec(t)
	history := []prescribing.Event{adopted, changed, opened, recorded}
	var buf bytes.Buffer
	require.NoError(t, c.Encode(&buf, history))
	stored, err := c.Decode(&buf)
	require.NoError(t, err)
	assert.Equal(t, history, stored)

	var replayedPolicy Policy
	require.NoError(t, prescribing.Replay(&replayedPolicy, stored[:2]))
	assert.Equal(t, p, replayedPolicy)
	var replayedLog Log
	require.NoError(t, prescribing.Replay(&replayedLog, stored[2:]))
	assert.Equal(t, log, replayedLog)
	assert.Equal(t, 2, replayedLog.Version())
	assert.Equal(t, prescribing.StreamOf(prescribing.StreamKindActLog, f.lw), replayedLog.Stream())

	err = prescribing.Replay(&replayedLog, stored[3:])
	var re *prescribing.ReplayError
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, ErrInvalidAct, "the same act twice")

	stale := changed
	stale.From = LevelOpen
	var q Policy
	require.NoError(t, q.Apply(adopted))
	assert.ErrorIs(t, q.Apply(stale), prescribing.ErrUnexpectedEvent)

	b, err := json.Marshal(adopted)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"levels":{"advocacy":"open","home_visits":"guided"}`, "levels in key order, as names")
}

func FuzzEventUnmarshal(f *testing.F) {
	fx := newFixture()
	c := codec(f)
	p, adopted := fx.policy(f, "Mill Lane", map[Aspect]Level{AspectHomeVisits: LevelGuided})
	changed, _ := p.Set(AspectSessions, LevelOpen, fx.tick())
	log, opened := fx.log(f)
	recorded, _ := log.Record(fx.act(AspectHomeVisits, LevelDiscretionary, prescribing.NewID[prescribing.Patient](fx.ids)))
	for _, e := range []prescribing.Event{adopted, changed, opened, recorded} {
		b, err := c.Marshal(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"discretion.policy_adopted","event":{"levels":{"":"open"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, ok := eventtest.CanonicalHolds(t, c, b)
		if !ok {
			return
		}
		var q Policy
		_ = q.Apply(e)
		copyOf := p
		_ = copyOf.Apply(e)
		var l Log
		_ = l.Apply(e)
		if r, ok := e.(ActRecorded); ok {
			_ = CheckAct(&p, r.Act)
		}
	})
}

// book is every discretion record of a stream: the policies by ID and the
// log of acts. It routes each event to its record.
type book struct {
	policies map[PolicyID]Policy
	log      Log
}

func newBook() *book { return &book{policies: map[PolicyID]Policy{}} }

// Apply routes an event to its record by the stream it names.
func (b *book) Apply(e prescribing.Event) error {
	if e == nil {
		return prescribing.NotFor(e, "discretion")
	}
	switch s := e.EventStream(); s.Kind {
	case prescribing.StreamKindActLog:
		return b.log.Apply(e)
	case prescribing.StreamKindSitePolicy:
		return b.applyPolicy(prescribing.IDFromUUID[Policy](s.ID), e)
	default:
		return prescribing.NotFor(e, "discretion")
	}
}

func (b *book) applyPolicy(id PolicyID, e prescribing.Event) error {
	p := b.policies[id]
	if err := p.Apply(e); err != nil {
		return err
	}
	b.policies[id] = p
	return nil
}

// FuzzEventStream decodes a JSON Lines stream of discretion events and
// replays it: no panic, a bad stream is refused by Decode or by Replay
// (with a *prescribing.ReplayError), and a stream that replays is stored
// and replayed again to the same records.
func FuzzEventStream(f *testing.F) {
	fx := newFixture()
	c := codec(f)
	p, adopted := fx.policy(f, "Mill Lane", map[Aspect]Level{AspectHomeVisits: LevelGuided})
	changed, err := p.Set(AspectSessions, LevelOpen, fx.tick())
	if err != nil {
		f.Fatal(err)
	}
	log, opened := fx.log(f)
	recorded, err := log.Record(fx.act(AspectHomeVisits, LevelDiscretionary, prescribing.NewID[prescribing.Patient](fx.ids)))
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Encode(&buf, []prescribing.Event{adopted, changed, opened, recorded}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
	f.Add(slices.Concat(lines[1], lines[0]))
	f.Add(slices.Concat(lines[2], lines[2]))
	f.Add(slices.Concat(lines[0], lines[0]))
	f.Add([]byte(`{"type":"discretion.policy_changed","event":{}}` + "\n"))
	f.Add(bytes.ReplaceAll(buf.Bytes(), []byte(`"2026-`), []byte(`"10000-`)))
	f.Add(bytes.ReplaceAll(buf.Bytes(), []byte(`"open"`), []byte(`"wide_open"`)))
	f.Add(bytes.ReplaceAll(buf.Bytes(), []byte(`"home_visits"`), []byte(`"\ud800"`)))
	f.Fuzz(func(t *testing.T, b []byte) {
		events, err := c.Decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		eventtest.ReplayStoredAgain(t, c, newBook(), events, func() prescribing.Applier { return newBook() })
	})
}

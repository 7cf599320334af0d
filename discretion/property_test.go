package discretion

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documented are the sentinels a refusal of this package may wrap.
var documented = []error{
	ErrInvalidAct, ErrInvalidPolicy, ErrNoAspect,
	prescribing.ErrNoTime, prescribing.ErrTimeOutOfRange, prescribing.ErrTimeWentBackwards,
	prescribing.ErrWrongSubject, prescribing.ErrUnexpectedEvent, prescribing.ErrInvalidText,
	prescribing.ErrUnknownValue, prescribing.ErrInvalidID,
}

// generator makes random operations on a site's policies and a log of
// acts, valid and hostile alike.
type generator struct {
	r        *rand.Rand
	ids      prescribing.IDSource
	lw       prescribing.LinkWorkerID
	patients []prescribing.PatientID
	clock    time.Time
	acts     []ActID
}

func (g *generator) pick(n int) int { return g.r.IntN(n) }

// when returns the time of the next operation: mostly forward, sometimes
// backwards, out of range, zero or in another zone.
func (g *generator) when() time.Time {
	switch g.pick(30) {
	case 0:
		return g.clock.Add(-time.Duration(1+g.pick(90*24)) * time.Hour)
	case 1:
		return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	case 2:
		return time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC)
	case 3:
		return time.Time{}
	case 4:
		return time.Date(9999, 12, 31, 22, 0, 0, 0, time.FixedZone("UTC-3", -3*3600))
	case 5:
		loc, err := time.LoadLocation("Europe/London")
		if err != nil {
			loc = time.FixedZone("BST", 3600)
		}
		g.clock = g.clock.Add(time.Duration(g.pick(30*24)) * time.Hour)
		return g.clock.In(loc)
	case 6:
		g.clock = g.clock.Add(time.Duration(g.pick(30*24)) * time.Hour)
		return g.clock.In(time.FixedZone("-0930", -(9*3600 + 1800)))
	default:
		g.clock = g.clock.Add(time.Duration(g.pick(24*60)) * time.Minute)
		return g.clock
	}
}

func (g *generator) text() string {
	switch g.pick(4) {
	case 0:
		return invalidUTF8
	case 1:
		return withNUL
	case 2:
		return tooLong
	default:
		return " \t"
	}
}

func (g *generator) aspect() Aspect {
	if g.pick(20) == 0 {
		return Aspect(g.text())
	}
	if g.pick(4) == 0 {
		return roomBooking
	}
	all := DefaultAspects()
	return all[g.pick(len(all))].Aspect
}

func (g *generator) level() Level {
	if g.pick(20) == 0 {
		return Level(g.pick(9))
	}
	return Levels()[g.pick(len(Levels()))]
}

func (g *generator) act() Act {
	a := Act{ID: prescribing.NewID[Act](g.ids), LinkWorker: g.lw, At: g.when(), Aspect: g.aspect(),
		Counterpart: Counterparts()[g.pick(len(Counterparts()))], What: "went with them to the allotment",
		Motive: Motives()[g.pick(len(Motives()))], Level: g.level()}
	if a.Counterpart == CounterpartPatient || g.pick(2) == 0 {
		a.Patient = g.patients[g.pick(len(g.patients))]
	}
	switch g.pick(40) {
	case 0:
		a.What = g.text()
	case 1:
		a.Counterpart = Counterpart(4 + g.pick(5))
	case 2:
		a.Motive = Motive(g.pick(2) * 9)
	case 3:
		a.Patient = prescribing.PatientID{}
	case 4:
		if len(g.acts) > 0 {
			a.ID = g.acts[g.pick(len(g.acts))]
		}
	case 5:
		a.LinkWorker = prescribing.LinkWorkerID{}
	case 6:
		a.LinkWorker = prescribing.NewID[prescribing.LinkWorker](g.ids) // another's act
	}
	return a
}

func (g *generator) levels() map[Aspect]Level {
	if g.pick(5) == 0 {
		return nil
	}
	out := map[Aspect]Level{}
	for range g.pick(5) {
		out[g.aspect()] = g.level()
	}
	return out
}

// TestDISC_PropertyWhatIsAcceptedIsStoredAndReplayedExactly drives random
// sequences of valid, refused and hostile operations on policies and a
// log: every refusal returns the zero event, changes nothing and wraps a
// documented sentinel; the events kept encode to JSON Lines, decode to the
// same events, and replay to records equal to the live ones.
func TestDISC_PropertyWhatIsAcceptedIsStoredAndReplayedExactly(t *testing.T) {
	c := codec(t)
	accepted, refused := 0, 0
	for seed := range uint64(200) {
		g := &generator{r: rand.New(rand.NewPCG(seed, 14)), ids: prescribing.SeededIDs(rand.New(rand.NewPCG(seed, 43))),
			clock: time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)}
		g.lw = prescribing.NewID[prescribing.LinkWorker](g.ids)
		for range 5 {
			g.patients = append(g.patients, prescribing.NewID[prescribing.Patient](g.ids))
		}
		live := newBook()
		var order []PolicyID
		var kept []prescribing.Event
		for op := range 60 {
			var e prescribing.Event
			var err error
			var changedNothing func() bool
			switch k := g.pick(10); {
			case k < 2 || len(order) == 0: // adopt a policy
				id := prescribing.NewID[Policy](g.ids)
				site := "Mill Lane"
				switch g.pick(15) {
				case 0:
					site = g.text()
				case 1:
					id = PolicyID{}
				}
				var p Policy
				var adopted PolicyAdopted
				p, adopted, err = AdoptPolicy(id, site, g.levels(), g.when())
				if err == nil {
					live.policies[id], order = p, append(order, id)
					e = adopted
				} else {
					require.Zero(t, p, "seed %d op %d: a refused adoption gives the zero policy", seed, op)
					require.Zero(t, adopted, "seed %d op %d", seed, op)
				}
				changedNothing = func() bool { return true }
			case k < 5: // change a policy
				id := order[g.pick(len(order))]
				p := live.policies[id]
				before := p
				var changed PolicyChanged
				changed, err = p.Set(g.aspect(), g.level(), g.when())
				live.policies[id] = p
				if err == nil {
					e = changed
				} else {
					require.Zero(t, changed, "seed %d op %d: a refusal returns the zero event", seed, op)
				}
				changedNothing = func() bool { return assert.ObjectsAreEqual(before, live.policies[id]) }
			case k < 6: // a forged policy event: adopted again, stale or for another policy
				id := order[g.pick(len(order))]
				p := live.policies[id]
				before := p
				var forged prescribing.Event
				switch g.pick(3) {
				case 0:
					forged = PolicyAdopted{Policy: id, Site: "again", At: g.clock}
				case 1:
					from, _ := p.Level(AspectSessions)
					forged = PolicyChanged{Policy: id, Aspect: AspectSessions, From: from%5 + 1, To: LevelGuided, At: g.clock}
				default:
					from, _ := p.Level(AspectSessions)
					// As a stream decoded from storage would carry it: in UTC.
					forged = PolicyChanged{Policy: id, Aspect: AspectSessions, From: from, To: g.level(), At: prescribing.Stamp(g.when())}
				}
				if err = p.Apply(forged); err == nil {
					live.policies[id] = p
					e = forged
				}
				changedNothing = func() bool { return assert.ObjectsAreEqual(before, live.policies[id]) }
			case live.log.LinkWorker().IsZero() || k == 6 && g.pick(4) == 0: // open the log, or try to open it again
				before := live.log
				lw := g.lw
				if g.pick(10) == 0 {
					lw = prescribing.LinkWorkerID{}
				}
				var opened LogOpened
				if live.log.LinkWorker().IsZero() {
					var l Log
					l, opened, err = OpenLog(lw, g.when())
					if err == nil {
						live.log, e = l, opened
					} else {
						require.Zero(t, l, "seed %d op %d: a refused opening gives the zero log", seed, op)
						require.Zero(t, opened, "seed %d op %d", seed, op)
					}
				} else {
					err = live.log.Apply(LogOpened{LinkWorker: lw, At: prescribing.Stamp(g.when())})
					require.Error(t, err, "seed %d op %d: a log opens once", seed, op)
				}
				changedNothing = func() bool { return assert.ObjectsAreEqual(before, live.log) }
			default: // record an act
				before := live.log
				var recorded ActRecorded
				recorded, err = live.log.Record(g.act())
				if err == nil {
					e = recorded
					g.acts = append(g.acts, recorded.Act.ID)
				} else {
					require.Zero(t, recorded, "seed %d op %d: a refusal returns the zero event", seed, op)
				}
				changedNothing = func() bool { return assert.ObjectsAreEqual(before, live.log) }
			}
			if err != nil {
				refused++
				require.True(t, changedNothing(), "seed %d op %d: a refusal changes nothing (%v)", seed, op, err)
				require.True(t, eventtest.WrapsOneOf(err, documented...), "seed %d op %d: %v wraps no documented sentinel", seed, op, err)
				continue
			}
			accepted++
			kept = append(kept, e)
		}
		var buf bytes.Buffer
		require.NoError(t, c.Encode(&buf, kept), "seed %d: what was accepted encodes", seed)
		stored, err := c.Decode(&buf)
		require.NoError(t, err, "seed %d", seed)
		require.Equal(t, kept, stored, "seed %d: the codec gives back the events accepted", seed)
		replayed := newBook()
		require.NoError(t, prescribing.Replay(replayed, stored), "seed %d", seed)
		assert.Equal(t, live, replayed, "seed %d: replay rebuilds the live records", seed)
	}
	t.Logf("%d operations accepted, %d refused", accepted, refused)
	assert.Greater(t, accepted, 3000, "the sequences accept enough to mean something")
	assert.Greater(t, refused, 1500, "and refuse enough")
}

package embeddedness

import (
	"bytes"
	"math"
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
	ErrInvalidObservation, ErrUnknownIndicator, ErrInvalidAdjustment,
	prescribing.ErrInvalidID, prescribing.ErrNoTime, prescribing.ErrTimeOutOfRange, prescribing.ErrTimeWentBackwards,
	prescribing.ErrWrongSubject, prescribing.ErrUnexpectedEvent, prescribing.ErrInvalidText, prescribing.ErrNotFinite,
	prescribing.ErrUnknownValue,
}

// generator makes random operations on one link worker's record, valid
// and hostile alike.
type generator struct {
	r         *rand.Rand
	ids       prescribing.IDSource
	lw        prescribing.LinkWorkerID
	practices []prescribing.PracticeID
	clock     time.Time
	used      []AssessmentID
	fw        *Framework
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
		return g.clock.In(time.FixedZone("+0530", 5*3600+1800))
	default:
		g.clock = g.clock.Add(time.Duration(g.pick(60*24)) * time.Hour)
		return g.clock
	}
}

func (g *generator) text() string {
	switch g.pick(12) {
	case 0:
		return invalidUTF8
	case 1:
		return withNUL
	case 2:
		return tooLong
	default:
		return "odd text"
	}
}

func (g *generator) score() float64 {
	switch g.pick(80) {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1 - 2*g.pick(2))
	case 2:
		return 1 + g.r.Float64()
	case 3:
		return -g.r.Float64()
	default:
		return []float64{0, 0.25, 0.5, 0.75, 1, g.r.Float64()}[g.pick(6)]
	}
}

func (g *generator) adjustment() Adjustment {
	switch g.pick(24) {
	case 0, 1, 2, 6, 7, 8:
		return Adjustment{}
	case 3:
		return Adjustment{Kind: AdjustmentKind(g.pick(12)), Description: "changed the clinic day"}
	case 4:
		return Adjustment{Kind: AdjustmentKindOther, Description: []string{"n/a", "-", " ", "none", ""}[g.pick(5)]}
	case 5:
		return Adjustment{Kind: AdjustmentKindAccess, Description: g.text()}
	default:
		return Adjustment{Kind: AdjustmentKinds()[g.pick(len(AdjustmentKinds()))], Description: "gave a room on Tuesdays"}
	}
}

func (g *generator) assessment() Assessment {
	a := Assessment{LinkWorker: g.lw, Practice: g.practices[g.pick(len(g.practices))], On: g.when()}
	switch g.pick(25) {
	case 0:
		a.ID = AssessmentID{}
	case 1:
		if len(g.used) > 0 {
			a.ID = g.used[g.pick(len(g.used))]
			break
		}
		fallthrough
	default:
		a.ID = prescribing.NewID[Assessment](g.ids)
	}
	switch g.pick(30) {
	case 0:
		a.LinkWorker = prescribing.NewID[prescribing.LinkWorker](g.ids)
	case 1:
		a.Practice = prescribing.PracticeID{}
	}
	for _, in := range g.fw.Indicators() {
		if g.pick(3) > 0 {
			a.Observations = append(a.Observations, Observation{Indicator: in.Key, Score: g.score()})
		}
	}
	switch g.pick(30) {
	case 0:
		a.Observations = append(a.Observations, Observation{Indicator: g.text(), Score: 1})
	case 1:
		a.Observations = append(a.Observations, Observation{Indicator: "parking_space", Score: 1})
	case 2:
		if len(a.Observations) > 0 {
			a.Observations = append(a.Observations, a.Observations[0])
		}
	}
	a.Adjustments = Adjustments{ByPractice: g.adjustment(), ByLinkWorker: g.adjustment()}
	return a
}

// forged returns an event a caller built, applied without the framework:
// a sound one, or one with a hostile result.
func (g *generator) forged() Assessed {
	a := g.assessment()
	res, err := g.fw.Assess(a)
	if err != nil {
		res = Result{Position: PositionFittingIn, Overall: 0.5}
	}
	switch g.pick(6) {
	case 0:
		res.Overall = math.NaN()
	case 1:
		res.Position = Position(4 + g.pick(10))
	case 2:
		res.Position, res.Overall, res.CappedByAdjustment = PositionBelonging, 1, false
	case 3:
		res.HeldBack = append(res.HeldBack, HeldBack{Why: g.text(), Score: g.score()})
	}
	a.On = prescribing.Stamp(a.On)
	return Assessed{Assessment: a, Result: res}
}

// TestEMB_PropertyWhatIsAcceptedIsStoredAndReplayedExactly drives random
// sequences of valid, refused and hostile operations on a Record: every
// refusal returns the zero event, changes nothing and wraps a documented
// sentinel; the events kept encode to JSON Lines, decode to the same
// events, and replay to a record equal to the live one.
func TestEMB_PropertyWhatIsAcceptedIsStoredAndReplayedExactly(t *testing.T) {
	c := codec(t)
	extended, err := DefaultFramework().With(Indicator{Key: "named_champion", Concept: ConceptPower, Description: "a named GP champions the role"})
	require.NoError(t, err)
	accepted, refused := 0, 0
	for seed := range uint64(200) {
		g := &generator{r: rand.New(rand.NewPCG(seed, 14)), ids: prescribing.SeededIDs(rand.New(rand.NewPCG(seed, 41))),
			clock: time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC), fw: []*Framework{DefaultFramework(), extended}[seed%2]}
		g.lw = prescribing.NewID[prescribing.LinkWorker](g.ids)
		for range 3 {
			g.practices = append(g.practices, prescribing.NewID[prescribing.Practice](g.ids))
		}
		var rec Record
		var kept []prescribing.Event
		for op := range 60 {
			before := rec
			var e prescribing.Event
			var err error
			switch {
			case rec.LinkWorker().IsZero() || g.pick(15) == 0: // open the record, or try to open it again
				lw, at := g.lw, g.when()
				if g.pick(8) == 0 {
					lw = prescribing.LinkWorkerID{}
				}
				if rec.LinkWorker().IsZero() {
					var opened Record
					var ev RecordOpened
					opened, ev, err = OpenRecord(lw, at)
					if err == nil {
						rec, e = opened, ev
					} else {
						require.Zero(t, opened, "seed %d op %d: a refused opening gives the zero record", seed, op)
						require.Zero(t, ev, "seed %d op %d", seed, op)
					}
				} else {
					err = rec.Apply(RecordOpened{LinkWorker: lw, At: prescribing.Stamp(at)})
					require.Error(t, err, "seed %d op %d: a record opens once", seed, op)
				}
			case g.pick(5) == 0:
				forged := g.forged()
				if err = rec.Apply(forged); err == nil {
					e = forged
				}
			default:
				var assessed Assessed
				assessed, err = rec.Assess(g.fw, g.assessment())
				if err == nil {
					e = assessed
				} else {
					require.Zero(t, assessed, "seed %d op %d: a refusal returns the zero event", seed, op)
				}
			}
			if err != nil {
				refused++
				require.Equal(t, before, rec, "seed %d op %d: a refusal changes nothing (%v)", seed, op, err)
				require.True(t, eventtest.WrapsOneOf(err, documented...), "seed %d op %d: %v wraps no documented sentinel", seed, op, err)
				continue
			}
			accepted++
			if a, ok := e.(Assessed); ok {
				g.used = append(g.used, a.Assessment.ID)
			}
			kept = append(kept, e)
		}
		var buf bytes.Buffer
		require.NoError(t, c.Encode(&buf, kept), "seed %d: what was accepted encodes", seed)
		stored, err := c.Decode(&buf)
		require.NoError(t, err, "seed %d", seed)
		require.Equal(t, kept, stored, "seed %d: the codec gives back the events accepted", seed)
		var replayed Record
		require.NoError(t, prescribing.Replay(&replayed, stored), "seed %d", seed)
		require.Equal(t, len(stored), replayed.Version(), "seed %d: the version counts the stream", seed)
		assert.Equal(t, rec, replayed, "seed %d: replay rebuilds the live record", seed)
	}
	t.Logf("%d operations accepted, %d refused", accepted, refused)
	assert.Greater(t, accepted, 3000, "the sequences accept enough to mean something")
	assert.Greater(t, refused, 3000, "and refuse enough")
}

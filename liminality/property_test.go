package liminality

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documented lists every sentinel a refused liminality operation may wrap.
var documented = []error{
	ErrInvalidMove, ErrUnaddressed, ErrUnknownArea, ErrInvalidCurriculum,
	ErrInvalidFrequency, ErrNotSupervisor, ErrSupervisionEnded,
	prescribing.ErrNoTime, prescribing.ErrTimeOutOfRange, prescribing.ErrTimeWentBackwards,
	prescribing.ErrUnknownValue, prescribing.ErrMissingDetail, prescribing.ErrInvalidID,
	prescribing.ErrWrongSubject, prescribing.ErrUnexpectedEvent, prescribing.ErrInvalidText,
}

// hostile draws inputs for the property test: mostly valid, often not.
type hostile struct {
	rng   *rand.Rand
	zones []*time.Location
	base  time.Time
}

func newHostile(seed uint64) *hostile {
	zones := []*time.Location{time.UTC, time.FixedZone("CEST", 2*3600), time.FixedZone("", -7*3600-1800)}
	if london, err := time.LoadLocation("Europe/London"); err == nil {
		zones = append(zones, london)
	}
	return &hostile{
		rng:   rand.New(rand.NewPCG(seed, 14)),
		zones: zones,
		base:  time.Date(2020+int(seed%5), time.Month(1+seed%12), 1+int(seed%28), 9, 0, 0, 0, time.UTC),
	}
}

// time returns a time for a change after last: usually later, in any zone;
// sometimes exactly last, earlier, zero, or outside the years 1 to 9999.
func (h *hostile) time(last time.Time) time.Time {
	if last.IsZero() {
		last = h.base
	}
	zone := h.zones[h.rng.IntN(len(h.zones))]
	switch h.rng.IntN(20) {
	case 0:
		return time.Time{}
	case 1:
		return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	case 2:
		return time.Date(0, 12, 31, 23, 59, 59, 0, time.UTC)
	case 3:
		return time.Date(9999, 12, 31, 23, 30, 0, 0, time.FixedZone("", -3600)) // year 10000 in UTC
	case 4:
		return last.Add(-time.Nanosecond).In(zone)
	case 5:
		return last.AddDate(0, 0, -1-h.rng.IntN(30)).In(zone)
	case 6:
		return last.In(zone)
	}
	return last.Add(time.Duration(1 + h.rng.Int64N(int64(40*24*time.Hour)))).In(zone)
}

func (h *hostile) theme() Theme {
	switch h.rng.IntN(10) {
	case 0:
		return 0
	case 1:
		return Theme(5 + h.rng.IntN(60))
	}
	return Themes()[h.rng.IntN(len(Themes()))]
}

func (h *hostile) themes(missing ThemeSet) ThemeSet {
	switch h.rng.IntN(8) {
	case 0:
		return 0
	case 1:
		return missing.With(Theme(5 + h.rng.IntN(59)))
	case 2, 3, 4:
		return missing.With(h.theme())
	}
	var s ThemeSet
	for _, t := range Themes() {
		if h.rng.IntN(2) == 0 {
			s = s.With(t)
		}
	}
	return s
}

func (h *hostile) support() RoleSupport {
	switch h.rng.IntN(10) {
	case 0:
		return 0
	case 1:
		return RoleSupport(6 + h.rng.IntN(200))
	}
	return RoleSupports()[h.rng.IntN(len(RoleSupports()))]
}

func (h *hostile) disruption() Disruption {
	switch h.rng.IntN(8) {
	case 0:
		return 0
	case 1:
		return Disruption(6 + h.rng.IntN(200))
	}
	return Disruptions()[h.rng.IntN(len(Disruptions()))]
}

// text returns one of the keys given, or hostile text.
func (h *hostile) text(keys []string) string {
	switch h.rng.IntN(12) {
	case 0:
		return "bad\xff\xfeutf8"
	case 1:
		return "nul\x00inside"
	case 2:
		return strings.Repeat("x", prescribing.MaxTextBytes+1)
	case 3:
		return " \t\n"
	case 4:
		return ""
	case 5:
		return "not_in_the_curriculum"
	case 6:
		return " " + keys[h.rng.IntN(len(keys))]
	}
	return keys[h.rng.IntN(len(keys))]
}

func (h *hostile) curriculum() []Area {
	switch h.rng.IntN(10) {
	case 0:
		return []Area{}
	case 1:
		return []Area{{Key: h.text([]string{"a"}), Description: "d"}, {Key: "b"}}
	case 2:
		return []Area{{Key: "a", Description: h.text([]string{"a description"})}}
	case 3:
		return []Area{{Key: "a"}, {Key: "a"}}
	case 4:
		return []Area{{Key: "local_area", Description: "a local area é"}, {Key: "safeguarding"}}
	}
	return nil // the default
}

// days returns a frequency of supervision: mostly within 1 to
// MaxSupervisionDays, sometimes at or past either end.
func (h *hostile) days() int {
	switch h.rng.IntN(10) {
	case 0:
		return []int{0, -1, MaxSupervisionDays + 1, 1 << 40}[h.rng.IntN(4)]
	case 1:
		return []int{1, MaxSupervisionDays}[h.rng.IntN(2)]
	}
	return []int{7, 14, 28, 30, 42}[h.rng.IntN(5)]
}

// supervisor returns the current supervisor mostly, else another, or none.
func (h *hostile) supervisor(current SupervisorID, others []SupervisorID) SupervisorID {
	switch h.rng.IntN(8) {
	case 0:
		return SupervisorID{}
	case 1, 2:
		return others[h.rng.IntN(len(others))]
	}
	return current
}

// TestEV_3_RandomOperationSequencesReplayExactly is the proof for
// liminality: random sequences of live operations on a journey and a
// training record, valid and hostile mixed. Every refused operation wraps a
// documented sentinel, returns the zero event and changes nothing; every
// accepted event is stored with the codec (JSON Lines), decoded, and
// replayed into fresh records equal to the live ones.
func TestEV_3_RandomOperationSequencesReplayExactly(t *testing.T) {
	c := codec(t)
	const sequences, steps = 200, 60
	accepted, refused := 0, 0
	kinds := map[string]int{}
	for seed := range uint64(sequences) {
		h := newHostile(seed)
		ids := prescribing.SeededIDs(rand.New(rand.NewPCG(seed, 41)))
		lw := prescribing.NewID[prescribing.LinkWorker](ids)
		stranger := prescribing.NewID[prescribing.LinkWorker](ids)
		supervisors := []SupervisorID{prescribing.NewID[Supervisor](ids), prescribing.NewID[Supervisor](ids)}
		var (
			j    Journey
			tr   TrainingRecord
			sv   Supervision
			kept []prescribing.Event
		)
		// check records one operation's outcome: the event is kept if
		// accepted; if refused, the event is zero and nothing changed.
		check := func(name string, e prescribing.Event, err error, zero prescribing.Event, unchanged bool) {
			t.Helper()
			if err != nil {
				refused++
				require.Truef(t, eventtest.WrapsOneOf(err, documented...), "seed %d %s: %v wraps no documented sentinel", seed, name, err)
				require.Equalf(t, zero, e, "seed %d %s: a refused operation returns the zero event", seed, name)
				require.Truef(t, unchanged, "seed %d %s: a refused operation changed the record (%v)", seed, name, err)
				return
			}
			accepted++
			kinds[e.EventType()]++
			if pc, ok := e.(PhaseChanged); ok {
				kinds["to "+pc.To.String()]++
			}
			kept = append(kept, e)
		}
		for range steps {
			jBefore, trBefore, svBefore := j, tr, sv
			if j.linkWorker.IsZero() && h.rng.IntN(3) > 0 {
				who := lw
				if h.rng.IntN(10) == 0 {
					who = prescribing.LinkWorkerID{}
				}
				nj, e, err := Begin(who, h.time(time.Time{}))
				if err == nil {
					j = nj
				} else {
					require.Zero(t, nj)
				}
				check("Begin", e, err, Started{}, err != nil)
				continue
			}
			if tr.linkWorker.IsZero() && h.rng.IntN(4) == 0 {
				ntr, e, err := BeginTraining(lw, h.curriculum(), h.time(time.Time{}))
				if err == nil {
					tr = ntr
				} else {
					require.Zero(t, ntr)
				}
				check("BeginTraining", e, err, TrainingBegun{}, err != nil)
				continue
			}
			if sv.linkWorker.IsZero() && h.rng.IntN(4) == 0 {
				who := lw
				if h.rng.IntN(10) == 0 {
					who = prescribing.LinkWorkerID{}
				}
				nsv, e, err := AgreeSupervision(who, h.supervisor(supervisors[0], supervisors), h.days(), h.time(time.Time{}))
				if err == nil {
					sv = nsv
					require.Equal(t, e.EveryDays, sv.EveryDays(), "seed %d: the record keeps the frequency accepted", seed)
				} else {
					require.Zero(t, nsv)
				}
				check("AgreeSupervision", e, err, SupervisionAgreed{}, err != nil)
				continue
			}
			supervisionUnchanged := func() bool { return assert.ObjectsAreEqual(svBefore, sv) }
			if h.rng.IntN(3) == 0 {
				switch h.rng.IntN(6) {
				case 0, 1, 2:
					e, err := sv.HoldSession(h.supervisor(sv.supervisor, supervisors), h.time(sv.updatedAt))
					check("HoldSession", e, err, SupervisionSessionHeld{}, supervisionUnchanged())
				case 3:
					e, err := sv.Change(h.supervisor(sv.supervisor, supervisors), h.days(), h.time(sv.updatedAt))
					check("Change", e, err, SupervisionChanged{}, supervisionUnchanged())
					if err == nil {
						require.Equal(t, e.EveryDays, sv.EveryDays(), "seed %d: the record keeps the frequency accepted", seed)
					}
				case 4:
					e, err := sv.End(h.text([]string{"moved to another service", "the supervisor left"}), h.time(sv.updatedAt))
					check("End", e, err, SupervisionEnded{}, supervisionUnchanged())
				case 5:
					// Stored events for another record, a second agreement,
					// or a change that says it is from someone else.
					at := h.time(sv.updatedAt)
					wrong := []prescribing.Event{
						SupervisionSessionHeld{LinkWorker: stranger, Supervisor: sv.supervisor, At: at},
						SupervisionChanged{LinkWorker: lw, From: supervisors[1], To: supervisors[0], EveryDays: 7, At: at},
						ThemeNoted{LinkWorker: lw, Theme: ThemeAmbiguity, At: at},
					}
					if sv.supervisor == supervisors[1] {
						wrong[1] = SupervisionChanged{LinkWorker: lw, From: supervisors[0], To: supervisors[1], EveryDays: 7, At: at}
					}
					if !sv.linkWorker.IsZero() {
						wrong = append(wrong, SupervisionAgreed{LinkWorker: lw, Supervisor: supervisors[0], EveryDays: 7, At: at})
					}
					for _, e := range wrong {
						err := sv.Apply(e)
						require.Error(t, err)
						require.True(t, eventtest.WrapsOneOf(err, documented...), "%v", err)
					}
					require.Equal(t, svBefore, sv)
				}
				continue
			}
			journeyUnchanged := func() bool { return assert.ObjectsAreEqual(jBefore, j) }
			trainingUnchanged := func() bool { return assert.ObjectsAreEqual(trBefore, tr) }
			switch op := h.rng.IntN(11); op {
			case 0:
				e, err := j.EnterLiminal(h.time(j.updatedAt))
				check("EnterLiminal", e, err, PhaseChanged{}, journeyUnchanged())
			case 1, 2:
				e, err := j.NoteTheme(h.theme(), h.time(j.updatedAt))
				check("NoteTheme", e, err, ThemeNoted{}, journeyUnchanged())
			case 3, 4:
				e, err := j.RecordSupport(h.support(), h.themes(j.Missing()), h.time(j.updatedAt))
				check("RecordSupport", e, err, SupportRecorded{}, journeyUnchanged())
			case 5:
				e, err := j.Incorporate(h.time(j.updatedAt))
				check("Incorporate", e, err, PhaseChanged{}, journeyUnchanged())
			case 6:
				e, err := j.Disrupt(h.disruption(), h.time(j.updatedAt))
				check("Disrupt", e, err, PhaseChanged{}, journeyUnchanged())
			case 7:
				if h.rng.IntN(12) == 0 { // rarely: left is the end
					e, err := j.Leave(h.time(j.updatedAt))
					check("Leave", e, err, PhaseChanged{}, journeyUnchanged())
				}
			case 8:
				keys := []string{"safeguarding", "it_systems", "a", "local_area"}
				for _, a := range tr.curriculum {
					keys = append(keys, a.Key)
				}
				e, err := tr.Complete(h.text(keys), h.time(tr.updatedAt))
				check("Complete", e, err, TrainingCompleted{}, trainingUnchanged())
			case 9:
				// Stored events for the wrong record, or a second start:
				// Apply refuses them and changes nothing.
				at := h.time(j.updatedAt)
				wrong := []prescribing.Event{
					ThemeNoted{LinkWorker: stranger, Theme: ThemeAmbiguity, At: at},
					PhaseChanged{LinkWorker: stranger, From: j.phase, To: PhaseLeft, At: at},
					TrainingCompleted{LinkWorker: lw, Area: "safeguarding", At: at},
				}
				if !j.linkWorker.IsZero() {
					wrong = append(wrong, Started{LinkWorker: lw, At: at})
				}
				for _, e := range wrong {
					err := j.Apply(e)
					require.Error(t, err)
					require.True(t, eventtest.WrapsOneOf(err, documented...), "%v", err)
				}
				for _, e := range []prescribing.Event{
					TrainingCompleted{LinkWorker: stranger, Area: "safeguarding", At: h.time(tr.updatedAt)},
					ThemeNoted{LinkWorker: lw, Theme: ThemeAmbiguity, At: at},
				} {
					require.Error(t, tr.Apply(e))
				}
				if !tr.linkWorker.IsZero() {
					require.Error(t, tr.Apply(TrainingBegun{LinkWorker: lw, Curriculum: DefaultCurriculum(), At: h.time(tr.updatedAt)}))
				}
				require.Equal(t, jBefore, j)
				require.Equal(t, trBefore, tr)
			case 10:
				// A hand-made phase change with values outside the
				// vocabularies is refused by Apply as the live operations
				// refuse them.
				e := PhaseChanged{LinkWorker: lw, From: j.phase, To: Phase(5 + h.rng.IntN(10)), Disruption: h.disruption(), At: h.time(j.updatedAt)}
				err := j.Apply(e)
				require.Error(t, err)
				require.True(t, eventtest.WrapsOneOf(err, documented...), "%v", err)
				require.Equal(t, jBefore, j)
			}
		}

		var buf bytes.Buffer
		require.NoError(t, c.Encode(&buf, kept), "seed %d: every accepted event can be stored", seed)
		stored, err := c.Decode(&buf)
		require.NoError(t, err, "seed %d", seed)
		require.Equal(t, kept, stored, "seed %d: the codec gives back the events written", seed)
		// The link worker's journey and training record share the link
		// worker's ID but not a stream: the log splits by stream.
		streams := map[prescribing.Stream][]prescribing.Event{}
		for _, e := range stored {
			streams[e.EventStream()] = append(streams[e.EventStream()], e)
		}
		journeyEvents, trainingEvents, supervisionEvents := streams[j.Stream()], streams[tr.Stream()], streams[sv.Stream()]
		require.Equal(t, len(stored), len(journeyEvents)+len(trainingEvents)+len(supervisionEvents),
			"seed %d: every event is the journey's, the training record's or the supervision's", seed)
		require.Equal(t, sv.Version(), len(supervisionEvents), "seed %d", seed)
		var replayedSupervision Supervision
		require.NoError(t, prescribing.Replay(&replayedSupervision, supervisionEvents), "seed %d", seed)
		assert.Equal(t, sv, replayedSupervision, "seed %d: the replayed supervision equals the live one", seed)
		require.Equal(t, j.Version(), len(journeyEvents), "seed %d: the journey's version counts its stream", seed)
		require.Equal(t, tr.Version(), len(trainingEvents), "seed %d", seed)
		var replayedJourney Journey
		require.NoError(t, prescribing.Replay(&replayedJourney, journeyEvents), "seed %d", seed)
		assert.Equal(t, j, replayedJourney, "seed %d: the replayed journey equals the live one", seed)
		var replayedTraining TrainingRecord
		require.NoError(t, prescribing.Replay(&replayedTraining, trainingEvents), "seed %d", seed)
		assert.Equal(t, tr, replayedTraining, "seed %d: the replayed training record equals the live one", seed)
	}
	t.Logf("%d operations accepted, %d refused; accepted by kind: %v", accepted, refused, kinds)
	for _, k := range EventKinds() {
		assert.Positive(t, kinds[k.Type()], "some %s accepted", k.Type())
	}
	for _, p := range []Phase{PhaseLiminal, PhaseIncorporated, PhaseLeft} {
		assert.Positive(t, kinds["to "+p.String()], "some moves to %s", p)
	}
	assert.Greater(t, accepted, sequences*steps/10, "the sequences do real work")
	assert.Greater(t, refused, sequences*steps/10, "and meet refusals")
}

package storetest

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RandomOperations drives one random sequence of steps operations per
// seed against a store and a model of it: appends (valid, with a wrong
// expected version, with a hostile event among valid ones: nil, no time,
// years 0 and 10000, a time in a named zone, another record's, NUL,
// invalid UTF-8 or over-long text, a type the codec does not know; with no
// events or an expected version below ExpectAny) and erasures. A refused
// operation must return nothing and leave the store as it was, with an
// error wrapping the documented sentinel; an accepted one must store
// exactly what the model says. At the end every stream loads as the
// events appended, erased where the model erased them. [Run] runs it with
// a few seeds; a fast store can afford more.
func RandomOperations(t *testing.T, newStore Factory, seeds []uint64, steps int) {
	for _, seed := range seeds {
		f := newFixture(t, newStore)
		rng := rand.New(rand.NewPCG(seed, 16))
		type modelStream struct {
			p      prescribing.PatientID
			id     prescribing.Stream
			events []prescribing.Event
			last   time.Time
		}
		var streams []*modelStream
		total, erasures := 0, 0
		london, err := time.LoadLocation("Europe/London")
		require.NoError(t, err)

		for step := range steps {
			if len(streams) == 0 || rng.IntN(6) == 0 {
				p, id := f.patient()
				streams = append(streams, &modelStream{p: p, id: id, last: f.at})
			}
			ms := streams[rng.IntN(len(streams))]
			next := func() time.Time {
				ms.last = ms.last.Add(time.Duration(1+rng.IntN(3600)) * time.Second)
				return ms.last
			}
			valid := func() prescribing.Event {
				if len(ms.events) == 0 || rng.IntN(3) == 0 {
					d := personal([]string{"Augusta", "Ada", "Grace"}[rng.IntN(3)])
					if len(ms.events) == 0 {
						return prescribing.PatientRegistered{Patient: ms.p, Details: d, At: next()}
					}
					return prescribing.PatientDetailsChanged{Patient: ms.p, Details: d, At: next()}
				}
				return prescribing.RiskAssessed{Patient: ms.p, By: f.by, At: next()}
			}
			before := f.all()
			version := store.ExpectedVersion(len(ms.events))
			var (
				events   []prescribing.Event
				expected = version
				want     error // the sentinel a refusal wraps; nil if accepted
				erase    bool
			)
			switch op := rng.IntN(10); {
			case op < 5: // a valid append
				for range 1 + rng.IntN(3) {
					events = append(events, valid())
				}
				if rng.IntN(4) == 0 {
					expected = store.ExpectAny
				}
			case op == 5: // a wrong expected version
				events = []prescribing.Event{valid()}
				for expected == version {
					expected = store.ExpectedVersion(rng.IntN(int(version) + 3))
				}
				want = store.ErrConflict
			case op == 6 || op == 7: // a hostile event among valid ones
				events = []prescribing.Event{valid(), nil, valid()}
				at := next()
				hostile := []prescribing.Event{
					nil,
					prescribing.RiskAssessed{Patient: ms.p, By: f.by},
					prescribing.RiskAssessed{Patient: ms.p, By: f.by, At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
					prescribing.RiskAssessed{Patient: ms.p, By: f.by, At: time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)},
					prescribing.RiskAssessed{Patient: ms.p, By: f.by, At: at.In(london)},
					prescribing.RiskAssessed{Patient: prescribing.NewID[prescribing.Patient](f.ids), By: f.by, At: at},
					prescribing.PatientDetailsChanged{Patient: ms.p, Details: prescribing.PersonalDetails{GivenName: "a\x00b"}, At: at},
					prescribing.PatientDetailsChanged{Patient: ms.p, Details: prescribing.PersonalDetails{FamilyName: "\xff"}, At: at},
					prescribing.PatientDetailsChanged{Patient: ms.p, Details: prescribing.PersonalDetails{GivenName: strings.Repeat("x", prescribing.MaxTextBytes+1)}, At: at},
					alien{at: at, stream: ms.id},
				}
				events[1] = hostile[rng.IntN(len(hostile))]
				want = store.ErrInvalidAppend
			case op == 8: // no events, or an expected version below ExpectAny
				if rng.IntN(2) == 0 {
					expected = store.ExpectedVersion(-2 - rng.IntN(5))
					events = []prescribing.Event{valid()}
				}
				want = store.ErrInvalidAppend
			default:
				erase = true
			}

			if erase {
				e, err := f.s.Erase(f.ctx, ms.id, store.ErasePatient(ms.p), meta)
				require.NoError(t, err, "seed %d step %d", seed, step)
				erasures++
				assert.Equal(t, int64(erasures), e.Sequence)
				assert.Equal(t, int64(len(ms.events)), e.ThroughVersion)
				ms.events = prescribing.ErasePersonalDetails(ms.events, ms.p)
				after := f.all()
				require.Len(t, after, len(before), "seed %d step %d: erasure adds nothing", seed, step)
				continue
			}
			envs, err := f.s.Append(f.ctx, ms.id, expected, meta, events...)
			if want != nil {
				require.ErrorIs(t, err, want, "seed %d step %d", seed, step)
				require.Nil(t, envs, "seed %d step %d: a refusal returns nothing", seed, step)
				require.Equal(t, before, f.all(), "seed %d step %d: a refusal writes nothing", seed, step)
				// Times drawn for a refused append are not used.
				continue
			}
			require.NoError(t, err, "seed %d step %d", seed, step)
			require.Len(t, envs, len(events))
			for i, e := range envs {
				assert.Equal(t, int64(total+i+1), e.Position)
				assert.Equal(t, int64(len(ms.events)+i+1), e.Version)
			}
			ms.events = append(ms.events, events...)
			total += len(events)
		}

		all := f.all()
		require.Len(t, all, total, "seed %d", seed)
		requireWell(t, all)
		for _, ms := range streams {
			loaded, err := f.s.Load(f.ctx, ms.id, 0)
			require.NoError(t, err)
			got := store.Events(loaded)
			if len(ms.events) == 0 {
				assert.Empty(t, got)
				continue
			}
			assert.Equal(t, ms.events, got, "seed %d: %s comes back as appended and erased", seed, ms.id)
		}
		records, err := f.s.Erasures(f.ctx, 1, store.MaxReadLimit)
		require.NoError(t, err)
		assert.Len(t, records, erasures)
	}
}

// testRandomOperations runs RandomOperations with five seeds of 50 steps.
func testRandomOperations(t *testing.T, newStore Factory) {
	RandomOperations(t, newStore, []uint64{1, 2, 3, 5, 8}, 50)
}

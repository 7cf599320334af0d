package liminality

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSUP_1_SupervisionIsARelationshipWithASupervisorAndAFrequency(t *testing.T) {
	f := newFixture()
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)
	first, second := prescribing.NewID[Supervisor](f.ids), prescribing.NewID[Supervisor](f.ids)
	agreedAt := f.now

	var zero Supervision
	assert.True(t, zero.Stream().IsZero())
	assert.True(t, zero.Due().IsZero(), "nothing is due before supervision is agreed")
	assert.False(t, zero.Overdue(agreedAt.AddDate(5, 0, 0)))

	s, agreed, err := AgreeSupervision(lw, first, 28, agreedAt)
	require.NoError(t, err)
	assert.Equal(t, SupervisionAgreed{LinkWorker: lw, Supervisor: first, EveryDays: 28, At: agreedAt}, agreed)
	assert.Equal(t, lw, s.LinkWorker())
	assert.Equal(t, prescribing.StreamOf(prescribing.StreamKindSupervision, lw), s.Stream())
	assert.Equal(t, agreed.EventStream(), s.Stream())
	assert.Equal(t, first, s.Supervisor())
	assert.Equal(t, 28, s.EveryDays())
	assert.Equal(t, 1, s.Version())
	assert.Zero(t, s.Sessions())
	assert.Equal(t, agreedAt.AddDate(0, 0, 28), s.Due(), "the first session is due the agreed days after agreeing")

	// A session with the current supervisor moves the due date on.
	held, err := s.HoldSession(first, f.after(20))
	require.NoError(t, err)
	assert.Equal(t, first, held.Supervisor)
	assert.Equal(t, 1, s.Sessions())
	assert.Equal(t, f.now, s.LastSession())
	assert.Equal(t, f.now.AddDate(0, 0, 28), s.Due())

	// Only the current supervisor holds a session.
	_, err = s.HoldSession(second, f.after(1))
	assert.ErrorIs(t, err, ErrNotSupervisor)

	// A new supervisor, meeting every fortnight: due 14 days after the last
	// session, which the change does not reset.
	last := s.LastSession()
	changed, err := s.Change(second, 14, f.after(1))
	require.NoError(t, err)
	assert.Equal(t, SupervisionChanged{LinkWorker: lw, From: first, To: second, EveryDays: 14, At: f.now}, changed)
	assert.Equal(t, second, s.Supervisor())
	assert.Equal(t, last.AddDate(0, 0, 14), s.Due())
	_, err = s.HoldSession(first, f.after(1))
	assert.ErrorIs(t, err, ErrNotSupervisor, "the former supervisor no longer holds sessions")
	_, err = s.Change(second, 14, f.now)
	assert.ErrorIs(t, err, prescribing.ErrMissingDetail, "a change that changes nothing")

	// Ended: nothing is due, no session, no second ending.
	ended, err := s.End("the supervisor left the service", f.after(3))
	require.NoError(t, err)
	assert.Equal(t, second, ended.Supervisor)
	when, isEnded := s.Ended()
	assert.True(t, isEnded)
	assert.Equal(t, f.now, when)
	assert.True(t, s.Due().IsZero())
	assert.False(t, s.Overdue(f.now.AddDate(1, 0, 0)), "ended supervision is not overdue: it is absent")
	_, err = s.HoldSession(second, f.after(1))
	assert.ErrorIs(t, err, ErrSupervisionEnded)
	_, err = s.End("again", f.now)
	assert.ErrorIs(t, err, ErrSupervisionEnded)

	// A change resumes it, due from the resumption even with the same
	// supervisor and frequency.
	resumed, err := s.Change(second, 14, f.after(40))
	require.NoError(t, err)
	assert.Equal(t, second, resumed.From)
	_, isEnded = s.Ended()
	assert.False(t, isEnded)
	assert.Equal(t, f.now.AddDate(0, 0, 14), s.Due())
	assert.Equal(t, 5, s.Version(), "agreed, a session, a change, the end, resumed")
	assert.Equal(t, "supervision of "+lw.String()+" (ongoing)", s.String())
}

// TestSUP_1_ASessionIsOverdueJustAfterItsDueInstant checks the boundary: at
// exactly the due instant a session is not overdue; one nanosecond later it
// is, by that nanosecond.
func TestSUP_1_ASessionIsOverdueJustAfterItsDueInstant(t *testing.T) {
	for _, days := range []int{1, 28, MaxSupervisionDays} {
		f := newFixture()
		lw := prescribing.NewID[prescribing.LinkWorker](f.ids)
		sup := prescribing.NewID[Supervisor](f.ids)
		s, _, err := AgreeSupervision(lw, sup, days, f.now)
		require.NoError(t, err)
		due := f.now.AddDate(0, 0, days)
		require.Equal(t, due, s.Due())
		assert.False(t, s.Overdue(due.Add(-time.Nanosecond)), "%d days: before", days)
		assert.False(t, s.Overdue(due), "%d days: at the due instant", days)
		assert.Zero(t, s.OverdueBy(due))
		assert.True(t, s.Overdue(due.Add(time.Nanosecond)), "%d days: just after", days)
		assert.Equal(t, time.Nanosecond, s.OverdueBy(due.Add(time.Nanosecond)))

		// A session held exactly at the due instant is in time, and the
		// next is due from it.
		_, err = s.HoldSession(sup, due)
		require.NoError(t, err)
		next := due.AddDate(0, 0, days)
		assert.False(t, s.Overdue(next))
		assert.True(t, s.Overdue(next.Add(time.Nanosecond)))
	}

	// Times in other zones are the same instants.
	f := newFixture()
	s, _, err := AgreeSupervision(prescribing.NewID[prescribing.LinkWorker](f.ids), prescribing.NewID[Supervisor](f.ids), 7,
		f.now.In(time.FixedZone("", 5*3600)))
	require.NoError(t, err)
	assert.Equal(t, time.UTC, s.Due().Location())
	assert.False(t, s.Overdue(f.now.AddDate(0, 0, 7).In(time.FixedZone("", -3600))))
}

// TestSUP_1_SupervisionRefusesWhatCannotBeStoredOrReplayed checks every
// refusal: the zero event, the record unchanged, a documented sentinel,
// and Apply refusing the same stored event.
func TestSUP_1_SupervisionRefusesWhatCannotBeStoredOrReplayed(t *testing.T) {
	f := newFixture()
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)
	sup, other := prescribing.NewID[Supervisor](f.ids), prescribing.NewID[Supervisor](f.ids)
	start := f.now

	for _, c := range []struct {
		name string
		lw   prescribing.LinkWorkerID
		sup  SupervisorID
		days int
		at   time.Time
		want error
	}{
		{"no link worker", prescribing.LinkWorkerID{}, sup, 28, start, prescribing.ErrInvalidID},
		{"no supervisor", lw, SupervisorID{}, 28, start, prescribing.ErrInvalidID},
		{"no time", lw, sup, 28, time.Time{}, prescribing.ErrNoTime},
		{"year 10000", lw, sup, 28, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), prescribing.ErrTimeOutOfRange},
		{"zero days", lw, sup, 0, start, ErrInvalidFrequency},
		{"negative days", lw, sup, -7, start, ErrInvalidFrequency},
		{"one day past the bound", lw, sup, MaxSupervisionDays + 1, start, ErrInvalidFrequency},
	} {
		t.Run("SUP_1 agree "+c.name, func(t *testing.T) {
			s, e, err := AgreeSupervision(c.lw, c.sup, c.days, c.at)
			assert.ErrorIs(t, err, c.want)
			assert.Zero(t, s)
			assert.Zero(t, e)
			var fresh Supervision
			assert.ErrorIs(t, fresh.Apply(SupervisionAgreed{LinkWorker: c.lw, Supervisor: c.sup, EveryDays: c.days, At: c.at}), c.want)
			assert.Zero(t, fresh)
		})
	}
	for _, days := range []int{1, MaxSupervisionDays} {
		_, _, err := AgreeSupervision(lw, sup, days, start)
		assert.NoError(t, err, "%d days is within the bound", days)
	}

	s, _, err := AgreeSupervision(lw, sup, 28, start)
	require.NoError(t, err)
	_, err = s.HoldSession(sup, start.AddDate(0, 0, 3))
	require.NoError(t, err)
	last := s.LastSession()
	before := s
	for _, c := range []struct {
		name string
		do   func() (prescribing.Event, prescribing.Event, error)
		want error
	}{
		{"session before the last change", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.HoldSession(sup, last.Add(-time.Nanosecond))
			return e, SupervisionSessionHeld{}, err
		}, prescribing.ErrTimeWentBackwards},
		{"session with someone else", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.HoldSession(other, last)
			return e, SupervisionSessionHeld{}, err
		}, ErrNotSupervisor},
		{"session at year 0", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.HoldSession(sup, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC))
			return e, SupervisionSessionHeld{}, err
		}, prescribing.ErrTimeOutOfRange},
		{"change to nobody", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.Change(SupervisorID{}, 14, last)
			return e, SupervisionChanged{}, err
		}, prescribing.ErrInvalidID},
		{"change to a frequency past the bound", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.Change(other, MaxSupervisionDays+1, last)
			return e, SupervisionChanged{}, err
		}, ErrInvalidFrequency},
		{"change that changes nothing", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.Change(sup, 28, last)
			return e, SupervisionChanged{}, err
		}, prescribing.ErrMissingDetail},
		{"end without a reason", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.End(" \t\u200b", last)
			return e, SupervisionEnded{}, err
		}, prescribing.ErrMissingDetail},
		{"end with text that is not UTF-8", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.End("left\xff", last)
			return e, SupervisionEnded{}, err
		}, prescribing.ErrInvalidText},
		{"end with a NUL", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.End("left\x00", last)
			return e, SupervisionEnded{}, err
		}, prescribing.ErrInvalidText},
		{"end with a reason too long", func() (prescribing.Event, prescribing.Event, error) {
			e, err := s.End(strings.Repeat("x", prescribing.MaxTextBytes+1), last)
			return e, SupervisionEnded{}, err
		}, prescribing.ErrInvalidText},
	} {
		t.Run("SUP_1 "+c.name, func(t *testing.T) {
			e, zero, err := c.do()
			assert.ErrorIs(t, err, c.want)
			assert.Equal(t, zero, e, "a refused operation returns the zero event")
			assert.Equal(t, before, s, "and changes nothing")
		})
	}
	// Apply refuses stored events that live operations would refuse.
	for _, e := range []prescribing.Event{
		SupervisionSessionHeld{LinkWorker: lw, Supervisor: other, At: last},
		SupervisionSessionHeld{LinkWorker: prescribing.NewID[prescribing.LinkWorker](f.ids), Supervisor: sup, At: last},
		SupervisionChanged{LinkWorker: lw, From: other, To: sup, EveryDays: 7, At: last},
		SupervisionChanged{LinkWorker: lw, From: sup, To: other, EveryDays: 0, At: last},
		SupervisionEnded{LinkWorker: lw, Supervisor: sup, Reason: "", At: last},
		SupervisionEnded{LinkWorker: lw, Supervisor: other, Reason: "left", At: last},
		SupervisionAgreed{LinkWorker: lw, Supervisor: sup, EveryDays: 7, At: last},
		ThemeNoted{LinkWorker: lw, Theme: ThemeAmbiguity, At: last},
	} {
		assert.Error(t, s.Apply(e), "%T", e)
		assert.True(t, eventtest.WrapsOneOf(s.Apply(e), documented...), "%T", e)
		assert.Equal(t, before, s)
	}
	var notAgreed Supervision
	assert.ErrorIs(t, notAgreed.Apply(SupervisionSessionHeld{LinkWorker: lw, Supervisor: sup, At: last}), prescribing.ErrUnexpectedEvent)
}

// TestSUP_1_StringShowsNoReason: an ending's reason is free text and may be
// personal; String never shows it.
func TestSUP_1_StringShowsNoReason(t *testing.T) {
	f := newFixture()
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)
	sup := prescribing.NewID[Supervisor](f.ids)
	s, _, err := AgreeSupervision(lw, sup, 28, f.now)
	require.NoError(t, err)
	_, err = s.End("Jo Bloggs went on sick leave", f.after(1))
	require.NoError(t, err)
	assert.Equal(t, "supervision of "+lw.String()+" (ended)", s.String())
	assert.NotContains(t, s.String(), "Bloggs")
	assert.Equal(t, "supervision of "+prescribing.LinkWorkerID{}.String()+" (not agreed)", Supervision{}.String())
}

func TestSUP_1_SupervisionCopiesAreIndependent(t *testing.T) {
	f := newFixture()
	lw := prescribing.NewID[prescribing.LinkWorker](f.ids)
	sup, other := prescribing.NewID[Supervisor](f.ids), prescribing.NewID[Supervisor](f.ids)
	s, _, err := AgreeSupervision(lw, sup, 28, f.now)
	require.NoError(t, err)
	_, err = s.HoldSession(sup, f.after(10))
	require.NoError(t, err)
	original := s
	a, b := s, s
	start := f.now

	var wg sync.WaitGroup
	wg.Go(func() {
		_, err := a.HoldSession(sup, start.Add(time.Hour))
		assert.NoError(t, err)
		_, err = a.Change(other, 14, start.Add(2*time.Hour))
		assert.NoError(t, err)
	})
	wg.Go(func() {
		_, err := b.End("moved to another service", start.Add(time.Hour))
		assert.NoError(t, err)
	})
	wg.Wait()

	assert.Equal(t, original, s, "the original is untouched")
	assert.Equal(t, 2, a.Sessions())
	assert.Equal(t, other, a.Supervisor())
	assert.Equal(t, 1, b.Sessions())
	assert.Equal(t, sup, b.Supervisor())
	_, aEnded := a.Ended()
	_, bEnded := b.Ended()
	assert.False(t, aEnded)
	assert.True(t, bEnded)
}

// TestSUP_1_OverviewForTheSupervisor checks the liminality part of the
// supervisor's report: phase and prolonged at the threshold's boundary,
// themes without support, training lacking, and supervision overdue.
func TestSUP_1_OverviewForTheSupervisor(t *testing.T) {
	f := newFixture()
	j, _ := f.begin(t)
	lw := j.LinkWorker()
	_, err := j.EnterLiminal(f.now)
	require.NoError(t, err)
	entered := f.now
	_, err = j.NoteTheme(ThemeAmbiguity, f.after(1))
	require.NoError(t, err)
	_, err = j.NoteTheme(ThemeDisconnection, f.now)
	require.NoError(t, err)
	_, err = j.RecordSupport(RoleSupportPeer, prescribing.SetOf(ThemeAmbiguity), f.now)
	require.NoError(t, err)
	tr, _, err := BeginTraining(lw, []Area{{Key: "safeguarding"}, {Key: "it_systems"}, {Key: "welfare_benefits"}}, f.now)
	require.NoError(t, err)
	_, err = tr.Complete("it_systems", f.now)
	require.NoError(t, err)
	sup := prescribing.NewID[Supervisor](f.ids)
	s, _, err := AgreeSupervision(lw, sup, 28, f.now)
	require.NoError(t, err)

	sixMonths := entered.AddDate(0, 6, 0)
	at := sixMonths
	o, err := OverviewOf(lw, &j, &tr, &s, at, Threshold{})
	require.NoError(t, err)
	assert.Equal(t, lw, o.LinkWorker)
	assert.True(t, o.Journey)
	assert.Equal(t, PhaseLiminal, o.Phase)
	assert.Equal(t, entered, o.PhaseSince)
	assert.False(t, o.Prolonged, "exactly six months is not yet prolonged")
	assert.InDelta(t, at.Sub(entered).Hours()/24, o.LiminalDays, 1e-9)
	assert.Equal(t, prescribing.SetOf(ThemeAmbiguity, ThemeDisconnection), o.Present)
	assert.Equal(t, prescribing.SetOf(ThemeDisconnection), o.Missing, "disconnection has no support yet")
	assert.True(t, o.Training)
	assert.InDelta(t, 1.0/3, o.TrainingShare, 1e-12)
	assert.Equal(t, []string{"safeguarding", "welfare_benefits"}, o.TrainingLacks)
	assert.True(t, o.Supervised)
	assert.Equal(t, sup, o.Supervisor)
	assert.Equal(t, 28, o.EveryDays)
	assert.True(t, o.Overdue, "no session in six months")
	assert.Equal(t, s.Due(), o.Due)

	o, err = OverviewOf(lw, &j, &tr, &s, sixMonths.Add(time.Nanosecond), Threshold{})
	require.NoError(t, err)
	assert.True(t, o.Prolonged, "one instant past six months is prolonged")

	// Records missing are reported as missing, not as zero values that
	// look like facts.
	o, err = OverviewOf(lw, nil, nil, nil, at, Threshold{})
	require.NoError(t, err)
	assert.False(t, o.Journey)
	assert.False(t, o.Training)
	assert.False(t, o.Supervised)
	assert.Empty(t, o.TrainingLacks)

	stranger := prescribing.NewID[prescribing.LinkWorker](f.ids)
	_, err = OverviewOf(stranger, &j, nil, nil, at, Threshold{})
	assert.ErrorIs(t, err, prescribing.ErrWrongSubject)
	_, err = OverviewOf(stranger, nil, nil, &s, at, Threshold{})
	assert.ErrorIs(t, err, prescribing.ErrWrongSubject)
	_, err = OverviewOf(prescribing.LinkWorkerID{}, nil, nil, nil, at, Threshold{})
	assert.ErrorIs(t, err, prescribing.ErrInvalidID)
	_, err = OverviewOf(lw, nil, nil, nil, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Threshold{})
	assert.ErrorIs(t, err, prescribing.ErrTimeOutOfRange)
}

// TestSUP_1_StoredSupervisionIsReadStrictly: the codec refuses a stored
// supervision event missing a field, with a field it does not know, or a
// key given twice, and reads the whole one back equal.
func TestSUP_1_StoredSupervisionIsReadStrictly(t *testing.T) {
	c := codec(t)
	const lw, sup = "2f914893-f5fe-49f5-abd8-52b0593072e1", "1e8450e5-68a3-41ff-85be-30a92cbe928a"
	whole := `{"type":"liminality.supervision_agreed","version":1,"event":{"link_worker":"` + lw + `","supervisor":"` + sup + `","every_days":28,"at":"2026-03-07T09:30:00Z"}}`
	e, err := c.Unmarshal([]byte(whole))
	require.NoError(t, err)
	agreed, ok := e.(SupervisionAgreed)
	require.True(t, ok)
	assert.Equal(t, 28, agreed.EveryDays)
	for name, line := range map[string]string{
		"no frequency":  strings.Replace(whole, `"every_days":28,`, ``, 1),
		"no supervisor": strings.Replace(whole, `"supervisor":"`+sup+`",`, ``, 1),
		"unknown field": strings.Replace(whole, `"every_days":28,`, `"every_days":28,"name":"Jo",`, 1),
		"key twice":     strings.Replace(whole, `"every_days":28,`, `"every_days":28,"every_days":7,`, 1),
		"days as text":  strings.Replace(whole, `"every_days":28`, `"every_days":"28"`, 1),
	} {
		_, err := c.Unmarshal([]byte(line))
		assert.Error(t, err, "SUP_1 %s", name)
	}
	_, err = c.Unmarshal([]byte(`{"type":"liminality.supervision_ended","version":1,"event":{"link_worker":"` + lw + `","supervisor":"` + sup + `","at":"2026-03-07T09:30:00Z"}}`))
	assert.Error(t, err, "an ending without its reason")
}

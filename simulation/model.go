package simulation

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
	"unsafe"

	"github.com/socialprescribing/linkwork/embeddedness"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
)

// epoch is day 0 of every run: domain objects' times are epoch + days.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// at converts a simulation time in days to the domain's time.
func at(days float64) time.Time { return epoch.Add(time.Duration(days * float64(24*time.Hour))) }

// at is [at] for the model's own clock: every change an event makes is at
// its time, so the model converts it once rather than once per change.
func (m *model) at(now float64) time.Time {
	if now != m.atDay {
		m.atDay, m.atTime = now, at(now)
	}
	return m.atTime
}

// The kinds of event of the reference model.
type kind uint8

const (
	evArrival      kind = iota + 1
	evFirstContact      // id: case
	evReadiness         // id: case
	evReview            // id: case
	evDisengage         // id: case
	evPlaceFree         // id: need index
	evFollowUp          // id: case
	evIncorporate       // id: post
	evLeave             // id: post
	evVacancyEnd        // id: post
	evDepartures        // id: index into the scenario's departures
)

// event is the reference model's event: what happens and to which case,
// post or need.
type event struct {
	kind kind
	id   int32
}

// simCase is one referral's case as the model follows it. Its contacts
// are counted by its referral ([prescribing.Referral.ContactCount]).
type simCase struct {
	ref       prescribing.Referral
	post      int32 // assigned post, -1 when waiting
	need      int32 // index into model.needs
	arrival   float64
	inEpisode bool
	ready     bool
	contacted bool // first ever contact made
	supported bool // entered support: started a holding episode or was connected
	followUp  bool // connected, awaiting follow-up
	open      bool

	firstContact, readiness, followUpAt Handle
}

// simEpisode is a case's holding episode and what the model keeps with it,
// in a record of its own at the case's index: the most common event, a
// review that extends, touches this record alone, and an event that needs
// both records can ask for both at once.
type simEpisode struct {
	ep    holding.Episode
	start float64
	// disengageAt is the episode's drawn disengagement time; its event is
	// scheduled only once it falls before the next review, as most
	// episodes end first and would only cancel it.
	disengageAt       float64
	review, disengage Handle
}

// post is one link worker post of the PCN.
type post struct {
	practice           prescribing.PracticeID
	worker             prescribing.LinkWorkerID
	journey            liminality.Journey
	position           embeddedness.Position
	inapprop           float64
	supervised         bool
	present            bool
	incorporated       bool
	cases              []int32
	incorporate, leave Handle
	vacantFrom         float64
}

// needState is the community provision for one need.
type needState struct {
	need    prescribing.Need
	asset   prescribing.Asset
	stay    float64
	waiting waitQueue // ready people in open holding episodes, by episode start
	// list, offer and brief are made once: the domain copies what it keeps.
	list  []prescribing.Need
	offer []prescribing.CommunitySupport // the need's community provision
	brief []prescribing.CommunitySupport // what a brief intervention offers
}

// How contacts are recorded on a referral. The model counts contacts and
// does not simulate how they happen; it records first contacts as held at
// the practice (the "what matters to me" conversation) and every other
// contact by telephone, with these lengths.
const (
	firstContactMinutes = 60
	otherContactMinutes = 20
)

// contactSlack is added to an ended episode's days over the contact
// interval before taking the floor: the end time is a sum of
// floating-point durations, and an episode that lasts exactly four reviews
// must count as many contacts as its days say.
const contactSlack = 1e-9

// model is one replication of the reference model.
type model struct {
	sc  Scenario
	sim *Engine[event]
	// Lanes for events scheduled in time order: the one pending arrival,
	// and the fixed delays of reviews, follow-ups and vacancies.
	arrivals, reviews, followUps, vacancies Lane
	ids                                     prescribing.IDSource
	// The domain's time of the day last converted ([model.at]).
	atDay   float64
	atTime  time.Time
	rng     struct{ arrival, route, contact, person, episode, provision, workforce, departures *rand.Rand }
	arrival arrivalProcess

	posts    []post
	free     postHeap
	needs    []needState
	needCum  []float64 // cumulative weights, for drawing a need
	cases    blocks[simCase]
	spare    []int32
	episodes blocks[simEpisode] // by case: its current or last episode
	// epGen counts, by case, the starts and ends of its episodes: a waiter
	// whose number no longer matches is stale. Kept apart from the cases
	// so that spotting one never reaches into a case's record.
	epGen []uint32
	// slotInPost is, by case, its place in its post's list of cases: kept
	// apart, as a closing case moves another post's case into its place,
	// and that case's record is most likely cold.
	slotInPost []int32
	waiting    deque
	hooks      Hooks
	// ctx stops the replication early when it is done: checked at each
	// time of the series and every few days of the warm-up.
	ctx context.Context

	// The state the time series reports, kept as it changes.
	openCases, inHolding, present, liminal int

	// The measured window: its start and end, and the time series.
	start, end float64
	series     []SeriesPoint
	keepSeries bool

	// Time-weighted waiting list since the window opened.
	lastT, waitArea float64

	sink byte // what fetches read, kept so that they are not optimised away
	res  Result
	sums sums
	// waitSeq orders waiters that joined at the same instant.
	waitSeq uint64
}

// sums are what the means of the results add up over the window.
type sums struct {
	firstContacts          int     // first ever contacts
	wait                   float64 // first ever contacts' waits
	holdingDays            float64 // ended episodes' lengths
	extended               int     // ended episodes with an extension
	closedSupported        int     // cases closed that had entered support
	closedSupportedContact int     // their contacts
}

// runReplication runs one replication of the reference model, keeping its
// time series if series is set.
func runReplication(sc Scenario, seed uint64, replication int, series bool) (Result, error) {
	return replicate(context.Background(), sc, Hooks{}, seed, replication, series)
}

// replicate runs one replication with hooks, stopping early with ctx's
// error when ctx is done.
func replicate(ctx context.Context, sc Scenario, hooks Hooks, seed uint64, replication int, series bool) (Result, error) {
	m, err := newModel(sc, seed, replication)
	if err != nil {
		return Result{}, err
	}
	m.keepSeries, m.hooks, m.ctx = series, hooks, ctx
	if err := m.run(m.handle); err != nil {
		return Result{}, err
	}
	return m.finish(), nil
}

// warmupStep is how many simulated days of the warm-up run between
// checks that the replication should go on.
const warmupStep = 30

// run runs the replication with handle for each event: the warm-up, then
// the measured window, stopping at each time of the series ([Record]).
// It returns early, with the context's error, when m.ctx is done.
func (m *model) run(handle func(event)) error {
	ctx := m.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	// Everything strictly before the window belongs to the warm-up: events
	// at its first instant count, as the window is closed at both ends.
	if err := runUntil(ctx, m.sim, m.start, warmupStep, handle); err != nil {
		return err
	}
	m.openWindow()
	// The series' slack is the contacts' (contactSlack): a horizon that is
	// a whole number of intervals ends with a point, whatever the rounding
	// of k times the interval.
	var point func(float64) SeriesPoint
	if m.keepSeries {
		point = m.snapshot
	}
	series, err := Record(ctx, m.sim, m.start, m.sc.HorizonDays, m.sc.SeriesDays, handle, point)
	m.series = append(m.series, series...)
	return err
}

func newModel(sc Scenario, seed uint64, replication int) (*model, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	st := NewStreams(seed, uint64(replication))
	m := &model{sc: sc, sim: NewEngine[event](1024), atTime: epoch} // day 0
	m.start, m.end = sc.WarmupDays, sc.WarmupDays+sc.HorizonDays
	m.arrivals, m.reviews, m.followUps, m.vacancies = m.sim.NewLane(), m.sim.NewLane(), m.sim.NewLane(), m.sim.NewLane()
	m.ids = prescribing.SeededIDs(st.Stream("ids"))
	m.rng.arrival, m.rng.route, m.rng.contact = st.Stream("arrival"), st.Stream("route"), st.Stream("contact")
	m.rng.person, m.rng.episode = st.Stream("person"), st.Stream("episode")
	m.rng.provision, m.rng.workforce = st.Stream("provision"), st.Stream("workforce")
	m.rng.departures = st.Stream("departures")
	m.res.Replication, m.res.Seed = replication, seed
	L := sc.LinkWorkers
	m.arrival = arrivalProcess{base: float64(L) * sc.ReferralsPerWorkerYear / 365, segments: surgeSegments(sc.ReferralSurges)}

	// Needs in vocabulary order, so map order never reaches results.
	total := 0.0
	for _, n := range prescribing.Needs() {
		w := sc.Needs[n]
		if w <= 0 {
			continue
		}
		total += w
		p := sc.Provision[n]
		places := int(math.Round(p.PlacesPerWorker * float64(L)))
		asset, _, err := prescribing.ListAsset(prescribing.NewID[prescribing.Asset](m.ids), prescribing.AssetDetails{
			Name: "community provision for " + n.String(), Needs: []prescribing.Need{n}, Places: places,
		}, prescribing.AssetStatusActive, at(0))
		if err != nil {
			return nil, fmt.Errorf("simulation: provision for %s: %w", n, err)
		}
		m.needs = append(m.needs, needState{need: n, asset: asset, stay: p.StayDays, list: []prescribing.Need{n},
			offer: []prescribing.CommunitySupport{{Need: n, Asset: asset.ID(), Name: asset.Name()}},
			brief: []prescribing.CommunitySupport{{Need: n, Name: "information, advice and signposting on " + n.String()}}})
		m.needCum = append(m.needCum, total)
	}

	// Posts: each attribute by its own shuffle of the post numbers, so
	// that which posts are supervised says nothing of which are bolted on
	// or start incorporated. The counts are exact.
	setup := st.Stream("setup")
	position := shuffled(L, setup)
	supervision := shuffled(L, setup)
	phase := shuffled(L, setup)
	bolted := int(math.Round(sc.Embeddedness.BoltedOn * float64(L)))
	fitting := int(math.Round(sc.Embeddedness.FittingIn * float64(L)))
	supervised := int(math.Round(sc.SupervisedShare * float64(L)))
	incorporated := int(math.Round(sc.InitialIncorporatedShare * float64(L)))
	m.posts = make([]post, L)
	m.free = newPostHeap(L)
	for i := range m.posts {
		p := &m.posts[i]
		p.practice = prescribing.NewID[prescribing.Practice](m.ids)
		p.vacantFrom = -1
		p.position, p.inapprop = embeddedness.PositionBelonging, sc.InappropriateShare.Belonging
	}
	for rank, i := range position {
		p := &m.posts[i]
		switch {
		case rank < bolted:
			p.position, p.inapprop = embeddedness.PositionBoltedOn, sc.InappropriateShare.BoltedOn
		case rank < bolted+fitting:
			p.position, p.inapprop = embeddedness.PositionFittingIn, sc.InappropriateShare.FittingIn
		}
	}
	for _, i := range supervision[:supervised] {
		m.posts[i].supervised = true
	}
	startsIncorporated := make([]bool, L)
	for _, i := range phase[:incorporated] {
		startsIncorporated[i] = true
	}
	for i := range m.posts {
		if err := m.startWorker(int32(i), 0, startsIncorporated[i]); err != nil {
			return nil, err
		}
	}
	for i, d := range sc.Departures {
		m.sim.At(d.Day, event{kind: evDepartures, id: int32(i)})
	}
	m.scheduleArrival(0)
	return m, nil
}

// shuffled returns the numbers 0..n-1 in an order drawn by Fisher-Yates:
// for i from n-1 down to 1, swap i with a uniform j in 0..i.
func shuffled(n int, rng *rand.Rand) []int32 {
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	for i := n - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	return order
}

// scheduleArrival schedules the next arrival after now, if one comes.
func (m *model) scheduleArrival(now float64) {
	if t, ok := m.arrival.next(now, m.rng.arrival); ok && t <= m.end {
		m.sim.AtLane(m.arrivals, t, event{kind: evArrival})
	}
}

// openWindow starts the measured window: what the results count starts
// from nothing, and what is measured over time starts at the window.
func (m *model) openWindow() {
	m.res = Result{Replication: m.res.Replication, Seed: m.res.Seed}
	m.sums = sums{}
	m.lastT, m.waitArea = m.start, 0
	for i := range m.posts {
		if p := &m.posts[i]; !p.present {
			p.vacantFrom = m.start
		}
	}
}

// snapshot returns the state for the time series, day days into the window.
func (m *model) snapshot(day float64) SeriesPoint {
	inUse := 0
	for i := range m.needs {
		inUse += m.needs[i].asset.InUse()
	}
	return SeriesPoint{Replication: m.res.Replication, Day: day, Waiting: m.waiting.len(), OpenCases: m.openCases,
		InHolding: m.inHolding, WorkersPresent: m.present, WorkersLiminal: m.liminal, PlacesInUse: inUse}
}

// handle runs one event.
func (m *model) handle(e event) {
	now := m.sim.Now()
	m.fetch(e)
	m.waitArea += float64(m.waiting.len()) * (now - m.lastT)
	m.lastT = now
	var err error
	switch e.kind {
	case evArrival:
		err = m.arrive(now)
	case evFirstContact:
		err = m.firstContact(e.id, now)
	case evReadiness:
		err = m.readinessArrives(e.id, now)
	case evReview:
		err = m.reviewEpisode(e.id, now)
	case evDisengage:
		err = m.disengage(e.id, now)
	case evPlaceFree:
		err = m.placeFrees(e.id, now)
	case evFollowUp:
		err = m.followUp(e.id, now)
	case evIncorporate:
		err = m.incorporate(e.id, now)
	case evLeave:
		err = m.workerLeaves(e.id, now)
	case evVacancyEnd:
		err = m.startWorker(e.id, now, false)
		if err == nil {
			err = m.assign(now)
		}
	case evDepartures:
		err = m.forceDepartures(e.id, now)
	}
	if err != nil {
		// The domain refused a change the model made: a bug in the model,
		// never in the input, which the scenario's validation has checked.
		panic(fmt.Sprintf("simulation: replication %d at day %.3f: %v", m.res.Replication, now, err))
	}
}

// 1. Arrival.
func (m *model) arrive(now float64) error {
	m.scheduleArrival(now)
	m.res.Referrals++
	p := int32(m.rng.route.IntN(len(m.posts)))
	need := m.drawNeed()
	id, c := m.newCase()
	c.post, c.need, c.arrival = -1, need, now
	if _, err := c.ref.Receive(prescribing.NewReferral{
		ID: prescribing.NewID[prescribing.Referral](m.ids), Patient: prescribing.NewID[prescribing.Patient](m.ids),
		Practice: m.posts[p].practice, Source: prescribing.SourceGP, Needs: m.needs[need].list,
	}, m.at(now)); err != nil {
		return err
	}
	if m.rng.route.Float64() < m.posts[p].inapprop {
		m.res.RejectedInappropriate++
		if _, err := c.ref.Reject(m.at(now), "inappropriate: outside the role"); err != nil {
			return err
		}
		m.release(id)
		return nil
	}
	c.open = true
	m.openCases++
	m.waiting.pushBack(id)
	return m.assign(now)
}

func (m *model) drawNeed() int32 {
	u := m.rng.route.Float64() * m.needCum[len(m.needCum)-1]
	i, _ := slices.BinarySearch(m.needCum, u)
	if i >= len(m.needCum) {
		i = len(m.needCum) - 1
	}
	// BinarySearch finds the first cumulative weight >= u; an exact hit on
	// a boundary belongs to the next need.
	for i < len(m.needCum)-1 && m.needCum[i] == u {
		i++
	}
	return int32(i)
}

// 2. Assignment.
func (m *model) assign(now float64) error {
	for m.waiting.len() > 0 {
		p, ok := m.free.min()
		if !ok {
			return nil
		}
		if m.hooks.Assign != nil {
			var err error
			if p, ok, err = m.chooseAssign(now); err != nil || !ok {
				return err
			}
		}
		id := m.waiting.popFront()
		c := m.fetchCase(id)
		pp := &m.posts[p]
		var err error
		if c.ref.LinkWorker().IsZero() {
			_, err = c.ref.Accept(m.at(now), pp.worker)
		} else {
			_, err = c.ref.Reassign(m.at(now), pp.worker, "previous link worker left")
		}
		if err != nil {
			return err
		}
		c.post, m.slotInPost[id] = p, int32(len(pp.cases))
		pp.cases = append(pp.cases, id)
		m.free.update(p, len(pp.cases), m.sc.CaseloadCap)
		c.firstContact = m.sim.After(m.rng.contact.ExpFloat64()*m.sc.FirstContactDays, event{kind: evFirstContact, id: id})
	}
	return nil
}

// recordContact records a contact made at when on the case's referral,
// where the domain counts it.
func (m *model) recordContact(id int32, when time.Time, mode prescribing.ContactMode, minutes int) error {
	c := m.cases.at(id)
	_, err := c.ref.RecordContact(prescribing.Contact{ID: prescribing.NewID[prescribing.Contact](m.ids), At: when,
		Mode: mode, Minutes: minutes, Attended: true}, prescribing.ContactRules{})
	return err
}

// 3. First contact.
func (m *model) firstContact(id int32, now float64) error {
	c := m.cases.at(id)
	c.firstContact = Handle{}
	if err := m.recordContact(id, m.at(now), prescribing.ContactModePractice, firstContactMinutes); err != nil {
		return err
	}
	m.res.Contacts++
	if !c.contacted {
		c.contacted = true
		m.sums.wait += now - c.arrival
		m.sums.firstContacts++
		if m.rng.person.Float64() < m.sc.DeclineShare {
			m.res.Declined++
			if _, err := c.ref.Decline(m.at(now), "declined at first contact"); err != nil {
				return err
			}
			return m.closeAndAssign(id, now)
		}
		if _, err := c.ref.RecordFirstContact(m.at(now)); err != nil {
			return err
		}
		if m.rng.person.Float64() < m.sc.BriefShare {
			// A brief intervention: information, advice or signposting
			// alone meets the need, and the message back to the GP says
			// what was offered.
			m.res.BriefInterventions++
			if _, err := c.ref.StartSupport(m.at(now), prescribing.SupportPlan{Offered: m.needs[c.need].brief}); err != nil {
				return err
			}
			if _, err := c.ref.Close(m.at(now), prescribing.OutcomeNeedsMetWithoutConnection); err != nil {
				return err
			}
			return m.closeAndAssign(id, now)
		}
		if _, err := c.ref.StartSupport(m.at(now), prescribing.SupportPlan{Offered: m.offer(c.need)}); err != nil {
			return err
		}
		c.supported = true
		m.res.Supported++
		r, err := m.decideReadiness(id, now)
		if err != nil {
			return err
		}
		if r.AtOnce {
			c.ready = true
		} else {
			c.readiness = m.sim.After(r.AfterDays, event{kind: evReadiness, id: id})
		}
	}
	n := &m.needs[c.need]
	if c.ready && n.asset.HasRoom() {
		return m.connect(id, now, true)
	}
	reason := holding.ReasonAwaitingReadiness
	if c.ready {
		reason = holding.ReasonLackOfProvision
	}
	return m.startEpisode(id, reason, now)
}

// offer is the support offered at the start of support: the community
// provision for the need, which the message back to the GP names.
func (m *model) offer(need int32) []prescribing.CommunitySupport { return m.needs[need].offer }

func (m *model) startEpisode(id int32, reason holding.Reason, now float64) error {
	c := m.cases.at(id)
	n := &m.needs[c.need]
	s := holding.Start{
		ID: prescribing.NewID[holding.Episode](m.ids), Referral: c.ref.ID(), Patient: c.ref.Patient(),
		LinkWorker: m.posts[c.post].worker, Reasons: prescribing.SetOf(reason), At: m.at(now),
		Endpoint: holding.Endpoint{At: at(now + m.sc.ReviewDays), Plan: holding.EndpointPlanReview},
	}
	if reason == holding.ReasonLackOfProvision {
		s.Need = n.need
	}
	se := m.episodes.at(id)
	*se = simEpisode{start: now}
	ep := &se.ep
	if _, err := ep.Begin(s); err != nil {
		return err
	}
	if c.ready {
		if _, err := ep.MarkReady(m.at(now)); err != nil {
			return err
		}
	}
	c.inEpisode = true
	m.inHolding++
	m.epGen[id]++
	m.res.HoldingEpisodesStarted++
	se.review = m.sim.AfterLane(m.reviews, m.sc.ReviewDays, event{kind: evReview, id: id})
	se.disengageAt = now + m.rng.episode.ExpFloat64()*m.sc.DisengageDays
	m.armDisengage(id, now+m.sc.ReviewDays)
	if c.ready {
		m.waitSeq++
		n.waiting.push(waiter{start: now, seq: m.waitSeq, id: id, gen: m.epGen[id]})
	}
	return nil
}

// 4. Readiness arrives.
func (m *model) readinessArrives(id int32, now float64) error {
	c := m.cases.at(id)
	c.readiness = Handle{}
	c.ready = true
	if !c.inEpisode {
		return nil
	}
	if _, err := m.ep(id).MarkReady(m.at(now)); err != nil {
		return err
	}
	n := &m.needs[c.need]
	if n.asset.HasRoom() {
		return m.connect(id, now, false)
	}
	if !m.ep(id).Reasons().Has(holding.ReasonLackOfProvision) {
		if _, err := m.ep(id).AddReason(holding.ReasonLackOfProvision, n.need, m.at(now)); err != nil {
			return err
		}
	}
	m.waitSeq++
	n.waiting.push(waiter{start: m.episodes.at(id).start, seq: m.waitSeq, id: id, gen: m.epGen[id]})
	return nil
}

// 5. Connect. A connection made at a first contact is part of that
// contact; one made later (readiness arrives, a place frees) is a contact
// of its own.
func (m *model) connect(id int32, now float64, atFirstContact bool) error {
	c := m.cases.at(id)
	n := &m.needs[c.need]
	if c.inEpisode {
		if m.ep(id).Open() {
			if _, err := m.ep(id).Finish(m.at(now), holding.EndingConnected); err != nil {
				return err
			}
		}
		if err := m.endEpisode(id, now); err != nil {
			return err
		}
	}
	if !atFirstContact {
		if err := m.recordContact(id, m.at(now), prescribing.ContactModeTelephone, otherContactMinutes); err != nil {
			return err
		}
		m.res.Contacts++
	}
	if _, err := n.asset.TakePlace(c.ref.ID(), m.at(now)); err != nil {
		return err
	}
	m.sim.After(m.rng.provision.ExpFloat64()*n.stay, event{kind: evPlaceFree, id: c.need})
	m.res.Connected++
	if !c.supported {
		return fmt.Errorf("case %d connected without entering support", id)
	}
	if _, err := c.ref.Connect(m.at(now), m.offer(c.need)...); err != nil {
		return err
	}
	c.followUp = true
	c.followUpAt = m.sim.AfterLane(m.followUps, m.sc.FollowUpDays, event{kind: evFollowUp, id: id})
	return nil
}

// 6. A place frees.
func (m *model) placeFrees(need int32, now float64) error {
	n := &m.needs[need]
	if _, err := n.asset.ReleasePlace(prescribing.ReferralID{}, m.at(now)); err != nil {
		return err
	}
	for n.waiting.len() > 0 {
		w := n.waiting.pop()
		if m.epGen[w.id] != w.gen {
			continue // stale: the episode ended
		}
		c := m.fetchCase(w.id)
		m.fetchEpisode(w.id)
		if !c.open || !c.inEpisode || !m.ep(w.id).Waiting(n.need) {
			return fmt.Errorf("case %d waits for a place outside an open, ready episode", w.id)
		}
		if _, ok, err := m.ep(w.id).PlaceAvailable(n.need, n.asset.ID(), m.at(now)); err != nil || !ok {
			return fmt.Errorf("place for a waiting episode refused: %v", err)
		}
		return m.connect(w.id, now, false)
	}
	return nil
}

// 7. Follow-up: a contact, which closes the case.
func (m *model) followUp(id int32, now float64) error {
	c := m.cases.at(id)
	c.followUpAt = Handle{}
	if err := m.recordContact(id, m.at(now), prescribing.ContactModeTelephone, otherContactMinutes); err != nil {
		return err
	}
	m.res.Contacts++
	if _, err := c.ref.Close(m.at(now), prescribing.OutcomeConnectedAndBenefited); err != nil {
		return err
	}
	return m.closeAndAssign(id, now)
}

// 8. Review at the endpoint.
func (m *model) reviewEpisode(id int32, now float64) error {
	se := m.episodes.at(id)
	se.review = Handle{}
	end, err := m.decideReview(id, now)
	if err != nil {
		return err
	}
	if end {
		if _, err := se.ep.Review(holding.Review{At: m.at(now), Decision: holding.DecisionEnd, Ending: holding.EndingDischarged}); err != nil {
			return err
		}
		m.res.DischargedUnconnected++
		return m.closeFromHolding(id, prescribing.OutcomeOther, now)
	}
	if _, err := se.ep.Review(holding.Review{At: m.at(now), Decision: holding.DecisionExtend,
		Endpoint:  holding.Endpoint{At: at(now + m.sc.ReviewDays), Plan: holding.EndpointPlanReview},
		Rationale: "not yet connected"}); err != nil {
		return err
	}
	se.review = m.sim.AfterLane(m.reviews, m.sc.ReviewDays, event{kind: evReview, id: id})
	m.armDisengage(id, now+m.sc.ReviewDays)
	return nil
}

// armDisengage schedules the episode's disengagement if it falls no later
// than the next review: the event then happens at its exact time, and
// later reviews look again. A review due at the same instant goes first, as
// it was scheduled first.
func (m *model) armDisengage(id int32, nextReview float64) {
	se := m.episodes.at(id)
	if se.disengage.IsZero() && se.disengageAt <= nextReview {
		se.disengage = m.sim.At(se.disengageAt, event{kind: evDisengage, id: id})
	}
}

// 9. Disengagement.
func (m *model) disengage(id int32, now float64) error {
	se := m.episodes.at(id)
	se.disengage = Handle{}
	if _, err := se.ep.Finish(m.at(now), holding.EndingDisengaged); err != nil {
		return err
	}
	m.res.Disengaged++
	return m.closeFromHolding(id, prescribing.OutcomeDisengaged, now)
}

// closeFromHolding closes a case whose episode has just ended with it, and
// gives the freed capacity to the waiting list.
func (m *model) closeFromHolding(id int32, outcome prescribing.Outcome, now float64) error {
	if err := m.endEpisode(id, now); err != nil {
		return err
	}
	if _, err := m.cases.at(id).ref.Close(m.at(now), outcome); err != nil {
		return err
	}
	return m.closeAndAssign(id, now)
}

// endEpisode records an ended episode's figures and its supportive
// contacts, one every contact_interval_days while it was open, and cancels
// its events.
func (m *model) endEpisode(id int32, now float64) error {
	c := m.cases.at(id)
	se := m.episodes.at(id)
	m.sim.Cancel(se.review)
	m.sim.Cancel(se.disengage)
	se.review, se.disengage = Handle{}, Handle{}
	c.inEpisode = false
	m.inHolding--
	m.epGen[id]++
	m.res.HoldingEpisodesEnded++
	d := now - se.start
	m.sums.holdingDays += d
	if se.ep.Extensions() > 0 {
		m.sums.extended++
	}
	rs := se.ep.Reasons()
	if rs.Has(holding.ReasonAwaitingReadiness) {
		m.res.HeldAwaitingReadiness++
	}
	if rs.Has(holding.ReasonLackOfProvision) {
		m.res.HeldLackOfProvision++
	}
	iv := m.sc.ContactIntervalDays
	n := int(math.Floor(d/iv + contactSlack))
	for k := 1; k <= n; k++ {
		// Each is recorded at its own time; the slack may put the last a
		// hair after the end, which it cannot be.
		if err := m.recordContact(id, at(min(se.start+float64(k)*iv, now)), prescribing.ContactModeTelephone, otherContactMinutes); err != nil {
			return err
		}
	}
	m.res.Contacts += n
	return nil
}

// 10. Link workers.
func (m *model) startWorker(p int32, now float64, incorporated bool) error {
	pp := &m.posts[p]
	pp.worker = prescribing.NewID[prescribing.LinkWorker](m.ids)
	j, _, err := liminality.Begin(pp.worker, m.at(now))
	if err != nil {
		return err
	}
	if _, err := j.EnterLiminal(m.at(now)); err != nil {
		return err
	}
	if _, err := j.NoteTheme(liminality.ThemeAmbiguity, m.at(now)); err != nil {
		return err
	}
	pp.journey, pp.present, pp.incorporated = j, true, false
	m.present++
	m.liminal++
	if pp.vacantFrom >= 0 {
		m.res.VacancyDays += now - pp.vacantFrom
	}
	pp.vacantFrom = -1
	m.free.update(p, len(pp.cases), m.sc.CaseloadCap)
	if incorporated {
		return m.becomeIncorporated(p, now)
	}
	mean := m.sc.IncorporationUnsupervised
	if pp.supervised {
		mean = m.sc.IncorporationSupervised
	}
	pp.incorporate = m.sim.After(m.rng.workforce.ExpFloat64()*mean, event{kind: evIncorporate, id: p})
	pp.leave = m.sim.After(m.rng.workforce.ExpFloat64()*m.sc.LeaveDaysLiminal, event{kind: evLeave, id: p})
	return nil
}

func (m *model) incorporate(p int32, now float64) error {
	pp := &m.posts[p]
	pp.incorporate = Handle{}
	m.sim.Cancel(pp.leave)
	m.res.LWIncorporated++
	return m.becomeIncorporated(p, now)
}

func (m *model) becomeIncorporated(p int32, now float64) error {
	pp := &m.posts[p]
	support := liminality.RoleSupportPeer
	if pp.supervised {
		support = liminality.RoleSupportSupervision
	}
	if _, err := pp.journey.RecordSupport(support, prescribing.SetOf(liminality.ThemeAmbiguity), m.at(now)); err != nil {
		return err
	}
	if _, err := pp.journey.Incorporate(m.at(now)); err != nil {
		return err
	}
	pp.incorporated = true
	m.liminal--
	pp.leave = m.sim.After(m.rng.workforce.ExpFloat64()*m.sc.LeaveDaysIncorporated, event{kind: evLeave, id: p})
	return nil
}

// forceDepartures makes a departures entry's link workers leave: count of
// the present ones (all if fewer), drawn uniformly without replacement by
// a partial Fisher-Yates shuffle of the present posts in post order, leave
// one after another in the drawn order, assignment running after each.
func (m *model) forceDepartures(i int32, now float64) error {
	var present []int32
	for p := range m.posts {
		if m.posts[p].present {
			present = append(present, int32(p))
		}
	}
	k := min(m.sc.Departures[i].Count, len(present))
	for j := range k {
		r := j + m.rng.departures.IntN(len(present)-j)
		present[j], present[r] = present[r], present[j]
		if err := m.workerLeaves(present[j], now); err != nil {
			return err
		}
	}
	return nil
}

// workerLeaves is a link worker's leaving, drawn or forced: either way its
// pending incorporation and leaving are cancelled.
func (m *model) workerLeaves(p int32, now float64) error {
	pp := &m.posts[p]
	m.sim.Cancel(pp.leave)
	m.sim.Cancel(pp.incorporate)
	pp.leave, pp.incorporate = Handle{}, Handle{}
	m.res.LWDepartures++
	if _, err := pp.journey.Leave(m.at(now)); err != nil {
		return err
	}
	// Cases awaiting follow-up close, without the follow-up contact that
	// never happens; the others go back to the front of the waiting list,
	// in their original arrival order.
	var back []int32
	for _, id := range slices.Clone(pp.cases) {
		c := m.cases.at(id)
		if c.followUp {
			if _, err := c.ref.Close(m.at(now), prescribing.OutcomeConnectedAndBenefited); err != nil {
				return err
			}
			if err := m.closeCase(id, now); err != nil {
				return err
			}
			continue
		}
		if c.inEpisode {
			if _, err := m.ep(id).Finish(m.at(now), holding.EndingTransferred); err != nil {
				return err
			}
			if err := m.endEpisode(id, now); err != nil {
				return err
			}
		}
		m.sim.Cancel(c.firstContact)
		c.firstContact = Handle{}
		c.post = -1
		back = append(back, id)
	}
	pp.cases = pp.cases[:0]
	slices.SortFunc(back, func(a, b int32) int {
		x, y := m.cases.at(a).arrival, m.cases.at(b).arrival
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return int(a - b)
	})
	for i := len(back) - 1; i >= 0; i-- {
		m.waiting.pushFront(back[i])
	}
	m.present--
	if !pp.incorporated {
		m.liminal--
	}
	pp.present, pp.incorporated, pp.vacantFrom = false, false, now
	m.free.remove(p)
	m.sim.AfterLane(m.vacancies, m.sc.VacancyDays, event{kind: evVacancyEnd, id: p})
	return m.assign(now)
}

// closeAndAssign closes a case and gives the freed capacity to the
// waiting list.
func (m *model) closeAndAssign(id int32, now float64) error {
	if err := m.closeCase(id, now); err != nil {
		return err
	}
	return m.assign(now)
}

// closeCase takes a case off its link worker's caseload and frees it.
func (m *model) closeCase(id int32, now float64) error {
	c := m.cases.at(id)
	if c.inEpisode {
		return fmt.Errorf("case %d closed with its holding episode open", id)
	}
	for _, h := range []*Handle{&c.firstContact, &c.readiness, &c.followUpAt} {
		m.sim.Cancel(*h)
		*h = Handle{}
	}
	if c.supported {
		contacts, _ := c.ref.ContactCount()
		m.sums.closedSupported++
		m.sums.closedSupportedContact += contacts
	}
	if c.post >= 0 {
		pp := &m.posts[c.post]
		last, slot := pp.cases[len(pp.cases)-1], m.slotInPost[id]
		pp.cases[slot] = last
		m.slotInPost[last] = slot
		pp.cases = pp.cases[:len(pp.cases)-1]
		if pp.present {
			m.free.update(c.post, len(pp.cases), m.sc.CaseloadCap)
		}
	}
	m.openCases--
	m.release(id)
	return nil
}

func (m *model) newCase() (int32, *simCase) {
	var id int32
	if n := len(m.spare); n > 0 {
		id = m.spare[n-1]
		m.spare = m.spare[:n-1]
	} else {
		id = m.cases.grow()
		m.episodes.grow()
		m.epGen = append(m.epGen, 0)
		m.slotInPost = append(m.slotInPost, 0)
	}
	c := m.cases.at(id)
	*c = simCase{post: -1}
	return id, c
}

func (m *model) release(id int32) {
	c := m.cases.at(id)
	c.open = false
	m.spare = append(m.spare, id)
}

// finish closes the books at the window's end.
func (m *model) finish() Result {
	end := m.end
	m.waitArea += float64(m.waiting.len()) * (end - m.lastT)
	r := m.res
	for i := range m.posts {
		if p := &m.posts[i]; !p.present {
			r.VacancyDays += end - p.vacantFrom
		}
	}
	r.OpenAtEnd = m.openCases
	age := 0.0
	for i := range m.cases.n {
		if c := m.cases.at(i); c.open && c.inEpisode {
			r.HoldingOpenAtEnd++
			age += end - m.episodes.at(i).start
		}
	}
	if r.HoldingOpenAtEnd > 0 {
		r.MeanOpenHoldingAge = age / float64(r.HoldingOpenAtEnd)
	}
	if m.sums.firstContacts > 0 {
		r.MeanWaitFirstContact = m.sums.wait / float64(m.sums.firstContacts)
	}
	if r.HoldingEpisodesEnded > 0 {
		r.MeanHoldingDays = m.sums.holdingDays / float64(r.HoldingEpisodesEnded)
		r.ExtendedShare = float64(m.sums.extended) / float64(r.HoldingEpisodesEnded)
	}
	if m.sums.closedSupported > 0 {
		r.MeanContactsSupported = float64(m.sums.closedSupportedContact) / float64(m.sums.closedSupported)
	}
	if workerYears := (float64(len(m.posts))*m.sc.HorizonDays - r.VacancyDays) / 365; workerYears > 0 {
		r.PeoplePerWorkerYear = float64(m.sums.firstContacts) / workerYears
	}
	r.MeanWaitingList = m.waitArea / m.sc.HorizonDays
	r.Events = m.sim.Processed()
	r.Series = m.series
	return r
}

// ep returns the holding episode of a case in holding.
func (m *model) ep(id int32) *holding.Episode { return &m.episodes.at(id).ep }

// blocks keeps records in fixed-size blocks, so that growing never moves or
// copies them.
type blocks[T any] struct {
	list [][]T
	n    int32
}

const blockSize = 1 << 12

func (s *blocks[T]) at(id int32) *T { return &s.list[id/blockSize][id%blockSize] }

func (s *blocks[T]) grow() int32 {
	if int(s.n)%blockSize == 0 {
		s.list = append(s.list, make([]T, blockSize))
	}
	s.n++
	return s.n - 1
}

// recordsFor reports which of a case's records event e will need: its case
// record, its episode record, or both. Events that name no case need
// neither.
func recordsFor(e event) (caseRec, episodeRec bool) {
	switch e.kind {
	case evFollowUp:
		return true, false
	case evFirstContact, evReadiness, evDisengage:
		// A first contact may start an episode, which writes its record.
		return true, true
	case evReview:
		return false, true
	}
	return false, false
}

// fetch asks for the records event e will need, all at once, and waits
// for them; see [model.fetchCase].
func (m *model) fetch(e event) {
	caseRec, episodeRec := recordsFor(e)
	if caseRec {
		m.fetchCase(e.id)
	}
	if episodeRec {
		m.fetchEpisode(e.id)
	}
}

// fetchCase returns the case, asking for all of its record from memory at
// once. At national scale most records an event needs are no longer in
// the processor's caches; read field by field, a record's cache lines
// would arrive one after another, each a wait of the order of 100 ns.
func (m *model) fetchCase(id int32) *simCase {
	c := m.cases.at(id)
	m.sink ^= touch(unsafe.Pointer(c), unsafe.Sizeof(*c))
	return c
}

// fetchEpisode is [model.fetchCase] for an episode record.
func (m *model) fetchEpisode(i int32) *simEpisode {
	se := m.episodes.at(i)
	m.sink ^= touch(unsafe.Pointer(se), unsafe.Sizeof(*se))
	return se
}

// touch reads one byte of every cache line of the n bytes at p, so that a
// record about to be used arrives from memory in one wait rather than one
// per line.
func touch(p unsafe.Pointer, n uintptr) byte {
	var x byte
	for off := uintptr(0); off < n; off += 64 {
		x ^= *(*byte)(unsafe.Add(p, off))
	}
	return x
}

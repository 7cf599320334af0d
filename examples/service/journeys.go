package main

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
)

// A link worker's passage into the role (liminality.Journey) and their
// supervision (liminality.Supervision), each a stream keyed by the link
// worker's ID. Who may write them:
//
//   - an administrator starts a journey and records leaving the role, and
//     agrees, changes and ends supervision: they keep the staff records
//     these go with;
//   - the link worker themself and their supervisor record the passage:
//     entering the liminal phase, the themes present, the support given,
//     a disruption, incorporation. It is the worker's experience of the
//     role, told by them or noted with their supervisor;
//   - the supervisor records the sessions they hold.
//
// A link worker reads their own, a supervisor their team's. An
// administrator reads supervision in full, and of a journey only its
// phase and version (enough to record leaving): the themes and support
// are how the worker is faring, a supervision matter, not a staff record.

// journeyThreshold is when a liminal spell is prolonged, for the API and
// the supervision page alike: the library's default of six months.
var journeyThreshold = liminality.Threshold{}

// supervisorNamespace derives a supervisor's liminality.SupervisorID from
// their staff ID, so the records name supervisors without personal data
// and the service maps them back to its staff.
var supervisorNamespace = uuid.MustParse("0b6f7c3e-2d55-4f0e-8a61-3c9d2e7f4b18")

// supervisorID is the SupervisorID of a staff ID.
func supervisorID(staff string) liminality.SupervisorID {
	return prescribing.IDFromUUID[liminality.Supervisor](uuid.NewSHA1(supervisorNamespace, []byte(staff)))
}

// supervisorStaff is the staff ID of a supervisor's SupervisorID, or the
// ID itself if no supervisor of the tokens file has it.
func (t *Tokens) supervisorStaff(id liminality.SupervisorID) string {
	for _, s := range t.staff {
		if s.Role == RoleSupervisor && supervisorID(s.ID) == id {
			return s.ID
		}
	}
	if id.IsZero() {
		return ""
	}
	return id.String()
}

// isSupervisor says whether staff is a supervisor of the tokens file.
func (t *Tokens) isSupervisor(staff string) bool {
	for _, s := range t.staff {
		if s.Role == RoleSupervisor && s.ID == staff {
			return true
		}
	}
	return false
}

// workerAccess is the {id} link worker of a journey or supervision route
// and checks c may act on them: the link worker themself, their
// supervisor, or an administrator. A link worker the service does not
// know is 404 to an administrator.
func workerAccess(c *call) (prescribing.LinkWorkerID, error) {
	lw, err := pathID[prescribing.LinkWorker](c, "id")
	if err != nil {
		return lw, err
	}
	if c.who.staff.Role == RoleAdministrator {
		if _, ok := c.s.tokens.byLinkWorker(lw); !ok {
			return lw, errNotFound
		}
		return lw, nil
	}
	if !c.s.tokens.readsLinkWorker(c.who, lw) {
		return lw, errForbidden
	}
	return lw, nil
}

// ---- journeys

type journeyView struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Phase      liminality.Phase         `json:"phase"`
	PhaseSince time.Time                `json:"phase_since"`
	Started    time.Time                `json:"started"`
	Version    int                      `json:"version"`
	// Passage is how the worker is faring: for the worker and their
	// supervisor, left out for an administrator.
	Passage *passageView `json:"passage,omitempty"`
	// Redacted says Passage was left out.
	Redacted bool `json:"redacted,omitempty"`
}

type passageView struct {
	// Prolonged says the current liminal spell has lasted longer than
	// six months (rule LIM-3).
	Prolonged   bool    `json:"prolonged"`
	LiminalDays float64 `json:"liminal_days"`
	Spells      int     `json:"spells"`
	Disruptions int     `json:"disruptions"`
	// Present are the themes of the current liminal spell, Missing those
	// with no support recorded against them (rule LIM-2).
	Present  liminality.ThemeSet `json:"present"`
	Missing  liminality.ThemeSet `json:"missing"`
	Supports []themeSupport      `json:"supports"`
}

type themeSupport struct {
	Theme    liminality.Theme                        `json:"theme"`
	Supports prescribing.Set[liminality.RoleSupport] `json:"supports"`
}

func viewJourney(c *call, j *liminality.Journey) journeyView {
	phase, since := j.Phase()
	v := journeyView{LinkWorker: j.LinkWorker(), Phase: phase, PhaseSince: since, Started: j.Started(), Version: j.Version()}
	if c.who.staff.Role == RoleAdministrator {
		v.Redacted = true
		return v
	}
	at := c.at()
	p := &passageView{Prolonged: j.Prolonged(at, journeyThreshold), LiminalDays: j.LiminalTime(at).Hours() / 24,
		Spells: j.Spells(), Disruptions: j.Disruptions(), Present: j.Present(), Missing: j.Missing(), Supports: []themeSupport{}}
	for _, t := range j.Present().List() {
		p.Supports = append(p.Supports, themeSupport{Theme: t, Supports: j.SupportsFor(t)})
	}
	v.Passage = p
	return v
}

// startJourney is POST /link-workers/{id}/journey: the link worker's
// journey begins, in separation.
func startJourney(c *call) error {
	lw, err := workerAccess(c)
	if err != nil {
		return err
	}
	if err := c.decodeEmpty(); err != nil {
		return err
	}
	_, digest, err := c.idempotency("POST /link-workers/{id}/journey\x00" + lw.String())
	if err != nil {
		return err
	}
	return create(c, prescribing.StreamOf(prescribing.StreamKindJourney, lw), digest,
		func() (liminality.Journey, prescribing.Event, error) { return liminality.Begin(lw, c.at()) },
		func(j *liminality.Journey) any { return viewJourney(c, j) })
}

func loadJourney(c *call) (liminality.Journey, error) {
	var j liminality.Journey
	lw, err := workerAccess(c)
	if err != nil {
		return j, err
	}
	return j, c.s.load(c, prescribing.StreamOf(prescribing.StreamKindJourney, lw), &j)
}

func getJourney(c *call) error {
	j, err := loadJourney(c)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, j.Version(), viewJourney(c, &j))
}

// journeyBody is what the journey's operations read; each takes its own
// fields and refuses the others.
type journeyBody struct {
	Theme      liminality.Theme       `json:"theme"`
	Support    liminality.RoleSupport `json:"support"`
	Themes     liminality.ThemeSet    `json:"themes"`
	Disruption liminality.Disruption  `json:"disruption"`
}

// journeyOps are the operations on a begun journey, by route name, with
// the fields of journeyBody each reads.
var journeyOps = map[string]struct {
	fields []string
	do     func(j *liminality.Journey, b journeyBody, at time.Time) (prescribing.Event, error)
}{
	"enter-liminal": {nil, func(j *liminality.Journey, _ journeyBody, at time.Time) (prescribing.Event, error) {
		return j.EnterLiminal(at)
	}},
	"themes": {[]string{"theme"}, func(j *liminality.Journey, b journeyBody, at time.Time) (prescribing.Event, error) {
		return j.NoteTheme(b.Theme, at)
	}},
	"support": {[]string{"support", "themes"}, func(j *liminality.Journey, b journeyBody, at time.Time) (prescribing.Event, error) {
		return j.RecordSupport(b.Support, b.Themes, at)
	}},
	"disrupt": {[]string{"disruption"}, func(j *liminality.Journey, b journeyBody, at time.Time) (prescribing.Event, error) {
		return j.Disrupt(b.Disruption, at)
	}},
	"incorporate": {nil, func(j *liminality.Journey, _ journeyBody, at time.Time) (prescribing.Event, error) {
		return j.Incorporate(at)
	}},
	"leave": {nil, func(j *liminality.Journey, _ journeyBody, at time.Time) (prescribing.Event, error) {
		return j.Leave(at)
	}},
}

// journeyOpNames lists journeyOps in route table order.
var journeyOpNames = []string{"enter-liminal", "themes", "support", "disrupt", "incorporate", "leave"}

// journeyOp is POST /link-workers/{id}/journey/{name}.
func journeyOp(name string) func(*call) error {
	op := journeyOps[name]
	return func(c *call) error {
		j, err := loadJourney(c)
		if err != nil {
			return err
		}
		var body journeyBody
		if err := c.decodeFields(&body, op.fields, ""); err != nil {
			return err
		}
		if err := c.checkVersion(&j); err != nil {
			return err
		}
		ev, err := op.do(&j, body, c.at())
		if err != nil {
			return err
		}
		if err := c.commit(&j, uuid.Nil, ev); err != nil {
			return err
		}
		return c.respond(http.StatusOK, j.Version(), viewJourney(c, &j))
	}
}

// ---- supervision

type supervisionView struct {
	LinkWorker  prescribing.LinkWorkerID `json:"link_worker"`
	Supervisor  string                   `json:"supervisor"`
	EveryDays   int                      `json:"every_days"`
	Sessions    int                      `json:"sessions"`
	LastSession time.Time                `json:"last_session,omitzero"`
	// Due is when the next session is due (zero once ended); Overdue
	// says it has passed without one (rule SUP-1).
	Due     time.Time `json:"due,omitzero"`
	Overdue bool      `json:"overdue"`
	Ended   bool      `json:"ended"`
	EndedAt time.Time `json:"ended_at,omitzero"`
	Version int       `json:"version"`
}

func viewSupervision(c *call, s *liminality.Supervision) supervisionView {
	v := supervisionView{LinkWorker: s.LinkWorker(), Supervisor: c.s.tokens.supervisorStaff(s.Supervisor()),
		EveryDays: s.EveryDays(), Sessions: s.Sessions(), LastSession: s.LastSession(), Due: s.Due(),
		Overdue: s.Overdue(c.at()), Version: s.Version()}
	v.EndedAt, v.Ended = s.Ended()
	return v
}

// supervisorBody names a supervisor by staff ID and a frequency.
type supervisorBody struct {
	Supervisor string `json:"supervisor"`
	EveryDays  int    `json:"every_days"`
}

// supervisor checks the body names a supervisor of the service.
func (b supervisorBody) supervisor(c *call) (liminality.SupervisorID, error) {
	if !c.s.tokens.isSupervisor(b.Supervisor) {
		return liminality.SupervisorID{}, fail(http.StatusUnprocessableEntity, "supervisor must be the staff ID of a supervisor")
	}
	return supervisorID(b.Supervisor), nil
}

// agreeSupervision is POST /link-workers/{id}/supervision.
func agreeSupervision(c *call) error {
	lw, err := workerAccess(c)
	if err != nil {
		return err
	}
	var body supervisorBody
	if err := c.decode(&body); err != nil {
		return err
	}
	_, digest, err := c.idempotency("POST /link-workers/{id}/supervision\x00" + lw.String())
	if err != nil {
		return err
	}
	sup, err := body.supervisor(c)
	if err != nil {
		return err
	}
	return create(c, prescribing.StreamOf(prescribing.StreamKindSupervision, lw), digest,
		func() (liminality.Supervision, prescribing.Event, error) {
			return liminality.AgreeSupervision(lw, sup, body.EveryDays, c.at())
		},
		func(s *liminality.Supervision) any { return viewSupervision(c, s) })
}

func loadSupervision(c *call) (liminality.Supervision, error) {
	var s liminality.Supervision
	lw, err := workerAccess(c)
	if err != nil {
		return s, err
	}
	return s, c.s.load(c, prescribing.StreamOf(prescribing.StreamKindSupervision, lw), &s)
}

func getSupervision(c *call) error {
	s, err := loadSupervision(c)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, s.Version(), viewSupervision(c, &s))
}

// supervisionOp runs one operation on a link worker's supervision, after
// reading body and checking If-Match.
func supervisionOp(c *call, body any, do func(s *liminality.Supervision, at time.Time) (prescribing.Event, error)) error {
	s, err := loadSupervision(c)
	if err != nil {
		return err
	}
	if body == nil {
		err = c.decodeEmpty()
	} else {
		err = c.decode(body)
	}
	if err != nil {
		return err
	}
	if err := c.checkVersion(&s); err != nil {
		return err
	}
	ev, err := do(&s, c.at())
	if err != nil {
		return err
	}
	if err := c.commit(&s, uuid.Nil, ev); err != nil {
		return err
	}
	return c.respond(http.StatusOK, s.Version(), viewSupervision(c, &s))
}

// holdSupervisionSession is POST /link-workers/{id}/supervision/sessions:
// the calling supervisor records a session they held, now. The library
// refuses it unless they are the worker's current supervisor.
func holdSupervisionSession(c *call) error {
	return supervisionOp(c, nil, func(s *liminality.Supervision, at time.Time) (prescribing.Event, error) {
		return s.HoldSession(supervisorID(c.who.staff.ID), at)
	})
}

// changeSupervision is POST /link-workers/{id}/supervision/change: a new
// supervisor, a new frequency, or both (either left out keeps the
// current one); on ended supervision it resumes it.
func changeSupervision(c *call) error {
	var body supervisorBody
	return supervisionOp(c, &body, func(s *liminality.Supervision, at time.Time) (prescribing.Event, error) {
		sup := s.Supervisor()
		if body.Supervisor != "" {
			var err error
			if sup, err = body.supervisor(c); err != nil {
				return nil, err
			}
		}
		every := body.EveryDays
		if every == 0 {
			every = s.EveryDays()
		}
		return s.Change(sup, every, at)
	})
}

// endSupervision is POST /link-workers/{id}/supervision/end: {"reason"}.
// The reason is kept in the record but not shown by the API: it is free
// text, and a supervision's view is read by the worker's team.
func endSupervision(c *call) error {
	var body struct {
		Reason string `json:"reason"`
	}
	return supervisionOp(c, &body, func(s *liminality.Supervision, at time.Time) (prescribing.Event, error) {
		return s.End(body.Reason, at)
	})
}

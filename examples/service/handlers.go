package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

var (
	lwOnly    = []Role{RoleLinkWorker}
	adminOnly = []Role{RoleAdministrator}
	team      = []Role{RoleLinkWorker, RoleSupervisor}
	everyone  = []Role{RoleLinkWorker, RoleSupervisor, RoleAdministrator}
	auditors  = []Role{RoleSupervisor, RoleAdministrator}
	supOnly   = []Role{RoleSupervisor}
	intake    = []Role{RoleLinkWorker, RoleAdministrator}
)

// routeTable is every route of the API. The tests walk it.
func (s *Server) routeTable() []route {
	rt := []route{
		{pattern: "POST /patients", roles: lwOnly, creates: true, handle: registerPatient},
		{pattern: "GET /patients/{id}", roles: team, handle: getPatient},
		{pattern: "POST /patients/{id}/risk-assessments", roles: lwOnly, update: true, handle: assessRisk},
		{pattern: "GET /patients/{id}/consents", roles: team, handle: getConsents},
		{pattern: "POST /patients/{id}/consents/give", roles: lwOnly, update: true, handle: consentOp("give")},
		{pattern: "POST /patients/{id}/consents/withdraw", roles: lwOnly, update: true, handle: consentOp("withdraw")},
		{pattern: "POST /patients/{id}/consents/share", roles: lwOnly, update: true, handle: consentOp("share")},
		{pattern: "GET /patients/{id}/measures", roles: team, handle: getMeasures},
		{pattern: "POST /patients/{id}/measures/ons4", roles: lwOnly, update: true, handle: recordMeasure("ons4")},
		{pattern: "POST /patients/{id}/measures/swemwbs", roles: lwOnly, update: true, handle: recordMeasure("swemwbs")},

		{pattern: "POST /referrals", roles: intake, creates: true, handle: receiveReferral},
		{pattern: "GET /referrals/{id}", roles: team, handle: getReferral},
		{pattern: "GET /referrals/{id}/message-back", roles: team, handle: messageBack},
		{pattern: "POST /fhir/referrals", roles: intake, creates: true, handle: receiveFHIRReferral},
		{pattern: "GET /referrals/{id}/fhir/task", roles: team, handle: getFHIRTask},
		{pattern: "GET /referrals/{id}/fhir/message-back", roles: lwOnly, handle: getFHIRMessageBack},
		{pattern: "POST /referrals/{id}/contacts", roles: lwOnly, creates: true, update: true, handle: recordContact},
	}
	for _, name := range transitionNames {
		rt = append(rt, route{pattern: "POST /referrals/{id}/" + name, roles: lwOnly, update: true, handle: transition(name)})
	}
	rt = append(rt, []route{
		{pattern: "POST /concerns", roles: lwOnly, creates: true, handle: raiseConcern},
		{pattern: "GET /concerns/{id}", roles: team, handle: getConcern},
		{pattern: "POST /concerns/{id}/escalate", roles: team, update: true, handle: escalateConcern},

		{pattern: "POST /holding-episodes", roles: lwOnly, creates: true, handle: beginEpisode},
		{pattern: "GET /holding-episodes/{id}", roles: team, handle: getEpisode},
		{pattern: "POST /holding-episodes/{id}/review", roles: lwOnly, update: true, handle: reviewEpisode(0)},
		{pattern: "POST /holding-episodes/{id}/extend", roles: lwOnly, update: true, handle: reviewEpisode(holding.DecisionExtend)},
		{pattern: "POST /holding-episodes/{id}/end", roles: lwOnly, update: true, handle: endEpisode},

		{pattern: "POST /assets", roles: adminOnly, creates: true, handle: listAsset},
		{pattern: "GET /assets", roles: everyone, handle: listAssets},
		{pattern: "GET /assets/{id}", roles: everyone, handle: getAsset},
		{pattern: "POST /assets/{id}/details", roles: adminOnly, update: true, handle: updateAsset},
		{pattern: "POST /assets/{id}/status", roles: adminOnly, update: true, handle: setAssetStatus},
		{pattern: "POST /match", roles: team, handle: matchAssets},

		{pattern: "POST /link-workers", roles: adminOnly, creates: true, handle: registerLinkWorker},
		{pattern: "GET /link-workers/{id}", roles: adminOnly, handle: getLinkWorker},
		{pattern: "POST /link-workers/{id}/details", roles: adminOnly, update: true, handle: changeLinkWorker},
		{pattern: "GET /link-workers/{id}/caseload", roles: team, handle: getCaseload},

		{pattern: "POST /link-workers/{id}/journey", roles: adminOnly, creates: true, handle: startJourney},
		{pattern: "GET /link-workers/{id}/journey", roles: everyone, handle: getJourney},
	}...)
	for _, name := range journeyOpNames {
		roles := team
		if name == "leave" {
			roles = adminOnly
		}
		rt = append(rt, route{pattern: "POST /link-workers/{id}/journey/" + name, roles: roles, update: true, handle: journeyOp(name)})
	}
	rt = append(rt, []route{
		{pattern: "POST /link-workers/{id}/supervision", roles: adminOnly, creates: true, handle: agreeSupervision},
		{pattern: "GET /link-workers/{id}/supervision", roles: everyone, handle: getSupervision},
		{pattern: "POST /link-workers/{id}/supervision/sessions", roles: supOnly, update: true, handle: holdSupervisionSession},
		{pattern: "POST /link-workers/{id}/supervision/change", roles: adminOnly, update: true, handle: changeSupervision},
		{pattern: "POST /link-workers/{id}/supervision/end", roles: adminOnly, update: true, handle: endSupervision},

		{pattern: "GET /holding/summary", roles: team, handle: holdingSummary},
		{pattern: "GET /overdue", roles: team, handle: overdue},
		{pattern: "GET /audit", roles: auditors, handle: audit},

		{pattern: "GET /caseload/{worker}", roles: team, page: true, handle: caseloadPage},
		{pattern: "GET /supervision/{supervisor}", roles: supOnly, page: true, handle: supervisionPage},
		{pattern: "POST /page-links", roles: team, handle: issuePageLink},
	}...)
	return rt
}

// ---- patients

type patientView struct {
	ID             prescribing.PatientID  `json:"id"`
	Practice       prescribing.PracticeID `json:"practice,omitzero"`
	RegisteredAt   time.Time              `json:"registered_at"`
	RiskAssessedAt time.Time              `json:"risk_assessed_at,omitzero"`
	Anonymised     bool                   `json:"anonymised,omitempty"`
	Version        int                    `json:"version"`
	// Details are the personal details for the patient's own link
	// workers, and the redacted hint (a string) for anyone else.
	Details json.RawMessage `json:"details"`
	// Redacted says the details are the redacted hint.
	Redacted bool `json:"redacted,omitempty"`
}

func viewPatient(p *prescribing.Patient, full bool) any {
	v := patientView{ID: p.ID(), Practice: p.Practice(), RegisteredAt: p.RegisteredAt(),
		RiskAssessedAt: p.RiskAssessedAt(), Anonymised: p.IsAnonymised(), Version: p.Version()}
	var b []byte
	var err error
	if full {
		b, err = p.Details().ExportJSON()
	} else {
		b, err = json.Marshal(p.Details())
		v.Redacted = true
	}
	if err != nil {
		b = []byte(`null`)
	}
	v.Details = b
	return v
}

func registerPatient(c *call) error {
	var body struct {
		Practice prescribing.PracticeID      `json:"practice"`
		Details  prescribing.PersonalDetails `json:"details"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	id, digest, err := c.idempotency("POST /patients")
	if err != nil {
		return err
	}
	pid := prescribing.IDFromUUID[prescribing.Patient](id)
	return create(c, prescribing.StreamOf(prescribing.StreamKindPatient, pid), digest,
		func() (prescribing.Patient, prescribing.Event, error) {
			return prescribing.RegisterPatient(pid, body.Practice, body.Details, c.at())
		},
		func(p *prescribing.Patient) any { return viewPatient(p, true) })
}

// patientAccess checks what c may do with a patient's records: a link
// worker who owns the patient may read and write them in full; a
// supervisor of one of the patient's link workers reads them redacted.
func patientAccess(c *call, p prescribing.PatientID, write bool) (full bool, err error) {
	err = c.s.index.view(c.ctx, c.s.store, c.s.tokens, func(x *index) error {
		switch c.who.staff.Role {
		case RoleLinkWorker:
			if x.ownsPatient(c.who.staff.LinkWorker, p) {
				full = true
				return nil
			}
		case RoleSupervisor:
			if write {
				return errForbidden
			}
			for _, lw := range x.patientWorkers(p) {
				if c.s.tokens.readsLinkWorker(c.who, lw) {
					return nil
				}
			}
		}
		return errForbidden
	})
	return full, err
}

func loadPatient(c *call, write bool) (prescribing.Patient, bool, error) {
	var p prescribing.Patient
	id, err := pathID[prescribing.Patient](c, "id")
	if err != nil {
		return p, false, err
	}
	if err := c.s.load(c, prescribing.StreamOf(prescribing.StreamKindPatient, id), &p); err != nil {
		return p, false, err
	}
	full, err := patientAccess(c, id, write)
	return p, full, err
}

func getPatient(c *call) error {
	p, full, err := loadPatient(c, false)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, p.Version(), viewPatient(&p, full))
}

func assessRisk(c *call) error {
	p, _, err := loadPatient(c, true)
	if err != nil {
		return err
	}
	if err := c.decodeEmpty(); err != nil {
		return err
	}
	if err := c.checkVersion(&p); err != nil {
		return err
	}
	ev, err := p.RecordRiskAssessment(c.at(), c.who.staff.LinkWorker)
	if err != nil {
		return err
	}
	if err := c.commit(&p, uuid.Nil, ev); err != nil {
		return err
	}
	return c.respond(http.StatusOK, p.Version(), viewPatient(&p, true))
}

// decodeEmpty accepts an empty body or an empty object.
func (c *call) decodeEmpty() error {
	if len(c.body) == 0 {
		return nil
	}
	var v struct{}
	return c.decode(&v)
}

// ---- consents and measures (streams keyed by the patient's ID)

type consentsView struct {
	Patient prescribing.PatientID `json:"patient"`
	Version int                   `json:"version"`
	// Current lists the scopes consented to now (share_with_asset is
	// per asset: ask with ?asset=).
	Current []prescribing.ConsentScope `json:"current"`
}

func viewConsents(c *call, p prescribing.PatientID, k *prescribing.Consents) consentsView {
	v := consentsView{Patient: p, Version: k.Version(), Current: []prescribing.ConsentScope{}}
	asset, _ := prescribing.ParseID[prescribing.Asset](c.r.URL.Query().Get("asset"))
	for _, s := range prescribing.ConsentScopes() {
		if k.Current(s, asset, c.at()) {
			v.Current = append(v.Current, s)
		}
	}
	return v
}

// patientFromPath is loadPatient for a route on a patient's other
// streams: it checks the patient is there and c may reach them.
func patientFromPath(c *call, write bool) (prescribing.PatientID, error) {
	p, _, err := loadPatient(c, write)
	return p.ID(), err
}

func getConsents(c *call) error {
	id, err := patientFromPath(c, false)
	if err != nil {
		return err
	}
	var k prescribing.Consents
	if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindConsents, id), &k); err != nil {
		return err
	}
	return c.respond(http.StatusOK, k.Version(), viewConsents(c, id, &k))
}

func consentOp(op string) func(*call) error {
	return func(c *call) error {
		id, err := patientFromPath(c, true)
		if err != nil {
			return err
		}
		var body struct {
			Scope prescribing.ConsentScope `json:"scope"`
			Asset prescribing.AssetID      `json:"asset"`
		}
		if err := c.decode(&body); err != nil {
			return err
		}
		var k prescribing.Consents
		if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindConsents, id), &k); err != nil {
			return err
		}
		if err := c.checkVersion(&k); err != nil {
			return err
		}
		at := c.at()
		var events []prescribing.Event
		if k.Version() == 0 {
			opened, ev, err := prescribing.OpenConsents(id, at)
			if err != nil {
				return err
			}
			k, events = opened, append(events, ev)
		}
		var ev prescribing.Event
		switch op {
		case "give":
			ev, err = k.Give(body.Scope, body.Asset, at)
		case "withdraw":
			ev, err = k.Withdraw(body.Scope, body.Asset, at)
		default:
			ev, err = k.ShareWithAsset(body.Asset, at)
		}
		if err != nil {
			return err
		}
		if err := c.commit(&k, uuid.Nil, append(events, ev)...); err != nil {
			return err
		}
		return c.respond(http.StatusOK, k.Version(), viewConsents(c, id, &k))
	}
}

type measuresView struct {
	Patient prescribing.PatientID         `json:"patient"`
	Version int                           `json:"version"`
	ONS4    []prescribing.ONS4Recorded    `json:"ons4"`
	SWEMWBS []prescribing.SWEMWBSRecorded `json:"swemwbs"`
}

func viewMeasures(id prescribing.PatientID, m *prescribing.Measures) measuresView {
	return measuresView{Patient: id, Version: m.Version(), ONS4: m.ONS4(), SWEMWBS: m.SWEMWBS()}
}

func getMeasures(c *call) error {
	id, err := patientFromPath(c, false)
	if err != nil {
		return err
	}
	var m prescribing.Measures
	if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindMeasures, id), &m); err != nil {
		return err
	}
	return c.respond(http.StatusOK, m.Version(), viewMeasures(id, &m))
}

func recordMeasure(kind string) func(*call) error {
	return func(c *call) error {
		id, err := patientFromPath(c, true)
		if err != nil {
			return err
		}
		var body struct {
			Referral prescribing.ReferralID `json:"referral"`
			ONS4     *prescribing.ONS4      `json:"ons4"`
			SWEMWBS  *prescribing.SWEMWBS   `json:"swemwbs"`
		}
		if err := c.decode(&body); err != nil {
			return err
		}
		var m prescribing.Measures
		if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindMeasures, id), &m); err != nil {
			return err
		}
		if err := c.checkVersion(&m); err != nil {
			return err
		}
		at := c.at()
		var events []prescribing.Event
		if m.Version() == 0 {
			opened, ev, err := prescribing.OpenMeasures(id, at)
			if err != nil {
				return err
			}
			m, events = opened, append(events, ev)
		}
		var ev prescribing.Event
		switch {
		case kind == "ons4" && body.ONS4 != nil && body.SWEMWBS == nil:
			ev, err = m.RecordONS4(body.Referral, *body.ONS4, at)
		case kind == "swemwbs" && body.SWEMWBS != nil && body.ONS4 == nil:
			ev, err = m.RecordSWEMWBS(body.Referral, *body.SWEMWBS, at)
		default:
			return fail(http.StatusBadRequest, "the body needs %q and no other measure", kind)
		}
		if err != nil {
			return err
		}
		if err := c.commit(&m, uuid.Nil, append(events, ev)...); err != nil {
			return err
		}
		return c.respond(http.StatusOK, m.Version(), viewMeasures(id, &m))
	}
}

// ---- referrals

type referralView struct {
	ID           prescribing.ReferralID         `json:"id"`
	Patient      prescribing.PatientID          `json:"patient"`
	Practice     prescribing.PracticeID         `json:"practice,omitzero"`
	Source       prescribing.ReferralSource     `json:"source"`
	Referrer     string                         `json:"referrer,omitempty"`
	Needs        []prescribing.Need             `json:"needs"`
	State        prescribing.State              `json:"state"`
	TaskStatus   string                         `json:"fhir_task_status"`
	LinkWorker   prescribing.LinkWorkerID       `json:"link_worker,omitzero"`
	Reason       string                         `json:"reason,omitempty"`
	ReceivedAt   time.Time                      `json:"received_at"`
	FirstContact time.Time                      `json:"first_contact_at,omitzero"`
	UpdatedAt    time.Time                      `json:"updated_at"`
	Contacts     int                            `json:"contacts"`
	Attended     int                            `json:"attended"`
	Offered      []prescribing.CommunitySupport `json:"offered,omitempty"`
	Connections  []prescribing.CommunitySupport `json:"connections,omitempty"`
	Outcome      prescribing.Outcome            `json:"outcome,omitzero"`
	Version      int                            `json:"version"`
	Message      *prescribing.ClosureMessage    `json:"message_back,omitempty"`
	Measures     []prescribing.MeasureChange    `json:"measures,omitempty"`
	Contact      *prescribing.ContactRecorded   `json:"contact,omitempty"`
}

func viewReferral(r *prescribing.Referral) referralView {
	rec, att := r.ContactCount()
	v := referralView{ID: r.ID(), Patient: r.Patient(), Practice: r.Practice(), Source: r.Source(),
		Referrer: r.Referrer(), Needs: r.Needs(), State: r.State(), LinkWorker: r.LinkWorker(),
		Reason: r.Reason(), ReceivedAt: r.ReceivedAt(), FirstContact: r.FirstContactAt(), UpdatedAt: r.UpdatedAt(),
		Contacts: rec, Attended: att, Offered: r.Offered(), Connections: r.Connections(), Outcome: r.Outcome(),
		Version: r.Version(), Measures: r.Measures()}
	if v.Needs == nil {
		v.Needs = []prescribing.Need{}
	}
	if t := r.State().TaskStatus(); t != 0 {
		v.TaskStatus = t.String()
	}
	if m, ok := r.ClosureMessage(); ok {
		v.Message = &m
	}
	return v
}

func receiveReferral(c *call) error {
	var body struct {
		Patient  prescribing.PatientID      `json:"patient"`
		Practice prescribing.PracticeID     `json:"practice"`
		Source   prescribing.ReferralSource `json:"source"`
		Referrer string                     `json:"referrer"`
		Needs    []prescribing.Need         `json:"needs"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	var p prescribing.Patient
	if body.Patient.IsZero() {
		return fail(http.StatusBadRequest, "patient is required")
	}
	if err := c.s.load(c, prescribing.StreamOf(prescribing.StreamKindPatient, body.Patient), &p); err != nil {
		if err == errNotFound {
			return fail(http.StatusUnprocessableEntity, "no such patient")
		}
		return err
	}
	// A link worker refers only their own patients; an administrator
	// receives referrals for anyone, for a link worker to accept.
	if c.who.staff.Role == RoleLinkWorker {
		if _, err := patientAccess(c, body.Patient, true); err != nil {
			return err
		}
	}
	id, digest, err := c.idempotency("POST /referrals")
	if err != nil {
		return err
	}
	rid := prescribing.IDFromUUID[prescribing.Referral](id)
	return create(c, prescribing.StreamOf(prescribing.StreamKindReferral, rid), digest,
		func() (prescribing.Referral, prescribing.Event, error) {
			return prescribing.ReceiveReferral(prescribing.NewReferral{ID: rid, Patient: body.Patient,
				Practice: body.Practice, Source: body.Source, Referrer: body.Referrer, Needs: body.Needs}, c.at())
		},
		func(r *prescribing.Referral) any { return viewReferral(r) })
}

// loadReferral rebuilds the referral of the path and checks c may read it
// (write: change it). A link worker reads and changes their own referrals
// and the ones no one has accepted yet; a supervisor reads their team's.
func loadReferral(c *call, write bool) (prescribing.Referral, error) {
	var r prescribing.Referral
	id, err := pathID[prescribing.Referral](c, "id")
	if err != nil {
		return r, err
	}
	if err := c.s.load(c, prescribing.StreamOf(prescribing.StreamKindReferral, id), &r); err != nil {
		return r, err
	}
	lw := r.LinkWorker()
	switch {
	case c.who.staff.Role == RoleLinkWorker && (lw == c.who.staff.LinkWorker || lw.IsZero()):
		return r, nil
	case c.who.staff.Role == RoleSupervisor && !write && !lw.IsZero() && c.s.tokens.readsLinkWorker(c.who, lw):
		return r, nil
	}
	return r, errForbidden
}

func getReferral(c *call) error {
	r, err := loadReferral(c, false)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, r.Version(), viewReferral(&r))
}

func messageBack(c *call) error {
	r, err := loadReferral(c, false)
	if err != nil {
		return err
	}
	m, ok := r.ClosureMessage()
	if !ok {
		return fail(http.StatusConflict, "the referral is not closed: there is no message back yet")
	}
	return c.respond(http.StatusOK, r.Version(), m)
}

var transitionNames = []string{"accept", "reject", "first-contact", "decline", "start-support", "plan",
	"connect", "hold", "resume", "reassign", "cancel", "entered-in-error", "close"}

type transitionBody struct {
	Reason  string                         `json:"reason"`
	Plan    prescribing.SupportPlan        `json:"plan"`
	TakenUp []prescribing.CommunitySupport `json:"taken_up"`
	To      prescribing.LinkWorkerID       `json:"to"`
	Outcome prescribing.Outcome            `json:"outcome"`
}

// fields each transition reads; any other field is refused.
var transitionFields = map[string][]string{
	"reject": {"reason"}, "decline": {"reason"}, "hold": {"reason"}, "cancel": {"reason"},
	"entered-in-error": {"reason"}, "reassign": {"to", "reason"}, "start-support": {"plan"},
	"plan": {"plan"}, "connect": {"taken_up"}, "close": {"outcome"},
}

func transition(name string) func(*call) error {
	return func(c *call) error {
		r, err := loadReferral(c, true)
		if err != nil {
			return err
		}
		var body transitionBody
		if err := c.decodeFields(&body, transitionFields[name], name); err != nil {
			return err
		}
		if err := c.checkVersion(&r); err != nil {
			return err
		}
		at := c.at()
		var ev prescribing.Event
		switch name {
		case "accept":
			ev, err = r.Accept(at, c.who.staff.LinkWorker)
		case "reject":
			ev, err = r.Reject(at, body.Reason)
		case "first-contact":
			ev, err = r.RecordFirstContact(at)
		case "decline":
			ev, err = r.Decline(at, body.Reason)
		case "start-support":
			ev, err = r.StartSupport(at, body.Plan)
		case "plan":
			ev, err = r.UpdatePlan(at, body.Plan)
		case "connect":
			ev, err = r.Connect(at, body.TakenUp...)
		case "hold":
			ev, err = r.PutOnHold(at, body.Reason)
		case "resume":
			ev, err = r.Resume(at)
		case "reassign":
			if _, ok := c.s.tokens.byLinkWorker(body.To); !ok {
				return fail(http.StatusUnprocessableEntity, "reassign: no such link worker")
			}
			ev, err = r.Reassign(at, body.To, body.Reason)
		case "cancel":
			ev, err = r.Cancel(at, body.Reason)
		case "entered-in-error":
			ev, err = r.EnterInError(at, body.Reason)
		case "close":
			var changes []prescribing.MeasureChange
			changes, err = measureChanges(c, &r)
			if err != nil {
				return err
			}
			ev, err = r.Close(at, body.Outcome, changes...)
		}
		if err != nil {
			return err
		}
		if err := c.commit(&r, uuid.Nil, ev); err != nil {
			return err
		}
		// A closed referral's view carries its message back to the GP.
		return c.respond(http.StatusOK, r.Version(), viewReferral(&r))
	}
}

// measureChanges compares the first and last ONS4 and SWEMWBS taken
// within the referral, for the message back.
func measureChanges(c *call, r *prescribing.Referral) ([]prescribing.MeasureChange, error) {
	var m prescribing.Measures
	if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindMeasures, r.Patient()), &m); err != nil {
		return nil, err
	}
	var out []prescribing.MeasureChange
	var ons []prescribing.ONS4Recorded
	for _, o := range m.ONS4() {
		if o.Referral == r.ID() {
			ons = append(ons, o)
		}
	}
	if len(ons) >= 2 {
		ch, err := prescribing.CompareONS4(ons[0], ons[len(ons)-1])
		if err == nil {
			out = append(out, ch...)
		}
	}
	var sw []prescribing.SWEMWBSRecorded
	for _, o := range m.SWEMWBS() {
		if o.Referral == r.ID() {
			sw = append(sw, o)
		}
	}
	if len(sw) >= 2 {
		ch, err := prescribing.CompareSWEMWBS(sw[0], sw[len(sw)-1])
		if err == nil {
			out = append(out, ch)
		}
	}
	return out, nil
}

// recordContact records a contact; a home visit takes the patient's risk
// assessment from their record, and is refused without a current one.
// The contact's ID comes from the Idempotency-Key: a retry finds the
// contact recorded and answers as the first time.
func recordContact(c *call) error {
	r, err := loadReferral(c, true)
	if err != nil {
		return err
	}
	var body struct {
		At       time.Time               `json:"at"`
		Mode     prescribing.ContactMode `json:"mode"`
		Minutes  int                     `json:"minutes"`
		Attended bool                    `json:"attended"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	id, digest, err := c.idempotency("POST /referrals/{id}/contacts")
	if err != nil {
		return err
	}
	cid := prescribing.IDFromUUID[prescribing.Contact](id)
	envs, err := c.s.store.Load(c.ctx, r.Stream(), 0)
	if err != nil {
		return err
	}
	for _, e := range envs {
		if cr, ok := e.Event.(prescribing.ContactRecorded); ok && cr.Contact.ID == cid {
			if e.Causation != digest {
				return fail(http.StatusUnprocessableEntity, "Idempotency-Key reused for another request")
			}
			var then prescribing.Referral
			if _, err := c.s.rebuild(c.ctx, r.Stream(), &then, e.Version); err != nil {
				return err
			}
			c.replay = true
			c.w.Header().Set("Idempotent-Replayed", "true")
			v := viewReferral(&then)
			v.Contact = &cr
			return c.respond(http.StatusCreated, then.Version(), v)
		}
	}
	if err := c.checkVersion(&r); err != nil {
		return err
	}
	at := body.At
	if at.IsZero() {
		at = c.at()
	}
	var p prescribing.Patient
	if err := c.s.load(c, prescribing.StreamOf(prescribing.StreamKindPatient, r.Patient()), &p); err != nil {
		return err
	}
	ct := prescribing.Contact{ID: cid, At: prescribing.Stamp(at), Mode: body.Mode, Minutes: body.Minutes,
		Attended: body.Attended, RiskAssessedAt: p.RiskAssessedAt()}
	// A contact by text needs the person's consent to text (CONS-2): the
	// consents are read for it, and the plain call refuses it.
	var consents *prescribing.Consents // none recorded: no consent
	if ct.Mode == prescribing.ContactModeMessage {
		var k prescribing.Consents
		if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindConsents, r.Patient()), &k); err != nil {
			return err
		}
		if k.Version() > 0 {
			consents = &k
		}
	}
	var ev prescribing.ContactRecorded
	if ct.Mode == prescribing.ContactModeMessage {
		ev, err = r.RecordContactWithConsent(ct, prescribing.ContactRules{}, consents)
	} else {
		ev, err = r.RecordContact(ct, prescribing.ContactRules{})
	}
	if err != nil {
		return err
	}
	if err := c.commit(&r, digest, ev); err != nil {
		return err
	}
	v := viewReferral(&r)
	v.Contact = &ev
	return c.respond(http.StatusCreated, r.Version(), v)
}

// ---- safeguarding

type concernView struct {
	ID          prescribing.ConcernID    `json:"id"`
	Referral    prescribing.ReferralID   `json:"referral"`
	Patient     prescribing.PatientID    `json:"patient"`
	Contact     prescribing.ContactID    `json:"contact"`
	RaisedBy    prescribing.LinkWorkerID `json:"raised_by"`
	RaisedAt    time.Time                `json:"raised_at"`
	Lead        string                   `json:"escalated_to,omitempty"`
	EscalatedAt time.Time                `json:"escalated_at,omitzero"`
	Due         time.Time                `json:"escalate_by"`
	Version     int                      `json:"version"`
}

func viewConcern(k *prescribing.Concern) concernView {
	lead, at, _ := k.Escalated()
	return concernView{ID: k.ID(), Referral: k.Referral(), Patient: k.Patient(), Contact: k.Contact(),
		RaisedBy: k.RaisedBy(), RaisedAt: k.RaisedAt(), Lead: lead, EscalatedAt: at,
		Due: prescribing.SafeguardingRules{}.Due(k.RaisedAt()), Version: k.Version()}
}

func raiseConcern(c *call) error {
	var body struct {
		Referral prescribing.ReferralID `json:"referral"`
		Contact  prescribing.ContactID  `json:"contact"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	var r prescribing.Referral
	if body.Referral.IsZero() {
		return fail(http.StatusBadRequest, "referral is required")
	}
	envs, err := c.s.rebuild(c.ctx, prescribing.StreamOf(prescribing.StreamKindReferral, body.Referral), &r, 0)
	if err != nil {
		return err
	}
	if len(envs) == 0 {
		return fail(http.StatusUnprocessableEntity, "no such referral")
	}
	if r.LinkWorker() != c.who.staff.LinkWorker {
		return errForbidden
	}
	var on prescribing.ContactRecorded
	found := false
	for _, e := range envs {
		if cr, ok := e.Event.(prescribing.ContactRecorded); ok && cr.Contact.ID == body.Contact {
			on, found = cr, true
		}
	}
	if !found {
		return fail(http.StatusUnprocessableEntity, "no such contact on the referral")
	}
	id, digest, err := c.idempotency("POST /concerns")
	if err != nil {
		return err
	}
	kid := prescribing.IDFromUUID[prescribing.Concern](id)
	return create(c, prescribing.StreamOf(prescribing.StreamKindConcern, kid), digest,
		func() (prescribing.Concern, prescribing.Event, error) {
			return prescribing.RaiseConcern(kid, on, c.at())
		},
		func(k *prescribing.Concern) any { return viewConcern(k) })
}

// loadConcern: the link worker who holds the referral (or raised the
// concern) reads and escalates it; their supervisor too.
func loadConcern(c *call) (prescribing.Concern, error) {
	var k prescribing.Concern
	id, err := pathID[prescribing.Concern](c, "id")
	if err != nil {
		return k, err
	}
	if err := c.s.load(c, prescribing.StreamOf(prescribing.StreamKindConcern, id), &k); err != nil {
		return k, err
	}
	var r prescribing.Referral
	if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindReferral, k.Referral()), &r); err != nil {
		return k, err
	}
	for _, lw := range []prescribing.LinkWorkerID{r.LinkWorker(), k.RaisedBy()} {
		if !lw.IsZero() && c.s.tokens.readsLinkWorker(c.who, lw) {
			return k, nil
		}
	}
	return k, errForbidden
}

func getConcern(c *call) error {
	k, err := loadConcern(c)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, k.Version(), viewConcern(&k))
}

func escalateConcern(c *call) error {
	k, err := loadConcern(c)
	if err != nil {
		return err
	}
	var body struct {
		Lead string `json:"lead"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	if err := c.checkVersion(&k); err != nil {
		return err
	}
	ev, err := k.Escalate(body.Lead, c.at())
	if err != nil {
		return err
	}
	if err := c.commit(&k, uuid.Nil, ev); err != nil {
		return err
	}
	return c.respond(http.StatusOK, k.Version(), viewConcern(&k))
}

// ---- holding

type episodeView struct {
	ID         holding.EpisodeID        `json:"id"`
	Referral   prescribing.ReferralID   `json:"referral,omitzero"`
	Patient    prescribing.PatientID    `json:"patient"`
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Reasons    holding.ReasonSet        `json:"reasons"`
	Started    time.Time                `json:"started"`
	Endpoint   holding.Endpoint         `json:"endpoint"`
	Due        time.Time                `json:"due"`
	Open       bool                     `json:"open"`
	Ending     holding.Ending           `json:"outcome,omitzero"`
	EndedAt    time.Time                `json:"ended_at,omitzero"`
	Reviews    int                      `json:"reviews"`
	Extensions int                      `json:"extensions"`
	Class      holding.Class            `json:"class,omitzero"`
	Version    int                      `json:"version"`
}

func viewEpisode(e *holding.Episode) episodeView {
	at, ending, _ := e.Ended()
	return episodeView{ID: e.ID(), Referral: e.Referral(), Patient: e.Patient(), LinkWorker: e.LinkWorker(),
		Reasons: e.Reasons(), Started: e.Started(), Endpoint: e.Endpoint(), Due: e.Due(), Open: e.Open(),
		Ending: ending, EndedAt: at, Reviews: e.Reviews(), Extensions: e.Extensions(), Class: e.Class(),
		Version: e.Version()}
}

func beginEpisode(c *call) error {
	var body struct {
		Referral prescribing.ReferralID `json:"referral"`
		Patient  prescribing.PatientID  `json:"patient"`
		Reasons  holding.ReasonSet      `json:"reasons"`
		Need     prescribing.Need       `json:"need"`
		Awaited  prescribing.AssetID    `json:"awaited"`
		Endpoint holding.Endpoint       `json:"endpoint"`
		SignOff  holding.SignOff        `json:"sign_off"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	if body.Patient.IsZero() {
		return fail(http.StatusBadRequest, "patient is required")
	}
	if _, err := patientAccess(c, body.Patient, true); err != nil {
		return err
	}
	id, digest, err := c.idempotency("POST /holding-episodes")
	if err != nil {
		return err
	}
	eid := prescribing.IDFromUUID[holding.Episode](id)
	return create(c, prescribing.StreamOf(prescribing.StreamKindHoldingEpisode, eid), digest,
		func() (holding.Episode, prescribing.Event, error) {
			return holding.Begin(holding.Start{ID: eid, Referral: body.Referral, Patient: body.Patient,
				LinkWorker: c.who.staff.LinkWorker, Reasons: body.Reasons, Need: body.Need, Awaited: body.Awaited,
				At: c.at(), Endpoint: body.Endpoint, SignOff: body.SignOff})
		},
		func(e *holding.Episode) any { return viewEpisode(e) })
}

func loadEpisode(c *call, write bool) (holding.Episode, error) {
	var e holding.Episode
	id, err := pathID[holding.Episode](c, "id")
	if err != nil {
		return e, err
	}
	if err := c.s.load(c, prescribing.StreamOf(prescribing.StreamKindHoldingEpisode, id), &e); err != nil {
		return e, err
	}
	if write && e.LinkWorker() != c.who.staff.LinkWorker || !c.s.tokens.readsLinkWorker(c.who, e.LinkWorker()) {
		return e, errForbidden
	}
	return e, nil
}

func getEpisode(c *call) error {
	e, err := loadEpisode(c, false)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, e.Version(), viewEpisode(&e))
}

func reviewEpisode(force holding.Decision) func(*call) error {
	return func(c *call) error {
		e, err := loadEpisode(c, true)
		if err != nil {
			return err
		}
		var body struct {
			Ratings   holding.Ratings  `json:"assessment"`
			Decision  holding.Decision `json:"decision"`
			Endpoint  holding.Endpoint `json:"endpoint"`
			Rationale string           `json:"rationale"`
			SignOff   holding.SignOff  `json:"sign_off"`
			Ending    holding.Ending   `json:"outcome"`
		}
		if err := c.decode(&body); err != nil {
			return err
		}
		if force != 0 {
			if body.Decision != 0 && body.Decision != force {
				return fail(http.StatusBadRequest, "decision must be %s here or left out", force)
			}
			body.Decision = force
		}
		if err := c.checkVersion(&e); err != nil {
			return err
		}
		ev, err := e.Review(holding.Review{At: c.at(), Ratings: body.Ratings, Decision: body.Decision,
			Endpoint: body.Endpoint, Rationale: body.Rationale, SignOff: body.SignOff, Ending: body.Ending})
		if err != nil {
			return err
		}
		if err := c.commit(&e, uuid.Nil, ev); err != nil {
			return err
		}
		return c.respond(http.StatusOK, e.Version(), viewEpisode(&e))
	}
}

func endEpisode(c *call) error {
	e, err := loadEpisode(c, true)
	if err != nil {
		return err
	}
	var body struct {
		Ending holding.Ending `json:"outcome"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	if err := c.checkVersion(&e); err != nil {
		return err
	}
	ev, err := e.Finish(c.at(), body.Ending)
	if err != nil {
		return err
	}
	if err := c.commit(&e, uuid.Nil, ev); err != nil {
		return err
	}
	return c.respond(http.StatusOK, e.Version(), viewEpisode(&e))
}

// ---- community assets

type assetView struct {
	ID      prescribing.AssetID      `json:"id"`
	Details prescribing.AssetDetails `json:"details"`
	Status  prescribing.AssetStatus  `json:"status"`
	InUse   int                      `json:"in_use"`
	Version int                      `json:"version"`
}

func viewAsset(a *prescribing.Asset) assetView {
	return assetView{ID: a.ID(), Details: a.Details(), Status: a.Status(), InUse: a.InUse(), Version: a.Version()}
}

func listAsset(c *call) error {
	var body struct {
		Details prescribing.AssetDetails `json:"details"`
		Status  prescribing.AssetStatus  `json:"status"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	id, digest, err := c.idempotency("POST /assets")
	if err != nil {
		return err
	}
	aid := prescribing.IDFromUUID[prescribing.Asset](id)
	return create(c, prescribing.StreamOf(prescribing.StreamKindAsset, aid), digest,
		func() (prescribing.Asset, prescribing.Event, error) {
			return prescribing.ListAsset(aid, body.Details, body.Status, c.at())
		},
		func(a *prescribing.Asset) any { return viewAsset(a) })
}

func listAssets(c *call) error {
	out := []assetView{}
	err := c.s.index.view(c.ctx, c.s.store, c.s.tokens, func(x *index) error {
		for _, a := range x.assets {
			out = append(out, viewAsset(&a))
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(out, func(a, b assetView) int { return compareIDs(a.ID.UUID(), b.ID.UUID()) })
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

func compareIDs(a, b uuid.UUID) int {
	return slices.Compare(a[:], b[:])
}

func loadAsset(c *call) (prescribing.Asset, error) {
	var a prescribing.Asset
	id, err := pathID[prescribing.Asset](c, "id")
	if err != nil {
		return a, err
	}
	return a, c.s.load(c, prescribing.StreamOf(prescribing.StreamKindAsset, id), &a)
}

func getAsset(c *call) error {
	a, err := loadAsset(c)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, a.Version(), viewAsset(&a))
}

func updateAsset(c *call) error {
	a, err := loadAsset(c)
	if err != nil {
		return err
	}
	var body struct {
		Details prescribing.AssetDetails `json:"details"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	if err := c.checkVersion(&a); err != nil {
		return err
	}
	ev, err := a.Update(body.Details, c.at())
	if err != nil {
		return err
	}
	if err := c.commit(&a, uuid.Nil, ev); err != nil {
		return err
	}
	return c.respond(http.StatusOK, a.Version(), viewAsset(&a))
}

func setAssetStatus(c *call) error {
	a, err := loadAsset(c)
	if err != nil {
		return err
	}
	var body struct {
		Status prescribing.AssetStatus `json:"status"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	if err := c.checkVersion(&a); err != nil {
		return err
	}
	ev, err := a.SetStatus(body.Status, c.at())
	if err != nil {
		return err
	}
	if err := c.commit(&a, uuid.Nil, ev); err != nil {
		return err
	}
	return c.respond(http.StatusOK, a.Version(), viewAsset(&a))
}

// matchAssets ranks the listed assets for a profile (which holds no
// identifying details).
func matchAssets(c *call) error {
	var p prescribing.Profile
	if err := c.decode(&p); err != nil {
		return err
	}
	var assets []prescribing.Asset
	err := c.s.index.view(c.ctx, c.s.store, c.s.tokens, func(x *index) error {
		for _, a := range x.assets {
			assets = append(assets, a)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(assets, func(a, b prescribing.Asset) int { return compareIDs(a.ID().UUID(), b.ID().UUID()) })
	m, err := prescribing.MatchAssets(p, assets)
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusOK, m)
	return nil
}

// ---- staff

type linkWorkerView struct {
	ID      prescribing.LinkWorkerID      `json:"id"`
	Details prescribing.LinkWorkerDetails `json:"details"`
	Version int                           `json:"version"`
}

func viewLinkWorker(w *prescribing.LinkWorker) linkWorkerView {
	return linkWorkerView{ID: w.ID(), Details: w.Details(), Version: w.Version()}
}

func registerLinkWorker(c *call) error {
	var body struct {
		ID      prescribing.LinkWorkerID      `json:"id"`
		Details prescribing.LinkWorkerDetails `json:"details"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	id, digest, err := c.idempotency("POST /link-workers")
	if err != nil {
		return err
	}
	lw := prescribing.IDFromUUID[prescribing.LinkWorker](id)
	if !body.ID.IsZero() {
		lw = body.ID
	}
	return create(c, prescribing.StreamOf(prescribing.StreamKindLinkWorker, lw), digest,
		func() (prescribing.LinkWorker, prescribing.Event, error) {
			return prescribing.RegisterLinkWorker(lw, body.Details, c.at())
		},
		func(w *prescribing.LinkWorker) any { return viewLinkWorker(w) })
}

func loadLinkWorker(c *call) (prescribing.LinkWorker, error) {
	var w prescribing.LinkWorker
	id, err := pathID[prescribing.LinkWorker](c, "id")
	if err != nil {
		return w, err
	}
	return w, c.s.load(c, prescribing.StreamOf(prescribing.StreamKindLinkWorker, id), &w)
}

func getLinkWorker(c *call) error {
	w, err := loadLinkWorker(c)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, w.Version(), viewLinkWorker(&w))
}

// changeLinkWorker records a change of a link worker's post: title,
// employer, practices served.
func changeLinkWorker(c *call) error {
	w, err := loadLinkWorker(c)
	if err != nil {
		return err
	}
	var body struct {
		Details prescribing.LinkWorkerDetails `json:"details"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	if err := c.checkVersion(&w); err != nil {
		return err
	}
	ev, err := w.Change(body.Details, c.at())
	if err != nil {
		return err
	}
	if err := c.commit(&w, uuid.Nil, ev); err != nil {
		return err
	}
	return c.respond(http.StatusOK, w.Version(), viewLinkWorker(&w))
}

// ---- read views

// scope is the link workers c may read: themself, or a supervisor's team.
func scope(c *call) []prescribing.LinkWorkerID {
	if c.who.staff.Role == RoleLinkWorker {
		return []prescribing.LinkWorkerID{c.who.staff.LinkWorker}
	}
	return c.s.tokens.team(c.who.staff.ID)
}

type caseloadView struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	At         time.Time                `json:"at"`
	Referrals  []referralView           `json:"referrals"`
	Episodes   []episodeView            `json:"holding_episodes"`
}

func getCaseload(c *call) error {
	lw, err := pathID[prescribing.LinkWorker](c, "id")
	if err != nil {
		return err
	}
	if !c.s.tokens.readsLinkWorker(c.who, lw) {
		return errForbidden
	}
	v := caseloadView{LinkWorker: lw, At: c.at(), Referrals: []referralView{}, Episodes: []episodeView{}}
	err = c.s.index.view(c.ctx, c.s.store, c.s.tokens, func(x *index) error {
		for _, r := range x.referrals {
			if r.LinkWorker() == lw && r.State().IsLive() {
				v.Referrals = append(v.Referrals, viewReferral(&r))
			}
		}
		for _, e := range x.episodes {
			if e.LinkWorker() == lw && e.Open() {
				v.Episodes = append(v.Episodes, viewEpisode(&e))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(v.Referrals, func(a, b referralView) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	slices.SortFunc(v.Episodes, func(a, b episodeView) int { return a.Due.Compare(b.Due) })
	writeJSON(c.w, http.StatusOK, v)
	return nil
}

func holdingSummary(c *call) error {
	lws := scope(c)
	at := c.at()
	var out []holding.Summary
	err := c.s.index.view(c.ctx, c.s.store, c.s.tokens, func(x *index) error {
		var eps []holding.Episode
		caseloads := map[prescribing.LinkWorkerID]int{}
		for _, lw := range lws {
			caseloads[lw] = 0
		}
		for _, e := range x.episodes {
			if slices.Contains(lws, e.LinkWorker()) {
				eps = append(eps, e)
			}
		}
		for _, r := range x.referrals {
			if slices.Contains(lws, r.LinkWorker()) && r.State().IsLive() {
				caseloads[r.LinkWorker()]++
			}
		}
		out = holding.Summarise(eps, at, caseloads, holdingLimits)
		return nil
	})
	if err != nil {
		return err
	}
	if out == nil {
		out = []holding.Summary{}
	}
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

type overdueView struct {
	At       time.Time                    `json:"at"`
	Reviews  []episodeView                `json:"reviews"`
	Concerns []prescribing.OverdueConcern `json:"concerns"`
}

func overdue(c *call) error {
	lws := scope(c)
	v := overdueView{At: c.at(), Reviews: []episodeView{}}
	err := c.s.index.view(c.ctx, c.s.store, c.s.tokens, func(x *index) error {
		for _, e := range x.episodes {
			if slices.Contains(lws, e.LinkWorker()) && e.Overdue(v.At) {
				v.Reviews = append(v.Reviews, viewEpisode(&e))
			}
		}
		var concerns []prescribing.Concern
		for _, k := range x.concerns {
			r := x.referrals[k.Referral()]
			if slices.Contains(lws, r.LinkWorker()) || slices.Contains(lws, k.RaisedBy()) {
				concerns = append(concerns, k)
			}
		}
		v.Concerns = prescribing.OverdueConcerns(concerns, v.At, prescribing.SafeguardingRules{})
		return nil
	})
	if err != nil {
		return err
	}
	if v.Concerns == nil {
		v.Concerns = []prescribing.OverdueConcern{}
	}
	slices.SortFunc(v.Reviews, func(a, b episodeView) int { return a.Due.Compare(b.Due) })
	writeJSON(c.w, http.StatusOK, v)
	return nil
}

type auditEntry struct {
	Position    int64     `json:"position"`
	Version     int64     `json:"version"`
	Type        string    `json:"type"`
	EventTime   time.Time `json:"event_time"`
	RecordedAt  time.Time `json:"recorded_at"`
	Actor       string    `json:"actor"`
	Correlation uuid.UUID `json:"request_id"`
}

// audit lists who did what to a stream, and when, from the store's
// envelopes (the events' bodies, which may hold personal data, are left
// out). An administrator reads any stream; a supervisor the streams of
// records their team holds.
func audit(c *call) error {
	stream, err := prescribing.ParseStream(c.r.URL.Query().Get("stream"))
	if err != nil || stream.IsZero() {
		return fail(http.StatusBadRequest, "stream must be kind/uuid, e.g. referral/%s", uuid.Nil)
	}
	envs, err := c.s.store.Load(c.ctx, stream, 0)
	if err != nil {
		return err
	}
	if c.who.staff.Role == RoleSupervisor {
		ok := false
		err := c.s.index.view(c.ctx, c.s.store, c.s.tokens, func(x *index) error {
			var lws []prescribing.LinkWorkerID
			switch stream.Kind {
			case prescribing.StreamKindReferral:
				r := x.referrals[prescribing.IDFromUUID[prescribing.Referral](stream.ID)]
				lws = append(lws, r.LinkWorker())
			case prescribing.StreamKindHoldingEpisode:
				e := x.episodes[prescribing.IDFromUUID[holding.Episode](stream.ID)]
				lws = append(lws, e.LinkWorker())
			case prescribing.StreamKindPatient, prescribing.StreamKindConsents, prescribing.StreamKindMeasures:
				lws = x.patientWorkers(prescribing.IDFromUUID[prescribing.Patient](stream.ID))
			case prescribing.StreamKindJourney, prescribing.StreamKindSupervision:
				lws = append(lws, prescribing.IDFromUUID[prescribing.LinkWorker](stream.ID))
			}
			for _, lw := range lws {
				ok = ok || (!lw.IsZero() && c.s.tokens.readsLinkWorker(c.who, lw))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if !ok {
			return errForbidden
		}
	}
	out := make([]auditEntry, len(envs))
	for i, e := range envs {
		out[i] = auditEntry{Position: e.Position, Version: e.Version, Type: e.Type, EventTime: e.EventTime,
			RecordedAt: e.RecordedAt, Actor: e.Actor.String(), Correlation: e.Correlation}
	}
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

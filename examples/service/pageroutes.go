package main

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/examples/service/pages"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

// The two HTML pages for the people in the research (package pages): a
// link worker's caseload and a supervisor's view of their team. They are
// built from the same projection of the store as the JSON caseload and
// holding summary, and answer with the headers an HTML page needs.

// holdingLimits are the holding limits the service reads against: GET
// /holding/summary and the pages alike.
var holdingLimits = holding.Limits{MaxStalledExtensions: holding.DefaultMaxStalledExtensions}

// pageCSP lets a page use its inline stylesheet and nothing else: no
// script, no image, no frame, no form, no other origin.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// html writes a page rendered in full first: a failure to render is a 500
// with nothing of the page sent.
func (c *call) html(render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(buf.Bytes())
	return nil
}

// caseloadAccess checks c may open link worker lw's caseload page (the
// link worker themself or their supervisor) and says whether it may show
// people's names: only to the link worker themself, whose patients they
// are; a supervisor sees pseudonymous IDs.
func caseloadAccess(c *call, lw prescribing.LinkWorkerID) (showNames bool, err error) {
	if !c.s.tokens.readsLinkWorker(c.who, lw) {
		return false, errForbidden
	}
	return c.who.staff.Role == RoleLinkWorker && c.who.staff.LinkWorker == lw, nil
}

// supervisionAccess checks c may open supervisor sup's page: only that
// supervisor. The page is a supervision tool: it shows how each link
// worker is faring in the role (the phase of their passage into it, the
// support they lack), which is for their supervisor, not for the
// administrators who keep staff records, nor for the link workers.
func supervisionAccess(c *call, sup string) error {
	if c.who.staff.Role != RoleSupervisor || c.who.staff.ID != sup {
		return errForbidden
	}
	return nil
}

// worker is how the pages name a link worker: by their staff ID, as the
// audit trail does (the service keeps no names for staff).
func (t *Tokens) worker(lw prescribing.LinkWorkerID) pages.Worker {
	w := pages.Worker{ID: lw}
	if s, ok := t.byLinkWorker(lw); ok {
		w.Name = s.ID
	}
	return w
}

// caseloadPage is GET /caseload/{worker}.
func caseloadPage(c *call) error {
	lw, err := pathID[prescribing.LinkWorker](c, "worker")
	if err != nil {
		return err
	}
	showNames, err := caseloadAccess(c, lw)
	if err != nil {
		return err
	}
	at := c.at()
	var refs []prescribing.Referral
	var eps []holding.Episode
	var assets []prescribing.Asset
	err = c.s.index.view(c.ctx, c.s.store, c.s.tokens, func(x *index) error {
		for _, r := range x.referrals {
			if r.LinkWorker() == lw {
				refs = append(refs, r)
			}
		}
		for _, e := range x.episodes {
			if e.LinkWorker() == lw {
				eps = append(eps, e)
			}
		}
		for _, a := range x.assets {
			assets = append(assets, a)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The index's maps have no order; the page's sorts are stable, so
	// sort by ID first for the same page on every request.
	slices.SortFunc(refs, func(a, b prescribing.Referral) int { return compareIDs(a.ID().UUID(), b.ID().UUID()) })
	slices.SortFunc(eps, func(a, b holding.Episode) int { return compareIDs(a.ID().UUID(), b.ID().UUID()) })

	var followUps []prescribing.FollowUpDue
	for i := range refs {
		followUps = append(followUps, refs[i].FollowUpsDue(prescribing.FollowUpRules{})...)
	}
	opt := pages.CaseloadOptions{Limits: holdingLimits, ShowNames: showNames, Assets: assets, FollowUps: followUps}
	if showNames {
		if opt.Patients, err = caseloadPatients(c, refs, eps, followUps, at); err != nil {
			return err
		}
	}
	v := pages.BuildCaseload(c.s.tokens.worker(lw), refs, eps, at, opt)
	return c.html(func(w io.Writer) error { return pages.RenderCaseload(w, v) })
}

// caseloadPatients rebuilds, from their streams, the patients the
// caseload page names: those of live referrals, open holding episodes
// and overdue follow-ups.
func caseloadPatients(c *call, refs []prescribing.Referral, eps []holding.Episode, followUps []prescribing.FollowUpDue, at time.Time) ([]prescribing.Patient, error) {
	var ids []prescribing.PatientID
	for i := range refs {
		if refs[i].State().IsLive() {
			ids = append(ids, refs[i].Patient())
		}
	}
	for i := range eps {
		if eps[i].Open() {
			ids = append(ids, eps[i].Patient())
		}
	}
	for _, f := range followUps {
		if f.Overdue(at) {
			ids = append(ids, f.Patient)
		}
	}
	slices.SortFunc(ids, func(a, b prescribing.PatientID) int { return compareIDs(a.UUID(), b.UUID()) })
	ids = slices.Compact(ids)
	var out []prescribing.Patient
	for _, id := range ids {
		if id.IsZero() {
			continue
		}
		var p prescribing.Patient
		if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindPatient, id), &p); err != nil {
			return nil, err
		}
		if p.Version() > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

// supervisionPage is GET /supervision/{supervisor}.
func supervisionPage(c *call) error {
	sup := c.r.PathValue("supervisor")
	if err := supervisionAccess(c, sup); err != nil {
		return err
	}
	var team []pages.Worker
	for _, lw := range c.s.tokens.team(sup) {
		team = append(team, c.s.tokens.worker(lw))
	}
	var refs []prescribing.Referral
	var eps []holding.Episode
	var journeys []liminality.Journey
	var supervisions []liminality.Supervision
	err := c.s.index.view(c.ctx, c.s.store, c.s.tokens, func(x *index) error {
		for _, r := range x.referrals {
			refs = append(refs, r)
		}
		for _, e := range x.episodes {
			eps = append(eps, e)
		}
		for _, j := range x.journeys {
			journeys = append(journeys, j)
		}
		for _, s := range x.supervisions {
			supervisions = append(supervisions, s)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(eps, func(a, b holding.Episode) int { return compareIDs(a.ID().UUID(), b.ID().UUID()) })
	// Each worker's phase, since when, whether the spell is prolonged and
	// the support still missing come from their journey (a worker without
	// one reads "not recorded"); their supervision says whether a session
	// is overdue.
	v := pages.BuildSupervision(pages.Worker{Name: sup}, team, refs, eps, journeys, c.at(),
		pages.SupervisionOptions{Limits: holdingLimits, Threshold: journeyThreshold, Supervisions: supervisions})
	return c.html(func(w io.Writer) error { return pages.RenderSupervision(w, v) })
}

// pageLinkView is the answer to POST /page-links.
type pageLinkView struct {
	// URL is the page's path with ?access=: relative, so the caller puts
	// the address it reached the server at in front (the server does not
	// trust a Host header to build one).
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// issuePageLink is POST /page-links: {"page": "/caseload/<link worker>"}
// or {"page": "/supervision/<staff ID>"}, for a page the caller may open.
func issuePageLink(c *call) error {
	var body struct {
		Page string `json:"page"`
	}
	if err := c.decode(&body); err != nil {
		return err
	}
	var path string
	switch {
	case strings.HasPrefix(body.Page, "/caseload/"):
		lw, err := prescribing.ParseID[prescribing.LinkWorker](strings.TrimPrefix(body.Page, "/caseload/"))
		if err != nil || lw.IsZero() {
			return fail(http.StatusBadRequest, "page: /caseload/ needs a link worker's ID")
		}
		if _, err := caseloadAccess(c, lw); err != nil {
			return err
		}
		path = "/caseload/" + lw.String()
	case strings.HasPrefix(body.Page, "/supervision/"):
		sup, err := store.ParseStaffID(strings.TrimPrefix(body.Page, "/supervision/"))
		if err != nil || sup.IsZero() {
			return fail(http.StatusBadRequest, "page: /supervision/ needs a supervisor's staff ID")
		}
		if err := supervisionAccess(c, sup.String()); err != nil {
			return err
		}
		path = "/supervision/" + sup.String()
	default:
		return fail(http.StatusBadRequest, "page must be /caseload/{worker} or /supervision/{supervisor}")
	}
	tok, exp, err := c.s.links.issue(c.who, path, c.s.now())
	if err != nil {
		return err
	}
	writeJSON(c.w, http.StatusCreated, pageLinkView{URL: path + "?access=" + tok, ExpiresAt: exp.UTC()})
	return nil
}

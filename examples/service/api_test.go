package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAPI runs the whole API suite against SQLite and PostgreSQL.
func TestAPI(t *testing.T) {
	apiSuiteRan.Store(true)
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Run("lifecycle", func(t *testing.T) { testLifecycle(t, newEnv(t, b)) })
			t.Run("ETag and If-Match", func(t *testing.T) { testIfMatch(t, newEnv(t, b)) })
			t.Run("Idempotency-Key", func(t *testing.T) { testIdempotency(t, newEnv(t, b)) })
			t.Run("strict input", func(t *testing.T) { testStrictInput(t, newEnv(t, b)) })
			t.Run("401 and 403 on every route and role", func(t *testing.T) { testAuthorization(t, newEnv(t, b)) })
			t.Run("personal data redacted for supervisors", func(t *testing.T) { testRedaction(t, newEnv(t, b)) })
			t.Run("holding, overdue and audit", func(t *testing.T) { testViews(t, newEnv(t, b)) })
			t.Run("FHIR", func(t *testing.T) { testFHIR(t, newEnv(t, b)) })
			t.Run("pages", func(t *testing.T) { testPages(t, newEnv(t, b)) })
			t.Run("page links", func(t *testing.T) { testPageLinks(t, newEnv(t, b)) })
			t.Run("journeys", func(t *testing.T) { testJourneys(t, newEnv(t, b)) })
			t.Run("supervision", func(t *testing.T) { testSupervision(t, newEnv(t, b)) })
			t.Run("supervision page shows journeys", func(t *testing.T) { testSupervisionPageJourneys(t, newEnv(t, b)) })
		})
	}
}

// testLifecycle follows a referral from receipt to the message back.
func testLifecycle(t *testing.T, e *env) {
	st := e.staff
	f := e.fixture()
	ref := "/referrals/" + f.referral
	pat := "/patients/" + f.patient

	// CASE_3: a home visit needs a current risk assessment.
	g := e.must(200, &st.lw1, "GET", ref, nil)
	r := e.must(422, &st.lw1, "POST", ref+"/contacts", map[string]any{"mode": "home_visit", "minutes": 60, "attended": true},
		"If-Match", g.header.Get("ETag"), "Idempotency-Key", key())
	assert.Contains(t, r.str(t, "error"), "risk assessment")
	assert.Equal(t, g.header.Get("ETag"), e.must(200, &st.lw1, "GET", ref, nil).header.Get("ETag"), "a refused contact changes nothing")
	e.update(200, &st.lw1, pat, pat+"/risk-assessments", nil)
	g = e.must(200, &st.lw1, "GET", ref, nil)
	e.must(201, &st.lw1, "POST", ref+"/contacts", map[string]any{"mode": "home_visit", "minutes": 60, "attended": true},
		"If-Match", g.header.Get("ETag"), "Idempotency-Key", key())

	// Consent: sharing with an asset needs consent for that asset.
	cons := pat + "/consents"
	e.must(422, &st.lw1, "POST", cons+"/share", map[string]any{"asset": f.asset}, "If-Match", `"0"`)
	e.must(200, &st.lw1, "POST", cons+"/give", map[string]any{"scope": "share_with_asset", "asset": f.asset}, "If-Match", `"0"`)
	e.update(200, &st.lw1, cons, cons+"/share", map[string]any{"asset": f.asset})
	cur := e.must(200, &st.lw1, "GET", cons+"?asset="+f.asset, nil).json(t)["current"]
	assert.Equal(t, []any{"share_with_asset"}, cur)

	// CONS_2: a contact by text needs current consent to text.
	text := map[string]any{"mode": "message", "minutes": 5, "attended": true}
	g = e.must(200, &st.lw1, "GET", ref, nil)
	r = e.must(422, &st.lw1, "POST", ref+"/contacts", text, "If-Match", g.header.Get("ETag"), "Idempotency-Key", key())
	assert.Contains(t, r.str(t, "error"), "consent")
	e.update(200, &st.lw1, cons, cons+"/give", map[string]any{"scope": "contact_by_text"})
	g = e.must(200, &st.lw1, "GET", ref, nil)
	e.must(201, &st.lw1, "POST", ref+"/contacts", text, "If-Match", g.header.Get("ETag"), "Idempotency-Key", key())

	// Safeguarding: escalation needs a named lead, once.
	k := "/concerns/" + f.concern
	e.update(422, &st.lw1, k, k+"/escalate", map[string]any{"lead": " "})
	e.update(200, &st.sup1, k, k+"/escalate", map[string]any{"lead": "Safeguarding lead"})
	e.update(409, &st.lw1, k, k+"/escalate", map[string]any{"lead": "Safeguarding lead"})

	// Outcome measures, twice, compared at closure.
	m := pat + "/measures"
	ons := func(v int) map[string]any {
		return map[string]any{"referral": f.referral, "ons4": map[string]any{"life_satisfaction": v, "worthwhile": v, "happiness": v, "anxiety": 10 - v}}
	}
	e.must(200, &st.lw1, "POST", m+"/ons4", ons(4), "If-Match", `"0"`)
	e.update(400, &st.lw1, m, m+"/ons4", ons(11))
	e.update(200, &st.lw1, m, m+"/ons4", ons(7))
	e.update(200, &st.lw1, m, m+"/swemwbs", map[string]any{"referral": f.referral, "swemwbs": map[string]any{"items": []int{2, 2, 2, 2, 2, 2, 2}}})

	// Matching, then connection.
	match := e.must(200, &st.lw1, "POST", "/match", map[string]any{"needs": []string{"social_isolation"}}, nil...).json(t)
	cands := match["candidates"].([]any)
	require.NotEmpty(t, cands)
	e.update(200, &st.lw1, ref, ref+"/connect", map[string]any{"taken_up": []any{map[string]any{"need": "social_isolation", "asset": f.asset, "name": "Lunch club"}}})
	e.update(422, &st.lw1, ref, ref+"/hold", map[string]any{"reason": "  "})
	e.update(200, &st.lw1, ref, ref+"/hold", map[string]any{"reason": "in hospital"})
	e.update(409, &st.lw1, ref, ref+"/close", map[string]any{"outcome": "connected_and_benefited"})
	e.update(200, &st.lw1, ref, ref+"/resume", nil)
	e.must(409, &st.lw1, "GET", ref+"/message-back", nil)

	// Closure with the message back.
	closed := e.update(200, &st.lw1, ref, ref+"/close", map[string]any{"outcome": "connected_and_benefited"}).json(t)
	assert.Equal(t, "closed", closed["state"])
	msg := closed["message_back"].(map[string]any)
	assert.Equal(t, "connected_and_benefited", msg["outcome"])
	assert.Equal(t, float64(3), msg["contacts"], "the telephone call, the home visit and the text")
	assert.NotEmpty(t, msg["measures"], "ONS4 and SWEMWBS changes go back to the GP")
	back := e.must(200, &st.lw1, "GET", ref+"/message-back", nil).json(t)
	assert.Equal(t, msg, back)
	e.update(409, &st.lw1, ref, ref+"/resume", nil)
	doc := e.must(200, &st.lw1, "GET", ref+"/fhir/message-back", nil)
	assert.Equal(t, "application/fhir+json", doc.header.Get("Content-Type"))
	assert.Equal(t, "Bundle", doc.json(t)["resourceType"])
	assert.Equal(t, "document", doc.json(t)["type"])
	assert.Contains(t, string(doc.body), "9434765919", "the message back to the GP names the patient")
	e.must(403, &st.sup1, "GET", ref+"/fhir/message-back", nil)

	// Holding: review, extend, end.
	ep := "/holding-episodes/" + f.episode
	rv := map[string]any{"assessment": map[string]any{"motivation": 4, "capacity": 4, "confidence": 3}, "decision": "continue"}
	e.update(200, &st.lw1, ep, ep+"/review", rv)
	ext := map[string]any{"assessment": map[string]any{"motivation": 5, "capacity": 5, "confidence": 4},
		"endpoint":  map[string]any{"at": time.Now().UTC().AddDate(0, 3, 0).Format(time.RFC3339), "plan": "connect", "asset": f.asset},
		"rationale": "waiting for a place"}
	got := e.update(200, &st.lw1, ep, ep+"/extend", ext).json(t)
	assert.Equal(t, float64(1), got["extensions"])
	ended := e.update(200, &st.lw1, ep, ep+"/end", map[string]any{"outcome": "connected"}).json(t)
	assert.Equal(t, false, ended["open"])
	e.update(409, &st.lw1, ep, ep+"/end", map[string]any{"outcome": "connected"})

	// Other transitions: reject, decline, reassign, cancel, entered in error.
	newRef := func() string {
		return "/referrals/" + e.must(201, &st.lw1, "POST", "/referrals", map[string]any{"patient": f.patient, "source": "self"},
			"Idempotency-Key", key()).str(t, "id")
	}
	a := newRef()
	e.update(200, &st.lw1, a, a+"/reject", map[string]any{"reason": "not eligible"})
	b := newRef()
	e.update(200, &st.lw1, b, b+"/accept", nil)
	e.update(200, &st.lw1, b, b+"/decline", map[string]any{"reason": "does not want support"})
	c := newRef()
	e.update(200, &st.lw1, c, c+"/accept", nil)
	e.update(200, &st.lw1, c, c+"/reassign", map[string]any{"to": st.lw2.LinkWorker, "reason": "caseload"})
	e.must(403, &st.lw1, "GET", c, nil)
	e.must(200, &st.lw2, "GET", c, nil)
	e.update(200, &st.lw2, c, c+"/cancel", map[string]any{"reason": "moved away"})
	d := newRef()
	e.update(200, &st.lw1, d, d+"/entered-in-error", map[string]any{"reason": "duplicate"})
	p := newRef()
	e.update(200, &st.lw1, p, p+"/accept", nil)
	e.update(200, &st.lw1, p, p+"/first-contact", nil)
	e.update(200, &st.lw1, p, p+"/start-support", map[string]any{"plan": map[string]any{"needs": []string{"housing"}}})
	pl := e.update(200, &st.lw1, p, p+"/plan", map[string]any{"plan": map[string]any{"needs": []string{"housing", "money"}}}).json(t)
	assert.Equal(t, []any{"housing", "money"}, pl["needs"])
	e.update(409, &st.lw1, p, p+"/accept", nil)

	// The caseload holds the live referrals only.
	cl := e.must(200, &st.lw1, "GET", "/link-workers/"+st.lw1.LinkWorker.String()+"/caseload", nil).json(t)
	refs := cl["referrals"].([]any)
	require.Len(t, refs, 1)
	assert.Equal(t, strings.TrimPrefix(p, "/referrals/"), refs[0].(map[string]any)["id"])
	e.must(200, &st.sup1, "GET", "/link-workers/"+st.lw1.LinkWorker.String()+"/caseload", nil)
	e.must(403, &st.sup2, "GET", "/link-workers/"+st.lw1.LinkWorker.String()+"/caseload", nil)
	e.must(403, &st.lw2, "GET", "/link-workers/"+st.lw1.LinkWorker.String()+"/caseload", nil)

	// Assets and staff, by the administrator.
	as := "/assets/" + f.asset
	e.update(200, &st.admin, as, as+"/status", map[string]any{"status": "temporarily_closed"})
	e.update(200, &st.admin, as, as+"/details", map[string]any{"details": map[string]any{"name": "Lunch club (Tuesdays)", "needs": []string{"social_isolation"}}})
	list := e.must(200, &st.lw1, "GET", "/assets", nil)
	assert.Contains(t, string(list.body), "Lunch club (Tuesdays)")
	lw := e.must(201, &st.admin, "POST", "/link-workers", map[string]any{"id": st.lw1.LinkWorker, "details": map[string]any{"title": "social_prescriber", "employer": "pcn"}},
		"Idempotency-Key", key())
	loc := lw.header.Get("Location")
	e.must(200, &st.admin, "GET", loc, nil)
	ch := e.update(200, &st.admin, loc, loc+"/details", map[string]any{"details": map[string]any{"title": "community_connector", "employer": "vcse"}}).json(t)
	assert.Equal(t, "vcse", ch["details"].(map[string]any)["employer"])
}

// testIfMatch: a stale write gets 409 and changes nothing; a write
// without If-Match gets 428.
func testIfMatch(t *testing.T, e *env) {
	st := e.staff
	f := e.fixture()
	ref := "/referrals/" + f.referral
	g := e.must(200, &st.lw1, "GET", ref, nil)
	tag := g.header.Get("ETag")
	require.NotEmpty(t, tag)
	plan := map[string]any{"plan": map[string]any{"needs": []string{"housing"}}}
	e.must(428, &st.lw1, "POST", ref+"/plan", plan)
	e.must(200, &st.lw1, "POST", ref+"/plan", plan, "If-Match", tag)
	after := e.must(200, &st.lw1, "GET", ref, nil)
	r := e.must(409, &st.lw1, "POST", ref+"/plan", map[string]any{"plan": map[string]any{"needs": []string{"money"}}}, "If-Match", tag)
	assert.Contains(t, r.str(t, "error"), "stale")
	now := e.must(200, &st.lw1, "GET", ref, nil)
	assert.Equal(t, after.body, now.body, "a stale write changes nothing")
	assert.Equal(t, after.header.Get("ETag"), now.header.Get("ETag"))
	e.must(400, &st.lw1, "POST", ref+"/plan", plan, "If-Match", "banana")
}

// testIdempotency: a retried create answers as the first time and creates
// nothing; a key reused with another body is refused.
func testIdempotency(t *testing.T, e *env) {
	st := e.staff
	body := patientBody("Grace", "Hopper", "4010232137")
	k := key()
	first := e.must(201, &st.lw1, "POST", "/patients", body, "Idempotency-Key", k)
	again := e.must(201, &st.lw1, "POST", "/patients", body, "Idempotency-Key", k)
	assert.Equal(t, first.body, again.body)
	assert.Equal(t, first.header.Get("ETag"), again.header.Get("ETag"))
	assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
	assert.Empty(t, first.header.Get("Idempotent-Replayed"))
	id := first.str(t, "id")
	audit := e.must(200, &st.admin, "GET", "/audit?stream=patient/"+id, nil)
	var entries []map[string]any
	require.NoError(t, json.Unmarshal(audit.body, &entries))
	assert.Len(t, entries, 1, "the retry appended nothing")

	other := patientBody("Grace", "Hopper", "9434765919")
	e.must(422, &st.lw1, "POST", "/patients", other, "Idempotency-Key", k)
	e.must(400, &st.lw1, "POST", "/patients", body)
	// The same key from another member of staff is another request.
	e.must(201, &st.lw2, "POST", "/patients", body, "Idempotency-Key", k)

	// A retried contact is recorded once, even after later changes.
	f := e.fixture()
	ref := "/referrals/" + f.referral
	g := e.must(200, &st.lw1, "GET", ref, nil)
	ck := key()
	c1 := e.must(201, &st.lw1, "POST", ref+"/contacts", map[string]any{"mode": "video", "minutes": 20, "attended": true},
		"If-Match", g.header.Get("ETag"), "Idempotency-Key", ck)
	e.update(200, &st.lw1, ref, ref+"/plan", map[string]any{"plan": map[string]any{"needs": []string{"money"}}})
	c2 := e.must(201, &st.lw1, "POST", ref+"/contacts", map[string]any{"mode": "video", "minutes": 20, "attended": true},
		"If-Match", g.header.Get("ETag"), "Idempotency-Key", ck)
	assert.Equal(t, c1.body, c2.body)
	n := e.must(200, &st.lw1, "GET", ref, nil).json(t)["contacts"]
	assert.Equal(t, float64(2), n, "the fixture's contact and this one, once")
}

// testStrictInput: unknown fields, trailing data, oversized bodies.
func testStrictInput(t *testing.T, e *env) {
	st := e.staff
	r := e.must(400, &st.lw1, "POST", "/patients", `{"details": {"given_name": "Ada"}, "favourite_colour": "blue"}`, "Idempotency-Key", key())
	assert.Contains(t, r.str(t, "error"), `"favourite_colour"`)
	r = e.must(400, &st.lw1, "POST", "/patients", `{"details": {"given_name": "Ada"}} {}`, "Idempotency-Key", key())
	assert.Contains(t, r.str(t, "error"), "after the JSON value")
	e.must(400, &st.lw1, "POST", "/patients", `{"details": `, "Idempotency-Key", key())
	e.must(400, &st.lw1, "POST", "/patients", ``, "Idempotency-Key", key())
	e.must(400, &st.lw1, "POST", "/patients", `{"details": {"given_name": 7}}`, "Idempotency-Key", key())
	big := `{"details": {"given_name": "` + strings.Repeat("a", MaxBodyBytes) + `"}}`
	e.must(413, &st.lw1, "POST", "/patients", big, "Idempotency-Key", key())
	f := e.fixture()
	ref := "/referrals/" + f.referral
	g := e.must(200, &st.lw1, "GET", ref, nil)
	r = e.must(400, &st.lw1, "POST", ref+"/hold", `{"reason": "x", "outcome": "died"}`, "If-Match", g.header.Get("ETag"))
	assert.Contains(t, r.str(t, "error"), `"outcome"`)
	e.must(400, &st.lw1, "POST", "/referrals", map[string]any{"patient": f.patient, "source": "carrier_pigeon"}, "Idempotency-Key", key())
}

// pathFor fills a route's wildcards with the fixture's IDs, all lw1's.
func pathFor(t *testing.T, pattern string, f fixture, e *env) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	ids := map[string]string{"/patients/": f.patient, "/referrals/": f.referral, "/concerns/": f.concern,
		"/holding-episodes/": f.episode, "/assets/": f.asset, "/link-workers/": e.staff.lw1.LinkWorker.String()}
	path = strings.Replace(path, "{worker}", e.staff.lw1.LinkWorker.String(), 1)
	path = strings.Replace(path, "{supervisor}", e.staff.sup1.ID, 1)
	if strings.Contains(path, "{id}") {
		for prefix, id := range ids {
			if strings.HasPrefix(path, prefix+"{id}") {
				return method, strings.Replace(path, "{id}", id, 1)
			}
		}
		t.Fatalf("route %s: the test has no ID for it: add one to pathFor", pattern)
	}
	if path == "/audit" {
		path += "?stream=referral/" + f.referral
	}
	return method, path
}

// testAuthorization walks the route table: every route refuses a request
// without a token or with a wrong one (401), every role the route does
// not name (403), and, for routes on one record, the same role from
// another team (403); the roles it names get through.
func testAuthorization(t *testing.T, e *env) {
	st := e.staff
	f := e.fixture()
	e.must(201, &st.admin, "POST", "/link-workers", map[string]any{"id": st.lw1.LinkWorker, "details": map[string]any{"title": "link_worker", "employer": "pcn"}}, "Idempotency-Key", key())
	// lw1's journey and supervision, for their routes.
	e.must(201, &st.admin, "POST", journeyPath(st.lw1), nil, "Idempotency-Key", key())
	e.must(201, &st.admin, "POST", supervisionPath(st.lw1), map[string]any{"supervisor": st.sup1.ID, "every_days": 28}, "Idempotency-Key", key())
	wrong := Staff{Token: randomToken()}
	require.NotEmpty(t, e.srv.routes)
	for _, rt := range e.srv.routes {
		t.Run(rt.pattern, func(t *testing.T) {
			method, path := pathFor(t, rt.pattern, f, e)
			for _, who := range []*Staff{nil, &wrong} {
				r := e.do(who, method, path, "{}")
				assert.Equal(t, http.StatusUnauthorized, r.status, "%s", r.body)
				assert.NotEmpty(t, r.header.Get("WWW-Authenticate"))
			}
			owned := strings.Contains(rt.pattern, "{id}") && !strings.HasPrefix(path, "/assets/") && rt.pattern != "GET /link-workers/{id}" ||
				rt.pattern == "GET /audit" || strings.Contains(rt.pattern, "{worker}") || strings.Contains(rt.pattern, "{supervisor}")
			cases := []struct {
				who   *Staff
				owner bool // lw1's records, or lw1's supervisor, or any record for an administrator
			}{{&st.lw1, true}, {&st.lw2, false}, {&st.sup1, true}, {&st.sup2, false}, {&st.admin, true}}
			for _, c := range cases {
				// Without If-Match or Idempotency-Key: 403 comes first.
				r := e.do(c.who, method, path, "{}")
				allowed := slices.Contains(rt.roles, c.who.Role)
				switch {
				case !allowed:
					assert.Equal(t, http.StatusForbidden, r.status, "%s as %s: %s", rt.pattern, c.who.ID, r.body)
				case owned && !c.owner:
					assert.Equal(t, http.StatusForbidden, r.status, "%s as %s (another team): %s", rt.pattern, c.who.ID, r.body)
				default:
					if rt.update && !rt.creates {
						assert.Equal(t, http.StatusPreconditionRequired, r.status, "%s as %s without If-Match: %s", rt.pattern, c.who.ID, r.body)
					}
					if method == "GET" && !strings.HasSuffix(rt.pattern, "/message-back") { // 409 until closed
						assert.Equal(t, http.StatusOK, r.status, "%s as %s: %s", rt.pattern, c.who.ID, r.body)
					}
					r = e.do(c.who, method, path, "{}", "If-Match", `"999"`, "Idempotency-Key", key())
					assert.NotContains(t, []int{401, 403}, r.status, "%s as %s: %s", rt.pattern, c.who.ID, r.body)
					if rt.update && !rt.creates {
						assert.NotEqual(t, http.StatusPreconditionRequired, r.status)
					}
				}
			}
		})
	}
}

// testRedaction: a patient's own link worker reads their details; a
// supervisor reads the redacted hint; nobody else reads the record.
func testRedaction(t *testing.T, e *env) {
	st := e.staff
	f := e.fixture()
	p := "/patients/" + f.patient
	full := e.must(200, &st.lw1, "GET", p, nil)
	assert.Contains(t, string(full.body), "Lovelace")
	assert.Contains(t, string(full.body), "9434765919")
	red := e.must(200, &st.sup1, "GET", p, nil)
	for _, s := range personal {
		assert.NotContains(t, string(red.body), s)
	}
	assert.Equal(t, true, red.json(t)["redacted"])
	assert.IsType(t, "", red.json(t)["details"])
	e.must(403, &st.sup2, "GET", p, nil)
	e.must(403, &st.lw2, "GET", p, nil)
	e.must(403, &st.admin, "GET", p, nil)
	// A link worker cannot reach another's patient by referring them; an
	// administrator's referral waits for a link worker to accept it, who
	// then holds the patient.
	e.must(403, &st.lw2, "POST", "/referrals", map[string]any{"patient": f.patient, "source": "self"}, "Idempotency-Key", key())
	e.must(403, &st.lw2, "GET", p, nil)
	r2 := "/referrals/" + e.must(201, &st.admin, "POST", "/referrals", map[string]any{"patient": f.patient, "source": "gp"}, "Idempotency-Key", key()).str(t, "id")
	e.must(403, &st.lw2, "GET", p, nil)
	e.update(200, &st.lw2, r2, r2+"/accept", nil)
	assert.Contains(t, string(e.must(200, &st.lw2, "GET", p, nil).body), "Lovelace")
	// Errors never quote personal data sent in.
	r := e.must(400, &st.lw1, "POST", "/patients", patientBody("Ada", "Lovelace", "9434765918"), "Idempotency-Key", key())
	assert.NotContains(t, string(r.body), "9434765918")
	// The audit trail names who did what, never what the event said.
	au := e.must(200, &st.admin, "GET", "/audit?stream=patient/"+f.patient, nil)
	assert.Contains(t, string(au.body), `"actor":"lw-1"`)
	assert.NotContains(t, string(au.body), "Lovelace")
}

// testViews: holding summary, overdue reviews and concerns, the audit.
func testViews(t *testing.T, e *env) {
	st := e.staff
	now := time.Now().UTC()
	clock := now
	e.srv.now = func() time.Time { return clock }
	f := e.fixture()
	sum := e.must(200, &st.lw1, "GET", "/holding/summary", nil)
	var sums []map[string]any
	require.NoError(t, json.Unmarshal(sum.body, &sums))
	require.Len(t, sums, 1)
	assert.Equal(t, float64(1), sums[0]["open"])
	assert.Equal(t, float64(1), sums[0]["caseload"])
	e.must(200, &st.sup1, "GET", "/holding/summary", nil)
	var none []map[string]any
	require.NoError(t, json.Unmarshal(e.must(200, &st.sup2, "GET", "/holding/summary", nil).body, &none))
	assert.Len(t, none, 1)
	assert.Equal(t, float64(0), none[0]["open"], "sup-2's team holds none of lw-1's episodes")

	od := e.must(200, &st.lw1, "GET", "/overdue", nil).json(t)
	assert.Empty(t, od["reviews"])
	assert.Empty(t, od["concerns"])
	clock = now.AddDate(0, 3, 0) // past the endpoint and the escalation limit
	od = e.must(200, &st.lw1, "GET", "/overdue", nil).json(t)
	assert.Len(t, od["reviews"], 1)
	assert.Len(t, od["concerns"], 1)
	assert.Len(t, e.must(200, &st.sup1, "GET", "/overdue", nil).json(t)["concerns"], 1)
	assert.Empty(t, e.must(200, &st.sup2, "GET", "/overdue", nil).json(t)["concerns"])

	au := e.must(200, &st.sup1, "GET", "/audit?stream=referral/"+f.referral, nil)
	var entries []auditEntry
	require.NoError(t, json.Unmarshal(au.body, &entries))
	require.Len(t, entries, 5, "received, accepted, first contact, contact, start support")
	for i, en := range entries {
		assert.Equal(t, int64(i+1), en.Version)
		assert.False(t, en.RecordedAt.IsZero())
		assert.NotEqual(t, [16]byte{}, en.Correlation)
	}
	assert.Equal(t, "admin-1", e.must(200, &st.admin, "GET", "/audit?stream=asset/"+f.asset, nil).json2(t)[0]["actor"])
	e.must(403, &st.sup2, "GET", "/audit?stream=referral/"+f.referral, nil)
	e.must(400, &st.admin, "GET", "/audit?stream=nonsense", nil)
	_ = fmt.Sprint()
}

func (r resp) json2(t testing.TB) []map[string]any {
	t.Helper()
	var m []map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), string(r.body))
	return m
}

// testFHIR: a referral received as a FHIR ServiceRequest Bundle, once
// however often it is sent, and its FHIR Task.
func testFHIR(t *testing.T, e *env) {
	st := e.staff
	bundle, err := os.ReadFile("testdata/gp-referral.json")
	require.NoError(t, err)
	k := key()
	first := e.must(201, &st.lw1, "POST", "/fhir/referrals", bundle, "Idempotency-Key", k)
	again := e.must(201, &st.lw1, "POST", "/fhir/referrals", bundle, "Idempotency-Key", k)
	assert.Equal(t, first.body, again.body)
	v := first.json(t)
	assert.Equal(t, "received", v["state"])
	assert.Equal(t, "gp", v["source"])
	assert.Equal(t, []any{"social_isolation", "other"}, v["needs"])
	ref := "/referrals/" + v["id"].(string)
	p := e.must(200, &st.lw1, "GET", "/patients/"+v["patient"].(string), nil)
	assert.Contains(t, string(p.body), "9434765919")
	e.update(200, &st.lw1, ref, ref+"/accept", nil)
	task := e.must(200, &st.lw1, "GET", ref+"/fhir/task", nil)
	assert.Equal(t, "Task", task.json(t)["resourceType"])
	assert.Equal(t, "accepted", task.json(t)["status"])
	sup := e.must(200, &st.sup1, "GET", ref+"/fhir/task", nil)
	for _, s := range personal {
		assert.NotContains(t, string(sup.body), s)
	}
	e.must(403, &st.sup2, "GET", ref+"/fhir/task", nil)
	e.must(409, &st.lw1, "GET", ref+"/fhir/message-back", nil)
	bad := strings.Replace(string(bundle), `"ServiceRequest"`, `"DeviceRequest"`, 2)
	r := e.must(400, &st.lw1, "POST", "/fhir/referrals", bad, "Idempotency-Key", key())
	assert.Contains(t, r.str(t, "error"), "Bundle")
	e.must(422, &st.lw1, "POST", "/fhir/referrals", strings.Replace(string(bundle), "Dr Patel", "Dr Other", 1), "Idempotency-Key", k)
}

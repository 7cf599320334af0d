package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/examples/service/internal/browsertest"
)

// pageSeed is what seedPages made, all lw1's, and the server's clock.
type pageSeed struct {
	fixture
	connected string // a referral connected to the fixture's asset
	now       time.Time
	clock     *time.Time
}

// seedPages fills the store through the API for the pages: the fixture
// (a referral in support held in a holding episode whose endpoint is two
// months on) and a second referral connected to a community asset, then
// moves the server's clock three months on, so the holding review and the
// connection's follow-up (due 28 days after it, rule FOLLOW-1) are late.
func seedPages(t testing.TB, e *env) pageSeed {
	t.Helper()
	st := e.staff
	s := pageSeed{now: time.Now().UTC()}
	clock := s.now
	s.clock = &clock
	e.srv.now = func() time.Time { return *s.clock }
	s.fixture = e.fixture()
	ref := "/referrals/" + e.must(201, &st.lw1, "POST", "/referrals", map[string]any{
		"patient": s.patient, "source": "gp", "needs": []string{"social_isolation"}}, "Idempotency-Key", key()).str(t, "id")
	s.connected = strings.TrimPrefix(ref, "/referrals/")
	e.update(200, &st.lw1, ref, ref+"/accept", nil)
	e.update(200, &st.lw1, ref, ref+"/first-contact", nil)
	e.update(200, &st.lw1, ref, ref+"/start-support", map[string]any{"plan": map[string]any{"needs": []string{"social_isolation"}}})
	e.update(200, &st.lw1, ref, ref+"/connect", map[string]any{"taken_up": []any{map[string]any{"need": "social_isolation", "asset": s.asset, "name": "Lunch club"}}})
	*s.clock = s.now.AddDate(0, 3, 0)
	return s
}

// checkPageHeaders checks an HTML page's headers.
func checkPageHeaders(t *testing.T, r resp) {
	t.Helper()
	assert.Equal(t, "text/html; charset=utf-8", r.header.Get("Content-Type"))
	assert.Equal(t, "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", r.header.Get("Content-Security-Policy"))
	assert.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
	assert.Equal(t, "no-referrer", r.header.Get("Referrer-Policy"))
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
}

// testPages: the caseload page shows a link worker's own caseload with
// names, their supervisor the same rows by pseudonymous ID (rule PRIV-1),
// with the late holding review (HOLD-4) and follow-up (FOLLOW-1); the
// supervision page is the supervisor's own.
func testPages(t *testing.T, e *env) {
	st := e.staff
	s := seedPages(t, e)
	page := "/caseload/" + st.lw1.LinkWorker.String()

	own := e.must(200, &st.lw1, "GET", page, nil)
	checkPageHeaders(t, own)
	body := string(own.body)
	assert.Contains(t, body, "Ada Lovelace", "the link worker sees their own patients' names")
	cases := browsertest.Rows(t, body, "open-cases")
	require.Len(t, cases, 2, "the held referral and the connected one")
	for _, id := range []string{s.referral, s.connected} {
		assert.Contains(t, body, id[:8])
	}
	assert.Len(t, browsertest.Rows(t, body, "holding-episodes"), 1)
	late := browsertest.Rows(t, body, "overdue-items")
	require.Len(t, late, 2)
	assert.Contains(t, strings.Join(late, "\n"), "Follow-up "+s.connected[:8]+" Ada Lovelace Follow up the connection to Lunch club")
	assert.Contains(t, strings.Join(late, "\n"), "Holding review "+s.referral[:8]+" Ada Lovelace")

	sup := e.must(200, &st.sup1, "GET", page, nil)
	checkPageHeaders(t, sup)
	for _, p := range personal {
		assert.NotContains(t, string(sup.body), p, "a supervisor sees no personal data")
	}
	assert.Len(t, browsertest.Rows(t, string(sup.body), "open-cases"), 2)
	assert.Contains(t, string(sup.body), s.patient[:8], "people shown by pseudonymous ID")
	for _, who := range []*Staff{&st.lw2, &st.sup2, &st.admin} {
		e.must(403, who, "GET", page, nil)
	}
	e.must(404, &st.lw1, "GET", "/caseload/not-an-id", nil)

	// Before the endpoint and the follow-up's due date, nothing is late.
	*s.clock = s.now.AddDate(0, 0, 1)
	early := e.must(200, &st.lw1, "GET", page, nil)
	assert.NotContains(t, string(early.body), `<table id="overdue-items">`)

	team := e.must(200, &st.sup1, "GET", "/supervision/"+st.sup1.ID, nil)
	checkPageHeaders(t, team)
	rows := browsertest.Rows(t, string(team.body), "team")
	require.Len(t, rows, 1)
	assert.True(t, strings.HasPrefix(rows[0], "lw-1 "), rows[0])
	for _, p := range personal {
		assert.NotContains(t, string(team.body), p, "the supervision page holds no patient data")
	}
	other := browsertest.Rows(t, string(e.must(200, &st.sup2, "GET", "/supervision/"+st.sup2.ID, nil).body), "team")
	require.Len(t, other, 1)
	assert.True(t, strings.HasPrefix(other[0], "lw-2 "), other[0])
	for _, who := range []*Staff{&st.sup2, &st.lw1, &st.admin} {
		e.must(403, who, "GET", "/supervision/"+st.sup1.ID, nil)
	}
}

// testPageLinks: POST /page-links issues a link to one page for a caller
// who may open it; the link opens that page once, within a minute, and
// authenticates nothing else.
func testPageLinks(t *testing.T, e *env) {
	st := e.staff
	s := seedPages(t, e)
	page := "/caseload/" + st.lw1.LinkWorker.String()
	link := func(who *Staff, page string) string {
		t.Helper()
		r := e.must(201, who, "POST", "/page-links", map[string]any{"page": page})
		assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
		u := r.str(t, "url")
		require.True(t, strings.HasPrefix(u, page+"?access="), u)
		exp, err := time.Parse(time.RFC3339Nano, r.str(t, "expires_at"))
		require.NoError(t, err)
		assert.Equal(t, s.clock.Add(PageLinkTTL), exp)
		return u
	}

	// Opened once, without a bearer token, with the issuer's rights.
	u := link(&st.lw1, page)
	r := e.must(200, nil, "GET", u, nil)
	checkPageHeaders(t, r)
	assert.Contains(t, string(r.body), "Ada Lovelace")
	assert.Contains(t, e.must(401, nil, "GET", u, nil).str(t, "error"), "page link", "a link opens once")
	sup := e.must(200, nil, "GET", link(&st.sup1, page), nil)
	assert.NotContains(t, string(sup.body), "Lovelace", "a supervisor's link shows no names")
	e.must(200, nil, "GET", link(&st.sup1, "/supervision/"+st.sup1.ID), nil)

	// Valid up to, not at, a minute after it was issued.
	issued := *s.clock
	u = link(&st.lw1, page)
	*s.clock = issued.Add(PageLinkTTL - time.Nanosecond)
	e.must(200, nil, "GET", u, nil)
	*s.clock = issued
	u = link(&st.lw1, page)
	*s.clock = issued.Add(PageLinkTTL)
	e.must(401, nil, "GET", u, nil)
	*s.clock = issued

	// Only the page it names, and spent by a wrong try.
	u = link(&st.lw1, page)
	tok := u[strings.Index(u, "=")+1:]
	e.must(401, nil, "GET", "/caseload/"+st.lw2.LinkWorker.String()+"?access="+tok, nil)
	e.must(401, nil, "GET", u, nil)
	// Never the JSON API.
	u = link(&st.lw1, page)
	tok = u[strings.Index(u, "=")+1:]
	e.must(401, nil, "GET", "/link-workers/"+st.lw1.LinkWorker.String()+"/caseload?access="+tok, nil)
	e.must(401, nil, "GET", "/holding/summary?access="+tok, nil)
	// A bearer token, right or wrong, is what counts when one is sent.
	u = link(&st.lw1, page)
	e.must(401, &Staff{Token: randomToken()}, "GET", u, nil)
	e.must(401, nil, "GET", "/caseload/"+st.lw1.LinkWorker.String()+"?access="+url.QueryEscape("not-a-link"), nil)

	// Issued only for a page the caller may open.
	e.must(403, &st.lw2, "POST", "/page-links", map[string]any{"page": page})
	e.must(403, &st.sup2, "POST", "/page-links", map[string]any{"page": page})
	e.must(403, &st.admin, "POST", "/page-links", map[string]any{"page": page})
	e.must(403, &st.sup2, "POST", "/page-links", map[string]any{"page": "/supervision/" + st.sup1.ID})
	e.must(403, &st.lw1, "POST", "/page-links", map[string]any{"page": "/supervision/" + st.sup1.ID})
	for _, bad := range []string{"", "/patients/" + s.patient, "/caseload/nonsense", "/caseload/", "/supervision/", "https://example.org/caseload/" + st.lw1.LinkWorker.String()} {
		e.must(400, &st.lw1, "POST", "/page-links", map[string]any{"page": bad})
	}
	r = e.must(400, &st.lw1, "POST", "/page-links", `{"page": "`+page+`", "valid_for": "1y"}`)
	assert.Contains(t, r.str(t, "error"), `"valid_for"`)

	// The tokens never reach the logs (query strings are not logged).
	assert.NotContains(t, logs.String(), tok)
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/examples/store/sqlopen"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

// postgresEnv names the environment variable holding the DSN of a
// PostgreSQL database the tests may empty and fill. Unset, the PostgreSQL
// tests skip, except in CI (CI=true), where they fail.
const postgresEnv = "LINKWORK_POSTGRES_DSN"

// backend opens an empty event store.
type backend struct {
	name string
	open func(t testing.TB) store.Store
}

func sqliteBackend() backend {
	return backend{"sqlite", func(t testing.TB) store.Store {
		t.Helper()
		s, db, err := openStore(context.Background(), filepath.Join(t.TempDir(), "service.sqlite"), "")
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return s
	}}
}

// postgresDSN is the test database's DSN, or skips (fails in CI).
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must test against PostgreSQL", postgresEnv)
		}
		t.Skipf("%s is not set; set it to a PostgreSQL DSN to test against PostgreSQL", postgresEnv)
	}
	return dsn
}

func postgresBackend() backend {
	return backend{"postgres", func(t testing.TB) store.Store {
		t.Helper()
		dsn := postgresDSN(t)
		db, err := sqlopen.PostgreSQL(dsn)
		require.NoError(t, err)
		_, err = db.Exec(`DROP TABLE IF EXISTS linkwork_events, linkwork_store_head, linkwork_erasures`)
		require.NoError(t, err)
		db.Close()
		s, db, err := openStore(context.Background(), "", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return s
	}}
}

func backends() []backend { return []backend{sqliteBackend(), postgresBackend()} }

// logs captures the request logs of every server the tests start, to
// check at the end that no personal data reached them.
var logs lockedBuffer

// apiSuiteRan says TestAPI ran, so the logs must hold its requests.
var apiSuiteRan atomic.Bool

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The test patients' personal details: none may appear in a log line.
var personal = []string{"Ada", "Lovelace", "9434765919", "943 476 5919", "Grace", "Hopper",
	"4010232137", "SW1A 1AA", "07700 900123", "ada@example.org",
	// the patient of testdata/gp-referral.json, a FHIR Bundle
	"Annie", "ann@example.org", "01632 960001", "AB1 2CD", "Example Street"}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		out := logs.String()
		if apiSuiteRan.Load() && !strings.Contains(out, `"route":"POST /patients"`) {
			fmt.Fprintln(os.Stderr, "PRIV: no request logs were captured, so none were checked")
			code = 1
		}
		for _, s := range personal {
			if strings.Contains(out, s) {
				fmt.Fprintf(os.Stderr, "PRIV: the request logs hold personal data %q\n", s)
				code = 1
			}
		}
	}
	os.Exit(code)
}

// staffs of the test servers: two teams.
type testStaff struct {
	lw1, lw2, sup1, sup2, admin Staff
}

func newTestStaff() testStaff {
	ids := prescribing.RandomIDs()
	return testStaff{
		lw1:   Staff{Token: randomToken(), ID: "lw-1", Role: RoleLinkWorker, LinkWorker: prescribing.NewID[prescribing.LinkWorker](ids), Supervisor: "sup-1"},
		lw2:   Staff{Token: randomToken(), ID: "lw-2", Role: RoleLinkWorker, LinkWorker: prescribing.NewID[prescribing.LinkWorker](ids), Supervisor: "sup-2"},
		sup1:  Staff{Token: randomToken(), ID: "sup-1", Role: RoleSupervisor},
		sup2:  Staff{Token: randomToken(), ID: "sup-2", Role: RoleSupervisor},
		admin: Staff{Token: randomToken(), ID: "admin-1", Role: RoleAdministrator},
	}
}

func (s testStaff) all() []Staff { return []Staff{s.lw1, s.lw2, s.sup1, s.sup2, s.admin} }

// env is a server on the loopback address over a fresh store.
type env struct {
	t     testing.TB
	url   string
	staff testStaff
	srv   *Server
	http  *http.Client
}

func newEnv(t testing.TB, b backend) *env {
	t.Helper()
	st := newTestStaff()
	tokens, err := NewTokens(st.all())
	require.NoError(t, err)
	srv := NewServer(b.open(t), tokens, slog.New(slog.NewJSONHandler(&logs, nil)), nil)
	hs := httptest.NewUnstartedServer(srv)
	hs.Config = newHTTPServer(srv)
	hs.Start()
	t.Cleanup(hs.Close)
	require.True(t, strings.HasPrefix(hs.URL, "http://127.0.0.1:"), hs.URL)
	return &env{t: t, url: hs.URL, staff: st, srv: srv, http: &http.Client{Timeout: 30 * time.Second}}
}

// resp is a response read whole.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), string(r.body))
	return m
}

func (r resp) str(t testing.TB, key string) string {
	t.Helper()
	v, _ := r.json(t)[key].(string)
	return v
}

// do sends a request as who (nil: no token) with a JSON body (a string
// is sent as is) and headers in pairs.
func (e *env) do(who *Staff, method, path string, body any, headers ...string) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(e.t, err)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	require.NoError(e.t, err)
	if who != nil {
		req.Header.Set("Authorization", "Bearer "+who.Token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.http.Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// must sends and requires the status.
func (e *env) must(status int, who *Staff, method, path string, body any, headers ...string) resp {
	e.t.Helper()
	r := e.do(who, method, path, body, headers...)
	require.Equal(e.t, status, r.status, "%s %s: %s", method, path, r.body)
	return r
}

// key is a fresh idempotency key.
func key() string { return randomToken()[:24] }

// update changes a record: reads its ETag with GET, then POSTs with it.
func (e *env) update(status int, who *Staff, get, path string, body any) resp {
	e.t.Helper()
	g := e.must(http.StatusOK, who, "GET", get, nil)
	return e.must(status, who, "POST", path, body, "If-Match", g.header.Get("ETag"))
}

// patientBody is a registration with the test patient's details.
func patientBody(given, family, nhs string) map[string]any {
	return map[string]any{"details": map[string]any{
		"given_name": given, "family_name": family, "nhs_number": nhs,
		"date_of_birth": "1950-12-10T00:00:00Z",
		"contact":       map[string]any{"postcode": "SW1A 1AA", "phone": "07700 900123", "email": "ada@example.org"},
	}}
}

// fixture is a patient with an accepted referral in support, a contact,
// a concern, a holding episode and an asset, all lw1's.
type fixture struct {
	patient, referral, contact, concern, episode, asset string
}

func (e *env) fixture() fixture {
	e.t.Helper()
	st := e.staff
	var f fixture
	f.patient = e.must(201, &st.lw1, "POST", "/patients", patientBody("Ada", "Lovelace", "9434765919"), "Idempotency-Key", key()).str(e.t, "id")
	f.asset = e.must(201, &st.admin, "POST", "/assets", map[string]any{
		"details": map[string]any{"name": "Lunch club", "needs": []string{"social_isolation"}, "places": 10},
		"status":  "active"}, "Idempotency-Key", key()).str(e.t, "id")
	f.referral = e.must(201, &st.lw1, "POST", "/referrals", map[string]any{
		"patient": f.patient, "source": "gp", "referrer": "Dr Example", "needs": []string{"social_isolation"}},
		"Idempotency-Key", key()).str(e.t, "id")
	ref := "/referrals/" + f.referral
	e.update(200, &st.lw1, ref, ref+"/accept", nil)
	e.update(200, &st.lw1, ref, ref+"/first-contact", nil)
	g := e.must(200, &st.lw1, "GET", ref, nil)
	c := e.must(201, &st.lw1, "POST", ref+"/contacts", map[string]any{"mode": "telephone", "minutes": 30, "attended": true},
		"If-Match", g.header.Get("ETag"), "Idempotency-Key", key())
	f.contact = c.json(e.t)["contact"].(map[string]any)["contact"].(map[string]any)["id"].(string)
	e.update(200, &st.lw1, ref, ref+"/start-support", map[string]any{"plan": map[string]any{"needs": []string{"social_isolation"}}})
	f.concern = e.must(201, &st.lw1, "POST", "/concerns", map[string]any{"referral": f.referral, "contact": f.contact},
		"Idempotency-Key", key()).str(e.t, "id")
	f.episode = e.must(201, &st.lw1, "POST", "/holding-episodes", map[string]any{
		"referral": f.referral, "patient": f.patient, "reasons": []string{"awaiting_readiness"},
		"endpoint": map[string]any{"at": time.Now().UTC().AddDate(0, 2, 0).Format(time.RFC3339), "plan": "readiness_milestone"},
	}, "Idempotency-Key", key()).str(e.t, "id")
	return f
}

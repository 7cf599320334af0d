package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/examples/service/internal/browsertest"
)

func journeyPath(lw Staff) string { return "/link-workers/" + lw.LinkWorker.String() + "/journey" }
func supervisionPath(lw Staff) string {
	return "/link-workers/" + lw.LinkWorker.String() + "/supervision"
}

// passage is the passage part of a journey's answer.
func passage(t *testing.T, r resp) map[string]any {
	t.Helper()
	p, ok := r.json(t)["passage"].(map[string]any)
	require.True(t, ok, "the answer has the passage: %s", r.body)
	return p
}

// testJourneys: an administrator starts a link worker's journey (once per
// Idempotency-Key) and records their leaving; the worker and their
// supervisor record its passage (rules LIM-1, LIM-2); If-Match guards
// every change; an administrator reads only the phase.
func testJourneys(t *testing.T, e *env) {
	st := e.staff
	clock := time.Now().UTC() // fixed, so a record read twice answers the same
	e.srv.now = func() time.Time { return clock }
	j := journeyPath(st.lw1)

	e.must(404, &st.lw1, "GET", j, nil)
	e.must(403, &st.lw1, "POST", j, nil, "Idempotency-Key", key())
	e.must(403, &st.sup1, "POST", j, nil, "Idempotency-Key", key())
	e.must(400, &st.admin, "POST", j, nil)
	e.must(400, &st.admin, "POST", j, `{"phase": "liminal"}`, "Idempotency-Key", key())
	e.must(404, &st.admin, "POST", "/link-workers/"+newTestStaff().lw1.LinkWorker.String()+"/journey", nil, "Idempotency-Key", key())

	k := key()
	first := e.must(201, &st.admin, "POST", j, nil, "Idempotency-Key", k)
	assert.Equal(t, j, first.header.Get("Location"))
	assert.Equal(t, `"1"`, first.header.Get("ETag"))
	assert.Equal(t, "separation", first.str(t, "phase"))
	assert.Equal(t, true, first.json(t)["redacted"], "an administrator reads the phase, not the passage")
	again := e.must(201, &st.admin, "POST", j, nil, "Idempotency-Key", k)
	assert.Equal(t, first.body, again.body)
	assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
	e.must(422, &st.admin, "POST", j, `{}`, "Idempotency-Key", k)
	e.must(422, &st.admin, "POST", j, nil, "Idempotency-Key", key()) // begun already

	// Read by the worker and their supervisor, not by another team.
	own := e.must(200, &st.lw1, "GET", j, nil)
	assert.Equal(t, "separation", own.str(t, "phase"))
	assert.NotNil(t, own.json(t)["passage"])
	e.must(200, &st.sup1, "GET", j, nil)
	e.must(403, &st.lw2, "GET", j, nil)
	e.must(403, &st.sup2, "GET", j, nil)

	// LIM-1: themes are noted in a liminal spell only.
	e.update(409, &st.lw1, j, j+"/incorporate", nil)
	e.update(200, &st.lw1, j, j+"/enter-liminal", nil)
	e.update(200, &st.lw1, j, j+"/themes", map[string]any{"theme": "ambiguity"})
	p := passage(t, e.update(200, &st.sup1, j, j+"/themes", map[string]any{"theme": "instability"}))
	assert.Equal(t, []any{"ambiguity", "instability"}, p["present"])
	assert.Equal(t, []any{"ambiguity", "instability"}, p["missing"])
	for _, who := range []*Staff{&st.lw2, &st.sup2, &st.admin} {
		e.must(403, who, "POST", j+"/themes", map[string]any{"theme": "misalignment"}, "If-Match", `"4"`)
	}

	// Strict input: a field of another operation, a value outside the
	// vocabulary, trailing data.
	r := e.update(400, &st.lw1, j, j+"/themes", map[string]any{"theme": "ambiguity", "support": "peer"})
	assert.Contains(t, r.str(t, "error"), `"support"`)
	e.update(400, &st.lw1, j, j+"/themes", map[string]any{"theme": "boredom"})
	e.update(400, &st.lw1, j, j+"/incorporate", `{} {}`)
	e.update(422, &st.lw1, j, j+"/themes", map[string]any{})

	// LIM-2: incorporation needs support against every theme present.
	p = passage(t, e.update(200, &st.sup1, j, j+"/support", map[string]any{"support": "peer", "themes": []string{"ambiguity"}}))
	assert.Equal(t, []any{"instability"}, p["missing"])
	before := e.must(200, &st.lw1, "GET", j, nil)
	r = e.update(422, &st.lw1, j, j+"/incorporate", nil)
	assert.Contains(t, r.str(t, "error"), "not addressed")
	assert.Equal(t, before.body, e.must(200, &st.lw1, "GET", j, nil).body, "a refused incorporation changes nothing")
	e.update(200, &st.lw1, j, j+"/support", map[string]any{"support": "supervision", "themes": []string{"instability"}})
	inc := e.update(200, &st.lw1, j, j+"/incorporate", nil)
	assert.Equal(t, "incorporated", inc.str(t, "phase"))
	assert.Empty(t, passage(t, inc)["missing"])

	// ETag and If-Match: missing 428, stale 409, and nothing changes.
	tag := inc.header.Get("ETag")
	e.must(428, &st.lw1, "POST", j+"/disrupt", map[string]any{"disruption": "referral_surge"})
	e.must(200, &st.lw1, "POST", j+"/disrupt", map[string]any{"disruption": "referral_surge"}, "If-Match", tag)
	after := e.must(200, &st.lw1, "GET", j, nil)
	e.must(409, &st.sup1, "POST", j+"/disrupt", map[string]any{"disruption": "new_practice"}, "If-Match", tag)
	assert.Equal(t, after.body, e.must(200, &st.lw1, "GET", j, nil).body, "a stale write changes nothing")
	p = passage(t, after)
	assert.Equal(t, "liminal", after.str(t, "phase"), "LIM-1: a disruption moves an incorporated worker back")
	assert.Equal(t, []any{"misalignment"}, p["missing"], "the referral surge raises misalignment")
	assert.Equal(t, float64(1), p["disruptions"])

	// Leaving the role is the administrator's to record.
	e.update(403, &st.lw1, j, j+"/leave", nil)
	red := e.must(200, &st.admin, "GET", j, nil)
	assert.NotContains(t, string(red.body), "passage")
	assert.NotContains(t, string(red.body), "misalignment")
	left := e.update(200, &st.admin, j, j+"/leave", nil)
	assert.Equal(t, "left", left.str(t, "phase"))
	e.update(409, &st.admin, j, j+"/leave", nil)

	// The audit trail names who did what.
	au := e.must(200, &st.sup1, "GET", "/audit?stream=journey/"+st.lw1.LinkWorker.String(), nil).json2(t)
	var actors []string
	for _, a := range au {
		actors = append(actors, a["actor"].(string))
	}
	assert.Equal(t, []string{"admin-1", "lw-1", "lw-1", "sup-1", "sup-1", "lw-1", "lw-1", "lw-1", "admin-1"}, actors)
	e.must(403, &st.sup2, "GET", "/audit?stream=journey/"+st.lw1.LinkWorker.String(), nil)
}

// testSupervision: an administrator agrees, changes and ends a link
// worker's supervision; the supervisor records the sessions they hold; a
// session is overdue one instant after it falls due, not at it (rule
// SUP-1).
func testSupervision(t *testing.T, e *env) {
	st := e.staff
	clock := time.Now().UTC()
	e.srv.now = func() time.Time { return clock }
	s := supervisionPath(st.lw1)

	e.must(404, &st.lw1, "GET", s, nil)
	e.must(403, &st.sup1, "POST", s, map[string]any{"supervisor": st.sup1.ID, "every_days": 28}, "Idempotency-Key", key())
	e.must(422, &st.admin, "POST", s, map[string]any{"supervisor": st.lw2.ID, "every_days": 28}, "Idempotency-Key", key())
	e.must(422, &st.admin, "POST", s, map[string]any{"supervisor": st.sup1.ID, "every_days": 0}, "Idempotency-Key", key())
	e.must(422, &st.admin, "POST", s, map[string]any{"supervisor": st.sup1.ID, "every_days": 367}, "Idempotency-Key", key())
	r := e.must(400, &st.admin, "POST", s, map[string]any{"supervisor": st.sup1.ID, "every_days": 28, "reason": "x"}, "Idempotency-Key", key())
	assert.Contains(t, r.str(t, "error"), `"reason"`)
	e.must(404, &st.lw1, "GET", s, nil) // nothing refused was stored

	k := key()
	body := map[string]any{"supervisor": st.sup1.ID, "every_days": 28}
	first := e.must(201, &st.admin, "POST", s, body, "Idempotency-Key", k)
	assert.Equal(t, s, first.header.Get("Location"))
	again := e.must(201, &st.admin, "POST", s, body, "Idempotency-Key", k)
	assert.Equal(t, first.body, again.body)
	assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
	e.must(422, &st.admin, "POST", s, body, "Idempotency-Key", key()) // agreed already
	v := e.must(200, &st.lw1, "GET", s, nil).json(t)
	assert.Equal(t, "sup-1", v["supervisor"])
	assert.Equal(t, float64(28), v["every_days"])
	assert.Equal(t, false, v["overdue"])
	e.must(200, &st.sup1, "GET", s, nil)
	e.must(403, &st.sup2, "GET", s, nil)
	e.must(403, &st.lw2, "GET", s, nil)

	// SUP-1: overdue one instant after the due time, not at it.
	due, err := time.Parse(time.RFC3339Nano, v["due"].(string))
	require.NoError(t, err)
	assert.Equal(t, clock.AddDate(0, 0, 28), due)
	clock = due
	assert.Equal(t, false, e.must(200, &st.sup1, "GET", s, nil).json(t)["overdue"])
	clock = due.Add(time.Nanosecond)
	assert.Equal(t, true, e.must(200, &st.sup1, "GET", s, nil).json(t)["overdue"])

	// Sessions are the current supervisor's to record.
	e.update(403, &st.lw1, s, s+"/sessions", nil)
	held := e.update(200, &st.sup1, s, s+"/sessions", nil).json(t)
	assert.Equal(t, float64(1), held["sessions"])
	assert.Equal(t, false, held["overdue"])
	e.must(403, &st.sup2, "POST", s+"/sessions", nil, "If-Match", `"2"`)

	// Changes: a new frequency, a new supervisor; one that changes
	// nothing is refused; stale If-Match is 409.
	tag := e.must(200, &st.admin, "GET", s, nil).header.Get("ETag")
	ch := e.must(200, &st.admin, "POST", s+"/change", map[string]any{"every_days": 14}, "If-Match", tag).json(t)
	assert.Equal(t, float64(14), ch["every_days"])
	assert.Equal(t, "sup-1", ch["supervisor"])
	e.must(409, &st.admin, "POST", s+"/change", map[string]any{"every_days": 7}, "If-Match", tag)
	e.update(422, &st.admin, s, s+"/change", map[string]any{"every_days": 14})
	e.update(422, &st.admin, s, s+"/change", map[string]any{"supervisor": "nobody"})
	e.update(403, &st.sup1, s, s+"/change", map[string]any{"every_days": 7})
	ch = e.update(200, &st.admin, s, s+"/change", map[string]any{"supervisor": st.sup2.ID}).json(t)
	assert.Equal(t, "sup-2", ch["supervisor"])
	r = e.update(422, &st.sup1, s, s+"/sessions", nil)
	assert.Contains(t, r.str(t, "error"), "not the current supervisor")
	e.update(200, &st.admin, s, s+"/change", map[string]any{"supervisor": st.sup1.ID})

	// The end: a reason, once; nothing is due after it.
	e.update(422, &st.admin, s, s+"/end", map[string]any{"reason": "   "})
	e.update(400, &st.admin, s, s+"/end", map[string]any{"reason": "moved", "at": "2026-01-01T00:00:00Z"})
	e.update(403, &st.sup1, s, s+"/end", map[string]any{"reason": "moved"})
	end := e.update(200, &st.admin, s, s+"/end", map[string]any{"reason": "moved to another team"})
	assert.Equal(t, true, end.json(t)["ended"])
	assert.NotContains(t, string(end.body), "moved to another team", "the reason is not shown")
	assert.Nil(t, end.json(t)["due"])
	e.update(409, &st.admin, s, s+"/end", map[string]any{"reason": "again"})
	e.update(409, &st.sup1, s, s+"/sessions", nil)

	au := e.must(200, &st.admin, "GET", "/audit?stream=supervision/"+st.lw1.LinkWorker.String(), nil).json2(t)
	require.Len(t, au, 6, "agreed, a session, three changes, ended")
	assert.Equal(t, "sup-1", au[1]["actor"])
	e.must(200, &st.sup1, "GET", "/audit?stream=supervision/"+st.lw1.LinkWorker.String(), nil)
	e.must(403, &st.sup2, "GET", "/audit?stream=supervision/"+st.lw1.LinkWorker.String(), nil)
}

// testSupervisionPageJourneys: the supervision page shows each worker's
// liminal phase and since when (LIM-1), whether the spell is prolonged
// (LIM-3), the support still missing (LIM-2), and whether a supervision
// session is overdue (SUP-1), from the journeys and supervision recorded
// through the API; a worker without them reads "not recorded".
func testSupervisionPageJourneys(t *testing.T, e *env) {
	st := e.staff
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := start
	e.srv.now = func() time.Time { return clock }
	page := "/supervision/" + st.sup1.ID
	row := func() string {
		t.Helper()
		rows := browsertest.Rows(t, string(e.must(200, &st.sup1, "GET", page, nil).body), "team")
		require.Len(t, rows, 1)
		require.True(t, strings.HasPrefix(rows[0], "lw-1 "), rows[0])
		return rows[0]
	}
	assert.Contains(t, row(), "not recorded")
	assert.Contains(t, row(), "not agreed")

	j := journeyPath(st.lw1)
	e.must(201, &st.admin, "POST", j, nil, "Idempotency-Key", key())
	e.must(201, &st.admin, "POST", supervisionPath(st.lw1), map[string]any{"supervisor": st.sup1.ID, "every_days": 28}, "Idempotency-Key", key())
	e.update(200, &st.lw1, j, j+"/enter-liminal", nil)
	e.update(200, &st.lw1, j, j+"/themes", map[string]any{"theme": "ambiguity"})
	e.update(200, &st.lw1, j, j+"/themes", map[string]any{"theme": "disconnection"})
	e.update(200, &st.sup1, j, j+"/support", map[string]any{"support": "peer", "themes": []string{"disconnection"}})

	got := row()
	assert.Contains(t, got, "liminal since 2 Mar 2026")
	assert.Contains(t, got, "Ambiguity about the role", "support still missing")
	assert.NotContains(t, got, "Disconnection through place and space", "support recorded against it")
	assert.NotContains(t, got, "Prolonged")
	assert.Contains(t, got, "every 28 days, next due 30 Mar 2026")
	assert.NotContains(t, got, "Overdue")

	// LIM-3 and SUP-1: six months on the spell is not yet prolonged; an
	// instant later it is, and the session is long overdue.
	clock = start.AddDate(0, 6, 0)
	assert.NotContains(t, row(), "Prolonged")
	clock = start.AddDate(0, 6, 0).Add(time.Nanosecond)
	got = row()
	assert.Contains(t, got, "Prolonged")
	assert.Contains(t, got, "Overdue")
	body := string(e.must(200, &st.sup1, "GET", page, nil).body)
	assert.Contains(t, body, "1 in a prolonged liminal spell")
	assert.Contains(t, body, "1 with a supervision session overdue")

	// Support against the last theme: nothing missing.
	e.update(200, &st.sup1, j, j+"/support", map[string]any{"support": "supervision", "themes": []string{"ambiguity"}})
	assert.Contains(t, row(), "None")

	// sup-2's team (lw-2) has no journey recorded, and nothing of lw-1's.
	other := browsertest.Rows(t, string(e.must(200, &st.sup2, "GET", "/supervision/"+st.sup2.ID, nil).body), "team")
	require.Len(t, other, 1)
	assert.Contains(t, other[0], "not recorded")
	assert.Contains(t, other[0], "not agreed")
}

package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/examples/service/internal/browsertest"
)

// TestBrowser_CaseloadPageEndToEnd starts the real service on 127.0.0.1
// (its handler and http.Server settings, over a SQLite store), fills it
// through the API as link worker lw-1 (two open cases, one held in a
// holding episode now past its endpoint, one connected with its follow-up
// overdue: rules HOLD-4 and FOLLOW-1), and opens lw-1's caseload page in
// headless chromium through page links the worker asked for with their
// bearer token. The DOM chromium built must hold the page's tables with
// the seeded rows, names shown to the worker (rule PRIV-1), and the
// screenshot must paint them. Without chromium it skips, except under
// CI=true, where it fails.
func TestBrowser_CaseloadPageEndToEnd(t *testing.T) {
	bin := browsertest.Chromium(t)
	e := newEnv(t, sqliteBackend())
	st := e.staff
	s := seedPages(t, e)
	page := "/caseload/" + st.lw1.LinkWorker.String()
	link := func() string {
		t.Helper()
		return e.url + e.must(201, &st.lw1, "POST", "/page-links", map[string]any{"page": page}).str(t, "url")
	}

	// The DOM.
	u := link()
	dom := string(browsertest.Run(t, bin, "--dump-dom", u))
	e.must(401, nil, "GET", strings.TrimPrefix(u, e.url), nil) // chromium spent the link
	require.Contains(t, dom, `<html lang="en-GB">`)
	require.Contains(t, dom, "<h1>Caseload of lw-1</h1>")
	cases := browsertest.Rows(t, dom, "open-cases")
	require.Len(t, cases, 2)
	var shorts []string
	for _, row := range cases {
		shorts = append(shorts, row[:8])
		assert.Contains(t, row, " Ada Lovelace ", "the worker sees their own patient's name")
	}
	assert.ElementsMatch(t, []string{s.referral[:8], s.connected[:8]}, shorts)
	held := browsertest.Rows(t, dom, "holding-episodes")
	require.Len(t, held, 1)
	assert.True(t, strings.HasPrefix(held[0], s.episode[:8]+" Ada Lovelace Waiting until ready"), held[0])
	assert.Contains(t, held[0], "Overdue")
	late := browsertest.Rows(t, dom, "overdue-items")
	require.Len(t, late, 2)
	assert.True(t, strings.HasPrefix(late[0], "Follow-up "+s.connected[:8]+" Ada Lovelace Follow up the connection to Lunch club"), late[0])
	assert.True(t, strings.HasPrefix(late[1], "Holding review "+s.referral[:8]+" Ada Lovelace"), late[1])

	// The screenshot.
	shot := filepath.Join(t.TempDir(), "caseload.png")
	browsertest.Run(t, bin, "--screenshot="+shot, browsertest.WindowSize, link())
	raw, err := os.ReadFile(shot)
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(raw))
	require.NoError(t, err, "the screenshot is a valid PNG")
	require.Equal(t, browsertest.ShotBounds, img.Bounds())
	browsertest.CheckPaintsTable(t, img, len(cases))
}

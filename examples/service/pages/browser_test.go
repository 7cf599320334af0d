package pages

import (
	"bytes"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialprescribing/linkwork/examples/service/internal/browsertest"
)

// The browser test renders the pages in a real headless browser, Debian's
// chromium: the page the server writes must parse into the tables the views
// describe and paint them. Without chromium it skips, except under CI=true,
// where it fails: CI must not pass by skipping.

// servePages serves the fixture's pages on the loopback address, as the
// service would, and counts the requests.
func servePages(t *testing.T, f *fixture, requests *atomic.Int32) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /caseload", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := RenderCaseload(w, f.caseload(false)); err != nil {
			http.Error(w, "render failed", http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("GET /supervision", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := RenderSupervision(w, f.supervision()); err != nil {
			http.Error(w, "render failed", http.StatusInternalServerError)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", u.Hostname(), "the test serves on the loopback address only")
	return srv
}

func TestBrowserRendersTheCaseloadAndSupervisionTables(t *testing.T) {
	bin := browsertest.Chromium(t)
	f := newFixture(t)
	var requests atomic.Int32
	srv := servePages(t, f, &requests)

	cv, sv := f.caseload(false), f.supervision()
	for _, c := range []struct {
		page, table string
		firstCells  []string // the row header of each row, in order
		save        string   // where -update keeps the screenshot
	}{
		{"caseload", "open-cases", func() (out []string) {
			for _, r := range cv.Cases {
				out = append(out, r.ReferralShort)
			}
			return
		}(), "caseload.png"},
		{"supervision", "team", func() (out []string) {
			for _, r := range sv.Workers {
				out = append(out, r.Name)
			}
			return
		}(), ""},
	} {
		t.Run(c.page, func(t *testing.T) {
			pageURL := srv.URL + "/" + c.page
			before := requests.Load()

			// The DOM chromium built holds the table with the view's rows.
			dom := string(browsertest.Run(t, bin, "--dump-dom", pageURL))
			assert.Greater(t, requests.Load(), before, "chromium fetched the page from the test server")
			require.Contains(t, dom, `<html lang="en-GB">`)
			require.Contains(t, dom, `<table id="`+c.table+`">`, "the DOM has the table")
			got := browsertest.Rows(t, dom, c.table)
			require.Len(t, got, len(c.firstCells), "one row per %s row", c.page)
			for i, cell := range c.firstCells {
				assert.True(t, strings.HasPrefix(got[i], cell+" "), "row %d is %q, want it to start with %q", i, got[i], cell)
			}
			assert.NotContains(t, dom, "Example", "no names in a page that may not show them")

			// The screenshot is a PNG of the window's size that paints the table.
			shot := filepath.Join(t.TempDir(), c.page+".png")
			browsertest.Run(t, bin, "--screenshot="+shot, browsertest.WindowSize, pageURL)
			raw, err := os.ReadFile(shot)
			require.NoError(t, err)
			img, err := png.Decode(bytes.NewReader(raw))
			require.NoError(t, err, "the screenshot is a valid PNG")
			require.Equal(t, browsertest.ShotBounds, img.Bounds())
			browsertest.CheckPaintsTable(t, img, len(c.firstCells))

			if *update && c.save != "" {
				require.NoError(t, os.WriteFile(filepath.Join("testdata", c.save), raw, 0o644))
			}
		})
	}
}

package pages

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The browser test renders the pages in a real headless browser, Debian's
// chromium: the page the server writes must parse into the tables the views
// describe and paint them. Without chromium it skips, except under CI=true,
// where it fails: CI must not pass by skipping.

const shotWidth, shotHeight = 1280, 900

// headerBlue is the table headers' background (thead th in layout.html).
var headerBlue = color.RGBA{0x1d, 0x3f, 0x72, 0xff}

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; CI=true needs it (Debian: apt-get install chromium)")
	}
	t.Skip("chromium is not installed (Debian: apt-get install chromium); CI=true makes this a failure")
	return ""
}

// runChromium runs headless chromium with the given arguments and returns
// what it writes to standard output.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	home := t.TempDir()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
		"--force-color-profile=srgb", "--user-data-dir=" + filepath.Join(home, "profile"),
	}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, err, "chromium %v: %s", args, tail(stderr.String(), 2000))
	return stdout.Bytes()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

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
	bin := chromium(t)
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
			dom := string(runChromium(t, bin, "--dump-dom", pageURL))
			assert.Greater(t, requests.Load(), before, "chromium fetched the page from the test server")
			require.Contains(t, dom, `<html lang="en-GB">`)
			require.Contains(t, dom, `<table id="`+c.table+`">`, "the DOM has the table")
			got := rows(t, dom, c.table)
			require.Len(t, got, len(c.firstCells), "one row per %s row", c.page)
			for i, cell := range c.firstCells {
				assert.True(t, strings.HasPrefix(got[i], cell+" "), "row %d is %q, want it to start with %q", i, got[i], cell)
			}
			assert.NotContains(t, dom, "Example", "no names in a page that may not show them")

			// The screenshot is a PNG of the window's size that paints the table.
			shot := filepath.Join(t.TempDir(), c.page+".png")
			runChromium(t, bin, "--screenshot="+shot, "--window-size=1280,900", pageURL)
			raw, err := os.ReadFile(shot)
			require.NoError(t, err)
			img, err := png.Decode(bytes.NewReader(raw))
			require.NoError(t, err, "the screenshot is a valid PNG")
			require.Equal(t, image.Rect(0, 0, shotWidth, shotHeight), img.Bounds())
			checkPaintsTable(t, img, len(c.firstCells))

			if *update && c.save != "" {
				require.NoError(t, os.WriteFile(filepath.Join("testdata", c.save), raw, 0o644))
			}
		})
	}
}

// checkPaintsTable checks a screenshot shows a table: a band of the header
// colour across most of the width, and below it at least rows rows of
// painted (non-white) content, in a page that is not blank.
func checkPaintsTable(t *testing.T, img image.Image, rows int) {
	t.Helper()
	b := img.Bounds()
	colours := map[color.RGBA]bool{}
	nonWhite := 0
	// The first header band: the first screen row where header blue spans
	// more than half the width.
	headerTop, headerBottom := -1, -1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		blue := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colours[c] = true
			if c != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
				nonWhite++
			}
			if near(c, headerBlue) {
				blue++
			}
		}
		wide := blue > b.Dx()/2
		switch {
		case wide && headerTop < 0:
			headerTop = y
		case !wide && headerTop >= 0 && headerBottom < 0:
			headerBottom = y
		}
	}
	assert.Greater(t, len(colours), 16, "a page with text and a table has many colours")
	assert.Greater(t, nonWhite, b.Dx()*b.Dy()/50, "the page is not blank")
	require.GreaterOrEqual(t, headerTop, 0, "no table header band in the screenshot")
	require.Greater(t, headerBottom, headerTop)
	assert.Less(t, headerTop, b.Dy()/2, "the first table starts in the top half")

	// The table's area runs from below the header band to the first screen
	// row that is all white (inside the table the side borders are always
	// painted). In it, each body row ends in a horizontal border (grey
	// across most of the width), and the rows hold painted text.
	borders, inkRows := 0, 0
	for y := headerBottom; y < b.Max.Y; y++ {
		grey, ink, white := 0, 0, 0
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			switch {
			case c == color.RGBA{0xff, 0xff, 0xff, 0xff}:
				white++
			case near(c, color.RGBA{0xb1, 0xb4, 0xb6, 0xff}):
				grey++
			case c.R < 0x80 && c.G < 0x80 && c.B < 0x80:
				ink++
			}
		}
		if white == b.Dx() {
			break
		}
		if grey > b.Dx()/2 {
			borders++
		}
		if ink > 0 {
			inkRows++
		}
	}
	assert.GreaterOrEqual(t, borders, rows, "a border line under each of the %d rows", rows)
	assert.Greater(t, inkRows, 10*rows, "text painted in the table's rows")
}

// near reports whether two colours differ by at most 3 in each channel.
func near(a, b color.RGBA) bool {
	d := func(x, y uint8) bool { return x-y <= 3 || y-x <= 3 }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

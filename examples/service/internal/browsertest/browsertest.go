// Package browsertest drives Debian's chromium, headless, for the
// service's browser tests: it finds the browser (skipping without it, and
// failing under CI=true, where a skip must not pass), runs it, reads the
// rows of a table from the DOM it dumps and checks a screenshot paints a
// table. It is test support, imported only by tests.
package browsertest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ShotWidth and ShotHeight are the screenshot's size (WindowSize).
const ShotWidth, ShotHeight = 1280, 900

// WindowSize is the chromium flag for a screenshot of ShotWidth by
// ShotHeight.
const WindowSize = "--window-size=1280,900"

// headerBlue is the table headers' background (thead th in the pages'
// layout.html).
var headerBlue = color.RGBA{0x1d, 0x3f, 0x72, 0xff}

// ShotBounds is the bounds a screenshot must have.
var ShotBounds = image.Rect(0, 0, ShotWidth, ShotHeight)

// Chromium returns the path of chromium. Without it the test skips, except
// under CI=true, where it fails.
func Chromium(t testing.TB) string {
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

// Run runs headless chromium with the given arguments and returns
// what it writes to standard output.
func Run(t testing.TB, bin string, args ...string) []byte {
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

// Rows returns the text of each body row of the table with the given id in
// an HTML page, its cells' text joined by single spaces.
func Rows(t testing.TB, page, id string) []string {
	t.Helper()
	start := strings.Index(page, `<table id="`+id+`">`)
	require.GreaterOrEqual(t, start, 0, "no table %q", id)
	table := page[start:]
	end := strings.Index(table, "</table>")
	require.GreaterOrEqual(t, end, 0, "table %q does not end", id)
	table = table[:end]
	b := strings.Index(table, "<tbody>")
	require.GreaterOrEqual(t, b, 0, "table %q has no body", id)
	var out []string
	for _, tr := range regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`).FindAllStringSubmatch(table[b:], -1) {
		text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(tr[1], " ")
		out = append(out, strings.Join(strings.Fields(text), " "))
	}
	return out
}

// CheckPaintsTable checks a screenshot shows a table: a band of the header
// colour across most of the width, and below it at least rows rows of
// painted (non-white) content, in a page that is not blank.
func CheckPaintsTable(t testing.TB, img image.Image, rows int) {
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

package main

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// series is a small -series output of two arms, three replications each.
const series = `supervised_share,replication,day,waiting,open_cases
0.2,0,0,10,40
0.8,0,0,8,38
0.2,0,30,12,41
0.8,0,30,7,36
0.2,1,0,11,42
0.8,1,0,9,40
0.2,1,30,14,44
0.8,1,30,8,37
0.2,2,0,9,39
0.8,2,0,8,39
0.2,2,30,13,43
0.8,2,30,6,35
`

func TestReadGivesEachArmsMeanAndIntervalByDay(t *testing.T) {
	bands, err := read(strings.NewReader(series), "waiting")
	require.NoError(t, err)
	require.Len(t, bands, 2)
	assert.Equal(t, "supervised_share 0.2", bands[0].arm)
	assert.Equal(t, []float64{0, 30}, bands[0].days)
	e := bands[0].estimates[1] // 12, 14, 13
	assert.Equal(t, 3, e.N)
	assert.InDelta(t, 13, e.Mean, 1e-12)
	assert.InDelta(t, 13-4.302652730/math.Sqrt(3), e.Low, 1e-8, "t(0.975, 2) x sd 1 / sqrt 3")
	assert.InDelta(t, 7, bands[1].estimates[1].Mean, 1e-12)

	one, err := read(strings.NewReader("replication,day,waiting\n0,0,3\n0,30,4\n"), "waiting")
	require.NoError(t, err)
	require.Len(t, one, 1)
	assert.Equal(t, "", one[0].arm, "no arm columns: one arm")
}

func TestReadRefusesWhatIsNotASeries(t *testing.T) {
	for in, want := range map[string]string{
		"":                                   "no rows",
		"a,b\n1,2\n":                         "no replication and day",
		"replication,day,waiting\n0,0,x\n":   "must be finite numbers",
		"replication,day,waiting\n0,0,1,2\n": "reading the series",
		"replication,day,queue\n0,0,1\n":     `"waiting" is not a column`,
		"waiting,replication,day\n1,0,0\n":   `"waiting" is not a column`,
	} {
		_, err := read(strings.NewReader(in), "waiting")
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
}

func TestRenderWritesAPNGOfTheSizeAsked(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "series.csv")
	require.NoError(t, os.WriteFile(in, []byte(series), 0o644))
	out := filepath.Join(dir, "waiting.png")
	var errs bytes.Buffer
	require.Equal(t, 0, run([]string{"-in", in, "-out", out, "-width", "4", "-height", "3"}, nil, &errs), errs.String())
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	require.NoError(t, err, "a valid PNG")
	assert.Equal(t, 4*96, cfg.Width)
	assert.Equal(t, 3*96, cfg.Height)
	_, err = f.Seek(0, 0)
	require.NoError(t, err)
	img, err := png.Decode(f)
	require.NoError(t, err)
	// Something is drawn: not every pixel is the background.
	bg := img.At(0, 0)
	drawn := 0
	for y := 0; y < cfg.Height; y += 4 {
		for x := 0; x < cfg.Width; x += 4 {
			if img.At(x, y) != bg {
				drawn++
			}
		}
	}
	assert.Greater(t, drawn, 100)
}

func TestRenderWritesAnSVGOfTheSizeAsked(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "open.svg")
	var errs bytes.Buffer
	require.Equal(t, 0, run([]string{"-column", "open_cases", "-out", out, "-width", "5", "-height", "2.5", "-title", "Open cases"},
		strings.NewReader(series), &errs), errs.String())
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var doc struct {
		XMLName xml.Name
		Width   string `xml:"width,attr"`
		Height  string `xml:"height,attr"`
	}
	require.NoError(t, xml.Unmarshal(b, &doc), "valid XML")
	assert.Equal(t, "svg", doc.XMLName.Local)
	assert.Equal(t, "360pt", doc.Width, "5 inches")
	assert.Equal(t, "180pt", doc.Height, "2.5 inches")
	assert.Contains(t, string(b), "Open cases")
	assert.Contains(t, string(b), "supervised_share 0.8")
}

func TestBadFlagsExitWithOneLine(t *testing.T) {
	for _, args := range [][]string{{"-out", "x.jpg"}, {"-width", "0"}, {"-in", "/no/such/file"}, {"-nope"}} {
		var errs bytes.Buffer
		assert.Equal(t, 2, run(args, strings.NewReader(series), &errs), "%v", args)
		assert.Equal(t, 1, strings.Count(errs.String(), "\n"), "%v: %s", args, errs.String())
	}
}

// FuzzRead reads arbitrary bytes as a series: it refuses them with an
// error or gives bands whose days are sorted and whose estimates count
// every row once.
func FuzzRead(f *testing.F) {
	f.Add([]byte(series))
	f.Add([]byte("replication,day,waiting\n0,0,3\n"))
	f.Add([]byte("a,replication,day,waiting\n\"x,y\",0,1e300,NaN\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		bands, err := read(bytes.NewReader(data), "waiting")
		if err != nil {
			return
		}
		rows := 0
		for _, b := range bands {
			require.Len(t, b.estimates, len(b.days))
			for i := 1; i < len(b.days); i++ {
				assert.Less(t, b.days[i-1], b.days[i])
			}
			for _, e := range b.estimates {
				rows += e.N
			}
		}
		all, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		require.NoError(t, err)
		assert.Equal(t, len(all)-1, rows, "every row once")
	})
}

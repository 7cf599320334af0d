// Command plot draws the time series that the simulation command writes
// with -series: for each arm, the mean of one column over the
// replications at each day, with its 95% confidence interval as a band.
//
//	go run ./examples/simulation -scenario region -replications 10 \
//	    -sweep supervised_share=0.2,0.8 -format summary-csv -series series.csv
//	cd examples/plot && go run . -in ../../series.csv -column waiting -out waiting.png
//
// Flags:
//
//	-in FILE        the series CSV (default: standard input)
//	-out FILE       the picture: .png or .svg (default waiting.png)
//	-column NAME    the series column to draw (default waiting)
//	-title TEXT     the title (default: the column's name)
//	-width, -height the picture's size in inches (default 6 by 4; PNG at
//	                96 dots an inch)
//
// The arms are the columns before "replication" (the -sweep keys); a
// series without them is one arm. The interval at each day is the t
// interval over the replications that have a point there
// (simulation.Estimated); with one replication there is no band.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/socialprescribing/linkwork/simulation"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stderr)) }

func run(args []string, stdin io.Reader, stderr io.Writer) int {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	in := fs.String("in", "", "the series CSV written by the simulation command's -series (default: standard input)")
	out := fs.String("out", "waiting.png", "the picture to write: a name ending in .png or .svg")
	column := fs.String("column", "waiting", "the series column to draw")
	title := fs.String("title", "", "the title (default: the column's name)")
	width := fs.Float64("width", 6, "width in inches")
	height := fs.Float64("height", 4, "height in inches")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "plot: "+format+"\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return 0
		}
		return fail("%v", err)
	}
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	if format != "png" && format != "svg" {
		return fail("-out must end in .png or .svg, got %q", *out)
	}
	if !(*width > 0 && *width <= 100 && *height > 0 && *height <= 100) {
		return fail("-width and -height must be more than 0 and at most 100 inches")
	}
	src := stdin
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			return fail("-in: %v", err)
		}
		defer f.Close()
		src = f
	}
	bands, err := read(src, *column)
	if err != nil {
		return fail("%v", err)
	}
	if *title == "" {
		*title = *column
	}
	var b bytes.Buffer
	if err := draw(&b, bands, *title, *column, format, vg.Length(*width)*vg.Inch, vg.Length(*height)*vg.Inch); err != nil {
		return fail("%v", err)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "plot: %v\n", err)
		return 1
	}
	return 0
}

// band is one arm's series: by day, the mean of the column over the
// replications and its 95% interval.
type band struct {
	arm       string
	days      []float64
	estimates []simulation.Estimate
}

// read reads a series CSV and returns a band per arm, in the order the
// arms first appear.
func read(r io.Reader, column string) ([]band, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading the series: %w", err)
	}
	if len(rows) < 2 {
		return nil, errors.New("the series has no rows")
	}
	header := rows[0]
	rep := slices.Index(header, "replication")
	day := slices.Index(header, "day")
	col := slices.Index(header, column)
	switch {
	case rep < 0 || day < 0:
		return nil, errors.New("the series has no replication and day columns: is it the simulation command's -series?")
	case col < 0 || col < day:
		return nil, fmt.Errorf("-column %q is not a column of the series (have %s)", column, strings.Join(header[day+1:], ", "))
	}
	type key struct {
		arm string
		day float64
	}
	values := map[key][]float64{}
	var arms []string
	daysOf := map[string][]float64{}
	for i, row := range rows[1:] {
		var names []string
		for j := range rep {
			names = append(names, header[j]+" "+row[j])
		}
		arm := strings.Join(names, ", ")
		d, err1 := strconv.ParseFloat(row[day], 64)
		v, err2 := strconv.ParseFloat(row[col], 64)
		if err1 != nil || err2 != nil || math.IsInf(d, 0) || math.IsNaN(d) || math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, fmt.Errorf("row %d: day and %s must be finite numbers", i+2, column)
		}
		if _, ok := daysOf[arm]; !ok {
			arms = append(arms, arm)
		}
		k := key{arm, d}
		if _, ok := values[k]; !ok {
			daysOf[arm] = append(daysOf[arm], d)
		}
		values[k] = append(values[k], v)
	}
	out := make([]band, len(arms))
	for i, arm := range arms {
		days := slices.Clone(daysOf[arm])
		slices.Sort(days)
		out[i] = band{arm: arm, days: days}
		for _, d := range days {
			out[i].estimates = append(out[i].estimates, simulation.Estimated(values[key{arm, d}]))
		}
	}
	return out, nil
}

// palette gives the arms their colours (Okabe and Ito's, which readers
// with colour blindness can tell apart).
var palette = []color.NRGBA{
	{0, 114, 178, 255}, {213, 94, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{230, 159, 0, 255}, {86, 180, 233, 255}, {240, 228, 66, 255}, {0, 0, 0, 255},
}

// draw writes the bands as a picture in format (png or svg).
func draw(w io.Writer, bands []band, title, column, format string, width, height vg.Length) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "day of the measured window"
	p.Y.Label.Text = column + " (mean and 95% CI)"
	p.Add(plotter.NewGrid())
	for i, b := range bands {
		c := palette[i%len(palette)]
		var mean, lo, hi plotter.XYs
		for j, d := range b.days {
			e := b.estimates[j]
			mean = append(mean, plotter.XY{X: d, Y: e.Mean})
			if !math.IsNaN(e.Low) {
				lo = append(lo, plotter.XY{X: d, Y: e.Low})
				hi = append(hi, plotter.XY{X: d, Y: e.High})
			}
		}
		if len(lo) > 1 {
			ring := append(slices.Clone(lo), reversed(hi)...)
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				return err
			}
			fill := c
			fill.A = 60
			poly.Color = fill
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		line, err := plotter.NewLine(mean)
		if err != nil {
			return err
		}
		line.Color = c
		line.Width = vg.Points(1.5)
		p.Add(line)
		name := b.arm
		if name == "" {
			name = "mean"
		}
		p.Legend.Add(name, line)
	}
	p.Legend.Top, p.Legend.Left = true, true // series mostly start low
	wt, err := p.WriterTo(width, height, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

func reversed(xs plotter.XYs) plotter.XYs {
	out := slices.Clone(xs)
	slices.Reverse(out)
	return out
}

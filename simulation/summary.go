package simulation

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Summary gathers a run's rows arm by arm and gives, for each measured
// column ([Column].Measure) and each arm, the mean over the replications
// with its 95% confidence interval (Student's t, [Estimated]) and their
// number. With exactly two arms it also gives the paired difference,
// second arm minus first, taken replication by replication over the
// replications both arms have: arms run with the same seeds share their
// random numbers, so the difference's interval is narrower than the two
// arms' intervals suggest.
//
// A Summary is not safe for concurrent use.
type Summary struct {
	params [][]Column
	keys   []string
	reps   [][]int       // by arm: the replications added, in order
	vals   [][][]float64 // by arm, by row added: the measured values
}

// NewSummary returns a summary of the arms whose parameters are given, in
// the order of their numbers; no arms, or nil, means one arm without
// parameters.
func NewSummary(arms [][]Column) *Summary {
	if len(arms) == 0 {
		arms = [][]Column{nil}
	}
	return &Summary{params: arms, reps: make([][]int, len(arms)), vals: make([][][]float64, len(arms))}
}

// Add adds the row of a replication of an arm. Its measured columns must
// be the first row's, in the same order (else an error wrapping
// [ErrColumns]), and hold numbers.
func (s *Summary) Add(arm, replication int, row []Column) error {
	if arm < 0 || arm >= len(s.params) {
		return fmt.Errorf("%w: arm %d of %d", ErrColumns, arm, len(s.params))
	}
	var keys []string
	var vals []float64
	for _, c := range row {
		if !c.Measure {
			continue
		}
		v, err := strconv.ParseFloat(c.Value, 64)
		if err != nil {
			return fmt.Errorf("%w: %s: %q is not a number", ErrColumns, c.Key, c.Value)
		}
		keys = append(keys, c.Key)
		vals = append(vals, v)
	}
	if s.keys == nil {
		s.keys = keys
	} else if !slices.Equal(keys, s.keys) {
		return fmt.Errorf("%w: measured columns %s, then %s", ErrColumns, strings.Join(s.keys, ","), strings.Join(keys, ","))
	}
	s.reps[arm] = append(s.reps[arm], replication)
	s.vals[arm] = append(s.vals[arm], vals)
	return nil
}

// SummaryLine is one estimate of a [Summary]: a measured column's mean in
// one arm, or, in a line whose Arm is "1-0", the mean paired difference
// between arm 1 and arm 0.
type SummaryLine struct {
	// Arm is the arm's number as text, or "1-0" for the difference.
	Arm string `json:"arm"`
	// Parameters are the arm's parameters; for the difference, each value
	// is "v1 - v0".
	Parameters []Column `json:"parameters"`
	// Key is the measured column's key.
	Key string `json:"key"`
	Estimate
}

// Lines returns the estimates, by measured column in their order, then by
// arm, the difference (when there are two arms) last.
func (s *Summary) Lines() []SummaryLine {
	var out []SummaryLine
	for k, key := range s.keys {
		for a := range s.params {
			xs := make([]float64, len(s.vals[a]))
			for i, row := range s.vals[a] {
				xs[i] = row[k]
			}
			out = append(out, SummaryLine{Arm: strconv.Itoa(a), Parameters: s.params[a], Key: key, Estimate: Estimated(xs)})
		}
		if len(s.params) == 2 {
			out = append(out, SummaryLine{Arm: "1-0", Parameters: s.diffParams(), Key: key, Estimate: Estimated(s.paired(k))})
		}
	}
	return out
}

// paired returns, for each replication both arms have (in arm 1's order),
// arm 1's value of measured column k minus arm 0's.
func (s *Summary) paired(k int) []float64 {
	first := make(map[int]int, len(s.reps[0]))
	for i, r := range s.reps[0] {
		first[r] = i
	}
	var d []float64
	for i, r := range s.reps[1] {
		if j, ok := first[r]; ok {
			d = append(d, s.vals[1][i][k]-s.vals[0][j][k])
		}
	}
	return d
}

func (s *Summary) diffParams() []Column {
	out := make([]Column, len(s.params[1]))
	for i, c := range s.params[1] {
		v0 := ""
		if i < len(s.params[0]) {
			v0 = s.params[0][i].Value
		}
		out[i] = Label(c.Key, c.Value+" - "+v0)
	}
	return out
}

// SummaryKeys returns the columns of [Summary.WriteCSV] after the arm's
// parameters, in order.
func SummaryKeys() []string {
	return []string{"result", "n", "mean", "sd", "ci95_low", "ci95_high"}
}

// WriteCSV writes the estimates as CSV, a line per [SummaryLine]: the
// column arm, the arm's parameters, then [SummaryKeys]. A value that is
// not known (the interval of fewer than two replications) is NA, as R and
// pandas read it.
func (s *Summary) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := append([]string{"arm"}, ColumnKeys(s.params[0])...)
	if err := cw.Write(append(header, SummaryKeys()...)); err != nil {
		return err
	}
	for _, l := range s.Lines() {
		row := []string{l.Arm}
		for _, p := range l.Parameters {
			row = append(row, p.Value)
		}
		row = append(row, l.Key, strconv.Itoa(l.N), na(l.Mean), na(l.SD), na(l.Low), na(l.High))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func na(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return formatFloat(x)
}

// WriteTable writes the estimates for reading: a title, the arms and
// their parameters when there are several, then per measured column and
// arm the number of replications, the mean and its 95% confidence
// interval, rounded to the interval's precision.
func (s *Summary) WriteTable(w io.Writer, title string) error {
	if _, err := fmt.Fprintln(w, title); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	arms := len(s.params) > 1
	if arms {
		fmt.Fprintf(tw, "arm\t%s\t\n", strings.Join(ColumnKeys(s.params[0]), "\t"))
		for a, ps := range s.params {
			vals := make([]string, len(ps))
			for i, p := range ps {
				vals[i] = p.Value
			}
			fmt.Fprintf(tw, "%d\t%s\t\n", a, strings.Join(vals, "\t"))
		}
		fmt.Fprintln(tw) // a line without cells: the results align on their own
		fmt.Fprintf(tw, "result\tarm\tn\tmean\t95%% CI\t\n")
	} else {
		fmt.Fprintf(tw, "result\tn\tmean\t95%% CI\t\n")
	}
	last := ""
	for _, l := range s.Lines() {
		key := l.Key
		if key == last {
			key = ""
		}
		last = l.Key
		mean, ci := displayed(l.Estimate)
		if arms {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t\n", key, l.Arm, l.N, mean, ci)
		} else {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t\n", key, l.N, mean, ci)
		}
	}
	return tw.Flush()
}

// displayed returns an estimate's mean and interval for reading: rounded
// to two significant digits of the interval's half-width (at most 6
// decimals), or with 6 decimals when there is no interval.
func displayed(e Estimate) (mean, ci string) {
	if math.IsNaN(e.Low) {
		return na(e.Mean), "-"
	}
	half := (e.High - e.Low) / 2
	if half == 0 {
		return formatFloat(e.Mean), formatFloat(e.Low) + " to " + formatFloat(e.High)
	}
	decimals := min(6, max(0, 1-int(math.Floor(math.Log10(half)))))
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', decimals, 64) }
	return f(e.Mean), f(e.Low) + " to " + f(e.High)
}

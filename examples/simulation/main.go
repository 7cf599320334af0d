// Command simulation runs the reference model of a primary care network's
// social prescribing service (docs/model.md) and prints its results.
//
//	go run ./examples/simulation                       # pcn, once, as a table
//	go run ./examples/simulation -scenario national -replications 10 -format csv
//	go run ./examples/simulation -print-scenario > my.json   # edit, then
//	go run ./examples/simulation -scenario my.json -seed 7 -format json
//	go run ./examples/simulation -scenario region -replications 20 -series waiting.csv
//	go run ./examples/simulation -scenario region -set endpoint_policy=none \
//	    -sweep supervised_share=0.2,0.8 -replications 10     # two arms, paired
//
// Flags:
//
//	-scenario NAME|FILE       embedded pcn, region or national; a file
//	                          (a name ending in .json, in any case, or
//	                          any path with a directory) overrides the
//	                          keys it names on top of the embedded
//	                          scenario its key "base" names (pcn)
//	-set KEY=VALUE            set one scenario key (repeatable); dotted
//	                          keys name nested values
//	                          (provision.money.stay_days=40); VALUE is JSON
//	                          or else a string (endpoint_policy=none)
//	-sweep KEY=V1,V2,...      run an arm per value (repeatable: the grid of
//	                          every combination, the first -sweep varying
//	                          slowest); every row carries its arm's values
//	                          in a column named after the key
//	-print-scenario           print the effective scenario as JSON and stop
//	-replications N           replications 0..N-1 of each arm (default 1;
//	                          1 to 100,000)
//	-seed S                   replication r of every arm is seeded from
//	                          (S, r) alone: arms are paired
//	-format F                 table: per result and arm, n, the mean and
//	                          its 95% confidence interval (and, for two
//	                          arms, their paired difference); summary-csv:
//	                          the same as CSV; json: one object per
//	                          replication per line; csv: a header and a
//	                          row per replication
//	-parallel P               replications at once (default: all cores;
//	                          1 to 1024; each holds its own state in memory)
//	-shard i/n                only the replications (of a sweep, the tasks
//	                          k = replication x arms + arm) with
//	                          k mod n = i; it must select at least one
//	-series FILE              also write the time series to FILE as CSV: a
//	                          row per replication, arm and time, in the
//	                          order of the results, then by day
//	-quiet                    no progress line on standard error
//
// Rows of json and csv output, and of the time series, are written as
// replications finish, in order (by replication, then arm), and are
// byte-identical whatever -parallel and -shard are. A run longer than a
// second shows its progress on standard error when that is a terminal.
// Ctrl-C stops the run: every row written is complete, the table covers
// the replications that finished, and the command says how far it got
// and exits with status 130.
//
// Bad flags, unknown or repeated scenario keys, out-of-range values and
// runs too large for the bounds of simulation.Scenario.Validate and
// simulation.Sweep exit with status 2 and one line naming the flag or key;
// nothing is simulated. A replication that fails (a bug in the model)
// exits with status 1, naming the replication and seed that reproduce it.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/simulation"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C stops the command at once
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, terminal(os.Stderr)))
}

// terminal reports whether f is a terminal (a character device).
func terminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// listFlag collects a repeatable flag's values.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// run is the command: it returns the exit status. progress says whether
// stderr is a terminal, where progress is shown.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, progress bool) int {
	fs := flag.NewFlagSet("simulation", flag.ContinueOnError)
	// The flag package prints the usage after every error; bad input gets
	// one line instead, and -help the usage.
	fs.SetOutput(io.Discard)
	scenario := fs.String("scenario", "pcn", "embedded scenario (pcn, region, national) or a JSON file of keys to override on its base, pcn unless it names one (a name ending in .json, or a path)")
	printScenario := fs.Bool("print-scenario", false, "print the effective scenario as JSON and exit")
	replications := fs.Int("replications", 1, "number of replications of each arm (1 to 100000)")
	seed := fs.Uint64("seed", 1, "seed: replication r of every arm is seeded from (seed, r)")
	format := fs.String("format", "table", "output format: table, summary-csv, json or csv")
	parallel := fs.Int("parallel", min(runtime.NumCPU(), maxParallel), "replications to run at once (1 to 1024)")
	shard := fs.String("shard", "", "i/n: run only the tasks k (replication x arms + arm) with k mod n = i")
	seriesFile := fs.String("series", "", "write the time series to this CSV file")
	quiet := fs.Bool("quiet", false, "show no progress on standard error")
	var sets, sweeps listFlag
	fs.Var(&sets, "set", "KEY=VALUE: set a scenario key (repeatable; dotted keys for nested values)")
	fs.Var(&sweeps, "sweep", "KEY=V1,V2,...: an arm per value (repeatable: the grid of every combination)")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "simulation: "+format+"\n", a...)
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
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	sc, err := loadScenario(*scenario)
	if err != nil {
		return fail("%v", err)
	}
	seen := map[string]string{}
	for _, kv := range sets {
		key, value, ok := strings.Cut(kv, "=")
		if !ok {
			return fail("-set %s: want KEY=VALUE", quote(kv))
		}
		if prev, dup := seen[key]; dup {
			return fail("-set %s: the key is given twice (%s)", quote(key), prev)
		}
		seen[key] = "-set"
		if sc, err = sc.Set(key, value); err != nil {
			return fail("-set %s: %v", quote(key), err)
		}
	}
	var axes []axis
	for _, kv := range sweeps {
		key, values, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(values) == "" {
			return fail("-sweep %s: want KEY=V1,V2,...", quote(kv))
		}
		if prev, dup := seen[key]; dup {
			return fail("-sweep %s: the key is given twice (%s)", quote(key), prev)
		}
		seen[key] = "-sweep"
		axes = append(axes, axis{key: key, values: splitValues(values)})
	}
	if *printScenario {
		if len(axes) > 0 {
			return fail("-print-scenario prints one scenario: drop -sweep")
		}
		b, err := sc.JSON()
		if err != nil {
			return fail("%v", err)
		}
		_, _ = stdout.Write(b)
		return 0
	}
	arms, err := grid(sc, axes)
	if err != nil {
		return fail("%v", err)
	}
	switch {
	case *replications < 1 || *replications > simulation.MaxReplications:
		return fail("-replications must be from 1 to %d, got %d", simulation.MaxReplications, *replications)
	case *parallel < 1 || *parallel > maxParallel:
		return fail("-parallel must be from 1 to %d, got %d", maxParallel, *parallel)
	case !slices.Contains([]string{"table", "summary-csv", "json", "csv"}, *format):
		return fail("-format must be table, summary-csv, json or csv, got %q", *format)
	}
	sh, err := parseShard(*shard)
	if err != nil {
		return fail("-shard: %v", err)
	}
	total := sh.Count(*replications * len(arms))

	var series *os.File
	var seriesOut *bufio.Writer
	var seriesRows *simulation.CSVWriter
	if *seriesFile != "" {
		if series, err = os.Create(*seriesFile); err != nil {
			return fail("-series: %v", err)
		}
		defer series.Close()
		seriesOut = bufio.NewWriter(series)
		seriesRows = simulation.NewCSVWriter(seriesOut)
	}
	params := make([][]simulation.Column, len(arms))
	for i, a := range arms {
		params[i] = a.Parameters
	}
	summary := simulation.NewSummary(params)
	var rows interface {
		Write(...[]simulation.Column) error
	}
	switch *format {
	case "json":
		rows = simulation.NewJSONWriter(stdout)
	case "csv":
		rows = simulation.NewCSVWriter(stdout)
	}
	var meter *meter
	if progress && !*quiet {
		meter = newMeter(stderr, time.Now)
	}
	o := simulation.Options{Seed: *seed, Replications: *replications, Parallel: *parallel, Shard: sh, Series: series != nil}
	if meter != nil {
		o.Progress = meter.update
	}
	var writeErr error
	done, err := simulation.Sweep(ctx, arms, o, func(arm int, r simulation.Result) error {
		if rows != nil {
			if err := rows.Write(arms[arm].Parameters, r.Row()); err != nil {
				writeErr = fmt.Errorf("writing results: %w", err)
				return writeErr
			}
		} else if err := summary.Add(arm, r.Replication, r.Row()); err != nil {
			return err
		}
		if seriesRows != nil {
			for _, p := range r.Series {
				if err := seriesRows.Write(arms[arm].Parameters, p.Row()); err != nil {
					writeErr = fmt.Errorf("writing the time series: %w", err)
					return writeErr
				}
			}
			if err := seriesOut.Flush(); err != nil {
				writeErr = fmt.Errorf("writing the time series: %w", err)
				return writeErr
			}
		}
		return nil
	})
	meter.finish()
	if done == 0 && err != nil && series != nil {
		// No series: leave no empty file that looks like one.
		series.Close()
		os.Remove(*seriesFile)
	}
	interrupted := err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err())
	switch {
	case interrupted:
	case errors.Is(err, simulation.ErrShard):
		return fail("-shard: %v", err)
	case errors.Is(err, simulation.ErrTooMuchWork), errors.Is(err, simulation.ErrOptions):
		return fail("-%v", err)
	case errors.Is(err, simulation.ErrScenario):
		return fail("%v", err)
	case writeErr != nil:
		fmt.Fprintf(stderr, "simulation: %v\n", writeErr)
		return 1
	}
	if series != nil {
		if err := series.Close(); err != nil {
			fmt.Fprintf(stderr, "simulation: writing the time series: %v\n", err)
			return 1
		}
	}
	if rows == nil && done > 0 {
		title := fmt.Sprintf("scenario %s, %d replication(s)", *scenario, done)
		if len(arms) > 1 {
			title = fmt.Sprintf("scenario %s, %d arms, %d replication(s) in all", *scenario, len(arms), done)
		}
		var werr error
		if *format == "summary-csv" {
			werr = summary.WriteCSV(stdout)
		} else {
			werr = summary.WriteTable(stdout, title)
		}
		if werr != nil {
			fmt.Fprintf(stderr, "simulation: writing results: %v\n", werr)
			return 1
		}
	}
	switch {
	case interrupted:
		fmt.Fprintf(stderr, "simulation: interrupted: %d of %d replications finished and written, in order; the rest were not run\n", done, total)
		if errors.Is(err, simulation.ErrReplication) {
			fmt.Fprintf(stderr, "simulation: %v\n", err)
			return 1
		}
		return 130
	case err != nil:
		fmt.Fprintf(stderr, "simulation: %v\n", err)
		return 1
	}
	return 0
}

// quote returns a flag's value for a one-line message: cut short and
// quoted when it is long or holds anything but plain characters.
func quote(s string) string {
	plain := len(s) <= 100 && !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r > '~' })
	if plain {
		return s
	}
	if len(s) > 40 {
		s = strings.ToValidUTF8(s[:40], "")
	}
	return strconv.Quote(s)
}

// axis is one -sweep: a key and its values.
type axis struct {
	key    string
	values []string
}

// grid returns the arms of the sweeps' grid, the first axis varying
// slowest; with no sweep, the one arm of sc without parameters.
func grid(sc simulation.Scenario, axes []axis) ([]simulation.Arm, error) {
	n := 1
	for _, a := range axes {
		if n *= len(a.values); n > simulation.MaxArms {
			return nil, fmt.Errorf("-sweep: the grid has more than %d arms", simulation.MaxArms)
		}
	}
	arms := make([]simulation.Arm, n)
	for i := range arms {
		s, rest := sc, i
		var cols []simulation.Column
		for j := len(axes) - 1; j >= 0; j-- {
			a := axes[j]
			v := a.values[rest%len(a.values)]
			rest /= len(a.values)
			var err error
			if s, err = s.Set(a.key, v); err != nil {
				return nil, fmt.Errorf("-sweep %s=%s: %v", quote(a.key), quote(v), err)
			}
			cols = append(cols, simulation.Label(columnName(a.key), v))
		}
		slices.Reverse(cols)
		arms[i] = simulation.Arm{Scenario: s, Parameters: cols}
	}
	return arms, nil
}

// columnName is the column of a swept key: the key itself, or
// "scenario.KEY" when a result or series column has its name
// (vacancy_days).
func columnName(key string) string {
	if slices.Contains(simulation.Keys(), key) || slices.Contains(simulation.SeriesKeys(), key) {
		return "scenario." + key
	}
	return key
}

// splitValues splits a -sweep list at its commas, except those inside
// brackets, braces or quotes, so that a value can be a JSON list.
func splitValues(s string) []string {
	var out []string
	depth, quoted, from := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(s[from:i]))
			from = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[from:]))
}

// maxParallel bounds -parallel: each replication running holds its own
// state in memory.
const maxParallel = 1024

// isFile reports whether -scenario names a file rather than an embedded
// scenario: a name ending in .json in any case, or any path with a
// directory in it.
func isFile(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".json") || strings.ContainsRune(name, '/') ||
		strings.ContainsRune(name, filepath.Separator)
}

// loadScenario returns an embedded scenario, or reads a file of overrides.
// It reads at most one byte more than simulation.MaxScenarioBytes, so a
// huge file is refused without being read.
func loadScenario(name string) (simulation.Scenario, error) {
	if !isFile(name) {
		return simulation.Embedded(name)
	}
	f, err := os.Open(name)
	if err != nil {
		return simulation.Scenario{}, fmt.Errorf("-scenario: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, simulation.MaxScenarioBytes+1))
	if err != nil {
		return simulation.Scenario{}, fmt.Errorf("-scenario: %w", err)
	}
	sc, err := simulation.LoadScenario(data)
	if err != nil {
		return simulation.Scenario{}, fmt.Errorf("%s: %w", name, err)
	}
	return sc, nil
}

// parseShard reads "i/n"; the empty string is every replication.
func parseShard(s string) (simulation.Shard, error) {
	if s == "" {
		return simulation.Shard{}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 {
		return simulation.Shard{}, fmt.Errorf("want i/n such as 0/4, got %q", s)
	}
	sh := simulation.Shard{I: i, N: n}
	return sh, sh.Validate()
}

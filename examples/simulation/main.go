// Command simulation runs the reference model of a primary care network's
// social prescribing service (docs/model.md) and prints its results.
//
//	go run ./examples/simulation                       # pcn, once, as a table
//	go run ./examples/simulation -scenario national -replications 10 -format csv
//	go run ./examples/simulation -print-scenario > my.json   # edit, then
//	go run ./examples/simulation -scenario my.json -seed 7 -format json
//	go run ./examples/simulation -scenario region -replications 20 -series waiting.csv
//
// Flags:
//
//	-scenario NAME|FILE       embedded pcn, region or national; a file
//	                          (a name ending in .json, in any case, or
//	                          any path with a directory) overrides the
//	                          keys it names on top of the embedded
//	                          scenario its key "base" names (pcn)
//	-print-scenario           print the effective scenario as JSON and stop
//	-replications N           replications 0..N-1 (default 1; 1 to 100,000)
//	-seed S                   replication r is seeded from (S, r) alone
//	-format table|json|csv    json: one object per replication per line
//	-parallel P               replications at once (default: all cores;
//	                          1 to 1024; each holds its own state in memory)
//	-shard i/n                only replications with r mod n = i; it must
//	                          select at least one of them
//	-series FILE              also write the time series to FILE as CSV: a
//	                          row per replication and time, ordered by
//	                          replication then day
//
// Output, and the time series, are ordered by replication and
// byte-identical whatever -parallel and -shard are. Bad flags, unknown or
// repeated scenario keys, out-of-range values and runs too large for the
// bounds of simulation.Scenario.Validate and simulation.Run exit with
// status 2 and one line naming the flag or key; nothing is simulated. A
// replication that fails (a bug in the model) exits with status 1, naming
// the replication and seed that reproduce it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/socialprescribing/linkwork/simulation"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is the command: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulation", flag.ContinueOnError)
	// The flag package prints the usage after every error; bad input gets
	// one line instead, and -help the usage.
	fs.SetOutput(io.Discard)
	scenario := fs.String("scenario", "pcn", "embedded scenario (pcn, region, national) or a JSON file of keys to override on its base, pcn unless it names one (a name ending in .json, or a path)")
	printScenario := fs.Bool("print-scenario", false, "print the effective scenario as JSON and exit")
	replications := fs.Int("replications", 1, "number of replications (1 to 100000)")
	seed := fs.Uint64("seed", 1, "seed: replication r is seeded from (seed, r)")
	format := fs.String("format", "table", "output format: table, json or csv")
	parallel := fs.Int("parallel", min(runtime.NumCPU(), maxParallel), "replications to run at once (1 to 1024)")
	shard := fs.String("shard", "", "i/n: run only replications with r mod n = i")
	seriesFile := fs.String("series", "", "write the time series to this CSV file")
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
	if *printScenario {
		b, err := sc.JSON()
		if err != nil {
			return fail("%v", err)
		}
		_, _ = stdout.Write(b)
		return 0
	}
	switch {
	case *replications < 1 || *replications > simulation.MaxReplications:
		return fail("-replications must be from 1 to %d, got %d", simulation.MaxReplications, *replications)
	case *parallel < 1 || *parallel > maxParallel:
		return fail("-parallel must be from 1 to %d, got %d", maxParallel, *parallel)
	case *format != "table" && *format != "json" && *format != "csv":
		return fail("-format must be table, json or csv, got %q", *format)
	}
	sh, err := parseShard(*shard)
	if err != nil {
		return fail("-shard: %v", err)
	}
	var series *os.File
	if *seriesFile != "" {
		if series, err = os.Create(*seriesFile); err != nil {
			return fail("-series: %v", err)
		}
		defer series.Close()
	}
	results, err := simulation.Run(sc, simulation.Options{Seed: *seed, Replications: *replications, Parallel: *parallel,
		Shard: sh, Series: series != nil})
	if err != nil && series != nil {
		// No series: leave no empty file that looks like one.
		series.Close()
		os.Remove(*seriesFile)
	}
	switch {
	case errors.Is(err, simulation.ErrShard):
		return fail("-shard: %v", err)
	case errors.Is(err, simulation.ErrTooMuchWork), errors.Is(err, simulation.ErrOptions):
		return fail("-%v", err)
	case errors.Is(err, simulation.ErrScenario):
		return fail("%v", err)
	case err != nil:
		fmt.Fprintf(stderr, "simulation: %v\n", err)
		return 1
	}
	if series != nil {
		if err := simulation.WriteSeriesCSV(series, results); err != nil {
			fmt.Fprintf(stderr, "simulation: writing the time series: %v\n", err)
			return 1
		}
		if err := series.Close(); err != nil {
			fmt.Fprintf(stderr, "simulation: writing the time series: %v\n", err)
			return 1
		}
	}
	switch *format {
	case "json":
		err = simulation.WriteJSON(stdout, results)
	case "csv":
		err = simulation.WriteCSV(stdout, results)
	default:
		err = simulation.WriteTable(stdout, *scenario, results)
	}
	if err != nil {
		fmt.Fprintf(stderr, "simulation: writing results: %v\n", err)
		return 1
	}
	return 0
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

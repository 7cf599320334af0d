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
//	-scenario NAME|FILE.json  embedded pcn, region or national; a file
//	                          overrides the keys it names on top of the
//	                          embedded scenario its key "base" names (pcn)
//	-print-scenario           print the effective scenario as JSON and stop
//	-replications N           replications 0..N-1 (default 1)
//	-seed S                   replication r is seeded from (S, r) alone
//	-format table|json|csv    json: one object per replication per line
//	-parallel P               replications at once (default: all cores)
//	-shard i/n                only replications with r mod n = i
//	-series FILE              also write the time series to FILE as CSV: a
//	                          row per replication and time, ordered by
//	                          replication then day
//
// Output, and the time series, are ordered by replication and
// byte-identical whatever -parallel and -shard are. Bad flags, unknown scenario keys and out-of-range values
// exit with status 2 and a message naming the problem; nothing is
// simulated.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/socialprescribing/linkwork/simulation"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is the command: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulation", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenario := fs.String("scenario", "pcn", "embedded scenario (pcn, region, national) or a JSON file of keys to override on its base (pcn unless it names one)")
	printScenario := fs.Bool("print-scenario", false, "print the effective scenario as JSON and exit")
	replications := fs.Int("replications", 1, "number of replications")
	seed := fs.Uint64("seed", 1, "seed: replication r is seeded from (seed, r)")
	format := fs.String("format", "table", "output format: table, json or csv")
	parallel := fs.Int("parallel", runtime.NumCPU(), "replications to run at once")
	shard := fs.String("shard", "", "i/n: run only replications with r mod n = i")
	seriesFile := fs.String("series", "", "write the time series to this CSV file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "simulation: "+format+"\n", a...)
		return 2
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
	case *replications < 1:
		return fail("-replications must be at least 1, got %d", *replications)
	case *parallel < 1:
		return fail("-parallel must be at least 1, got %d", *parallel)
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
	if err != nil {
		if series != nil {
			// No series: leave no empty file that looks like one.
			series.Close()
			os.Remove(*seriesFile)
		}
		return fail("%v", err)
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

// loadScenario returns an embedded scenario, or reads a file of overrides.
func loadScenario(name string) (simulation.Scenario, error) {
	if !strings.HasSuffix(name, ".json") {
		return simulation.Embedded(name)
	}
	data, err := os.ReadFile(name)
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

// Command supervision prints the supervisor's view of link workers (rule
// SUP-1), the management tool a public involvement group suggested for the
// staff who supervise link workers: per link worker, their liminal phase
// and whether it is prolonged, the support still missing against the themes
// of liminality present, their supervision (sessions held, next due,
// overdue), their holding load and episodes at risk, their acts beyond the
// site's discretion policy, their training gaps and their embeddedness at
// each practice.
//
// It reads an event log: JSON Lines written by the library's event codec
// with the event kinds of every package. It splits the log by stream,
// replays each record it needs (journeys, training records, supervision,
// holding episodes, embeddedness records, site policies and act logs) from
// its stream, and prints a table, or JSON with -format json. Streams of
// other kinds (referrals, patients, ...) are decoded, and so checked, but
// not replayed: the report does not use them.
//
// Usage:
//
//	supervision [-log FILE] [-at TIME] [-site SITE] [-format table|json]
//
// The log is read from FILE, or standard input. TIME (RFC 3339) is when
// the report is made; by default, the time of the log's latest event, so
// the same log gives the same report. Acts are checked against the site
// policy of SITE; with one policy in the log it need not be named.
//
// From the repository's root, the sample log (a small seeded scenario,
// written by this program's tests) prints with
//
//	go run ./examples/supervision -log examples/supervision/testdata/events.jsonl
//
// The report shows IDs, never names: the log holds no personal data a
// supervisor's table would need.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "supervision:", err)
		os.Exit(1)
	}
}

// run parses the arguments, reads the log and writes the report.
func run(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("supervision", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	logPath := fs.String("log", "", "the event log (JSON Lines); standard input if empty")
	atText := fs.String("at", "", "when the report is made (RFC 3339); the log's latest event if empty")
	site := fs.String("site", "", "the site whose discretion policy acts are checked against")
	format := fs.String("format", "table", "table or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *format != "table" && *format != "json" {
		return fmt.Errorf("-format is table or json, not %q", *format)
	}
	var at time.Time
	if *atText != "" {
		t, err := time.Parse(time.RFC3339, *atText)
		if err != nil {
			return errors.New("-at is a time in RFC 3339 form, such as 2026-04-01T09:00:00Z")
		}
		at = t
	}

	in := stdin
	if *logPath != "" {
		f, err := os.Open(*logPath)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	r, err := Build(in, at, *site)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(stdout, r)
	}
	return writeTable(stdout, r)
}

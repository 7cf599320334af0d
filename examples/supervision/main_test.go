package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/discretion"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var sample = filepath.Join("testdata", "events.jsonl")

// golden compares out with testdata/name, or writes it with -update.
func golden(t *testing.T, name, out string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), out)
}

func runOut(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(args, strings.NewReader(stdin), &out)
	return out.String(), err
}

// TestSUP_1_TheSupervisorsViewAsATable checks the whole table printed from
// the sample log: phase and prolonged, support missing, supervision
// overdue, holding and episodes at risk, acts beyond policy, training gaps
// and embeddedness per practice.
func TestSUP_1_TheSupervisorsViewAsATable(t *testing.T) {
	out, err := runOut(t, "", "-log", sample)
	require.NoError(t, err)
	golden(t, "report.txt", out)
	// What the scenario was built to show, so that a golden file updated
	// by mistake still fails here.
	assert.Contains(t, out, "liminal since Sep 2025       yes        disconnection    OVERDUE 70d (every 28d)  4 open (2 review overdue)  1")
	assert.Contains(t, out, "2 of 3 (home_visits, out_of_hours_contact)")
	assert.Contains(t, out, "incorporated since Dec 2025  no")
	assert.Contains(t, out, "ended")
	assert.Contains(t, out, "no liminality covariate")
}

// TestSUP_1_TheSupervisorsViewAsJSON checks the JSON form and that it
// decodes back to the report.
func TestSUP_1_TheSupervisorsViewAsJSON(t *testing.T) {
	out, err := runOut(t, "", "-log", sample, "-format", "json")
	require.NoError(t, err)
	golden(t, "report.json", out)
	f, err := os.Open(sample)
	require.NoError(t, err)
	defer f.Close()
	r, err := Build(f, time.Time{}, "")
	require.NoError(t, err)
	require.Len(t, r.Workers, 3)
	stuck := r.Workers[2]
	assert.Equal(t, liminality.PhaseLiminal, stuck.Liminality.Phase)
	assert.True(t, stuck.Liminality.Prolonged)
	assert.True(t, stuck.Liminality.Overdue)
	assert.Equal(t, 1, stuck.Holding.AtRisk)
	assert.Equal(t, 2, stuck.Discretion.Beyond)
	assert.Len(t, stuck.Embeddedness, 2)
	assert.Len(t, stuck.Liminality.TrainingLacks, 8)
}

// TestSUP_1_SupervisionOverdueAtTheReportsTime: the same log read at the
// instant a session falls due and one second later.
func TestSUP_1_SupervisionOverdueAtTheReportsTime(t *testing.T) {
	// Ben's next session is due on 15 April 2026 at 09:00 UTC.
	out, err := runOut(t, "", "-log", sample, "-at", "2026-04-15T09:00:00Z")
	require.NoError(t, err)
	assert.Contains(t, out, "due 15 Apr (every 28d)")
	out, err = runOut(t, "", "-log", sample, "-at", "2026-04-15T09:00:01Z")
	require.NoError(t, err)
	assert.Contains(t, out, "OVERDUE 0d (every 28d)   1 open ")
}

// TestSUP_1_TheReportDoesNotDependOnHowStreamsInterleave: the log's lines
// shuffled, keeping each stream's order, give the same report.
func TestSUP_1_TheReportDoesNotDependOnHowStreamsInterleave(t *testing.T) {
	data, err := os.ReadFile(sample)
	require.NoError(t, err)
	want, err := runOut(t, string(data))
	require.NoError(t, err)

	c, err := codec()
	require.NoError(t, err)
	events, err := c.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	byStream := map[prescribing.Stream][]prescribing.Event{}
	var order []prescribing.Stream
	for _, e := range events {
		if _, ok := byStream[e.EventStream()]; !ok {
			order = append(order, e.EventStream())
		}
		byStream[e.EventStream()] = append(byStream[e.EventStream()], e)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	var mixed []prescribing.Event
	for len(order) > 0 {
		i := rng.IntN(len(order))
		s := order[i]
		mixed = append(mixed, byStream[s][0])
		if byStream[s] = byStream[s][1:]; len(byStream[s]) == 0 {
			order = append(order[:i], order[i+1:]...)
		}
	}
	var buf bytes.Buffer
	require.NoError(t, c.Encode(&buf, mixed))
	require.NotEqual(t, string(data), buf.String(), "the lines moved")
	got, err := runOut(t, buf.String())
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// TestSUP_1_TheProgramRefusesWhatItCannotReport checks the errors: each a
// clear message, never a panic.
func TestSUP_1_TheProgramRefusesWhatItCannotReport(t *testing.T) {
	data, err := os.ReadFile(sample)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(data), "\n")

	_, err = runOut(t, "", "-log", sample, "-format", "xml")
	assert.ErrorContains(t, err, "-format is table or json")
	_, err = runOut(t, "", "-log", sample, "-at", "yesterday")
	assert.ErrorContains(t, err, "RFC 3339")
	_, err = runOut(t, "", "-log", sample, "-at", "2026-01-01T00:00:00Z")
	assert.ErrorIs(t, err, ErrLog, "a time before the log's latest event")
	_, err = runOut(t, "", "-log", sample, "-site", "Elsewhere")
	assert.ErrorIs(t, err, ErrLog)
	_, err = runOut(t, "", "-log", sample, "stray")
	assert.ErrorContains(t, err, "unexpected argument")
	_, err = runOut(t, "")
	assert.ErrorIs(t, err, ErrLog, "no events")
	_, err = runOut(t, "not json\n")
	assert.Error(t, err)
	_, err = runOut(t, "", "-log", filepath.Join("testdata", "missing.jsonl"))
	assert.Error(t, err)

	// A stream that breaks a rule is refused with its stream and position.
	var withoutStart []string
	dropped := false
	for _, l := range lines {
		if !dropped && strings.Contains(l, `"type":"liminality.supervision_agreed"`) {
			dropped = true
			continue
		}
		withoutStart = append(withoutStart, l)
	}
	_, err = runOut(t, strings.Join(withoutStart, ""))
	assert.ErrorIs(t, err, ErrLog)
	assert.ErrorIs(t, err, prescribing.ErrUnexpectedEvent)
	assert.ErrorContains(t, err, "supervision/")

	// Two site policies need -site.
	c, err := codec()
	require.NoError(t, err)
	events, err := c.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	adopted, ok := events[0].(discretion.PolicyAdopted)
	require.True(t, ok, "the scenario adopts its policy first")
	adopted.Policy = prescribing.NewID[discretion.Policy](prescribing.SeededIDs(rand.New(rand.NewPCG(1, 1))))
	adopted.Site = "South Hill PCN"
	line, err := c.Marshal(adopted)
	require.NoError(t, err)
	second := string(line) + "\n"
	two := string(data) + second
	_, err = runOut(t, two)
	assert.ErrorIs(t, err, ErrLog)
	assert.ErrorContains(t, err, "name one with -site")
	out, err := runOut(t, two, "-site", "South Hill PCN")
	require.NoError(t, err)
	assert.Contains(t, out, `"South Hill PCN"`)
}

// FuzzBuild feeds arbitrary logs to the report: an error or a report,
// never a panic, and a report that prints in both forms.
func FuzzBuild(f *testing.F) {
	data, err := os.ReadFile(sample)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i := 0; i+5 <= len(lines); i += 5 {
		f.Add(bytes.Join(lines[i:i+5], nil))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Build(bytes.NewReader(b), time.Time{}, "")
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := writeTable(&out, r); err != nil {
			t.Fatal(err)
		}
		if err := writeJSON(&out, r); err != nil {
			t.Fatal(err)
		}
	})
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// small is a quick scenario for the command's tests.
var small = []string{"-set", "horizon_days=120", "-set", "warmup_days=30", "-set", "link_workers=4"}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	require.NoError(t, err)
	return rows
}

func TestSetChangesTheScenario(t *testing.T) {
	code, out, errs := cmd(append(slices.Clone(small), "-set", "provision.money.stay_days=40", "-set", "endpoint_policy=none", "-print-scenario")...)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, `"horizon_days": 120,`)
	assert.Contains(t, out, `"endpoint_policy": "none",`)
	assert.Contains(t, out, `"stay_days": 40`)
}

func TestSweepRowsCarryTheirArmsParameters(t *testing.T) {
	args := append(slices.Clone(small), "-sweep", "supervised_share=0.2,0.8", "-sweep", "endpoint_policy=enforced,none",
		"-replications", "3", "-seed", "4", "-format", "csv")
	code, out, errs := cmd(args...)
	require.Equal(t, 0, code, errs)
	rows := readCSV(t, out)
	require.Len(t, rows, 1+3*4, "a row per replication and arm")
	assert.Equal(t, []string{"supervised_share", "endpoint_policy", "replication", "seed", "referrals"}, rows[0][:5])
	arms := [][2]string{{"0.2", "enforced"}, {"0.2", "none"}, {"0.8", "enforced"}, {"0.8", "none"}}
	for i, row := range rows[1:] {
		assert.Equal(t, arms[i%4], [2]string{row[0], row[1]}, "by replication, then arm, the first sweep slowest")
		assert.Equal(t, fmt.Sprint(i/4), row[2])
	}
	// Arms share their seeds: the arrivals (drawn from their own stream)
	// are the same in every arm of a replication.
	for r := range 3 {
		for a := 1; a < 4; a++ {
			assert.Equal(t, rows[1+4*r][4], rows[1+4*r+a][4], "referrals of replication %d, arm %d", r, a)
		}
	}
	// Each arm is the run of its own scenario, set with -set.
	code, one, errs := cmd(append(slices.Clone(small), "-set", "supervised_share=0.8", "-set", "endpoint_policy=none",
		"-replications", "3", "-seed", "4", "-format", "csv")...)
	require.Equal(t, 0, code, errs)
	single := readCSV(t, one)
	for r := range 3 {
		assert.Equal(t, single[1+r], rows[1+4*r+3][2:], "replication %d of arm 3", r)
	}

	// json rows carry them too, as numbers or strings.
	code, js, errs := cmd(append(args[:len(args)-1], "json")...)
	require.Equal(t, 0, code, errs)
	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.Split(js, "\n")[0]), &first))
	assert.Equal(t, 0.2, first["supervised_share"])
	assert.Equal(t, "enforced", first["endpoint_policy"])
}

func TestSweepGivesTheSameBytesWhateverParallelAndShard(t *testing.T) {
	args := append(slices.Clone(small), "-sweep", "caseload_cap=5,60", "-replications", "3", "-format", "csv")
	dir := t.TempDir()
	_, whole, _ := cmd(append(args, "-parallel", "1", "-series", filepath.Join(dir, "whole.csv"))...)
	_, again, _ := cmd(append(args, "-parallel", "2")...)
	assert.Equal(t, whole, again)
	// Shards of the grid (6 tasks over 4 shards) sort back into the whole.
	var rows, series [][]string
	for i := range 4 {
		code, out, errs := cmd(append(args, "-shard", fmt.Sprintf("%d/4", i), "-series", filepath.Join(dir, fmt.Sprint(i)))...)
		require.Equal(t, 0, code, errs)
		rows = append(rows, readCSV(t, out)[1:]...)
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprint(i)))
		require.NoError(t, err)
		series = append(series, readCSV(t, string(b))[1:]...)
	}
	// By replication, then arm (caseload_cap 5 before 60).
	less := func(a, b []string) int {
		return strings.Compare(fmt.Sprintf("%s,%2s", a[1], a[0]), fmt.Sprintf("%s,%2s", b[1], b[0]))
	}
	slices.SortStableFunc(rows, less)
	assert.Equal(t, readCSV(t, whole)[1:], rows)
	b, err := os.ReadFile(filepath.Join(dir, "whole.csv"))
	require.NoError(t, err)
	slices.SortStableFunc(series, less)
	assert.Equal(t, readCSV(t, string(b))[1:], series)
	assert.Equal(t, []string{"caseload_cap", "replication", "day", "waiting"}, readCSV(t, string(b))[0][:4])
}

func TestTableAndSummaryCSVGiveMeansWithIntervals(t *testing.T) {
	args := append(slices.Clone(small), "-sweep", "supervised_share=0.2,0.8", "-replications", "4")
	code, out, errs := cmd(args...)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "scenario pcn, 2 arms, 8 replication(s) in all")
	assert.Contains(t, out, "95% CI")
	assert.Contains(t, out, "1-0", "the paired difference")

	code, out, errs = cmd(append(args, "-format", "summary-csv")...)
	require.Equal(t, 0, code, errs)
	rows := readCSV(t, out)
	assert.Equal(t, []string{"arm", "supervised_share", "result", "n", "mean", "sd", "ci95_low", "ci95_high"}, rows[0])
	assert.Equal(t, []string{"0", "0.2", "referrals", "4"}, rows[1][:4])
	assert.Equal(t, []string{"1", "0.8", "referrals", "4"}, rows[2][:4])
	assert.Equal(t, []string{"1-0", "0.8 - 0.2", "referrals", "4", "0", "0", "0", "0"}, rows[3],
		"arrivals are common random numbers: no difference at all")
	assert.Len(t, rows, 1+3*(len(rows[1:])/3))
}

func TestBadSetAndSweepExitWithOneLineNamingTheKey(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-set", "supervised_share=1.5"}, "supervised_share"},
		{[]string{"-set", "supervised_share"}, "want KEY=VALUE"},
		{[]string{"-set", "no_such_key=1"}, "no_such_key"},
		{[]string{"-set", "caseload_cap=3", "-set", "caseload_cap=4"}, "caseload_cap: the key is given twice"},
		{[]string{"-set", "link_workers=3", "-sweep", "link_workers=4,5"}, "link_workers: the key is given twice"},
		{[]string{"-sweep", "supervised_share=0.2,1.5"}, "-sweep supervised_share=1.5"},
		{[]string{"-sweep", "supervised_share="}, "want KEY=V1,V2"},
		{[]string{"-sweep", "provision.money.stay_days=1,-1"}, "provision.money.stay_days"},
		{[]string{"-sweep", "link_workers=1,2,3,4,5,6,7,8,9,10", "-sweep", "caseload_cap=1,2,3,4,5,6,7,8,9,10",
			"-sweep", "review_days=1,2,3,4,5,6,7,8,9,10", "-sweep", "vacancy_days=1,2,3,4,5,6,7,8,9,10,11"}, "more than 10000 arms"},
		{[]string{"-sweep", "supervised_share=0.1,0.2", "-print-scenario"}, "drop -sweep"},
		{[]string{"-format", "summary"}, "-format"},
		{[]string{"-sweep", "caseload_cap=1,2,3,4,5,6,7,8,9,10,11", "-replications", "100000"}, "-replications: invalid options: 100000 replications of 11 arms"},
		{[]string{"-scenario", "national", "-sweep", "supervised_share=0,0.5,1", "-replications", "400"}, "-replications"},
	} {
		assertRefused(t, c.args, c.want)
	}
}

func TestSweepValuesMayBeJSONLists(t *testing.T) {
	assert.Equal(t, []string{"1", "[1,2]", `{"a":[3,4]}`, `"x,y"`}, splitValues(`1, [1,2],{"a":[3,4]},"x,y"`))
	assert.Equal(t, "scenario.vacancy_days", columnName("vacancy_days"), "a result's name is not reused")
	assert.Equal(t, "supervised_share", columnName("supervised_share"))
}

func TestProgressLineSaysHowFarWhenTheRunLastsASecond(t *testing.T) {
	var b bytes.Buffer
	now := time.Unix(0, 0)
	m := newMeter(&b, func() time.Time { return now })
	now = now.Add(500 * time.Millisecond)
	m.update(1, 10)
	assert.Empty(t, b.String(), "nothing in the first second")
	now = now.Add(1500 * time.Millisecond)
	m.update(4, 10)
	assert.Equal(t, "\rsimulation: 4/10 replications, 2 a second, about 3s left", b.String())
	now = now.Add(10 * time.Millisecond)
	m.update(5, 10)
	assert.NotContains(t, b.String(), "5/10", "at most ten times a second")
	now = now.Add(3 * time.Second)
	m.update(10, 10)
	assert.Contains(t, b.String(), "10/10 replications, 2 a second")
	m.finish()
	assert.True(t, strings.HasSuffix(b.String(), "\r"), "the line is cleared")

	// Not a terminal: no progress at all.
	code, _, errs := cmd("-replications", "2")
	require.Equal(t, 0, code)
	assert.Empty(t, errs)
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, terminal(f), "a file is not a terminal")
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, terminal(w), "a pipe is not a terminal")
}

func TestQuietTurnsProgressOff(t *testing.T) {
	var o, e bytes.Buffer
	code := run(context.Background(), []string{"-quiet", "-replications", "2"}, &o, &e, true)
	require.Equal(t, 0, code)
	assert.Empty(t, e.String())
}

// TestInterruptStopsCleanlyKeepingEveryRowWritten runs the built command,
// sends it SIGINT once rows have come, and checks that it says how far it
// got, exits with 130, and that every row written is whole and equal to
// the same replication of an uninterrupted run.
func TestInterruptStopsCleanlyKeepingEveryRowWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "simulation")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	dir := t.TempDir()
	args := []string{"-scenario", "region", "-set", "link_workers=40", "-replications", "500", "-parallel", "2",
		"-format", "csv", "-series", filepath.Join(dir, "series.csv")}
	c := exec.Command(bin, args...)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	stdout, err := c.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, c.Start())
	lines := bufio.NewScanner(stdout)
	var got []string
	for lines.Scan() {
		got = append(got, lines.Text())
		if len(got) == 3 { // the header and two rows
			require.NoError(t, c.Process.Signal(syscall.SIGINT))
		}
	}
	err = c.Wait()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "%v: %s", err, stderr.String())
	assert.Equal(t, 130, exit.ExitCode(), stderr.String())
	require.GreaterOrEqual(t, len(got), 3)
	require.Less(t, len(got), 501, "the run stopped")
	assert.Regexp(t, `^simulation: interrupted: \d+ of 500 replications finished and written, in order; the rest were not run\n$`, stderr.String())
	assert.Contains(t, stderr.String(), fmt.Sprintf(" %d of 500", len(got)-1))

	// Every row written is the same as in a run of just those replications.
	n := len(got) - 1
	code, whole, errs := cmd(append(args[:6], "-replications", fmt.Sprint(n), "-format", "csv")...)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, whole, strings.Join(got, "\n")+"\n")
	series, err := os.ReadFile(filepath.Join(dir, "series.csv"))
	require.NoError(t, err)
	rows := readCSV(t, string(series))
	assert.Equal(t, fmt.Sprint(n-1), rows[len(rows)-1][0], "the series holds the same replications, whole")
	assert.Equal(t, "360", rows[len(rows)-1][1])
}

// FuzzSplitValues splits arbitrary -sweep lists: never a panic, at least
// one value, and the values with their commas give back the list (less
// the spaces around each value).
func FuzzSplitValues(f *testing.F) {
	for _, s := range []string{"1,2", `[1,2],{"a":"x,y"}`, `"\",",3`, "]],[[", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vals := splitValues(s)
		require.NotEmpty(t, vals)
		assert.LessOrEqual(t, len(vals)-1, strings.Count(s, ","), "splits only at commas")
		assert.Equal(t, strings.ReplaceAll(strings.Join(strings.Fields(s), ""), " ", ""),
			strings.ReplaceAll(strings.Join(strings.Fields(strings.Join(vals, ",")), ""), " ", ""))
	})
}

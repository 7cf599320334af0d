package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func cmd(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e, false)
	return code, o.String(), e.String()
}

func TestTheMainJobRunsThePCNScenario(t *testing.T) {
	code, out, errs := cmd()
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "scenario pcn, 1 replication(s)")
	assert.Contains(t, out, "referrals")
	assert.Contains(t, out, "mean_waiting_list")
}

func TestSameArgumentsSameBytes(t *testing.T) {
	args := []string{"-replications", "3", "-seed", "5", "-format", "json"}
	_, a, _ := cmd(append(args, "-parallel", "1")...)
	_, b, _ := cmd(append(args, "-parallel", "2")...)
	_, c, _ := cmd(append(args, "-parallel", "1")...)
	assert.Equal(t, a, b, "-parallel 1 and 2")
	assert.Equal(t, a, c, "same seed")
	assert.Len(t, strings.Split(strings.TrimSpace(a), "\n"), 3)
}

func TestShardsConcatenateIntoTheWhole(t *testing.T) {
	for _, format := range []string{"json", "csv"} {
		_, whole, _ := cmd("-replications", "5", "-seed", "2", "-format", format)
		var rows []string
		var header string
		for i := range 3 {
			code, out, errs := cmd("-replications", "5", "-seed", "2", "-format", format, "-shard", []string{"0/3", "1/3", "2/3"}[i])
			require.Equal(t, 0, code, errs)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if format == "csv" {
				header, lines = lines[0], lines[1:]
			}
			rows = append(rows, lines...)
		}
		// Order by replication, the first field of both formats.
		key := func(row string) string {
			if format == "csv" {
				r, _, _ := strings.Cut(row, ",")
				return r
			}
			_, rest, _ := strings.Cut(row, `"replication":`)
			r, _, _ := strings.Cut(rest, ",")
			return r
		}
		slices.SortStableFunc(rows, func(a, b string) int { return strings.Compare(key(a), key(b)) })
		got := strings.Join(rows, "\n") + "\n"
		if format == "csv" {
			got = header + "\n" + got
		}
		assert.Equal(t, whole, got, format)
	}
}

func TestPrintScenarioAndScenarioFiles(t *testing.T) {
	code, out, _ := cmd("-print-scenario", "-scenario", "national")
	require.Equal(t, 0, code)
	assert.Contains(t, out, `"link_workers": 3300`)

	dir := t.TempDir()
	path := filepath.Join(dir, "small.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"link_workers": 3, "horizon_days": 90}`), 0o644))
	code, out, errs := cmd("-scenario", path, "-print-scenario")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, `"link_workers": 3,`)
	assert.Contains(t, out, `"caseload_cap": 60`, "the rest from pcn")
	code, out, errs = cmd("-scenario", path, "-format", "csv")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, 2, strings.Count(out, "\n"))
}

func TestBadInputExitsNonZeroNamingTheProblem(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeFile(t, dir, name, body) }
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-replications", "0"}, "-replications"},
		{[]string{"-parallel", "0"}, "-parallel"},
		{[]string{"-format", "xml"}, "-format"},
		{[]string{"-shard", "3/3"}, "-shard"},
		{[]string{"-shard", "one/two"}, "-shard"},
		{[]string{"-scenario", "county"}, "county"},
		{[]string{"-scenario", filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{"-scenario", write("unknown.json", `{"caseload_capacity": 40}`)}, "caseload_capacity"},
		{[]string{"-scenario", write("negative.json", `{"readiness_days": -2}`)}, "readiness_days"},
		{[]string{"-scenario", write("share.json", `{"ready_share": 2}`)}, "ready_share"},
		{[]string{"-scenario", write("zero.json", `{"link_workers": 0}`)}, "link_workers"},
		{[]string{"-scenario", write("broken.json", `{"link_workers": `)}, "broken.json"},
		{[]string{"-nonsense"}, "nonsense"},
		{[]string{"extra"}, "extra"},
		{[]string{"-seed", "-1"}, "seed"},
	}
	for _, c := range cases {
		assertRefused(t, c.args, c.want)
	}
}

func TestSeriesFileIsTheSameWhateverParallelAndShard(t *testing.T) {
	dir := t.TempDir()
	series := func(name string, args ...string) string {
		path := filepath.Join(dir, name)
		code, _, errs := cmd(append([]string{"-replications", "4", "-seed", "3", "-format", "csv", "-series", path}, args...)...)
		require.Equal(t, 0, code, errs)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		return string(b)
	}
	whole := series("one.csv", "-parallel", "1")
	assert.Equal(t, whole, series("two.csv", "-parallel", "2"))
	lines := strings.Split(strings.TrimSpace(whole), "\n")
	assert.Equal(t, "replication,day,waiting,open_cases,in_holding,workers_present,workers_liminal,places_in_use", lines[0])
	assert.Len(t, lines, 1+4*25, "pcn: 730 days at 30 gives days 0 to 720")
	assert.True(t, strings.HasPrefix(lines[25], "0,720,"))
	assert.True(t, strings.HasPrefix(lines[26], "1,0,"))

	// Shards concatenate, replication by replication, into the whole.
	var rows []string
	for i := range 2 {
		part := strings.Split(strings.TrimSpace(series(fmt.Sprintf("shard%d.csv", i), "-shard", fmt.Sprintf("%d/2", i))), "\n")
		rows = append(rows, part[1:]...)
	}
	slices.SortStableFunc(rows, func(a, b string) int {
		x, _, _ := strings.Cut(a, ",")
		y, _, _ := strings.Cut(b, ",")
		return strings.Compare(x, y)
	})
	assert.Equal(t, lines[1:], rows)
}

func TestScenarioFileOnABase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shock.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"base": "region", "link_workers": 30,
		"departures": [{"day": 200, "count": 10}]}`), 0o644))
	code, out, errs := cmd("-scenario", path, "-print-scenario")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, `"link_workers": 30,`)
	assert.Contains(t, out, `"brief_share": 0.5,`, "region's calibrated value")
	assert.Contains(t, out, `"horizon_days": 365,`)
}

func TestSeriesToAFileThatCannotBeWrittenExitsBeforeSimulating(t *testing.T) {
	code, out, errs := cmd("-series", filepath.Join(t.TempDir(), "missing", "series.csv"))
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "-series")
}

// TestInputsThatOnceCrashedHungOrExhaustedMemoryExit2 runs each input of
// the issue that crashed with a stack trace, hung or exhausted memory: each
// now exits with status 2 and one line naming the key or flag, at once.
func TestInputsThatOnceCrashedHungOrExhaustedMemoryExit2(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeFile(t, dir, name, body) }
	huge := filepath.Join(dir, "huge.json")
	f, err := os.Create(huge)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(100<<20)) // 100 MB of zero bytes, written in no time
	require.NoError(t, f.Close())
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-scenario", write("a.json", `{"referrals_per_worker_year": 0}`)}, "referrals_per_worker_year"},
		{[]string{"-scenario", write("b.json", `{"disengage_days": 1e308}`)}, "disengage_days"},
		{[]string{"-scenario", write("c.json", `{"horizon_days": 107000}`)}, "horizon_days"},
		{[]string{"-scenario", write("d.json", `{"review_days": 1e-300}`)}, "review_days"},
		{[]string{"-scenario", write("e.json", `{"leave_days_liminal": 0, "vacancy_days": 0}`)}, "leave_days_liminal"},
		{[]string{"-scenario", write("f.json", `{"review_days": 1e-6, "endpoint_policy": "none"}`)}, "review_days"},
		{[]string{"-scenario", write("g.json", `{"link_workers": 1000000}`)}, "link_workers"},
		{[]string{"-scenario", write("h.json", `{"referrals_per_worker_year": 1e12}`)}, "referrals_per_worker_year"},
		{[]string{"-replications", "1000000000"}, "-replications"},
		{[]string{"-scenario", huge}, "bytes"},
		{[]string{"-scenario", write("i.json", `{"caseload_cap": 3, "caseload_cap": 4}`)}, "caseload_cap: the key appears twice"},
		{[]string{"-scenario", write("j.json", `{"embeddedness": {"belonging": 0.3}}`)}, "embeddedness.belonging"},
		{[]string{"-scenario", write("UPPER.JSON", `{"link_workers": 0}`)}, "link_workers"},
		{[]string{"-scenario", filepath.Join(dir, "pcn")}, "no such file"},
		{[]string{"-replications", "2", "-shard", "3/5"}, "-shard"},
		{[]string{"-scenario", "national", "-replications", "1000"}, "-replications"},
		{[]string{"-parallel", "1025"}, "-parallel"},
	}
	for _, c := range cases {
		assertRefused(t, c.args, c.want)
	}
}

func TestScenarioFilesAreNamedByTheirSuffixInAnyCaseOrByAPath(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"small.JSON", "small.Json", "small"} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(`{"link_workers": 3, "horizon_days": 30}`), 0o644))
		code, out, errs := cmd("-scenario", p, "-print-scenario")
		require.Equal(t, 0, code, errs)
		assert.Contains(t, out, `"link_workers": 3,`, name)
	}
	assert.True(t, isFile("x.JSON"))
	assert.True(t, isFile("dir/region"))
	assert.False(t, isFile("region"))
}

func TestHelpPrintsTheFlags(t *testing.T) {
	code, out, errs := cmd("-help")
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "-replications")
}

// assertRefused runs the command with args and checks that it refuses
// them as bad input: exit status 2, nothing simulated, and one line on
// standard error that contains want.
func assertRefused(t *testing.T, args []string, want string) {
	t.Helper()
	code, out, errs := cmd(args...)
	assert.Equal(t, 2, code, "%v", args)
	assert.Empty(t, out, "%v: nothing is simulated", args)
	assert.Contains(t, errs, want, "%v", args)
	assert.Equal(t, 1, strings.Count(errs, "\n"), "%v: one line: %s", args, errs)
}

// writeFile writes body to the file name in dir and returns its path.
func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

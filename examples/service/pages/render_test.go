package pages

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/socialprescribing/linkwork/examples/service/internal/browsertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden pages (and the README's screenshot, when chromium runs)")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to write %s", path)
	assert.Equal(t, string(want), string(got), "the page differs from %s; review it and run go test -update", path)
}

func renderCaseload(t testing.TB, v CaseloadView) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, RenderCaseload(&b, v))
	return b.String()
}

func renderSupervision(t testing.TB, v SupervisionView) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, RenderSupervision(&b, v))
	return b.String()
}

func TestRenderCaseloadGolden(t *testing.T) {
	f := newFixture(t)
	golden(t, "caseload.golden.html", []byte(renderCaseload(t, f.caseload(false))))
	golden(t, "caseload_names.golden.html", []byte(renderCaseload(t, f.caseload(true))))
}

func TestRenderSupervisionGolden(t *testing.T) {
	f := newFixture(t)
	golden(t, "supervision.golden.html", []byte(renderSupervision(t, f.supervision())))
}

func TestRenderCaseloadShowsTheViewsRows(t *testing.T) {
	f := newFixture(t)
	v := f.caseload(false)
	page := renderCaseload(t, v)

	cases := browsertest.Rows(t, page, "open-cases")
	require.Len(t, cases, len(v.Cases))
	for i, c := range v.Cases {
		assert.True(t, strings.HasPrefix(cases[i], c.ReferralShort+" "+c.Person.Short+" "+c.State), cases[i])
	}
	assert.Contains(t, cases[1], "On hold: Waiting for the person&#39;s housing move")
	assert.Len(t, browsertest.Rows(t, page, "holding-episodes"), 3)
	assert.Equal(t, []string{
		"Follow-up " + short(f.connected.String()) + " " + v.Overdue[0].Person.Short +
			" Follow up the connection to Tuesday walking group: did they go, did it help 1 Oct 2026 34",
		"Holding review " + v.Overdue[1].ReferralShort + " " + v.Overdue[1].Person.Short +
			" Review at the endpoint: end or extend (Connect to Riverside men&#39;s shed by 20 Oct 2026) 20 Oct 2026 15",
	}, browsertest.Rows(t, page, "overdue-items"))

	team := browsertest.Rows(t, renderSupervision(t, f.supervision()), "team")
	assert.Equal(t, []string{
		"Sam Okafor 5 3 60% 1 1 liminal since 2 Mar 2026 Prolonged Ambiguity about the role Instability of career and role every 28 days, next due 27 Oct 2026 Overdue",
		"Ana Kowalska 2 1 50% 0 0 incorporated since 1 Sep 2025 None every 28 days, next due 17 Nov 2026",
	}, team)
}

func TestRenderEmptyPagesSayNothingIsThere(t *testing.T) {
	page := renderCaseload(t, CaseloadView{Worker: "Sam", Date: "4 Nov 2026"})
	assert.Contains(t, page, "No open cases.")
	assert.Contains(t, page, "No one is held.")
	assert.Contains(t, page, "Nothing overdue.")
	assert.NotContains(t, page, "<table")

	page = renderSupervision(t, SupervisionView{Supervisor: "Kim"})
	assert.Contains(t, page, "No link workers in this team.")
}

// TestRenderCaseloadShowsNamesOnlyWhenTheViewAllows checks the page's view of rule PRIV-1; the rule's own
// tests are the library's, listed in docs/rules.md.
func TestRenderCaseloadShowsNamesOnlyWhenTheViewAllows(t *testing.T) {
	f := newFixture(t)
	hidden := renderCaseload(t, f.caseload(false))
	assert.NotContains(t, hidden, "Example", "no family name without ShowNames")
	assert.Contains(t, hidden, "People are shown by their pseudonymous ID.")
	for _, p := range f.patients[:5] {
		assert.Contains(t, hidden, `<code title="`+p.ID().String()+`">`+short(p.ID().String())+`</code>`)
	}

	// A view that carries names but does not allow them still hides them:
	// the page obeys ShowNames, not whatever the rows hold.
	v := f.caseload(true)
	v.ShowNames = false
	assert.NotContains(t, renderCaseload(t, v), "Example")

	shown := renderCaseload(t, f.caseload(true))
	assert.Contains(t, shown, "<td>Erin Example</td>")
	assert.NotContains(t, shown, "pseudonymous ID.")
}

func TestRenderEscapesHostileText(t *testing.T) {
	hostile := fixtureText{
		holdReason:  `<script>alert("hold")</script>`,
		walkingName: `<img src=x onerror=alert(1)>"><script>alert('asset')</script>`,
		samName:     `</title><script>alert(1)</script>`,
	}
	f := newFixtureWith(t, hostile)
	v := f.caseload(false)
	page := renderCaseload(t, v)
	sup := renderSupervision(t, f.supervision())

	for _, p := range []string{page, sup} {
		assert.NotContains(t, p, "<script")
		assert.NotContains(t, p, "<img")
		assert.NotContains(t, p, "</title><")
	}
	assert.Contains(t, page, "On hold: &lt;script&gt;alert(&#34;hold&#34;)&lt;/script&gt;")
	assert.Contains(t, page, "Follow up the connection to &lt;img src=x onerror=alert(1)&gt;&#34;&gt;&lt;script&gt;alert(&#39;asset&#39;)&lt;/script&gt;")
	assert.Contains(t, page, "<title>Caseload of &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; on 4 Nov 2026</title>")
	assert.Contains(t, sup, "<th scope=\"row\">&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</th>")

	// Text in an attribute is escaped for the attribute.
	v.Cases[0].Referral = `" onmouseover="alert(1)`
	assert.Contains(t, renderCaseload(t, v), `title="&#34; onmouseover=&#34;alert(1)"`)
}

func TestRenderedPagesAreAccessible(t *testing.T) {
	f := newFixture(t)
	for name, page := range map[string]string{
		"caseload":    renderCaseload(t, f.caseload(false)),
		"supervision": renderSupervision(t, f.supervision()),
	} {
		t.Run(name, func(t *testing.T) {
			assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>\n<html lang=\"en-GB\">"))
			assert.Contains(t, page, `<meta charset="utf-8">`)
			assert.Regexp(t, `<title>[^<]+</title>`, page)
			assert.Contains(t, page, "<main>")
			assert.Contains(t, page, "<style>", "the stylesheet is inline")
			assert.NotContains(t, page, "<script", "no JavaScript")
			assert.NotContains(t, page, "<link", "nothing fetched from elsewhere")
			tables := strings.Count(page, "<table")
			require.Positive(t, tables)
			assert.Equal(t, tables, strings.Count(page, "<caption>"), "every table has a caption")
			assert.Equal(t, tables, strings.Count(page, "<thead>"), "every table has column headers")
			for _, tr := range regexp.MustCompile(`(?s)<tbody>.*?</tbody>`).FindAllString(page, -1) {
				assert.Equal(t, strings.Count(tr, "<tr>"), strings.Count(tr, `<th scope="row">`), "every row has a row header")
			}
			for _, th := range regexp.MustCompile(`<th[ >]`).FindAllStringIndex(page, -1) {
				assert.Regexp(t, `^<th scope="(col|row)">`, page[th[0]:], "every header has a scope")
			}
		})
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

func TestRenderReportsWriteErrors(t *testing.T) {
	f := newFixture(t)
	assert.Error(t, RenderCaseload(failingWriter{}, f.caseload(false)))
	assert.Error(t, RenderSupervision(failingWriter{}, f.supervision()))
}

// FuzzRenderEscapes puts any text in every free-text place of both views
// and checks the pages never carry it as markup: no tag the templates do
// not write, and the text either appears escaped or has nothing to escape.
func FuzzRenderEscapes(f *testing.F) {
	for _, s := range []string{"", "plain", `<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`,
		`</td></tr></table><script>`, `javascript:alert(1)`, "<!--", `<style>body{display:none}</style>`, "\x00<b>"} {
		f.Add(s)
	}
	views := func(s string) (CaseloadView, SupervisionView) {
		p := Person{ID: s, Short: s, Name: s}
		cv := CaseloadView{Worker: s, Date: s, ShowNames: true,
			Cases:   []CaseRow{{Referral: s, ReferralShort: s, Person: p, State: s, NextStep: s, Note: s}},
			Holding: []HoldingRow{{Episode: s, EpisodeShort: s, Person: p, Reasons: []string{s}, Endpoint: s, Due: s, Class: s}},
			Overdue: []OverdueRow{{Kind: s, ReferralShort: s, Person: p, What: s, Due: s}},
		}
		sv := SupervisionView{Supervisor: s, Date: s, Workers: []WorkerRow{{Name: s, Short: s, HoldingLoad: s, Phase: s, Since: s, Missing: []string{s}}}}
		return cv, sv
	}
	cv, sv := views("x")
	plain := []string{renderCaseload(f, cv), renderSupervision(f, sv)}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return // empty text takes the templates' other branches
		}
		cv, sv := views(s)
		for i, page := range []string{renderCaseload(t, cv), renderSupervision(t, sv)} {
			// The text adds no markup: the page has as many tag and
			// attribute delimiters as the same page with harmless text.
			for _, delim := range []string{"<", ">", `"`} {
				assert.Equal(t, strings.Count(plain[i], delim), strings.Count(page, delim), "count of %s", delim)
			}
			assert.NotContains(t, page, "<script")
		}
	})
}

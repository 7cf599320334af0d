package linkwork_test

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rulebook, docs/rules.md, is read line by line in this form:
//
//	### HOLD-3 · Reaching the endpoint needs a review decision
//	...
//	- **Package**: `holding`
//	- **Tests**: `TestHOLD_3_TheEndpointNeedsADecision`, `TestOther`
//
// A level-three heading that starts with a rule ID opens an implemented
// rule; its block runs to the next heading. The rules not built yet are
// bullets in the section "## Planned rules", each starting with its ID in
// bold (- **ANCHOR-1** ...). Moving a rule from Planned into its section
// is one line: the bullet becomes a heading, and this test then says which
// Tests line it needs.
var (
	ruleHeading  = regexp.MustCompile(`^### ([A-Z]+-[0-9]+)\b`)
	plannedRule  = regexp.MustCompile(`^- \*\*([A-Z]+-[0-9]+)\*\*`)
	testsLine    = regexp.MustCompile(`^- \*\*Tests\*\*: (.*)$`)
	packageLine  = regexp.MustCompile(`^- \*\*Package\*\*: (.*)$`)
	quoted       = regexp.MustCompile("`([^`]*)`")
	listedName   = regexp.MustCompile(`^(Test|Fuzz|Example|Benchmark)[A-Za-z0-9_]*$`)
	ruleInAName  = regexp.MustCompile(`[A-Z]+_[0-9]+`)
	plannedTitle = "## Planned rules"
)

// rulebook is what docs/rules.md says.
type rulebook struct {
	rules    []string            // implemented rule IDs (HOLD-3), in order
	tests    map[string][]string // rule ID -> test functions it lists
	packages map[string][]string // rule ID -> packages it names
	planned  []string            // rule IDs not built yet
}

// readRulebook parses the rulebook's text, refusing anything that does
// not follow the form above rather than skipping it.
func readRulebook(text string) (rulebook, error) {
	book := rulebook{tests: map[string][]string{}, packages: map[string][]string{}}
	var current string // the rule whose block we are in, if any
	inPlanned := false
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			current = ""
			if strings.HasPrefix(line, "## ") {
				inPlanned = strings.TrimSpace(line) == plannedTitle
			}
		}
		if m := ruleHeading.FindStringSubmatch(line); m != nil {
			id := m[1]
			switch {
			case inPlanned:
				return book, fmt.Errorf("line %d: %s is a rule heading inside %q; planned rules are bullets", n, id, plannedTitle)
			case slices.Contains(book.rules, id):
				return book, fmt.Errorf("line %d: %s appears twice", n, id)
			}
			book.rules = append(book.rules, id)
			current = id
			continue
		}
		if m := plannedRule.FindStringSubmatch(line); m != nil && inPlanned {
			if slices.Contains(book.planned, m[1]) {
				return book, fmt.Errorf("line %d: %s planned twice", n, m[1])
			}
			book.planned = append(book.planned, m[1])
			continue
		}
		if m := testsLine.FindStringSubmatch(line); m != nil {
			if current == "" {
				return book, fmt.Errorf("line %d: a Tests line outside a rule", n)
			}
			if _, seen := book.tests[current]; seen {
				return book, fmt.Errorf("line %d: %s has two Tests lines", n, current)
			}
			names := unquote(m[1])
			if len(names) == 0 {
				return book, fmt.Errorf("line %d: %s lists no tests in backquotes", n, current)
			}
			for _, name := range names {
				if !listedName.MatchString(name) {
					return book, fmt.Errorf("line %d: %s lists %q, which is not a test function name", n, current, name)
				}
			}
			book.tests[current] = names
			continue
		}
		if m := packageLine.FindStringSubmatch(line); m != nil && current != "" {
			book.packages[current] = unquote(m[1])
		}
	}
	if err := sc.Err(); err != nil {
		return book, err
	}
	for _, id := range book.planned {
		if slices.Contains(book.rules, id) {
			return book, fmt.Errorf("%s is both planned and implemented", id)
		}
	}
	return book, nil
}

// unquote returns the backquoted names in s, in order.
func unquote(s string) []string {
	var out []string
	for _, m := range quoted.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// testNames is what the module's test files say.
type testNames struct {
	funcs map[string]bool                // every top-level function of a _test.go file
	rules map[string]map[string][]string // rule ID (HOLD-3) -> test function -> the names that carry it
}

// readTests parses every _test.go file under root (skipping .git) and
// collects the rule IDs in the names of test functions and of subtests
// started with t.Run and a literal name (or a name built from a literal:
// "EV_3 "+kind, fmt.Sprintf("REF_1 %s", ...)).
func readTests(t *testing.T, root string) testNames {
	t.Helper()
	found := testNames{funcs: map[string]bool{}, rules: map[string]map[string][]string{}}
	note := func(name, fn string) {
		for _, m := range ruleInAName.FindAllString(name, -1) {
			id := strings.Replace(m, "_", "-", 1)
			if found.rules[id] == nil {
				found.rules[id] = map[string][]string{}
			}
			found.rules[id][fn] = append(found.rules[id][fn], name)
		}
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Recv != nil {
				continue
			}
			fn := fd.Name.Name
			found.funcs[fn] = true
			if !strings.HasPrefix(fn, "Test") {
				continue
			}
			note(fn, fn)
			ast.Inspect(fd, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Run" {
					if name, ok := leadingLiteral(call.Args[0]); ok {
						note(name, fn)
					}
				}
				return true
			})
		}
		return nil
	})
	require.NoError(t, err)
	return found
}

// leadingLiteral returns the string literal a subtest's name starts with.
func leadingLiteral(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		return leadingLiteral(e.X)
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) > 0 {
			return leadingLiteral(e.Args[0])
		}
	}
	return "", false
}

// TestRulebookAndTestsNameTheSameRules keeps docs/rules.md and the tests
// in step: every rule in the rulebook has a test named after it (HOLD_3 in
// a test or subtest name for HOLD-3), every rule a test names is in the
// rulebook, every test the rulebook lists exists, and every test named
// after a rule is listed under it.
func TestRulebookAndTestsNameTheSameRules(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("docs", "rules.md"))
	require.NoError(t, err)
	book, err := readRulebook(string(text))
	require.NoError(t, err, "docs/rules.md")
	require.NotEmpty(t, book.rules, "docs/rules.md has no rule headings")
	found := readTests(t, ".")
	require.NotEmpty(t, found.rules, "no test in the module names a rule")

	for _, id := range book.rules {
		named := found.rules[id]
		assert.NotEmpty(t, named, "%s is in docs/rules.md but no test or subtest is named after it (%s)", id, strings.Replace(id, "-", "_", 1))

		listed, ok := book.tests[id]
		if !assert.True(t, ok, "%s has no Tests line in docs/rules.md", id) {
			continue
		}
		for _, name := range listed {
			assert.True(t, found.funcs[name], "docs/rules.md lists %s under %s, but no _test.go file declares it", name, id)
		}
		var missing []string
		for fn := range named {
			if !slices.Contains(listed, fn) {
				missing = append(missing, fn)
			}
		}
		slices.Sort(missing)
		assert.Empty(t, missing, "tests named after %s are not listed under it in docs/rules.md; its line could read:\n%s",
			id, testsLineFor(listed, missing, found.funcs))

		for _, pkg := range book.packages[id] {
			info, err := os.Stat(pkg)
			assert.True(t, err == nil && info.IsDir(), "docs/rules.md names package %q for %s, which is not a directory of the module", pkg, id)
		}
	}

	var unknown []string
	for id := range found.rules {
		if !slices.Contains(book.rules, id) {
			unknown = append(unknown, id)
		}
	}
	slices.Sort(unknown)
	for _, id := range unknown {
		var where []string
		for fn, names := range found.rules[id] {
			where = append(where, fmt.Sprintf("%s (%s)", fn, strings.Join(names, "; ")))
		}
		slices.Sort(where)
		if slices.Contains(book.planned, id) {
			assert.Fail(t, "a test names a planned rule",
				"%s is still under %q in docs/rules.md but tests now check it: %s; make its bullet a ### heading in its section", id, plannedTitle, strings.Join(where, ", "))
			continue
		}
		assert.Fail(t, "a test names a rule the rulebook lacks",
			"%s is not in docs/rules.md: %s", id, strings.Join(where, ", "))
	}
}

// testsLineFor is the Tests line a rule should have: what it lists that
// still exists, then the missing names.
func testsLineFor(listed, missing []string, exists map[string]bool) string {
	var names []string
	for _, name := range listed {
		if exists[name] {
			names = append(names, "`"+name+"`")
		}
	}
	for _, name := range missing {
		names = append(names, "`"+name+"`")
	}
	return "- **Tests**: " + strings.Join(names, ", ")
}

// TestRulebookParserRefusesWhatItCannotRead checks the parser itself on
// small rulebooks, so a change of form fails loudly instead of reading no
// rules and passing.
func TestRulebookParserRefusesWhatItCannotRead(t *testing.T) {
	book, err := readRulebook(strings.Join([]string{
		"# Rules",
		"## Holding",
		"### HOLD-3 · Reaching the endpoint needs a review decision",
		"- **Package**: `holding`",
		"- **Tests**: `TestHOLD_3_A`, `TestB`",
		"### HOLD-4 · Overdue",
		"- **Tests**: `TestHOLD_4_C`",
		plannedTitle,
		"- **ANCHOR-1** (planned, not yet tested): steps towards change.",
		"- not a rule line",
	}, "\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"HOLD-3", "HOLD-4"}, book.rules)
	assert.Equal(t, []string{"ANCHOR-1"}, book.planned)
	assert.Equal(t, []string{"TestHOLD_3_A", "TestB"}, book.tests["HOLD-3"])
	assert.Equal(t, []string{"holding"}, book.packages["HOLD-3"])

	// A planned bullet outside the planned section is not a rule at all,
	// and a planned rule moved into a section is a one-line change.
	moved, err := readRulebook("## Further\n### ANCHOR-1 · steps\n- **Tests**: `TestANCHOR_1_X`\n")
	require.NoError(t, err)
	assert.Equal(t, []string{"ANCHOR-1"}, moved.rules)

	bad := map[string]string{
		"duplicate rule":           "### HOLD-3 a\n- **Tests**: `TestA`\n### HOLD-3 b\n- **Tests**: `TestB`\n",
		"two Tests lines":          "### HOLD-3 a\n- **Tests**: `TestA`\n- **Tests**: `TestB`\n",
		"Tests line outside":       "## Holding\n- **Tests**: `TestA`\n",
		"nothing in backquotes":    "### HOLD-3 a\n- **Tests**: TestA\n",
		"not a test function name": "### HOLD-3 a\n- **Tests**: `HOLD_3`\n",
		"heading in planned":       plannedTitle + "\n### ANCHOR-1 steps\n",
		"planned and implemented":  "### ANCHOR-1 a\n- **Tests**: `TestA`\n" + plannedTitle + "\n- **ANCHOR-1** planned\n",
	}
	for name, text := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := readRulebook(text)
			assert.Error(t, err, "the parser accepted %q", text)
		})
	}
}

// TestRuleIDsAreReadFromTestAndSubtestNames checks the scan of test files
// on a small package written for it.
func TestRuleIDsAreReadFromTestAndSubtestNames(t *testing.T) {
	dir := t.TempDir()
	src := `package x

import (
	"fmt"
	"testing"
)

func TestHOLD_3_Decision(t *testing.T) {}

func TestPlain(t *testing.T) {
	t.Run("EV_3 "+"kind", func(t *testing.T) {})
	t.Run(fmt.Sprintf("REF_1 %s", "x"), func(t *testing.T) {})
	name := "LIM_9 not literal"
	t.Run(name, func(t *testing.T) {})
	_ = "DISC_9 in a string is not a name"
}

func helperHOLD_8() {}
`
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub", ".git"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "x_test.go"), []byte(src), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", ".git", "y_test.go"), []byte("package y\nfunc TestOUT_1(t *testing.T) {}\n"), 0o644))

	found := readTests(t, dir)
	var ids []string
	for id := range found.rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	assert.Equal(t, []string{"EV-3", "HOLD-3", "REF-1"}, ids)
	assert.Contains(t, found.rules["EV-3"], "TestPlain")
	assert.True(t, found.funcs["helperHOLD_8"], "every function counts as existing")
}

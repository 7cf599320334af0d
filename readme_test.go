package linkwork_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMESampleIsTheTourExample checks that the Go sample in README.md is
// the body of Example_tour, which compiles and runs as a test, so the README
// never shows code that does not work.
func TestREADMESampleIsTheTourExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	src, err := os.ReadFile("example_test.go")
	require.NoError(t, err)

	_, sample, ok := strings.Cut(string(readme), "```go\n")
	require.True(t, ok, "README.md has a Go sample")
	sample, _, ok = strings.Cut(sample, "```")
	require.True(t, ok)

	_, body, ok := strings.Cut(string(src), "func Example_tour() {\n")
	require.True(t, ok)
	body, _, ok = strings.Cut(body, "\n}\n")
	require.True(t, ok)

	assert.Equal(t, normalise(body), normalise(sample))
}

// normalise drops each line's indentation and blank lines.
func normalise(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

package eventtest

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// SnakeCase returns a pattern that matches a JSON name of the library:
// lower-case words of letters and digits joined by single underscores, the
// first word starting with a letter. Each call compiles its own, so no
// caller can change another's.
func SnakeCase() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`) }

// JSONKeys writes v as JSON and returns every object key in it, at any
// depth, each once and sorted, for a test that checks names against
// [SnakeCase].
func JSONKeys(t testing.TB, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(b, &doc))
	keys := map[string]bool{}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				keys[k] = true
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(doc)
	return slices.Sorted(maps.Keys(keys))
}

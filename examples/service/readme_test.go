package main

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADME_ListsEveryRoute: the README's route table names every route
// of the route table, and no other.
func TestREADME_ListsEveryRoute(t *testing.T) {
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	tokens, err := NewTokens(nil)
	require.NoError(t, err)
	srv := NewServer(nil, tokens, nil, nil)
	rows := regexp.MustCompile("(?m)^\\| `((?:GET|POST) [^`?]+)[^`]*` \\|").FindAllStringSubmatch(string(b), -1)
	var documented []string
	for _, r := range rows {
		documented = append(documented, r[1])
	}
	assert.ElementsMatch(t, srv.Routes(), documented)
}

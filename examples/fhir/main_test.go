package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunPrintsTheTransactionAndTheMessageBack(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	parts := strings.Split(out.String(), "\n# ")
	require.Len(t, parts, 2)
	for i, want := range []string{"transaction", "document"} {
		body := parts[i][strings.Index(parts[i], "\n")+1:]
		var b struct {
			ResourceType, Type string
			Entry              []json.RawMessage
		}
		require.NoError(t, json.Unmarshal([]byte(body), &b), "part %d is one JSON Bundle", i)
		assert.Equal(t, "Bundle", b.ResourceType)
		assert.Equal(t, want, b.Type)
		assert.NotEmpty(t, b.Entry)
	}
	var again bytes.Buffer
	require.NoError(t, run(&again))
	assert.Equal(t, out.String(), again.String(), "the same on every run")
}

func TestImportFilePrintsTheReferral(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, importFile(&out, "../../prescribing/fhir/testdata/gp-referral.json"))
	s := out.String()
	assert.Contains(t, s, "(received)")
	assert.Contains(t, s, "source:     gp (Dr Patel)")
	assert.Contains(t, s, "[social_isolation other]")
	assert.Contains(t, s, "ODS A81001")
	assert.Contains(t, s, "943 476 5919", "the program shows the details it imported, as an explicit export")

	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"resourceType":"Bundle","entry":[]}`), 0o600))
	err := importFile(&out, bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Bundle.entry")
}

func TestWriteExamplesCoversEveryState(t *testing.T) {
	dir := t.TempDir()
	n, err := writeExamples(dir)
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	assert.Len(t, files, n)
	statuses := map[string]bool{}
	documents := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var r struct{ ResourceType, Status, Type string }
		require.NoError(t, json.Unmarshal(data, &r))
		if r.ResourceType == "Task" {
			statuses[r.Status] = true
		}
		if r.Type == "document" {
			documents++
		}
	}
	for _, s := range []string{"requested", "accepted", "rejected", "in-progress", "on-hold", "completed", "cancelled", "entered-in-error"} {
		assert.True(t, statuses[s], "no Task with status %s", s)
	}
	assert.Equal(t, 3, documents, "a message back per closed story")
}

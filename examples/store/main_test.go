package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunStoresAndRebuildsAPatient(t *testing.T) {
	path := filepath.Join(t.TempDir(), "linkwork.db")
	var first bytes.Buffer
	require.NoError(t, run(t.Context(), path, &first))
	want := "patient/c4f5a586-56ee-4510-9dce-c3ad077dec6c v1 at position 1: patient.registered by staff-0042\n" +
		"patient/c4f5a586-56ee-4510-9dce-c3ad077dec6c v2 at position 2: patient.risk_assessed by staff-0042\n" +
		"rebuilt at version 2: patient c4f5a586-56ee-4510-9dce-c3ad077dec6c (no NHS number)\n"
	assert.Equal(t, want, first.String())
	assert.NotContains(t, first.String(), "Ada", "no personal data printed")

	// A second run, a new process's view of the same file, finds the
	// stream, is refused the duplicate append, and rebuilds the same record.
	var second bytes.Buffer
	require.NoError(t, run(t.Context(), path, &second))
	assert.Equal(t, "already stored: stream version conflict: patient/c4f5a586-56ee-4510-9dce-c3ad077dec6c: expected no stream, found version 2\n"+want, second.String())
}

package store

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const aUUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"

func TestParseStaffID(t *testing.T) {
	for _, text := range []string{"", "staff-0042", "ods:G81001-42", aUUID, strings.ToUpper(aUUID), "A", strings.Repeat("x", MaxStaffIDBytes)} {
		a, err := ParseStaffID(text)
		require.NoError(t, err, text)
		assert.Equal(t, text, a.String())
		assert.Equal(t, text == "", a.IsZero())
		b, err := a.MarshalText()
		require.NoError(t, err)
		var back StaffID
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, a, back)
	}
	for name, text := range map[string]string{
		"a name with a space": "Ada Lovelace",
		"an e-mail address":   "ada@example.org",
		"a dotted name":       "ada.lovelace",
		"starts with '-'":     "-staff",
		"starts with ':'":     ":staff",
		"too long":            strings.Repeat("x", MaxStaffIDBytes+1),
		"NUL":                 "staff\x00",
		"invalid UTF-8":       "staff\xff",
		"non-ASCII letter":    "zoë",
	} {
		_, err := ParseStaffID(text)
		assert.ErrorIs(t, err, ErrInvalidStaffID, name)
		if err != nil {
			assert.NotContains(t, err.Error(), text, "%s: the error does not quote the text", name)
		}
	}
	var a StaffID
	assert.ErrorIs(t, a.UnmarshalText([]byte("Ada Lovelace")), ErrInvalidStaffID)
	assert.True(t, a.IsZero())
}

func FuzzParseStaffID(f *testing.F) {
	for _, s := range []string{"", "staff-0042", "Ada Lovelace", "a@b", aUUID} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		a, err := ParseStaffID(text)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidStaffID)
			require.True(t, a.IsZero())
			return
		}
		require.Equal(t, text, a.String())
		require.NotContains(t, text, " ")
		require.NotContains(t, text, "@")
		require.NotContains(t, text, ".")
	})
}

func TestExpectedVersionString(t *testing.T) {
	assert.Equal(t, "any", ExpectAny.String())
	assert.Equal(t, "no stream", ExpectNoStream.String())
	assert.Equal(t, "7", ExpectedVersion(7).String())
}

func TestStaffIDSQLValues(t *testing.T) {
	a, err := ParseStaffID("staff-1")
	require.NoError(t, err)
	av, err := a.Value()
	require.NoError(t, err)
	var ab StaffID
	require.NoError(t, ab.Scan(av))
	assert.Equal(t, a, ab)
	require.NoError(t, ab.Scan([]byte("staff-2")))
	assert.Equal(t, "staff-2", ab.String())
	require.NoError(t, ab.Scan(nil))
	assert.True(t, ab.IsZero())
	assert.ErrorIs(t, ab.Scan(1.5), ErrInvalidStaffID)
	assert.ErrorIs(t, ab.Scan("ada@example.org"), ErrInvalidStaffID)
}

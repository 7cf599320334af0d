package store

import (
	"encoding"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const aUUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"

func TestParseStreamID(t *testing.T) {
	for _, text := range []string{
		"referral/" + aUUID,
		"holding_episode/" + aUUID,
		"a/" + aUUID,
		"prescribing.patient-v2/" + aUUID,
		strings.Repeat("k", MaxKindBytes) + "/" + aUUID,
	} {
		s, err := ParseStreamID(text)
		require.NoError(t, err, text)
		assert.Equal(t, text, s.String())
		kind, _, _ := strings.Cut(text, "/")
		assert.Equal(t, kind, s.Kind())
		assert.Equal(t, uuid.MustParse(aUUID), s.ID())
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back StreamID
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	for name, text := range map[string]string{
		"empty":                  "",
		"no slash":               "referral" + aUUID,
		"no kind":                "/" + aUUID,
		"no UUID":                "referral/",
		"nil UUID":               "referral/00000000-0000-0000-0000-000000000000",
		"upper-case UUID":        "referral/" + strings.ToUpper(aUUID),
		"braced UUID":            "referral/{" + aUUID + "}",
		"UUID without hyphens":   "referral/" + strings.ReplaceAll(aUUID, "-", ""),
		"upper-case kind":        "Referral/" + aUUID,
		"kind starts with digit": "1referral/" + aUUID,
		"kind with space":        "re ferral/" + aUUID,
		"kind with slash":        "a/b/" + aUUID,
		"kind too long":          strings.Repeat("k", MaxKindBytes+1) + "/" + aUUID,
		"invalid UTF-8":          "r\xff/" + aUUID,
		"trailing data":          "referral/" + aUUID + " ",
	} {
		_, err := ParseStreamID(text)
		assert.ErrorIs(t, err, ErrInvalidStream, name)
		if err != nil && len(text) > 2 {
			assert.NotContains(t, err.Error(), text, "%s: the error does not quote the text", name)
		}
	}
	var zero StreamID
	assert.True(t, zero.IsZero())
	assert.Equal(t, "", zero.String())
	_, err := zero.MarshalText()
	assert.ErrorIs(t, err, ErrInvalidStream)
	_, err = NewStreamID("referral", uuid.Nil)
	assert.ErrorIs(t, err, ErrInvalidStream)
	assert.Panics(t, func() { MustStreamID("", uuid.New()) })
	var s StreamID
	assert.ErrorIs(t, s.UnmarshalText([]byte("x")), ErrInvalidStream)
	assert.True(t, s.IsZero(), "a failed UnmarshalText leaves the value alone")
	var _ encoding.TextUnmarshaler = &s
}

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

func FuzzParseStreamID(f *testing.F) {
	for _, s := range []string{"referral/" + aUUID, "", "/", "a/b/c", "referral/" + strings.ToUpper(aUUID), "r\xff/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseStreamID(text)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidStream)
			require.True(t, s.IsZero())
			return
		}
		require.Equal(t, text, s.String(), "one text form")
		back, err := NewStreamID(s.Kind(), s.ID())
		require.NoError(t, err)
		require.Equal(t, s, back)
	})
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

func TestSQLValues(t *testing.T) {
	s, err := ParseStreamID("referral/" + aUUID)
	require.NoError(t, err)
	v, err := s.Value()
	require.NoError(t, err)
	assert.Equal(t, "referral/"+aUUID, v)
	var back StreamID
	require.NoError(t, back.Scan(v))
	assert.Equal(t, s, back)
	require.NoError(t, back.Scan([]byte("referral/"+aUUID)))
	assert.Equal(t, s, back)
	require.NoError(t, back.Scan(nil))
	assert.True(t, back.IsZero())
	v, err = back.Value()
	require.NoError(t, err)
	assert.Nil(t, v)
	assert.ErrorIs(t, back.Scan(42), ErrInvalidStream)
	assert.ErrorIs(t, back.Scan("Ada Lovelace"), ErrInvalidStream)

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

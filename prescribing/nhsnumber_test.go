package prescribing

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestID_3_ValidNumbersInEveryAcceptedSpelling(t *testing.T) {
	for _, text := range []string{
		"9434765919", "943 476 5919", "943-476-5919",
	} {
		n, err := ParseNHSNumber(text)
		require.NoError(t, err, text)
		assert.Equal(t, "943 476 5919", n.Grouped(), text)
		assert.Equal(t, "9434765919", n.Digits())
	}
	// Check digits 0 (from 11) and others, computed by hand:
	// 401 023 2137: 4*10+0*9+1*8+0*7+2*6+3*5+2*4+1*3+3*2 = 92; 92 mod 11 = 4; 11-4 = 7.
	// 000 000 0000: sum 0; 11-0 = 11, which means 0.
	for _, text := range []string{"401 023 2137", "000 000 0000"} {
		_, err := ParseNHSNumber(text)
		assert.NoError(t, err, text)
	}
}

func TestID_3_RejectsWithAReason(t *testing.T) {
	cases := map[string]string{
		"":               "empty",
		"   ":            "empty",
		"943476591":      "9 digits, want 10",
		"94347659190":    "more than 10 digits",
		"9434765918":     "check digit does not match",
		"943 476 5918":   "check digit does not match",
		"94 3476 5919":   "does not split the digits 3-3-4",
		"943  476 5919":  "does not split the digits 3-3-4",
		"943 4765919":    "only one group separator",
		"943-4765919":    "only one group separator",
		"943-476 5919":   "mixes a space and a dash",
		"943 476-5919":   "mixes a space and a dash",
		"-943-476-5919":  "separator at position 1 does not split",
		"943-476-5919-":  "separator at position 13 does not split",
		"-9434765919":    "separator at position 1 does not split",
		"9434765919-":    "separator at position 11 does not split",
		"943--476-5919":  "separator at position 5 does not split",
		" 943 476 5919":  "leading or trailing space",
		"943 476 5919 ":  "leading or trailing space",
		" 9434765919 ":   "leading or trailing space",
		"943.476.5919":   "unexpected character '.' at position 4",
		"943 476 591x":   "unexpected character 'x' at position 12",
		"943\t476\t5919": "unexpected character '\\t' at position 4",
		"９４３4765919":     "unexpected character '９' at position 1",
	}
	for text, why := range cases {
		_, err := ParseNHSNumber(text)
		require.ErrorIs(t, err, ErrInvalidNHSNumber, "%q", text)
		assert.Contains(t, err.Error(), why, "%q", text)
	}
}

func TestID_3_CheckDigitOfTenIsInvalid(t *testing.T) {
	// Find nine digits whose check digit would be 10, and show that no tenth
	// digit makes a valid number of them.
	nine := []byte("000000000")
	found := false
	for i := range 1000 {
		copy(nine[6:], fmt.Sprintf("%03d", i))
		if _, ok := nhsCheckDigit(nine); !ok {
			found = true
			break
		}
	}
	require.True(t, found)
	for last := '0'; last <= '9'; last++ {
		_, err := ParseNHSNumber(string(nine) + string(last))
		require.ErrorIs(t, err, ErrInvalidNHSNumber)
		assert.Contains(t, err.Error(), "check digit would be 10")
	}
}

func TestID_3_ErrorsNeverRepeatTheDigits(t *testing.T) {
	for _, text := range []string{"9434765918", "943 476 5918", "94347659", "943476591999"} {
		_, err := ParseNHSNumber(text)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "943476", text)
		assert.NotContains(t, err.Error(), "943 476", text)
	}
}

func TestID_3_TextSQLAndJSONForms(t *testing.T) {
	n, err := ParseNHSNumber("943 476 5919")
	require.NoError(t, err)

	// Text and JSON are default encodings, so they are redacted (PRIV-1), and
	// reading the redacted form back is an error, not a silent loss.
	b, err := json.Marshal(n)
	require.NoError(t, err)
	assert.Equal(t, `"*** *** *919"`, string(b))
	var back NHSNumber
	assert.ErrorIs(t, json.Unmarshal(b, &back), ErrInvalidNHSNumber)
	require.NoError(t, json.Unmarshal([]byte(`"943 476 5919"`), &back))
	assert.Equal(t, n, back)

	// database/sql is the explicit storage channel: the ten digits.
	v, err := n.Value()
	require.NoError(t, err)
	assert.Equal(t, "9434765919", v)
	var scanned NHSNumber
	require.NoError(t, scanned.Scan(v))
	assert.Equal(t, n, scanned)
	require.NoError(t, scanned.Scan([]byte("943-476-5919")))
	assert.Equal(t, n, scanned)
	require.NoError(t, scanned.Scan(nil))
	assert.True(t, scanned.IsZero())
	assert.ErrorIs(t, scanned.Scan(int64(9434765919)), ErrInvalidNHSNumber) // drivers give integers as int64

	var zero NHSNumber
	assert.True(t, zero.IsZero())
	b, err = zero.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, b)
	v, err = zero.Value()
	require.NoError(t, err)
	assert.Nil(t, v)
	require.NoError(t, back.UnmarshalText(nil))
	assert.True(t, back.IsZero())
	assert.Equal(t, "", zero.Grouped())
	assert.Equal(t, "none", zero.String())
	assert.ErrorIs(t, back.UnmarshalText([]byte("123")), ErrInvalidNHSNumber)
}

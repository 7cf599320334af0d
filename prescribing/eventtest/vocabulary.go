package eventtest

import (
	"database/sql/driver"
	"encoding"
	"encoding/json"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// VocabularyForms checks that an enumeration gets its text, JSON and
// database/sql forms through a [prescribing.Vocabulary], as every
// enumeration of the library does: values, given in order, start at 1;
// each round-trips through text, JSON, Value and Scan; the next value after
// the last is refused with [prescribing.ErrUnknownValue] in every form; and
// the zero value is unset, stored as NULL.
func VocabularyForms[E interface {
	~uint8
	String() string
	MarshalText() ([]byte, error)
	Value() (driver.Value, error)
}, P interface {
	*E
	encoding.TextUnmarshaler
	Scan(any) error
}](t *testing.T, values []E) {
	t.Helper()
	require.NotEmpty(t, values)
	for i, v := range values {
		require.Equal(t, E(i+1), v, "values start at 1 in order")
		text, err := v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, v.String(), string(text))
		assert.Regexp(t, `^[a-z][a-z0-9_]*$`, string(text))
		var back E
		require.NoError(t, P(&back).UnmarshalText(text))
		assert.Equal(t, v, back)
		b, err := json.Marshal(v)
		require.NoError(t, err)
		var fromJSON E
		require.NoError(t, json.Unmarshal(b, &fromJSON))
		assert.Equal(t, v, fromJSON)
		dv, err := v.Value()
		require.NoError(t, err)
		assert.Equal(t, string(text), dv)
		var scanned E
		require.NoError(t, P(&scanned).Scan(dv))
		assert.Equal(t, v, scanned)
		require.NoError(t, P(&scanned).Scan([]byte(string(text))))
		assert.Equal(t, v, scanned)
	}
	out := E(len(values) + 1)
	_, err := out.MarshalText()
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
	_, err = out.Value()
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
	_, err = json.Marshal(out)
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
	var bad E
	assert.ErrorIs(t, P(&bad).UnmarshalText([]byte("sideways")), prescribing.ErrUnknownValue)
	assert.ErrorIs(t, P(&bad).Scan(int64(1)), prescribing.ErrUnknownValue)
	var unset E
	dv, err := unset.Value()
	require.NoError(t, err)
	assert.Nil(t, dv, "unset is NULL")
	require.NoError(t, P(&bad).Scan(nil))
	assert.Zero(t, bad)
}

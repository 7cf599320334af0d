package prescribing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// duplicateKeysByTokens is the obvious way to find a key given twice, with
// encoding/json's tokens: the reference the codec's byte scanner must agree
// with.
func duplicateKeysByTokens(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		keys   map[string]bool
		object bool
		key    bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if k, isKey := tok.(string); isKey && len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].key {
			top := &stack[len(stack)-1]
			lower := strings.ToLower(k)
			if top.keys[lower] {
				return true
			}
			top.keys[lower], top.key = true, false
			continue
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{keys: map[string]bool{}, object: true, key: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].key = true
			}
		}
	}
}

// FuzzEV_2_JSONScannersAgreeWithEncodingJSON checks the codec's byte
// scanners (duplicate keys, an object's members, an array's items) against
// encoding/json on valid JSON: they decide what the codec refuses, so they
// must read JSON exactly as the decoder does.
func FuzzEV_2_JSONScannersAgreeWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":[1,{"a":2}],"c":{"a":"}"}}`, `{"a":1,"A":2}`, `{"a\u0062":1,"ab":2}`,
		`{"x":"\"a\":1","a":{"a":1}}`, `[{"a":1},{"a":1}]`, ` { "a" : [ ] , "b" : { } } `, `{"a":{"b":1,"b":2}}`, `"s"`, `12`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		assert.Equal(t, duplicateKeysByTokens(data), checkDuplicateKeys(data) != nil, "duplicate keys in %q", data)
		var asMap map[string]json.RawMessage
		if json.Unmarshal(data, &asMap) == nil && asMap != nil {
			members, ok := objectMembers(data)
			require.True(t, ok, "%q is an object", data)
			for _, m := range members {
				var key string
				require.NoError(t, json.Unmarshal(append(append([]byte{'"'}, m.key...), '"'), &key))
				require.True(t, json.Valid(m.value), "member %q of %q", key, data)
			}
			if checkDuplicateKeys(data) == nil {
				assert.Len(t, members, len(asMap), "members of %q", data)
			}
		}
		var asList []json.RawMessage
		if json.Unmarshal(data, &asList) == nil && asList != nil {
			items, ok := arrayItems(data)
			require.True(t, ok, "%q is an array", data)
			require.Len(t, items, len(asList))
			for i := range items {
				assert.JSONEq(t, string(asList[i]), string(items[i]))
			}
		}
	})
}

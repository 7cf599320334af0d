package eventtest

import "errors"

// WrapsOneOf reports whether err wraps any of the sentinels, for a
// property test that checks every refusal wraps one its package documents.
func WrapsOneOf(err error, sentinels ...error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

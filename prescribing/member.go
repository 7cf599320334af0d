package prescribing

import "fmt"

// checkMember returns nil if e is a named value of vocabulary v. The zero
// value ("unset") is an error wrapping both [ErrMissingDetail] and
// [ErrUnknownValue]; a value out of range wraps [ErrUnknownValue]. Live
// operations and Apply use it, so a value the codec could not write is never
// accepted.
func checkMember[E ~uint8](v Vocabulary[E], e E) error {
	switch {
	case e == 0:
		return fmt.Errorf("%w: %w: no %s", ErrMissingDetail, ErrUnknownValue, v.Kind())
	case !v.Valid(e):
		return fmt.Errorf("%w: %s", ErrUnknownValue, v.String(e))
	}
	return nil
}

// checkTexts checks each named text with [CheckText], in order, and returns
// the first error. The pairs are (what, text).
func checkTexts(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := CheckText(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

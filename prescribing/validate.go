package prescribing

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// What a live operation accepts, the codec must store and replay must
// rebuild equal. These checks are the door every package's live operations
// and Apply pass through, so that nothing is accepted that JSON cannot carry
// or would carry back changed.
var (
	// ErrTimeOutOfRange reports a time whose year, in UTC, is outside 1 to
	// 9999: the JSON form of a time (RFC 3339) cannot carry it.
	ErrTimeOutOfRange = errors.New("time outside the years 1 to 9999")
	// ErrInvalidText reports free text that is not valid UTF-8, holds a NUL
	// character, or is longer than [MaxTextBytes]. JSON would rewrite the
	// first to U+FFFD, databases refuse the second, and the third is a
	// bound on what a record keeps.
	ErrInvalidText = errors.New("invalid text")
	// ErrNotFinite reports a score, threshold or ratio that is NaN or
	// infinite: JSON cannot carry it and no rule can compare it.
	ErrNotFinite = errors.New("not a finite number")
)

// MaxTextBytes bounds every free-text field (a reason, a rationale, a note,
// a name), in bytes of UTF-8.
const MaxTextBytes = 4096

// MinYear and MaxYear bound the years, in UTC, of every time the library
// accepts.
const (
	MinYear = 1
	MaxYear = 9999
)

// CheckTimeRange returns an error wrapping [ErrTimeOutOfRange] if at's year in
// UTC is outside [MinYear]..[MaxYear]. The zero time (year 1) is in range;
// whether a time is required is the caller's rule ([ErrNoTime]).
func CheckTimeRange(at time.Time) error {
	// Comparing Unix seconds is the same test as the year in UTC, and
	// cheaper: every change of every record passes here. A time's
	// nanoseconds are never negative, so its second alone decides.
	if s := at.Unix(); s < minUnix || s >= afterMaxUnix {
		return fmt.Errorf("%w: year %d", ErrTimeOutOfRange, at.UTC().Year())
	}
	return nil
}

// minUnix and afterMaxUnix bound the Unix seconds CheckTimeRange accepts:
// from the start of year MinYear to before the start of the year after
// MaxYear, in UTC (a test checks them against time.Date).
const (
	minUnix      = -62135596800 // 0001-01-01T00:00:00Z
	afterMaxUnix = 253402300800 // 10000-01-01T00:00:00Z
)

// CheckText returns an error wrapping [ErrInvalidText], naming the field
// (what), if s is not valid UTF-8, holds a NUL character or is longer than
// [MaxTextBytes]. The message never quotes the text, which may be personal.
func CheckText(what, s string) error {
	switch {
	case len(s) > MaxTextBytes:
		return fmt.Errorf("%w: %s is %d bytes, more than %d", ErrInvalidText, what, len(s), MaxTextBytes)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidText, what)
	case strings.IndexByte(s, 0) >= 0:
		return fmt.Errorf("%w: %s holds a NUL character", ErrInvalidText, what)
	}
	return nil
}

// IsBlank reports whether s shows nothing to a reader: it holds only white
// space and invisible format characters (Unicode category Cf, such as the
// zero-width space). A reason of only spaces is no reason.
func IsBlank(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) }) < 0
}

// CheckFinite returns an error wrapping [ErrNotFinite], naming the field
// (what), if v is NaN or infinite.
func CheckFinite(what string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%w: %s is %v", ErrNotFinite, what, v)
	}
	return nil
}

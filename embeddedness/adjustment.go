package embeddedness

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrInvalidAdjustment reports evidence of adjustment that is not evidence
// (rule EMB-3): a side with a description but no kind, a kind but no
// description, or a description that is a placeholder ("n/a", "-",
// "none") rather than a change someone made. Leave a side empty to say
// there is no evidence for it.
var ErrInvalidAdjustment = errors.New("invalid evidence of adjustment")

// AdjustmentKind is the kind of change one side made for the other: the
// typed part of the evidence of adjustment that belonging requires (rule
// EMB-3). Every kind can be made by either side: the practice giving the
// link worker a room is [AdjustmentKindAccess], and so is the link worker
// getting the practice's receptionists into a community venue's booking
// system.
type AdjustmentKind uint8

// Kinds of adjustment, after what the study saw practices and link workers
// change for each other (Tierney et al., BJGP 2025).
const (
	// AdjustedAccess: gave or arranged access the other needs: a room,
	// the clinical system, records, a place on a rota.
	AdjustmentKindAccess AdjustmentKind = iota + 1
	// AdjustedWorkingPattern: changed days, hours or clinics to fit the
	// other's work.
	AdjustmentKindWorkingPattern
	// AdjustedReferralPathway: changed what is referred, or how referrals
	// are made, triaged or fed back.
	AdjustmentKindReferralPathway
	// AdjustedTeamInclusion: brought the other into, or joined, team
	// meetings, huddles and the practice's communications.
	AdjustmentKindTeamInclusion
	// AdjustedSupport: arranged supervision, training or other support
	// for the other.
	AdjustmentKindSupport
	// AdjustedFeedback: shared feedback or outcomes with the other.
	AdjustmentKindFeedback
	// AdjustedRole: changed what the role does, or how the practice uses
	// it, after negotiating it together.
	AdjustmentKindRole
	// AdjustedOther: another change, which the description says.
	AdjustmentKindOther
)

var adjustmentKinds = prescribing.NewVocabulary[AdjustmentKind]("adjustment kind",
	"access", "working_pattern", "referral_pathway", "team_inclusion", "support", "feedback", "role", "other")

// AdjustmentKinds returns every kind of adjustment in order.
func AdjustmentKinds() []AdjustmentKind { return adjustmentKinds.Values() }

// String returns the kind's text form ("working_pattern").
func (k AdjustmentKind) String() string { return adjustmentKinds.String(k) }

// IsValid reports whether k is a known kind of adjustment.
func (k AdjustmentKind) IsValid() bool { return adjustmentKinds.Valid(k) }

// MarshalText implements [encoding.TextMarshaler].
func (k AdjustmentKind) MarshalText() ([]byte, error) { return adjustmentKinds.MarshalText(k) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *AdjustmentKind) UnmarshalText(b []byte) (err error) {
	*k, err = adjustmentKinds.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (k *AdjustmentKind) Scan(src any) (err error) { *k, err = adjustmentKinds.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (k AdjustmentKind) Value() (driver.Value, error) { return adjustmentKinds.Value(k) }

// Adjustment is one side's evidence of adjustment (rule EMB-3): the kind of
// change made and a description of it ("added the link worker to the
// Tuesday clinical meeting"). The zero Adjustment means no evidence.
// Anything else must be whole: a known kind, and a description that says
// something, not a placeholder (see [Adjustment.Validate]).
// Do not put personal data in the description.
type Adjustment struct {
	Kind        AdjustmentKind `json:"kind"`
	Description string         `json:"description"`
}

// IsZero reports whether a is the zero Adjustment: no evidence.
func (a Adjustment) IsZero() bool { return a == Adjustment{} }

// Validate returns nil for the zero Adjustment and for whole evidence, and
// otherwise an error wrapping [ErrInvalidAdjustment] (and
// [prescribing.ErrUnknownValue] for a kind outside the vocabulary, or
// [prescribing.ErrInvalidText] for a description that is not valid text).
// A description is evidence when, lower-cased with everything but letters
// and digits taken out, it is not one of the stock placeholders (na, none,
// nil, null, nothing, nochange, same, unknown, notknown, notrecorded,
// notapplicable, tbc, tbd, tba, todo, test, blank, empty, xxx, asabove,
// seeabove, seenotes, other, yes), and at least one of its words has three
// or more letters, not all the same, and is neither such a placeholder nor
// a filler that says nothing on its own ("changed", "all", "see", ...): so
// "nothing changed", "none at all", "N/A N/A" and "xxxx" are refused.
func (a Adjustment) Validate() error {
	if a.IsZero() {
		return nil
	}
	switch {
	case a.Kind == 0:
		return fmt.Errorf("%w: a description without a kind of adjustment", ErrInvalidAdjustment)
	case !a.Kind.IsValid():
		return fmt.Errorf("%w: %w: %s", ErrInvalidAdjustment, prescribing.ErrUnknownValue, a.Kind)
	}
	if err := prescribing.CheckText("description of an adjustment", a.Description); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidAdjustment, err)
	}
	if !meaningful(a.Description) {
		return fmt.Errorf("%w: the description of a %s adjustment is blank or a placeholder; leave the side empty if nothing changed",
			ErrInvalidAdjustment, a.Kind)
	}
	return nil
}

// placeholders are what people write in a box that asks for evidence when
// they have none, reduced to lower-case letters and digits.
var placeholders = [...]string{"na", "none", "nil", "null", "nothing", "nochange", "same", "unknown", "notknown",
	"notrecorded", "notapplicable", "tbc", "tbd", "tba", "todo", "test", "blank", "empty", "xxx", "asabove",
	"seeabove", "seenotes", "other", "yes"}

// fillers are words that say nothing on their own in a box that asks for
// evidence ("nothing changed", "none at all", "see above").
var fillers = [...]string{"all", "and", "any", "the", "not", "see", "above", "below", "notes", "change", "changed",
	"changes", "applicable", "known", "recorded", "yet", "for", "now", "same", "still", "there", "was", "were"}

// meaningful reports whether a description says something: the whole of it
// is not a stock placeholder, and at least one of its words has three or
// more letters, not all the same letter ("xxxx"), and is neither a
// placeholder nor a filler word.
func meaningful(s string) bool {
	var whole strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			whole.WriteRune(unicode.ToLower(r))
		}
	}
	if slices.Contains(placeholders[:], whole.String()) {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if says(w) {
			return true
		}
	}
	return false
}

// says reports whether one lower-case word says something on its own: it
// has three letters or more, not all the same, and is no placeholder or
// filler.
func says(w string) bool {
	letters, mixed := 0, false
	var first rune
	for _, r := range w {
		if letters == 0 {
			first = r
		} else if r != first {
			mixed = true
		}
		letters++
	}
	return letters >= 3 && mixed && !slices.Contains(placeholders[:], w) && !slices.Contains(fillers[:], w)
}

// Adjustments are the evidence that both sides have changed something for
// each other, which belonging requires (rule EMB-3): what the practice
// changed for the link worker, and what the link worker changed for the
// practice. A zero side means no evidence from it.
type Adjustments struct {
	ByPractice   Adjustment `json:"by_practice,omitzero"`
	ByLinkWorker Adjustment `json:"by_link_worker,omitzero"`
}

// Validate checks each side with [Adjustment.Validate].
func (a Adjustments) Validate() error {
	if err := a.ByPractice.Validate(); err != nil {
		return fmt.Errorf("by the practice: %w", err)
	}
	if err := a.ByLinkWorker.Validate(); err != nil {
		return fmt.Errorf("by the link worker: %w", err)
	}
	return nil
}

// Both reports whether there is whole evidence of adjustment by both sides.
func (a Adjustments) Both() bool {
	return a.Validate() == nil && !a.ByPractice.IsZero() && !a.ByLinkWorker.IsZero()
}

func missingSides(a Adjustments) string {
	p, w := a.ByPractice.IsZero(), a.ByLinkWorker.IsZero()
	switch {
	case p && w:
		return "both the practice and the link worker"
	case p:
		return "the practice"
	default:
		return "the link worker"
	}
}

package prescribing

import "database/sql/driver"

// Outcome is how a referral ended when it closed (rule REF-4).
type Outcome uint8

// Outcomes of a closed referral.
const (
	OutcomeConnectedAndBenefited     Outcome = iota + 1 // connected to community support and benefited
	OutcomeNeedsMetWithoutConnection                    // needs met by the link worker's support alone
	OutcomeReferredOn                                   // referred on to another service
	OutcomeDeclined                                     // the person declined further support
	OutcomeDisengaged                                   // the person stopped taking part
	OutcomeMovedAway                                    // the person moved away
	OutcomeDied                                         // the person died
	OutcomeOther                                        // any other ending
)

var outcomes = NewVocabulary[Outcome]("referral outcome",
	"connected_and_benefited", "needs_met_without_connection", "referred_on",
	"declined", "disengaged", "moved_away", "died", "other")

// Outcomes returns every outcome in order.
func Outcomes() []Outcome { return outcomes.Values() }

// String returns the outcome's text form ("referred_on").
func (o Outcome) String() string { return outcomes.String(o) }

// IsValid reports whether o is a known outcome.
func (o Outcome) IsValid() bool { return outcomes.Valid(o) }

// MarshalText implements [encoding.TextMarshaler].
func (o Outcome) MarshalText() ([]byte, error) { return outcomes.MarshalText(o) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (o *Outcome) UnmarshalText(b []byte) (err error) { *o, err = outcomes.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (o *Outcome) Scan(src any) (err error) { *o, err = outcomes.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (o Outcome) Value() (driver.Value, error) { return outcomes.Value(o) }

package discretion

import (
	"database/sql/driver"
	"errors"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Aspect is one aspect of the link worker role that a site may leave more or
// less to link workers' judgement (rule DISC-1). Aspects are an open set:
// [DefaultAspects] lists the ones the study's public involvement work
// placed on the sliding scale, and callers add their own keys.
type Aspect string

// The default aspects of the role.
const (
	AspectSessions         Aspect = "sessions"                   // number and length of sessions
	AspectContactMode      Aspect = "contact_mode"               // how contacts happen
	AspectHomeVisits       Aspect = "home_visits"                // visiting people at home
	AspectAccompanying     Aspect = "accompanying"               // going with people to activities
	AspectOutOfHours       Aspect = "out_of_hours_contact"       // contact outside working hours
	AspectReferralCriteria Aspect = "referrals_outside_criteria" // accepting referrals outside the criteria
	AspectOngoingHolding   Aspect = "ongoing_holding"            // holding people over time
	AspectEmotionalSupport Aspect = "emotional_support"          // emotional support close to counselling
	AspectAdvocacy         Aspect = "advocacy"                   // advocacy with other services
	AspectPracticalHelp    Aspect = "practical_help"             // practical help such as forms
)

// AspectInfo describes an aspect.
type AspectInfo struct {
	Aspect      Aspect `json:"aspect"`
	Description string `json:"description"`
}

// DefaultAspects returns the aspects the study's public involvement group
// placed on the sliding scale. The slice is the caller's.
func DefaultAspects() []AspectInfo {
	return []AspectInfo{
		{AspectSessions, "number and length of sessions"},
		{AspectContactMode, "contact mode (face to face, telephone, video, message)"},
		{AspectHomeVisits, "home visits"},
		{AspectAccompanying, "accompanying people to activities"},
		{AspectOutOfHours, "contact outside working hours"},
		{AspectReferralCriteria, "accepting referrals outside the criteria"},
		{AspectOngoingHolding, "ongoing holding"},
		{AspectEmotionalSupport, "emotional support close to counselling"},
		{AspectAdvocacy, "advocacy with other services"},
		{AspectPracticalHelp, "practical help such as filling in forms"},
	}
}

// Valid reports whether the aspect has a key: any key that is not blank
// and is valid text is an aspect, the defaults or the caller's own.
func (a Aspect) Valid() bool { return a.Check() == nil }

// Check returns nil if the aspect is valid, and otherwise an error: one
// wrapping [prescribing.ErrInvalidText] for a key that is not valid UTF-8,
// holds a NUL or is longer than [prescribing.MaxTextBytes], and
// [ErrNoAspect] for a blank key.
func (a Aspect) Check() error {
	if err := prescribing.CheckText("an aspect", string(a)); err != nil {
		return err
	}
	if prescribing.IsBlank(string(a)) {
		return ErrNoAspect
	}
	return nil
}

// ErrNoAspect reports an aspect whose key is blank.
var ErrNoAspect = errors.New("no aspect named")

// Level is a point on the five-point sliding scale from boundaried to
// discretionary (rule DISC-2). A site policy places an aspect on it, and an
// act says how much discretion it used. Levels are ordered: FixedRule <
// Boundaried < Guided < Discretionary < Open.
type Level uint8

// The sliding scale.
const (
	LevelFixedRule     Level = iota + 1 // a fixed rule: no discretion
	LevelBoundaried                     // clear boundaries, little discretion
	LevelGuided                         // guidance, with some judgement
	LevelDiscretionary                  // left mostly to the link worker's judgement
	LevelOpen                           // entirely the link worker's judgement
)

var levels = prescribing.NewVocabulary[Level]("discretion level", "fixed_rule", "boundaried", "guided", "discretionary", "open")

// Levels returns the scale in order.
func Levels() []Level { return levels.Values() }

// String returns the level's text form ("discretionary").
func (l Level) String() string { return levels.String(l) }

// IsValid reports whether l is on the scale.
func (l Level) IsValid() bool { return levels.Valid(l) }

// MarshalText implements [encoding.TextMarshaler].
func (l Level) MarshalText() ([]byte, error) { return levels.MarshalText(l) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (l *Level) UnmarshalText(b []byte) (err error) { *l, err = levels.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (l *Level) Scan(src any) (err error) { *l, err = levels.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (l Level) Value() (driver.Value, error) { return levels.Value(l) }

// Counterpart is who a micro-discretion was exercised with (rule DISC-3).
type Counterpart uint8

// Counterparts.
const (
	CounterpartPatient       Counterpart = iota + 1 // a patient
	CounterpartPracticeStaff                        // practice staff
	CounterpartVCSE                                 // a voluntary, community or social enterprise organisation
)

var counterparts = prescribing.NewVocabulary[Counterpart]("counterpart", "patient", "practice_staff", "vcse")

// Counterparts returns every counterpart in order.
func Counterparts() []Counterpart { return counterparts.Values() }

// String returns the counterpart's text form ("practice_staff").
func (c Counterpart) String() string { return counterparts.String(c) }

// IsValid reports whether c is a known counterpart.
func (c Counterpart) IsValid() bool { return counterparts.Valid(c) }

// MarshalText implements [encoding.TextMarshaler].
func (c Counterpart) MarshalText() ([]byte, error) { return counterparts.MarshalText(c) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (c *Counterpart) UnmarshalText(b []byte) (err error) {
	*c, err = counterparts.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (c *Counterpart) Scan(src any) (err error) { *c, err = counterparts.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (c Counterpart) Value() (driver.Value, error) { return counterparts.Value(c) }

// Motive is why a link worker exercised discretion (rule DISC-3), as the
// public involvement group asked: strategically, for the patient's benefit
// or to preserve their own situation and wellbeing, or unwittingly.
type Motive uint8

// Motives.
const (
	MotivePatientBenefit   Motive = iota + 1 // for the patient's benefit
	MotiveSelfPreservation                   // to preserve the link worker's own situation and wellbeing
	MotiveUnwitting                          // without realising it was a departure
)

var motives = prescribing.NewVocabulary[Motive]("motive", "patient_benefit", "self_preservation", "unwitting")

// Motives returns every motive in order.
func Motives() []Motive { return motives.Values() }

// String returns the motive's text form ("self_preservation").
func (m Motive) String() string { return motives.String(m) }

// IsValid reports whether m is a known motive.
func (m Motive) IsValid() bool { return motives.Valid(m) }

// MarshalText implements [encoding.TextMarshaler].
func (m Motive) MarshalText() ([]byte, error) { return motives.MarshalText(m) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (m *Motive) UnmarshalText(b []byte) (err error) { *m, err = motives.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (m *Motive) Scan(src any) (err error) { *m, err = motives.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (m Motive) Value() (driver.Value, error) { return motives.Value(m) }

// Verdict is what checking an act against a policy says (rule DISC-4).
type Verdict uint8

// Verdicts.
const (
	VerdictWithin     Verdict = iota + 1 // the act used less discretion than the policy allows
	VerdictAtBoundary                    // exactly as much as the policy allows
	VerdictBeyond                        // more than the policy allows
	VerdictNotCovered                    // the policy says nothing about the aspect
)

var verdicts = prescribing.NewVocabulary[Verdict]("verdict", "within", "at_boundary", "beyond", "not_covered")

// String returns the verdict's text form ("at_boundary").
func (v Verdict) String() string { return verdicts.String(v) }

// IsValid reports whether v is a known verdict.
func (v Verdict) IsValid() bool { return verdicts.Valid(v) }

// MarshalText implements [encoding.TextMarshaler].
func (v Verdict) MarshalText() ([]byte, error) { return verdicts.MarshalText(v) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (v *Verdict) UnmarshalText(b []byte) (err error) { *v, err = verdicts.Parse(string(b)); return }

// Verdicts returns every verdict in order.
func Verdicts() []Verdict { return verdicts.Values() }

// Scan implements [database/sql.Scanner].
func (v *Verdict) Scan(src any) (err error) { *v, err = verdicts.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (v Verdict) Value() (driver.Value, error) { return verdicts.Value(v) }

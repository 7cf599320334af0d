package liminality

import (
	"database/sql/driver"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Phase is where a link worker is in their passage into the role, after van
// Gennep's rites of passage: separation, liminal (transition), incorporation;
// and, for some, leaving (rule LIM-1).
type Phase uint8

// Phases of a journey.
const (
	// Separation: leaving a previous role or setting to become a link worker.
	PhaseSeparation Phase = iota + 1
	// Liminal: "betwixt and between" (Turner): stuck, unsure where they
	// belong and what they should be doing.
	PhaseLiminal
	// Incorporated: a clear role that plays to their strengths and copes
	// with uncertainty and disruption.
	PhaseIncorporated
	// Left: left the role.
	PhaseLeft
)

var phases = prescribing.NewVocabulary[Phase]("liminality phase", "separation", "liminal", "incorporated", "left")

// Phases returns the four phases in order.
func Phases() []Phase { return phases.Values() }

// String returns the phase's text form ("incorporated").
func (p Phase) String() string { return phases.String(p) }

// IsValid reports whether p is a known phase.
func (p Phase) IsValid() bool { return phases.Valid(p) }

// MarshalText implements [encoding.TextMarshaler].
func (p Phase) MarshalText() ([]byte, error) { return phases.MarshalText(p) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *Phase) UnmarshalText(b []byte) (err error) { *p, err = phases.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (p *Phase) Scan(src any) (err error) { *p, err = phases.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (p Phase) Value() (driver.Value, error) { return phases.Value(p) }

// Theme is one of the four themes of liminality found in link workers'
// accounts (Tierney, Moore et al., Primary Health Care Research &
// Development 2025).
type Theme uint8

// The four themes.
const (
	// Disconnection through place and space: straddling organisations and
	// settings (practices, PCN, VCSE employer, community).
	ThemeDisconnection Theme = iota + 1
	// Ambiguity about what the role is.
	ThemeAmbiguity
	// Misalignment: job misalignment and realignment, expectations against
	// reality.
	ThemeMisalignment
	// Instability: of career, and of the role's future.
	ThemeInstability
)

var themes = prescribing.NewVocabulary[Theme]("liminality theme", "disconnection", "ambiguity", "misalignment", "instability")

// Themes returns the four themes in order.
func Themes() []Theme { return themes.Values() }

// String returns the theme's text form ("misalignment").
func (t Theme) String() string { return themes.String(t) }

// IsValid reports whether t is a known theme.
func (t Theme) IsValid() bool { return themes.Valid(t) }

// MarshalText implements [encoding.TextMarshaler].
func (t Theme) MarshalText() ([]byte, error) { return themes.MarshalText(t) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (t *Theme) UnmarshalText(b []byte) (err error) { *t, err = themes.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (t *Theme) Scan(src any) (err error) { *t, err = themes.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (t Theme) Value() (driver.Value, error) { return themes.Value(t) }

// ThemeSet is a set of themes.
type ThemeSet = prescribing.Set[Theme]

// RoleSupport is a kind of support that helps a link worker through liminality
// (rule LIM-2).
type RoleSupport uint8

// Kinds of support.
const (
	RoleSupportManager     RoleSupport = iota + 1 // from their manager
	RoleSupportPeer                               // from other link workers
	RoleSupportColleague                          // from practice colleagues
	RoleSupportSupervision                        // clinical or professional supervision
	RoleSupportTraining                           // training
)

var supports = prescribing.NewVocabulary[RoleSupport]("support", "manager", "peer", "colleague", "supervision", "training")

// RoleSupports returns every kind of support in order.
func RoleSupports() []RoleSupport { return supports.Values() }

// String returns the support's text form ("supervision").
func (s RoleSupport) String() string { return supports.String(s) }

// IsValid reports whether s is a known kind of support.
func (s RoleSupport) IsValid() bool { return supports.Valid(s) }

// MarshalText implements [encoding.TextMarshaler].
func (s RoleSupport) MarshalText() ([]byte, error) { return supports.MarshalText(s) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *RoleSupport) UnmarshalText(b []byte) (err error) {
	*s, err = supports.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (s *RoleSupport) Scan(src any) (err error) { *s, err = supports.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (s RoleSupport) Value() (driver.Value, error) { return supports.Value(s) }

// Disruption is what can move an incorporated link worker back into
// liminality (rule LIM-1).
type Disruption uint8

// Disruptions.
const (
	DisruptionNewPractice        Disruption = iota + 1 // starting at a new practice
	DisruptionReferralSurge                            // a surge of referrals
	DisruptionManagerUnavailable                       // their manager is not available
	DisruptionRoleMisunderstood                        // the role is misunderstood (inappropriate referrals)
	DisruptionFundingUncertainty                       // the role's funding is uncertain
)

var disruptions = prescribing.NewVocabulary[Disruption]("disruption",
	"new_practice", "referral_surge", "manager_unavailable", "role_misunderstood", "funding_uncertainty")

// Disruptions returns every disruption in order.
func Disruptions() []Disruption { return disruptions.Values() }

// String returns the disruption's text form ("referral_surge").
func (d Disruption) String() string { return disruptions.String(d) }

// IsValid reports whether d is a known disruption.
func (d Disruption) IsValid() bool { return disruptions.Valid(d) }

// MarshalText implements [encoding.TextMarshaler].
func (d Disruption) MarshalText() ([]byte, error) { return disruptions.MarshalText(d) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (d *Disruption) UnmarshalText(b []byte) (err error) {
	*d, err = disruptions.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (d *Disruption) Scan(src any) (err error) { *d, err = disruptions.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (d Disruption) Value() (driver.Value, error) { return disruptions.Value(d) }

// Raises returns the theme a disruption brings back: a new practice,
// disconnection; a referral surge, misalignment; an unavailable manager or a
// misunderstood role, ambiguity; uncertain funding, instability. This
// mapping is the library's reading of the themes, not a published table.
func (d Disruption) Raises() Theme {
	switch d {
	case DisruptionNewPractice:
		return ThemeDisconnection
	case DisruptionReferralSurge:
		return ThemeMisalignment
	case DisruptionManagerUnavailable, DisruptionRoleMisunderstood:
		return ThemeAmbiguity
	case DisruptionFundingUncertainty:
		return ThemeInstability
	}
	return 0
}

package embeddedness

import (
	"database/sql/driver"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Position is where a link worker stands on the continuum of embeddedness in
// one practice (rule EMB-1). Positions are ordered: BoltedOn < FittingIn <
// Belonging, so they compare with < and >.
type Position uint8

// Positions on the continuum (Tierney et al., BJGP 2025).
const (
	// BoltedOn: brought into primary care without much consideration of
	// how the role would work alongside existing provision.
	PositionBoltedOn Position = iota + 1
	// FittingIn: some attempt to bring the link worker into the practice,
	// but uncomfortable when the role is not really understood or
	// appreciated; the link worker adapts to the setting.
	PositionFittingIn
	// Belonging: accepted as a legitimate source of support, reached
	// through negotiation and adjustment by both the link worker and the
	// practice.
	PositionBelonging
)

var positions = prescribing.NewVocabulary[Position]("embeddedness position", "bolted_on", "fitting_in", "belonging")

// Positions returns the three positions in order.
func Positions() []Position { return positions.Values() }

// String returns the position's text form ("fitting_in").
func (p Position) String() string { return positions.String(p) }

// IsValid reports whether p is one of the three positions.
func (p Position) IsValid() bool { return positions.Valid(p) }

// MarshalText implements [encoding.TextMarshaler].
func (p Position) MarshalText() ([]byte, error) { return positions.MarshalText(p) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *Position) UnmarshalText(b []byte) (err error) { *p, err = positions.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (p *Position) Scan(src any) (err error) { *p, err = positions.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (p Position) Value() (driver.Value, error) { return positions.Value(p) }

// Concept is one of the four published concepts that explain a link
// worker's position (Tierney et al., BJGP 2025).
type Concept uint8

// The four explanatory concepts.
const (
	// Power: centralising or diffusing power: whether decisions and
	// ownership stay with GPs or are shared with the wider team, the link
	// worker among them.
	ConceptPower Concept = iota + 1
	// Identity: forging an identity in general practice: staff knowing who
	// the link worker is and what the role is for.
	ConceptIdentity
	// Effect: demonstrating effect: showing the practice what link work
	// achieves.
	ConceptEffect
	// Infrastructure: building a facilitative infrastructure: the systems,
	// space and support that let the link worker work.
	ConceptInfrastructure
)

var concepts = prescribing.NewVocabulary[Concept]("embeddedness concept",
	"centralising_or_diffusing_power", "forging_an_identity", "demonstrating_effect", "building_a_facilitative_infrastructure")

// Concepts returns the four concepts in order.
func Concepts() []Concept { return concepts.Values() }

// String returns the concept's text form ("forging_an_identity").
func (c Concept) String() string { return concepts.String(c) }

// IsValid reports whether c is one of the four concepts.
func (c Concept) IsValid() bool { return concepts.Valid(c) }

// MarshalText implements [encoding.TextMarshaler].
func (c Concept) MarshalText() ([]byte, error) { return concepts.MarshalText(c) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (c *Concept) UnmarshalText(b []byte) (err error) { *c, err = concepts.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (c *Concept) Scan(src any) (err error) { *c, err = concepts.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (c Concept) Value() (driver.Value, error) { return concepts.Value(c) }

// Direction is where a series of assessments is heading (rule EMB-4).
type Direction uint8

// Directions of a trajectory.
const (
	DirectionTowardsBelonging Direction = iota + 1 // moving towards belonging
	DirectionStable                                // neither moving forward nor back
	DirectionRegressing                            // moving back towards bolted on
)

var directions = prescribing.NewVocabulary[Direction]("trajectory direction", "towards_belonging", "stable", "regressing")

// Directions returns every trajectory direction in order. The slice is the caller's.
func Directions() []Direction { return directions.Values() }

// String returns the direction's text form ("towards_belonging").
func (d Direction) String() string { return directions.String(d) }

// IsValid reports whether d is a known direction.
func (d Direction) IsValid() bool { return directions.Valid(d) }

// MarshalText implements [encoding.TextMarshaler].
func (d Direction) MarshalText() ([]byte, error) { return directions.MarshalText(d) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (d *Direction) UnmarshalText(b []byte) (err error) {
	*d, err = directions.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (d *Direction) Scan(src any) (err error) { *d, err = directions.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (d Direction) Value() (driver.Value, error) { return directions.Value(d) }

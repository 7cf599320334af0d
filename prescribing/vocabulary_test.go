package prescribing

import (
	"database/sql"
	"database/sql/driver"
	"encoding"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enum is what every enumeration of the package offers.
type enum interface {
	fmt.Stringer
	encoding.TextMarshaler
	driver.Valuer
	IsValid() bool
}

// enumCase checks one enumeration through its pointer type.
type enumCase struct {
	name   string
	values []enum
	fresh  func() interface {
		encoding.TextUnmarshaler
		sql.Scanner
	}
	invalid enum
}

func enumCases() []enumCase {
	return []enumCase{
		caseOf("State", States(), State(200)),
		caseOf("Source", ReferralSources(), ReferralSource(200)),
		caseOf("Need", Needs(), Need(200)),
		caseOf("Outcome", Outcomes(), Outcome(200)),
		caseOf("Title", Titles(), Title(200)),
		caseOf("Employer", Employers(), Employer(200)),
		caseOf("TaskStatus", taskStatuses.Values(), TaskStatus(200)),
		caseOf("ONS4Item", ONS4Items(), ONS4Item(200)),
		caseOf("Instrument", Instruments(), Instrument(200)),
		caseOf("ContactMode", ContactModes(), ContactMode(200)),
		caseOf("Level", levels.Values(), GuidanceLevel(200)),
		caseOf("ConsentScope", ConsentScopes(), ConsentScope(200)),
		caseOf("AssetStatus", AssetStatuses(), AssetStatus(200)),
		caseOf("Barrier", Barriers(), Barrier(200)),
		caseOf("Band", bands.Values(), ONS4Band(200)),
		caseOf("Provision", provisions.Values(), Provision(200)),
	}
}

func caseOf[E interface {
	~uint8
	enum
}, P interface {
	*E
	encoding.TextUnmarshaler
	sql.Scanner
}](name string, vs []E, invalid E) enumCase {
	c := enumCase{name: name, invalid: invalid}
	for _, v := range vs {
		c.values = append(c.values, v)
	}
	c.fresh = func() interface {
		encoding.TextUnmarshaler
		sql.Scanner
	} {
		return P(new(E))
	}
	return c
}

func TestVocabulariesRoundTripTextJSONAndSQL(t *testing.T) {
	for _, c := range enumCases() {
		require.NotEmpty(t, c.values, c.name)
		for _, v := range c.values {
			assert.True(t, v.IsValid())
			text, err := v.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, v.String(), string(text))

			back := c.fresh()
			require.NoError(t, back.UnmarshalText(text))
			assert.Equal(t, v, deref(back), "%s %s text", c.name, v)

			j, err := json.Marshal(v)
			require.NoError(t, err)
			back = c.fresh()
			require.NoError(t, json.Unmarshal(j, back))
			assert.Equal(t, v, deref(back), "%s %s JSON", c.name, v)

			dbv, err := v.Value()
			require.NoError(t, err)
			back = c.fresh()
			require.NoError(t, back.Scan(dbv))
			assert.Equal(t, v, deref(back), "%s %s SQL string", c.name, v)
			back = c.fresh()
			require.NoError(t, back.Scan([]byte(dbv.(string))))
			assert.Equal(t, v, deref(back), "%s %s SQL bytes", c.name, v)
		}

		assert.False(t, c.invalid.IsValid())
		_, err := c.invalid.MarshalText()
		assert.ErrorIs(t, err, ErrUnknownValue, c.name)
		_, err = c.invalid.Value()
		assert.ErrorIs(t, err, ErrUnknownValue, c.name)
		assert.Contains(t, c.invalid.String(), "(200)")

		assert.ErrorIs(t, c.fresh().UnmarshalText([]byte("no such thing")), ErrUnknownValue, c.name)
		assert.ErrorIs(t, c.fresh().Scan(3.5), ErrUnknownValue, c.name)
		zero := c.fresh()
		require.NoError(t, zero.Scan(nil))
		require.NoError(t, zero.UnmarshalText(nil))
	}
}

func deref(p any) any {
	switch v := p.(type) {
	case *State:
		return *v
	case *ReferralSource:
		return *v
	case *Need:
		return *v
	case *Outcome:
		return *v
	case *Title:
		return *v
	case *Employer:
		return *v
	case *TaskStatus:
		return *v
	case *ONS4Item:
		return *v
	case *Instrument:
		return *v
	case *ContactMode:
		return *v
	case *GuidanceLevel:
		return *v
	case *ConsentScope:
		return *v
	case *AssetStatus:
		return *v
	case *Barrier:
		return *v
	case *ONS4Band:
		return *v
	case *Provision:
		return *v
	}
	panic(fmt.Sprintf("deref: %T", p))
}

func TestVocabularyZeroValueIsUnset(t *testing.T) {
	var s State
	assert.False(t, s.IsValid())
	assert.Equal(t, "unset", s.String())
	b, err := s.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, b)
	v, err := s.Value()
	require.NoError(t, err)
	assert.Nil(t, v)
}

func TestVocabularyRefusesBadNames(t *testing.T) {
	assert.Panics(t, func() { NewVocabulary[State]("x", "a", "a") })
	assert.Panics(t, func() { NewVocabulary[State]("x", "a", "") })
	v := NewVocabulary[State]("colour", "red", "green")
	assert.Equal(t, "colour", v.Kind())
	assert.Equal(t, 2, v.Len())
	_, err := v.Parse("RED")
	assert.ErrorIs(t, err, ErrUnknownValue, "names are exact")
	assert.Contains(t, err.Error(), `colour "RED"`)
}

func TestSourcesFromGeneralPractice(t *testing.T) {
	var gp []ReferralSource
	for _, s := range ReferralSources() {
		if s.IsGeneralPractice() {
			gp = append(gp, s)
		}
	}
	assert.Equal(t, []ReferralSource{SourceGP, SourcePracticeNurse, SourceOtherClinician, SourceCareNavigator}, gp)
	assert.Len(t, ReferralSources(), 16)
	assert.Len(t, Needs(), 12)
	assert.Len(t, Outcomes(), 8)
}

package prescribing

import (
	"database/sql/driver"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeopleRecordsValidate(t *testing.T) {
	f := newFixture(t)
	p1, p2 := NewID[Practice](f.ids), NewID[Practice](f.ids)

	w := LinkWorker{ID: f.lw, Title: TitleCommunityConnector, Employer: EmployerVCSE, Practices: []PracticeID{p1, p2}}
	require.NoError(t, w.Validate())
	assert.True(t, w.Serves(p2))
	assert.False(t, w.Serves(NewID[Practice](f.ids)))
	assert.False(t, w.CommunityBased())
	assert.True(t, LinkWorker{ID: f.lw, Title: TitleLinkWorker, Employer: EmployerPCN}.CommunityBased())

	for name, bad := range map[string]LinkWorker{
		"no ID":            {Title: TitleLinkWorker, Employer: EmployerPCN},
		"no title":         {ID: f.lw, Employer: EmployerPCN},
		"unknown employer": {ID: f.lw, Title: TitleLinkWorker, Employer: Employer(9)},
		"practice twice":   {ID: f.lw, Title: TitleLinkWorker, Employer: EmployerPCN, Practices: []PracticeID{p1, p1}},
		"zero practice":    {ID: f.lw, Title: TitleLinkWorker, Employer: EmployerPCN, Practices: []PracticeID{{}}},
	} {
		assert.ErrorIs(t, bad.Validate(), ErrInvalidRecord, name)
	}

	pcn := PCN{ID: NewID[PCN](f.ids), Name: "Riverside PCN", Practices: []PracticeID{p1, p2}}
	require.NoError(t, pcn.Validate())
	assert.ErrorIs(t, PCN{ID: pcn.ID}.Validate(), ErrInvalidRecord)
	assert.ErrorIs(t, PCN{ID: pcn.ID, Name: "x", Practices: []PracticeID{p1, p1}}.Validate(), ErrInvalidRecord)

	pr := Practice{ID: p1, ODSCode: "A81001", Name: "Mill Lane Surgery", PCN: pcn.ID}
	require.NoError(t, pr.Validate())
	assert.ErrorIs(t, Practice{Name: "x"}.Validate(), ErrInvalidRecord)

	// Records round-trip through JSON.
	for _, v := range []any{w, pcn, pr} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		switch v.(type) {
		case LinkWorker:
			var back LinkWorker
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, v, back)
		case PCN:
			var back PCN
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, v, back)
		case Practice:
			var back Practice
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, v, back)
		}
	}
}

// TestJSONFieldNamesAreSnakeCase checks every exported struct of the people
// side that has a JSON form: each exported field carries a snake_case name,
// unless the type writes its own JSON.
func TestJSONFieldNamesAreSnakeCase(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	marshaler := reflect.TypeFor[json.Marshaler]()
	for _, typ := range []reflect.Type{
		reflect.TypeFor[Range](), reflect.TypeFor[Guidance](), reflect.TypeFor[CaseloadReport](),
		reflect.TypeFor[Contact](), reflect.TypeFor[ContactRules](), reflect.TypeFor[ContactRecorded](),
		reflect.TypeFor[AssetDetails](), reflect.TypeFor[Accessibility](), reflect.TypeFor[CapacityError](),
		reflect.TypeFor[Practice](), reflect.TypeFor[PCN](), reflect.TypeFor[LinkWorker](),
		reflect.TypeFor[Profile](), reflect.TypeFor[NeedProvision](), reflect.TypeFor[Candidate](), reflect.TypeFor[Match](),
		reflect.TypeFor[OverdueConcern](), reflect.TypeFor[SafeguardingRules](),
		reflect.TypeFor[PatientRegistered](), reflect.TypeFor[PatientDetailsChanged](), reflect.TypeFor[PatientAnonymised](),
		reflect.TypeFor[RiskAssessed](), reflect.TypeFor[ConsentGiven](), reflect.TypeFor[ConsentWithdrawn](),
		reflect.TypeFor[DetailsShared](), reflect.TypeFor[AssetListed](), reflect.TypeFor[AssetUpdated](),
		reflect.TypeFor[AssetStatusChanged](), reflect.TypeFor[PlaceTaken](), reflect.TypeFor[PlaceReleased](),
		reflect.TypeFor[ConcernRaised](), reflect.TypeFor[ConcernEscalated](),
	} {
		require.False(t, typ.Implements(marshaler), typ.String())
		for f := range typ.Fields() {
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			assert.Regexp(t, snake, name, "%s.%s", typ, f.Name)
		}
	}
	b, err := json.Marshal(NHSEnglandGuidance())
	require.NoError(t, err)
	assert.JSONEq(t, `{"contacts_per_person":{"min":6,"max":12},"people_per_year":{"min":200,"max":250}}`, string(b))
	var back Guidance
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, NHSEnglandGuidance(), back)
}

// TestPeopleEnumerationsUseTheSharedVocabulary: each enumeration of the
// people side has its text, JSON and database/sql forms from one
// Vocabulary, so they agree, and refuses what is not a member.
func TestPeopleEnumerationsUseTheSharedVocabulary(t *testing.T) {
	check := func(name string, n int, text func(i int) (string, error), parse func(string) error, value func(i int) (driver.Value, error)) {
		for i := 1; i <= n; i++ {
			s, err := text(i)
			require.NoError(t, err, name)
			require.NoError(t, parse(s), name)
			v, err := value(i)
			require.NoError(t, err, name)
			assert.Equal(t, s, v, name)
		}
		_, err := text(n + 1)
		assert.ErrorIs(t, err, ErrUnknownValue, name)
		assert.ErrorIs(t, parse("no_such_value"), ErrUnknownValue, name)
	}
	check("consent scope", len(ConsentScopes()),
		func(i int) (string, error) { b, err := ConsentScope(i).MarshalText(); return string(b), err },
		func(s string) error { var v ConsentScope; return v.UnmarshalText([]byte(s)) },
		func(i int) (driver.Value, error) { return ConsentScope(i).Value() })
	check("contact mode", len(ContactModes()),
		func(i int) (string, error) { b, err := ContactMode(i).MarshalText(); return string(b), err },
		func(s string) error { var v ContactMode; return v.Scan(s) },
		func(i int) (driver.Value, error) { return ContactMode(i).Value() })
	check("asset status", len(AssetStatuses()),
		func(i int) (string, error) { b, err := AssetStatus(i).MarshalText(); return string(b), err },
		func(s string) error { var v AssetStatus; return v.UnmarshalText([]byte(s)) },
		func(i int) (driver.Value, error) { return AssetStatus(i).Value() })
	check("title", len(Titles()),
		func(i int) (string, error) { b, err := Title(i).MarshalText(); return string(b), err },
		func(s string) error { var v Title; return v.Scan([]byte(s)) },
		func(i int) (driver.Value, error) { return Title(i).Value() })
	check("employer", len(Employers()),
		func(i int) (string, error) { b, err := Employer(i).MarshalText(); return string(b), err },
		func(s string) error { var v Employer; return v.UnmarshalText([]byte(s)) },
		func(i int) (driver.Value, error) { return Employer(i).Value() })
	check("barrier", len(Barriers()),
		func(i int) (string, error) { b, err := Barrier(i).MarshalText(); return string(b), err },
		func(s string) error { var v Barrier; return v.UnmarshalText([]byte(s)) },
		func(i int) (driver.Value, error) { return Barrier(i).Value() })
	check("provision", 3,
		func(i int) (string, error) { b, err := Provision(i).MarshalText(); return string(b), err },
		func(s string) error { var v Provision; return v.UnmarshalText([]byte(s)) },
		func(i int) (driver.Value, error) { return Provision(i).Value() })
	check("level", 3,
		func(i int) (string, error) { b, err := GuidanceLevel(i).MarshalText(); return string(b), err },
		func(s string) error { var v GuidanceLevel; return v.UnmarshalText([]byte(s)) },
		func(i int) (driver.Value, error) { return GuidanceLevel(i).Value() })
}

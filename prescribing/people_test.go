package prescribing

import (
	"database/sql/driver"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeopleRecordsValidate(t *testing.T) {
	f := newFixture(t)
	p1, p2 := NewID[Practice](f.ids), NewID[Practice](f.ids)

	d := LinkWorkerDetails{Title: TitleCommunityConnector, Employer: EmployerVCSE, Practices: []PracticeID{p1, p2}}
	require.NoError(t, d.Validate())
	w, _, err := RegisterLinkWorker(f.lw, d, f.tick())
	require.NoError(t, err)
	assert.True(t, w.Serves(p2))
	assert.False(t, w.Serves(NewID[Practice](f.ids)))
	assert.False(t, w.CommunityBased())
	community, _, err := RegisterLinkWorker(NewID[LinkWorker](f.ids), LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN}, f.tick())
	require.NoError(t, err)
	assert.True(t, community.CommunityBased())

	for name, bad := range map[string]LinkWorkerDetails{
		"no title":         {Employer: EmployerPCN},
		"unknown employer": {Title: TitleLinkWorker, Employer: Employer(9)},
		"practice twice":   {Title: TitleLinkWorker, Employer: EmployerPCN, Practices: []PracticeID{p1, p1}},
		"zero practice":    {Title: TitleLinkWorker, Employer: EmployerPCN, Practices: []PracticeID{{}}},
	} {
		assert.ErrorIs(t, bad.Validate(), ErrInvalidRecord, name)
		_, e, err := RegisterLinkWorker(NewID[LinkWorker](f.ids), bad, f.tick())
		assert.ErrorIs(t, err, ErrInvalidRecord, name)
		assert.Zero(t, e, name)
	}
	_, _, err = RegisterLinkWorker(LinkWorkerID{}, d, f.tick())
	assert.ErrorIs(t, err, ErrInvalidID)

	pcn := PCNDetails{Name: "Riverside PCN", Practices: []PracticeID{p1, p2}}
	require.NoError(t, pcn.Validate())
	assert.ErrorIs(t, PCNDetails{}.Validate(), ErrInvalidRecord)
	assert.ErrorIs(t, PCNDetails{Name: "x", Practices: []PracticeID{p1, p1}}.Validate(), ErrInvalidRecord)

	pr := PracticeDetails{ODSCode: "A81001", Name: "Mill Lane Surgery", PCN: NewID[PCN](f.ids)}
	require.NoError(t, pr.Validate())
	assert.ErrorIs(t, PracticeDetails{}.Validate(), ErrInvalidRecord)

	// Details round-trip through JSON.
	for _, v := range []any{d, pcn, pr} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		switch v.(type) {
		case LinkWorkerDetails:
			var back LinkWorkerDetails
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, v, back)
		case PCNDetails:
			var back PCNDetails
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, v, back)
		case PracticeDetails:
			var back PracticeDetails
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, v, back)
		}
	}
}

// TestEV_3_PeopleRecordsHaveAnAuditTrail: practices, PCNs and link workers
// change only through events, which name the record's stream, count in its
// version, and rebuild it from the zero value.
func TestEV_3_PeopleRecordsHaveAnAuditTrail(t *testing.T) {
	f := newFixture(t)
	pr, reg, err := RegisterPractice(f.prac, PracticeDetails{Name: "Mill Lane Surgery"}, f.tick())
	require.NoError(t, err)
	assert.Equal(t, 1, pr.Version())
	changedAt := f.tick()
	changed, err := pr.Change(PracticeDetails{Name: "Mill Lane Health Centre", ODSCode: "A81001"}, changedAt)
	require.NoError(t, err)
	assert.Equal(t, 2, pr.Version())
	assert.Equal(t, StreamOf(StreamKindPractice, f.prac), pr.Stream())
	assert.Equal(t, pr.Stream(), reg.EventStream())
	assert.Equal(t, pr.Stream(), changed.EventStream())

	_, err = pr.Change(PracticeDetails{Name: "Earlier"}, changedAt.Add(-time.Second))
	assert.ErrorIs(t, err, ErrTimeWentBackwards)
	assert.Equal(t, 2, pr.Version(), "a refusal counts nothing")
	_, err = pr.Change(PracticeDetails{Name: " "}, f.tick())
	assert.ErrorIs(t, err, ErrInvalidRecord)
	assert.ErrorIs(t, pr.Apply(PracticeChanged{Practice: NewID[Practice](f.ids), Details: PracticeDetails{Name: "x"}, At: f.tick()}), ErrWrongSubject)
	assert.ErrorIs(t, pr.Apply(reg), ErrUnexpectedEvent, "registered once")

	var rebuilt Practice
	require.NoError(t, Replay(&rebuilt, []Event{reg, changed}))
	assert.Equal(t, pr, rebuilt)
	var none Practice
	assert.ErrorIs(t, none.Apply(changed), ErrUnexpectedEvent, "the stream starts with the registration")
	assert.True(t, none.Stream().IsZero())
	assert.Zero(t, none.Version())
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
		reflect.TypeFor[PracticeDetails](), reflect.TypeFor[PCNDetails](), reflect.TypeFor[LinkWorkerDetails](),
		reflect.TypeFor[PracticeRegistered](), reflect.TypeFor[PracticeChanged](), reflect.TypeFor[PCNRegistered](),
		reflect.TypeFor[PCNChanged](), reflect.TypeFor[LinkWorkerRegistered](), reflect.TypeFor[LinkWorkerChanged](),
		reflect.TypeFor[ConsentsOpened](), reflect.TypeFor[MeasuresOpened](),
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

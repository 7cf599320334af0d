package prescribing

import (
	"database/sql"
	"database/sql/driver"
	"encoding"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestID_1_EachEntityHasItsOwnIDType(t *testing.T) {
	types := []reflect.Type{
		reflect.TypeFor[PatientID](), reflect.TypeFor[LinkWorkerID](), reflect.TypeFor[PracticeID](),
		reflect.TypeFor[PCNID](), reflect.TypeFor[ReferralID](), reflect.TypeFor[AssetID](),
	}
	for i, a := range types {
		for j, b := range types {
			if i != j {
				assert.False(t, a.AssignableTo(b), "%s must not be assignable to %s", a, b)
				assert.False(t, a.ConvertibleTo(b) && a.Kind() != reflect.Struct, "%s converts to %s", a, b)
			}
		}
	}
	// Every ID type offers the same round-trips.
	for _, typ := range types {
		p := reflect.PointerTo(typ)
		assert.True(t, p.Implements(reflect.TypeFor[encoding.TextUnmarshaler]()), typ.String())
		assert.True(t, typ.Implements(reflect.TypeFor[encoding.TextMarshaler]()), typ.String())
		assert.True(t, p.Implements(reflect.TypeFor[sql.Scanner]()), typ.String())
		assert.True(t, typ.Implements(reflect.TypeFor[driver.Valuer]()), typ.String())
	}
}

func TestID_1_CanonicalTextJSONAndSQLRoundTrips(t *testing.T) {
	ids := SeededIDs(rand.New(rand.NewPCG(7, 7)))
	id := NewID[Patient](ids)
	text := id.String()
	assert.Len(t, text, 36)
	assert.Equal(t, strings.ToLower(text), text, "canonical form is lower case")
	assert.Equal(t, id.UUID().String(), text)

	parsed, err := ParseID[Patient](text)
	require.NoError(t, err)
	assert.Equal(t, id, parsed)
	upper, err := ParseID[Patient](strings.ToUpper(text))
	require.NoError(t, err)
	assert.Equal(t, id, upper, "upper case is read")

	b, err := json.Marshal(struct {
		P PatientID `json:"p"`
	}{id})
	require.NoError(t, err)
	assert.JSONEq(t, `{"p":"`+text+`"}`, string(b))
	var back struct {
		P PatientID `json:"p"`
	}
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, id, back.P)

	v, err := id.Value()
	require.NoError(t, err)
	assert.Equal(t, text, v)
	raw := id.UUID()
	for _, src := range []any{text, []byte(text), raw[:]} {
		var s PatientID
		require.NoError(t, s.Scan(src), "%T", src)
		assert.Equal(t, id, s)
	}
	appended, err := id.AppendText([]byte("id="))
	require.NoError(t, err)
	assert.Equal(t, "id="+text, string(appended))
}

func TestID_1_ZeroIDMeansNone(t *testing.T) {
	var z ReferralID
	assert.True(t, z.IsZero())
	b, err := z.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, b)
	v, err := z.Value()
	require.NoError(t, err)
	assert.Nil(t, v, "the zero ID is stored as NULL")

	var s ReferralID = NewID[Referral](RandomIDs())
	require.NoError(t, s.Scan(nil))
	assert.True(t, s.IsZero())
	require.NoError(t, s.UnmarshalText(nil))
	assert.True(t, s.IsZero())
	assert.Equal(t, uuid.Nil.String(), z.String())
}

func TestID_1_NonCanonicalAndBadTextIsRefused(t *testing.T) {
	good := "6ba7b810-9dad-41d1-80b4-00c04fd430c8"
	for _, bad := range []string{
		"{" + good + "}",
		"urn:uuid:" + good,
		strings.ReplaceAll(good, "-", ""),
		good[:35],
		good + "0",
		"6ba7b810-9dad-41d1-80b4-00c04fd430cz",
		"6ba7b810x9dad-41d1-80b4-00c04fd430c8",
		strings.Repeat("x", 1000),
	} {
		_, err := ParseID[Patient](bad)
		assert.ErrorIs(t, err, ErrInvalidID, bad)
		var id PatientID
		assert.ErrorIs(t, id.UnmarshalText([]byte(bad)), ErrInvalidID, bad)
		assert.Less(t, len(err.Error()), 200, "hostile input is cut short in the message")
	}
	var id PatientID
	assert.ErrorIs(t, id.Scan(42), ErrInvalidID)
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"p":"nope"}`), &struct {
		P PatientID `json:"p"`
	}{}), ErrInvalidID)
}

func TestID_2_SeededSourceRepeats(t *testing.T) {
	draw := func(seed uint64) []ID[Referral] {
		src := SeededIDs(rand.New(rand.NewPCG(seed, 0)))
		out := make([]ID[Referral], 100)
		for i := range out {
			out[i] = NewID[Referral](src)
		}
		return out
	}
	a, b, c := draw(1), draw(1), draw(2)
	assert.Equal(t, a, b, "same seed, same IDs")
	assert.NotEqual(t, a, c, "another seed, other IDs")
	seen := map[ID[Referral]]bool{}
	for _, id := range a {
		assert.Equal(t, uuid.Version(4), id.UUID().Version())
		assert.Equal(t, uuid.RFC4122, id.UUID().Variant())
		assert.False(t, seen[id], "no repeats")
		seen[id] = true
	}
	// The first seeded ID is pinned, so a change to how IDs are drawn (which
	// would change every simulation's output) is noticed.
	assert.Equal(t, "9927a129-abed-4903-96d0-078c4a605356", a[0].String())
}

func TestID_2_DefaultSourceIsRandom(t *testing.T) {
	src := RandomIDs()
	seen := map[uuid.UUID]bool{}
	for range 1000 {
		u := src.NewUUID()
		assert.Equal(t, uuid.Version(4), u.Version())
		assert.Equal(t, uuid.RFC4122, u.Variant())
		assert.False(t, seen[u])
		seen[u] = true
	}
}

// TestID_2_DefaultSourcesAreNotSeeded: two default sources, made one after
// the other, give different IDs, as they would not if the default were a
// generator with a fixed seed.
func TestID_2_DefaultSourcesAreNotSeeded(t *testing.T) {
	a, b := RandomIDs(), RandomIDs()
	first := func(src IDSource) []uuid.UUID {
		out := make([]uuid.UUID, 4)
		for i := range out {
			out[i] = src.NewUUID()
		}
		return out
	}
	fromA, fromB := first(a), first(b)
	assert.NotEqual(t, fromA, fromB)
	for _, u := range fromA {
		assert.NotContains(t, fromB, u)
	}
	seeded := first(SeededIDs(rand.New(rand.NewPCG(1, 2))))
	assert.NotEqual(t, seeded, fromA, "the default is not the test fixture's seed")
}

// TestID_2_DefaultSourceDiffersBetweenRuns starts this test binary twice
// and compares the first ID each run's default source gives: a default
// seeded with a fixed value would give the same ID in every process.
func TestID_2_DefaultSourceDiffersBetweenRuns(t *testing.T) {
	if os.Getenv("LINKWORK_PRINT_FIRST_ID") == "1" {
		fmt.Println("first-id", RandomIDs().NewUUID())
		return
	}
	run := func() string {
		out, err := exec.Command(os.Args[0], "-test.run=^TestID_2_DefaultSourceDiffersBetweenRuns$").Output()
		require.NoError(t, err)
		for line := range strings.SplitSeq(string(out), "\n") {
			if id, ok := strings.CutPrefix(line, "first-id "); ok {
				return id
			}
		}
		t.Fatalf("the child printed no ID: %s", out)
		return ""
	}
	t.Setenv("LINKWORK_PRINT_FIRST_ID", "1")
	first, second := run(), run()
	_, err := uuid.Parse(first)
	require.NoError(t, err)
	assert.NotEqual(t, first, second, "two processes got the same first ID from the default source")
}

package holding

import (
	"database/sql"
	"database/sql/driver"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/eventtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enumeration is what every holding enumeration offers through the shared
// vocabulary: text, JSON and database forms.
type enumeration interface {
	~uint8
	fmt.Stringer
	encoding.TextMarshaler
	driver.Valuer
	IsValid() bool
}

// checkVocabulary checks one enumeration against its names: each value's
// String, text, JSON and database forms are its name and come back equal;
// zero is unset and stores as NULL; a value past the last is refused by
// every encoding and unknown names are refused by every decoding.
func checkVocabulary[E enumeration, P interface {
	*E
	encoding.TextUnmarshaler
	sql.Scanner
}](t *testing.T, names ...string) {
	t.Helper()
	for i, name := range names {
		e := E(i + 1)
		require.True(t, e.IsValid(), name)
		assert.Equal(t, name, e.String())
		text, err := e.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, name, string(text))

		var back E
		require.NoError(t, P(&back).UnmarshalText(text))
		assert.Equal(t, e, back)

		js, err := json.Marshal(e)
		require.NoError(t, err)
		assert.JSONEq(t, `"`+name+`"`, string(js))
		back = 0
		require.NoError(t, json.Unmarshal(js, &back))
		assert.Equal(t, e, back)

		v, err := e.Value()
		require.NoError(t, err)
		assert.Equal(t, name, v)
		back = 0
		require.NoError(t, P(&back).Scan(v))
		assert.Equal(t, e, back)
		back = 0
		require.NoError(t, P(&back).Scan([]byte(name)))
		assert.Equal(t, e, back)
	}

	var zero E
	assert.False(t, zero.IsValid())
	assert.Equal(t, "unset", zero.String())
	v, err := zero.Value()
	require.NoError(t, err)
	assert.Nil(t, v, "unset is NULL")
	scanned := E(1)
	require.NoError(t, P(&scanned).Scan(nil))
	assert.Zero(t, scanned)

	past := E(len(names) + 1)
	assert.False(t, past.IsValid(), "one past the last name")
	_, err = past.MarshalText()
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
	_, err = past.Value()
	assert.ErrorIs(t, err, prescribing.ErrUnknownValue)
	_, err = json.Marshal(past)
	assert.Error(t, err)
	var back E
	assert.ErrorIs(t, P(&back).UnmarshalText([]byte("napping")), prescribing.ErrUnknownValue)
	assert.ErrorIs(t, P(&back).Scan("napping"), prescribing.ErrUnknownValue)
	assert.ErrorIs(t, P(&back).Scan(42), prescribing.ErrUnknownValue)
}

func TestHOLD_EveryEnumerationSharesTheVocabulary(t *testing.T) {
	t.Run("Reason", func(t *testing.T) {
		checkVocabulary[Reason](t, "lack_of_provision", "awaiting_readiness", "protecting_staff", "unfixable_problems")
		assert.Equal(t, []Reason{ReasonLackOfProvision, ReasonAwaitingReadiness, ReasonProtectingStaff, ReasonUnfixableProblems}, Reasons())
	})
	t.Run("Plan", func(t *testing.T) {
		checkVocabulary[EndpointPlan](t, "connect", "readiness_milestone", "review", "discharge")
	})
	t.Run("Outcome", func(t *testing.T) {
		checkVocabulary[Ending](t, "connected", "need_resolved", "referred_to_specialist", "disengaged", "discharged", "transferred")
		assert.Len(t, Endings(), 6)
	})
	t.Run("Class", func(t *testing.T) {
		checkVocabulary[Class](t, "unclassified", "cherishing", "static")
	})
	t.Run("Decision", func(t *testing.T) {
		checkVocabulary[Decision](t, "continue", "extend", "end")
	})
}

// TestHOLD_JSONNamesAreSnakeCase writes every exported holding type that
// has a JSON form, with every field set, and checks each field name is
// snake_case. Summary's by-reason keys are reasons' names, snake_case too.
func TestHOLD_JSONNamesAreSnakeCase(t *testing.T) {
	f := newFixture(t)
	at := f.now
	asset := prescribing.NewID[prescribing.Asset](f.ids)
	so := SignOff{Supervisor: "Supervisor", At: at, ReviewBy: at.Add(day)}
	ep := Endpoint{At: at, Plan: EndpointPlanConnect, Asset: asset, Open: true}
	a := assess(1, 2, 3)
	id := prescribing.NewID[Episode](f.ids)
	values := []any{
		Started{Episode: id, Referral: f.ref, Patient: f.pat, LinkWorker: f.lw, Reasons: prescribing.SetOf(ReasonLackOfProvision),
			Need: prescribing.NeedMoney, Awaited: asset, At: at, Endpoint: ep, SignOff: so},
		ReasonAdded{Episode: id, Reason: ReasonLackOfProvision, Need: prescribing.NeedMoney, At: at},
		ReadinessReached{Episode: id, At: at},
		Reviewed{Episode: id, At: at, Ratings: a, Decision: DecisionExtend, Endpoint: ep, Rationale: "r", SignOff: so, Ending: EndingConnected},
		EpisodeEnded{Episode: id, At: at, Ending: EndingConnected, Asset: asset},
		Start{ID: id, Referral: f.ref, Patient: f.pat, LinkWorker: f.lw, Reasons: prescribing.SetOf(ReasonLackOfProvision),
			Need: prescribing.NeedMoney, Awaited: asset, At: at, Endpoint: ep, SignOff: so},
		Review{At: at, Ratings: a, Decision: DecisionExtend, Endpoint: ep, Rationale: "r", SignOff: so, Ending: EndingConnected},
		Limits{MaxStalledExtensions: 4},
		Summary{LinkWorker: f.lw, At: at, Open: 1, ByReason: map[Reason]int{ReasonLackOfProvision: 1, ReasonUnfixableProblems: 2},
			Overdue: 1, AtRisk: 1, Cherishing: 1, Static: 1, MedianDays: 1, P90Days: 1, Caseload: 1, HoldingLoad: 1},
	}
	for _, v := range values {
		name := reflect.TypeOf(v).Name()
		b, err := json.Marshal(v)
		require.NoError(t, err, name)
		var decoded map[string]any
		require.NoError(t, json.Unmarshal(b, &decoded), name)
		// Every field of the struct is written (none left empty above).
		assert.Len(t, decoded, reflect.TypeOf(v).NumField(), "%s: %s", name, b)
		for _, k := range eventtest.JSONKeys(t, v) {
			assert.Regexp(t, eventtest.SnakeCase(), k, "%s: %s", name, b)
		}
	}
}

// TestEV_1_EveryEventCarriesTheTimeGiven checks EventTime of every holding
// event type returns the At it was given, not another of its times (an
// endpoint, a sign-off).
func TestEV_1_EveryEventCarriesTheTimeGiven(t *testing.T) {
	at := time.Date(2026, 5, 6, 7, 8, 9, 10, time.UTC)
	other := at.Add(99 * day)
	so := SignOff{Supervisor: "Supervisor", At: other, ReviewBy: other}
	ep := Endpoint{At: other, Plan: EndpointPlanReview}
	id := EpisodeID{}
	events := []prescribing.Event{
		Started{Episode: id, At: at, Endpoint: ep, SignOff: so},
		ReasonAdded{Episode: id, At: at},
		ReadinessReached{Episode: id, At: at},
		Reviewed{Episode: id, At: at, Endpoint: ep, SignOff: so},
		EpisodeEnded{Episode: id, At: at},
	}
	seen := map[string]bool{}
	for _, e := range events {
		assert.True(t, at.Equal(e.EventTime()), e.EventType())
		seen[e.EventType()] = true
	}
	for _, k := range EventKinds() {
		assert.True(t, seen[k.Type()], "%s is checked", k.Type())
	}
}

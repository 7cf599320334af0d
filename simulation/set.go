package simulation

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Set returns a copy of the scenario with one key set, as a scenario file
// would set it: a dotted key names a nested value
// (provision.money.stay_days, embeddedness.bolted_on, needs.housing), and
// value is JSON (a number, true, a list such as referral_surges'), or,
// when it is not JSON, a string (endpoint_policy none). A list is
// replaced whole; embeddedness.belonging follows the other two shares
// unless it is the key set. The copy is validated ([Scenario.Validate]);
// an unknown key, the key base (choose the embedded scenario to start
// from instead), a key nested more than 16 deep or a value out of bounds
// is an error wrapping [ErrScenario] that names the key. s is not changed.
func (s Scenario) Set(key, value string) (Scenario, error) {
	parts := strings.Split(key, ".")
	if key == "" || slices.Contains(parts, "") {
		return Scenario{}, fmt.Errorf("%w: %s: not a key", ErrScenario, quoteKey(key))
	}
	if parts[0] == "base" {
		return Scenario{}, fmt.Errorf("%w: base: set only in a scenario file; start from the embedded scenario instead", ErrScenario)
	}
	if len(parts) > maxNesting || len(value) > MaxScenarioBytes {
		return Scenario{}, fmt.Errorf("%w: %s: too deep or too long", ErrScenario, quoteKey(key))
	}
	raw := []byte(strings.TrimSpace(value))
	if !json.Valid(raw) {
		raw, _ = json.Marshal(value) // a string always marshals
	}
	doc := raw
	for i := len(parts) - 1; i >= 0; i-- {
		k, _ := json.Marshal(parts[i])
		doc = []byte(fmt.Sprintf("{%s:%s}", k, doc))
	}
	// The lists and maps are decoded into: give the copy its own, so that
	// s keeps its values.
	s.ReferralSurges, s.Departures = slices.Clone(s.ReferralSurges), slices.Clone(s.Departures)
	s.Needs, s.Provision = maps.Clone(s.Needs), maps.Clone(s.Provision)
	if err := checkDuplicateKeys(doc); err != nil {
		return Scenario{}, err
	}
	if err := s.override(doc); err != nil {
		return Scenario{}, err
	}
	if err := s.Validate(); err != nil {
		return Scenario{}, err
	}
	return s, nil
}

package simulation

import (
	"database/sql/driver"
	"fmt"

	"github.com/socialprescribing/linkwork/prescribing"
)

// EndpointPolicy says what a review at a holding episode's endpoint does
// once the episode has max_extensions extensions. Its text form ("enforced",
// "none") is the scenario key endpoint_policy's value; the zero value is
// unset, which no scenario accepts.
type EndpointPolicy uint8

// Endpoint policies.
const (
	EndpointPolicyEnforced EndpointPolicy = iota + 1 // a review finding max_extensions extensions discharges
	EndpointPolicyNone                               // reviews extend forever
)

var endpointPolicies = prescribing.NewVocabulary[EndpointPolicy]("endpoint_policy", "enforced", "none")

// EndpointPolicies returns every endpoint policy in order. The slice is the caller's.
func EndpointPolicies() []EndpointPolicy { return endpointPolicies.Values() }

// IsValid reports whether p is a known policy.
func (p EndpointPolicy) IsValid() bool { return endpointPolicies.Valid(p) }

// String returns the policy's name ("enforced", "none").
func (p EndpointPolicy) String() string { return endpointPolicies.String(p) }

// MarshalText returns the policy's name; a value out of range is an error
// wrapping [prescribing.ErrUnknownValue].
func (p EndpointPolicy) MarshalText() ([]byte, error) { return endpointPolicies.MarshalText(p) }

// UnmarshalText reads a policy's name; another name is an error wrapping
// [prescribing.ErrUnknownValue] that names the key endpoint_policy.
func (p *EndpointPolicy) UnmarshalText(b []byte) error {
	v, err := endpointPolicies.Parse(string(b))
	if err != nil {
		return fmt.Errorf("endpoint_policy: want %q or %q: %w", EndpointPolicyEnforced, EndpointPolicyNone, err)
	}
	*p = v
	return nil
}

// Scan reads a policy from a database value: its name, or NULL for unset.
func (p *EndpointPolicy) Scan(src any) (err error) { *p, err = endpointPolicies.Scan(src); return }

// Value returns the policy for a database: its name, or NULL for unset.
func (p EndpointPolicy) Value() (driver.Value, error) { return endpointPolicies.Value(p) }

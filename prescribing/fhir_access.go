package prescribing

import "time"

// ConsentGrant is one consent as a [Consents] record holds it: its scope,
// the asset it names (for [ConsentScopeShareWithAsset]), when it was given
// and when it was withdrawn (zero while it holds). Exchange formats read
// them, for example to write a FHIR Consent resource per grant.
type ConsentGrant struct {
	Scope       ConsentScope `json:"scope"`
	Asset       AssetID      `json:"asset,omitzero"`
	GivenAt     time.Time    `json:"given_at"`
	WithdrawnAt time.Time    `json:"withdrawn_at,omitzero"`
}

// Withdrawn reports whether the consent has been withdrawn.
func (g ConsentGrant) Withdrawn() bool { return !g.WithdrawnAt.IsZero() }

// Grants returns every consent given, in the order given, each with the
// time it was withdrawn if it was: the record's history of consent. The
// list is the caller's own copy.
func (c *Consents) Grants() []ConsentGrant {
	if len(c.grants) == 0 {
		return nil
	}
	out := make([]ConsentGrant, len(c.grants))
	for i, g := range c.grants {
		out[i] = ConsentGrant{Scope: g.scope, Asset: g.asset, GivenAt: g.givenAt, WithdrawnAt: g.withdrawnAt}
	}
	return out
}

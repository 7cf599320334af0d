package prescribing

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
)

// Barrier is something that keeps a person from taking up support, as
// public involvement groups named them.
type Barrier uint8

// Barriers to taking up support.
const (
	// BarrierLanguage: English is not the person's first language. An asset
	// answers it when it is offered in one of the person's languages.
	BarrierLanguage Barrier = iota + 1
	// BarrierCulture: services are culturally inappropriate for the person.
	// A culturally specific asset for their community answers it.
	BarrierCulture
	// BarrierConfidence: the person lacks confidence to try things. An asset
	// that welcomes a first visit with a companion answers it.
	BarrierConfidence
	// BarrierAwareness: lack of awareness of social prescribing. No asset
	// answers it: the practice and link worker do.
	BarrierAwareness
	// BarrierMoney: fees and the cost of getting there. A free asset, or
	// one with concessions, answers it.
	BarrierMoney
	// BarrierBackground: the link worker comes from a different background.
	// No asset answers it: it is about the link worker.
	BarrierBackground
	// BarrierDigital: digital exclusion. Any asset that is not online only
	// answers it.
	BarrierDigital
	// BarrierMobility: difficulty getting about. A step-free venue,
	// transport provided, or taking part online answers it.
	BarrierMobility
)

var barriers = NewVocabulary[Barrier]("barrier",
	"language", "culturally_inappropriate", "lack_of_confidence", "lack_of_awareness",
	"money", "different_background", "digital_exclusion", "mobility")

// Barriers returns every barrier in order.
func Barriers() []Barrier { return barriers.Values() }

// String returns the barrier's text form ("lack_of_confidence").
func (b Barrier) String() string { return barriers.String(b) }

// IsValid reports whether b is a known barrier.
func (b Barrier) IsValid() bool { return barriers.Valid(b) }

// MarshalText implements [encoding.TextMarshaler].
func (b Barrier) MarshalText() ([]byte, error) { return barriers.MarshalText(b) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (b *Barrier) UnmarshalText(t []byte) (err error) { *b, err = barriers.Parse(string(t)); return }

// Scan implements [database/sql.Scanner].
func (b *Barrier) Scan(src any) (err error) { *b, err = barriers.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (b Barrier) Value() (driver.Value, error) { return barriers.Value(b) }

// Profile is what matching knows of a person: their needs, the barriers they
// face, the languages they speak and the community they belong to. It holds
// no identifying details.
type Profile struct {
	Needs    []Need    `json:"needs"`
	Barriers []Barrier `json:"barriers,omitempty"`
	// Languages the person speaks, as language tags ("pl", "ur").
	Languages []string `json:"languages,omitempty"`
	// Community is the cultural community the person belongs to, if they
	// say, as the assets name communities.
	Community string `json:"community,omitempty"`
}

// Provision is whether a need has community provision with room.
type Provision uint8

// Provision of a need (rule ASSET-2).
const (
	// ProvisionAvailable: an active asset serves the need and has room.
	ProvisionAvailable Provision = iota + 1
	// ProvisionFull: active assets serve the need but none has a free place.
	ProvisionFull
	// ProvisionNone: no active asset serves the need.
	ProvisionNone
)

var provisions = NewVocabulary[Provision]("provision", "available", "full", "no_provision")

// Provisions returns every state of provision in order. The slice is the caller's.
func Provisions() []Provision { return provisions.Values() }

// String returns the provision's text form ("no_provision").
func (p Provision) String() string { return provisions.String(p) }

// IsValid reports whether p is a known provision.
func (p Provision) IsValid() bool { return provisions.Valid(p) }

// MarshalText implements [encoding.TextMarshaler].
func (p Provision) MarshalText() ([]byte, error) { return provisions.MarshalText(p) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *Provision) UnmarshalText(t []byte) (err error) {
	*p, err = provisions.Parse(string(t))
	return
}

// Scan implements [database/sql.Scanner].
func (p *Provision) Scan(src any) (err error) { *p, err = provisions.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (p Provision) Value() (driver.Value, error) { return provisions.Value(p) }

// NeedProvision says what community provision there is for one of a
// person's needs (rule ASSET-2). A need whose provision is full or none is
// the trigger for holding with reason "lack of community provision".
type NeedProvision struct {
	Need      Need      `json:"need"`
	Provision Provision `json:"provision"`
	// Assets counts the active assets that serve the need.
	Assets int `json:"assets"`
	// Awaited is, when provision is full, the best-ranked full asset for the
	// need: the one to wait for a place at.
	Awaited AssetID `json:"awaited,omitzero"`
}

// Candidate is one asset matching offers a person, with why (rule ASSET-1).
type Candidate struct {
	Asset AssetID `json:"asset"`
	Name  string  `json:"name"`
	// Serves are the person's needs the asset serves.
	Serves NeedSet `json:"serves"`
	// Answers are the person's barriers the asset answers, and Leaves those
	// it does not.
	Answers BarrierSet `json:"answers"`
	Leaves  BarrierSet `json:"leaves"`
	// HasRoom: open access or a free place now.
	HasRoom bool `json:"has_room"`
}

// Explain returns one line on the candidate: "Riverside walking group:
// serves social_isolation; answers money, mobility; leaves language".
func (c Candidate) Explain() string {
	room := ""
	if !c.HasRoom {
		room = " (full)"
	}
	return fmt.Sprintf("%s%s: serves %s; answers %s; leaves %s", c.Name, room, c.Serves, c.Answers, c.Leaves)
}

// Match is the result of matching a person to community assets.
type Match struct {
	// Candidates are the active assets that serve at least one of the
	// person's needs, best first.
	Candidates []Candidate `json:"candidates"`
	// Needs says, for each of the person's needs in need order, what
	// provision there is.
	Needs []NeedProvision `json:"needs"`
}

// Unmet returns the needs with no provision or provision full: what holding
// with reason "lack of community provision" starts from.
func (m Match) Unmet() []NeedProvision {
	var out []NeedProvision
	for _, n := range m.Needs {
		if n.Provision != ProvisionAvailable {
			out = append(out, n)
		}
	}
	return out
}

// MatchAssets ranks community assets for a person (rule ASSET-1). Only
// active assets that serve at least one of the person's needs are offered;
// inactive, temporarily closed and defunct ones never are. Candidates are
// ranked by how many of the person's needs they serve, then those with room
// before full ones, then by fewer of the person's barriers left, then by
// name and ID so the order is always the same. Each candidate says which
// barriers it answers and which it leaves.
//
// For each need it says whether there is provision with room, provision but
// full, or none (rule ASSET-2).
//
// A profile with no need is an error wrapping [ErrMissingDetail]; one with
// needs or barriers outside their vocabularies wraps [ErrUnknownValue] too.
// assets is read, never changed.
func MatchAssets(p Profile, assets []Asset) (Match, error) {
	if len(p.Needs) == 0 {
		return Match{}, fmt.Errorf("%w: matching needs at least one need", ErrMissingDetail)
	}
	for _, n := range p.Needs {
		if err := checkMember(needs, n); err != nil {
			return Match{}, fmt.Errorf("%w: %w", ErrMissingDetail, err)
		}
	}
	for _, b := range p.Barriers {
		if err := checkMember(barriers, b); err != nil {
			return Match{}, fmt.Errorf("%w: %w", ErrMissingDetail, err)
		}
	}
	needs := SetOf(p.Needs...)
	faced := SetOf(p.Barriers...)

	type ranked struct {
		c     Candidate
		index int
	}
	var list []ranked
	for i := range assets {
		a := &assets[i]
		if a.status != AssetStatusActive {
			continue
		}
		serves := a.needs.Intersect(needs)
		if serves.IsEmpty() {
			continue
		}
		answers := answeredBarriers(a, p, faced)
		list = append(list, ranked{index: i, c: Candidate{
			Asset: a.id, Name: a.details.Name, Serves: serves,
			Answers: answers, Leaves: faced.Without(answers), HasRoom: a.HasRoom(),
		}})
	}
	slices.SortFunc(list, func(x, y ranked) int {
		a, b := &x.c, &y.c
		if d := b.Serves.Len() - a.Serves.Len(); d != 0 {
			return d
		}
		if a.HasRoom != b.HasRoom {
			if a.HasRoom {
				return -1
			}
			return 1
		}
		if d := a.Leaves.Len() - b.Leaves.Len(); d != 0 {
			return d
		}
		if d := strings.Compare(a.Name, b.Name); d != 0 {
			return d
		}
		return a.Asset.Compare(b.Asset)
	})

	m := Match{Candidates: make([]Candidate, len(list))}
	for i := range list {
		m.Candidates[i] = list[i].c
	}
	for _, n := range needs.List() {
		np := NeedProvision{Need: n, Provision: ProvisionNone}
		for i := range m.Candidates {
			c := &m.Candidates[i]
			if !c.Serves.Has(n) {
				continue
			}
			np.Assets++
			switch {
			case c.HasRoom:
				np.Provision, np.Awaited = ProvisionAvailable, AssetID{}
			case np.Provision == ProvisionNone:
				np.Provision, np.Awaited = ProvisionFull, c.Asset
			}
		}
		m.Needs = append(m.Needs, np)
	}
	return m, nil
}

// answeredBarriers returns the barriers in faced that asset a answers for
// person p; see the Barrier constants for what answers each.
func answeredBarriers(a *Asset, p Profile, faced BarrierSet) BarrierSet {
	var s BarrierSet
	d := &a.details
	if faced.Has(BarrierLanguage) && sharesTag(d.Languages, p.Languages) {
		s = s.With(BarrierLanguage)
	}
	if faced.Has(BarrierCulture) && d.CulturallySpecific &&
		(len(d.Communities) == 0 || (p.Community != "" && sharesTag(d.Communities, []string{p.Community}))) {
		s = s.With(BarrierCulture)
	}
	if faced.Has(BarrierConfidence) && d.Access.CompanionWelcome {
		s = s.With(BarrierConfidence)
	}
	if faced.Has(BarrierMoney) && (d.FeePence == 0 || d.Concessions) {
		s = s.With(BarrierMoney)
	}
	if faced.Has(BarrierDigital) && !d.Access.OnlineOnly {
		s = s.With(BarrierDigital)
	}
	if faced.Has(BarrierMobility) && (d.Access.StepFree || d.Access.TransportProvided || d.Access.Online) {
		s = s.With(BarrierMobility)
	}
	return s
}

// sharesTag reports whether the lists share a tag, ignoring case and
// surrounding space.
func sharesTag(a, b []string) bool {
	for _, x := range a {
		x = strings.TrimSpace(x)
		for _, y := range b {
			if strings.EqualFold(x, strings.TrimSpace(y)) {
				return true
			}
		}
	}
	return false
}

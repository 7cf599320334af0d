package openreferral

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Errors of reading a service.
var (
	// ErrInvalidService reports an HSDS service that cannot be read as a
	// community asset: malformed JSON, a required field missing, a value
	// outside HSDS's or linkwork's vocabulary, or details the asset would
	// refuse ([prescribing.AssetDetails.Validate]). Messages name the
	// field, not its value.
	ErrInvalidService = errors.New("invalid Open Referral service")
	// ErrTooLarge reports input longer than [MaxInputBytes].
	ErrTooLarge = errors.New("Open Referral input too large")
)

// MaxInputBytes bounds what [ReadService] reads: 1 MiB.
const MaxInputBytes = 1 << 20

// Taxonomies of the attributes linkwork writes. Needs are coded with the
// text forms of [prescribing.Need] ("social_isolation"); features with
// [Feature] codes, the value carrying a community for "community".
const (
	NeedTaxonomy    = "https://github.com/socialprescribing/linkwork/fhir/CodeSystem/need"
	FeatureTaxonomy = "https://github.com/socialprescribing/linkwork/openreferral/feature"
	// PlaceUnit is the name of the service_capacity unit linkwork counts
	// places in.
	PlaceUnit = "place"
)

// The features of an asset written as attributes in [FeatureTaxonomy].
const (
	FeatureOpenAccess         = "open_access"
	FeatureConcessions        = "concessions"
	FeatureCulturallySpecific = "culturally_specific"
	FeatureCommunity          = "community"
	FeatureStepFree           = "step_free"
	FeatureTransportProvided  = "transport_provided"
	FeatureOnline             = "online"
	FeatureOnlineOnly         = "online_only"
	FeatureCompanionWelcome   = "companion_welcome"
)

// Service is an HSDS 3.1 service with the fields linkwork exchanges.
// Other HSDS fields are ignored when read.
type Service struct {
	ID                     string       `json:"id"`
	Name                   string       `json:"name"`
	Description            string       `json:"description,omitempty"`
	Status                 string       `json:"status"`
	EligibilityDescription string       `json:"eligibility_description,omitempty"`
	Languages              []Language   `json:"languages,omitempty"`
	Capacities             []Capacity   `json:"capacities,omitempty"`
	CostOptions            []CostOption `json:"cost_options,omitempty"`
	Attributes             []Attribute  `json:"attributes,omitempty"`
}

// Language is an HSDS language a service is offered in.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
}

// Capacity is an HSDS service_capacity: how many units are available of a
// maximum, as of when.
type Capacity struct {
	ID          string   `json:"id"`
	ServiceID   string   `json:"service_id,omitempty"`
	Unit        Unit     `json:"unit"`
	Available   float64  `json:"available"`
	Maximum     *float64 `json:"maximum,omitempty"`
	Description string   `json:"description,omitempty"`
	Updated     string   `json:"updated"`
}

// Unit is the HSDS unit a capacity is counted in.
type Unit struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CostOption is an HSDS cost option: what a person pays.
type CostOption struct {
	ID        string   `json:"id"`
	ServiceID string   `json:"service_id,omitempty"`
	Option    string   `json:"option,omitempty"`
	Currency  string   `json:"currency,omitempty"`
	Amount    *float64 `json:"amount,omitempty"`
}

// Attribute is an HSDS attribute: a taxonomy term linked to the service.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	LinkEntity     string        `json:"link_entity,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	Value          string        `json:"value,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyTerm is an HSDS taxonomy term.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Taxonomy    string `json:"taxonomy,omitempty"`
}

// statusNames are the HSDS names of the asset statuses.
var statusNames = [...]string{
	prescribing.AssetStatusActive:            "active",
	prescribing.AssetStatusInactive:          "inactive",
	prescribing.AssetStatusTemporarilyClosed: "temporarily closed",
	prescribing.AssetStatusDefunct:           "defunct",
}

// StatusName returns the HSDS name of an asset status ("temporarily
// closed"), or "" for a status outside the vocabulary.
func StatusName(s prescribing.AssetStatus) string {
	if !s.IsValid() {
		return ""
	}
	return statusNames[s]
}

// ParseStatus returns the asset status of an HSDS status name.
func ParseStatus(name string) (prescribing.AssetStatus, error) {
	for _, s := range prescribing.AssetStatuses() {
		if statusNames[s] == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w: service.status: not an HSDS status (active, inactive, defunct, temporarily closed)", ErrInvalidService)
}

// Info is what HSDS says of a service that an asset does not hold.
type Info struct {
	// Description describes the service.
	Description string `json:"description"`
	// Eligibility describes who the service is for.
	Eligibility string `json:"eligibility"`
	// Updated is when the capacity was last counted: required for a
	// service with places.
	Updated time.Time `json:"updated"`
}

// ServiceOf writes asset a and info as an HSDS service (see the package
// documentation). Text of info that [prescribing.CheckText] refuses, and a
// service with places but no Updated time, are errors wrapping
// [ErrInvalidService].
func ServiceOf(a *prescribing.Asset, info Info) (Service, error) {
	if a.ID().IsZero() {
		return Service{}, fmt.Errorf("%w: the asset is not listed", ErrInvalidService)
	}
	for _, t := range []struct{ what, s string }{{"description", info.Description}, {"eligibility", info.Eligibility}} {
		if err := prescribing.CheckText(t.what, t.s); err != nil {
			return Service{}, fmt.Errorf("%w: asset %s: %w", ErrInvalidService, a.ID(), err)
		}
	}
	d := a.Details()
	owner := a.ID().UUID()
	id := owner.String()
	derived := func(what string) string { return uuid.NewSHA1(owner, []byte(what)).String() }
	s := Service{ID: id, Name: d.Name, Description: info.Description, Status: StatusName(a.Status()),
		EligibilityDescription: info.Eligibility}
	for _, l := range d.Languages {
		s.Languages = append(s.Languages, Language{ID: derived("language " + l), ServiceID: id, Code: l})
	}
	if !d.OpenAccess {
		if info.Updated.IsZero() {
			return Service{}, fmt.Errorf("%w: asset %s: a capacity needs the time it was updated", ErrInvalidService, a.ID())
		}
		if err := prescribing.CheckTimeRange(info.Updated); err != nil {
			return Service{}, fmt.Errorf("%w: asset %s: %w", ErrInvalidService, a.ID(), err)
		}
		free, _ := a.FreePlaces()
		maximum := float64(d.Places)
		s.Capacities = []Capacity{{ID: derived("capacity"), ServiceID: id,
			Unit:      Unit{ID: derived("unit place"), Name: PlaceUnit},
			Available: float64(free), Maximum: &maximum, Description: "Places",
			Updated: info.Updated.UTC().Format(time.RFC3339Nano)}}
	}
	if d.FeePence > 0 {
		amount := float64(d.FeePence) / 100
		s.CostOptions = []CostOption{{ID: derived("cost"), ServiceID: id, Option: "per session", Currency: "GBP", Amount: &amount}}
	}
	attr := func(taxonomy, code, value string) {
		term := TaxonomyTerm{ID: uuid.NewSHA1(uuid.NameSpaceURL, []byte(taxonomy+"#"+code)).String(), Code: code,
			Name: strings.ReplaceAll(code, "_", " "), Description: strings.ReplaceAll(code, "_", " "), Taxonomy: taxonomy}
		s.Attributes = append(s.Attributes, Attribute{ID: derived("attribute " + taxonomy + " " + code + " " + value),
			LinkID: id, LinkEntity: "service", TaxonomyTermID: term.ID, Value: value, TaxonomyTerm: &term})
	}
	for _, n := range d.Needs {
		attr(NeedTaxonomy, n.String(), "")
	}
	for _, f := range []struct {
		on   bool
		code string
	}{
		{d.OpenAccess, FeatureOpenAccess}, {d.Concessions, FeatureConcessions},
		{d.CulturallySpecific, FeatureCulturallySpecific}, {d.Access.StepFree, FeatureStepFree},
		{d.Access.TransportProvided, FeatureTransportProvided}, {d.Access.Online, FeatureOnline},
		{d.Access.OnlineOnly, FeatureOnlineOnly}, {d.Access.CompanionWelcome, FeatureCompanionWelcome},
	} {
		if f.on {
			attr(FeatureTaxonomy, f.code, "")
		}
	}
	for _, c := range d.Communities {
		attr(FeatureTaxonomy, FeatureCommunity, c)
	}
	return s, nil
}

// Listing is an asset read from an HSDS service: what [prescribing.ListAsset]
// needs, the places in use, and what HSDS says besides.
type Listing struct {
	Asset   prescribing.AssetID      `json:"asset"`
	Details prescribing.AssetDetails `json:"details"`
	Status  prescribing.AssetStatus  `json:"status"`
	// InUse is the places in use: maximum less available.
	InUse int  `json:"in_use"`
	Info  Info `json:"info"`
}

// List records the listing as a new asset at time at: listed active, its
// places in use taken (for no known referral), then its status set. It
// returns the asset and the events that record it.
func (l Listing) List(at time.Time) (prescribing.Asset, []prescribing.Event, error) {
	a, listed, err := prescribing.ListAsset(l.Asset, l.Details, prescribing.AssetStatusActive, at)
	if err != nil {
		return prescribing.Asset{}, nil, err
	}
	events := []prescribing.Event{listed}
	for range l.InUse {
		e, err := a.TakePlace(prescribing.ReferralID{}, at)
		if err != nil {
			return prescribing.Asset{}, nil, err
		}
		events = append(events, e)
	}
	if l.Status != prescribing.AssetStatusActive {
		e, err := a.SetStatus(l.Status, at)
		if err != nil {
			return prescribing.Asset{}, nil, err
		}
		events = append(events, e)
	}
	return a, events, nil
}

// ReadService reads an HSDS service as a community asset (at most
// [MaxInputBytes], [ErrTooLarge] beyond). The id must be a UUID; the status
// an HSDS status; languages are read from their code, else their name;
// places from the capacity in the unit "place" (maximum the places,
// maximum less available those in use, both whole numbers); a service
// without one is open access, as most directory services are. Needs come
// from attributes in [NeedTaxonomy] and features from [FeatureTaxonomy];
// attributes of other taxonomies are ignored. The fee comes from a cost
// option in GBP. The details must pass [prescribing.AssetDetails.Validate].
// Errors wrap [ErrInvalidService] and name the field.
func ReadService(r io.Reader) (Listing, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return Listing{}, fmt.Errorf("%w: reading: %w", ErrInvalidService, err)
	}
	if len(data) > MaxInputBytes {
		return Listing{}, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxInputBytes)
	}
	var s Service
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return Listing{}, fmt.Errorf("%w: %s", ErrInvalidService, describe(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Listing{}, fmt.Errorf("%w: data after the JSON value", ErrInvalidService)
	}
	return s.listing()
}

func describe(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("malformed JSON at offset %d", syntax.Offset)
	case errors.As(err, &typ):
		return "service." + typ.Field + " has the wrong JSON type"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON is empty or cut short"
	default:
		return "not an HSDS service"
	}
}

func invalid(field, problem string) error {
	return fmt.Errorf("%w: service.%s %s", ErrInvalidService, field, problem)
}

func (s Service) listing() (Listing, error) {
	var l Listing
	id, err := prescribing.ParseID[prescribing.Asset](s.ID)
	if err != nil || id.IsZero() {
		return Listing{}, invalid("id", "is not a UUID")
	}
	l.Asset = id
	if l.Status, err = ParseStatus(s.Status); err != nil {
		return Listing{}, err
	}
	l.Details.Name = s.Name
	for _, t := range []struct{ field, s string }{{"description", s.Description}, {"eligibility_description", s.EligibilityDescription}} {
		if prescribing.CheckText(t.field, t.s) != nil {
			return Listing{}, fmt.Errorf("%w: %w", invalid(t.field, "is not valid text"), prescribing.ErrInvalidText)
		}
	}
	l.Info.Description, l.Info.Eligibility = s.Description, s.EligibilityDescription
	for i, lang := range s.Languages {
		tag := lang.Code
		if tag == "" {
			tag = lang.Name
		}
		if tag == "" {
			return Listing{}, invalid(fmt.Sprintf("languages[%d]", i), "has neither code nor name")
		}
		l.Details.Languages = append(l.Details.Languages, tag)
	}
	if err := l.readCapacity(s.Capacities); err != nil {
		return Listing{}, err
	}
	for i, c := range s.CostOptions {
		if c.Amount == nil || c.Currency != "GBP" {
			continue
		}
		pence := *c.Amount * 100
		if pence < 0 || pence > math.MaxInt32 || math.Abs(pence-math.Round(pence)) > 1e-6 {
			return Listing{}, invalid(fmt.Sprintf("cost_options[%d].amount", i), "is not an amount in pounds and pence")
		}
		l.Details.FeePence = int(math.Round(pence))
		break
	}
	open := false
	for i, a := range s.Attributes {
		if a.TaxonomyTerm == nil {
			continue
		}
		field := fmt.Sprintf("attributes[%d].taxonomy_term.code", i)
		switch a.TaxonomyTerm.Taxonomy {
		case NeedTaxonomy:
			var n prescribing.Need
			if n.UnmarshalText([]byte(a.TaxonomyTerm.Code)) != nil {
				return Listing{}, fmt.Errorf("%w: %w", invalid(field, "is not a need"), prescribing.ErrUnknownValue)
			}
			l.Details.Needs = append(l.Details.Needs, n)
		case FeatureTaxonomy:
			d := &l.Details
			switch a.TaxonomyTerm.Code {
			case FeatureOpenAccess:
				open = true
			case FeatureConcessions:
				d.Concessions = true
			case FeatureCulturallySpecific:
				d.CulturallySpecific = true
			case FeatureCommunity:
				d.Communities = append(d.Communities, a.Value)
			case FeatureStepFree:
				d.Access.StepFree = true
			case FeatureTransportProvided:
				d.Access.TransportProvided = true
			case FeatureOnline:
				d.Access.Online = true
			case FeatureOnlineOnly:
				d.Access.OnlineOnly = true
			case FeatureCompanionWelcome:
				d.Access.CompanionWelcome = true
			default:
				return Listing{}, fmt.Errorf("%w: %w", invalid(field, "is not a feature of "+FeatureTaxonomy), prescribing.ErrUnknownValue)
			}
		}
	}
	if open && len(s.Capacities) > 0 && !l.Details.OpenAccess {
		return Listing{}, invalid("attributes", "say open access but the service counts places")
	}
	if err := l.Details.Validate(); err != nil {
		return Listing{}, fmt.Errorf("%w: %w", ErrInvalidService, err)
	}
	return l, nil
}

// readCapacity reads the places from the capacity in places; none means
// open access.
func (l *Listing) readCapacity(cs []Capacity) error {
	for i, c := range cs {
		if !strings.EqualFold(c.Unit.Name, PlaceUnit) && !strings.EqualFold(c.Unit.Name, PlaceUnit+"s") {
			continue
		}
		field := fmt.Sprintf("capacities[%d]", i)
		if c.Maximum == nil {
			return invalid(field+".maximum", "is missing: places need a maximum")
		}
		whole := func(v float64) bool { return v >= 0 && v <= math.MaxInt32 && v == math.Trunc(v) }
		switch {
		case !whole(*c.Maximum):
			return invalid(field+".maximum", "is not a whole number of places")
		case !whole(c.Available):
			return invalid(field+".available", "is not a whole number of places")
		case c.Available > *c.Maximum:
			return invalid(field+".available", "is more than the maximum")
		}
		t, err := time.Parse(time.RFC3339Nano, c.Updated)
		if err != nil || prescribing.CheckTimeRange(t) != nil {
			return invalid(field+".updated", "is not an RFC 3339 date-time in the years 1 to 9999")
		}
		l.Details.Places = int(*c.Maximum)
		l.InUse = int(*c.Maximum - c.Available)
		l.Info.Updated = t.UTC()
		return nil
	}
	l.Details.OpenAccess = true
	return nil
}

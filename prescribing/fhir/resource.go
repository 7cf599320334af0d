package fhir

// The FHIR R4 resources and data types this package writes, with the
// elements it uses. Field names follow the FHIR JSON names; empty elements
// are left out, as FHIR JSON requires (an empty string or list is invalid).

// Coding is a code from a code system.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is a concept given by codings and text.
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Identifier is a business identifier in a system.
type Identifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Reference points at another resource: by URL (a urn:uuid within a
// Bundle, or ResourceType/id), by identifier, or only by display text.
type Reference struct {
	Reference  string      `json:"reference,omitempty"`
	Type       string      `json:"type,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// Extension carries an element FHIR does not define.
type Extension struct {
	URL         string  `json:"url"`
	ValueCoding *Coding `json:"valueCoding,omitempty"`
}

// Period is a span of time; either end may be open.
type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// HumanName is a person's name.
type HumanName struct {
	Use    string   `json:"use,omitempty"`
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
}

// ContactPoint is a phone number or email address.
type ContactPoint struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Address is a postal address.
type Address struct {
	Text       string `json:"text,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
}

// Narrative is the human-readable XHTML of a resource or section.
type Narrative struct {
	Status string `json:"status"`
	Div    string `json:"div"`
}

// Quantity is a measured amount.
type Quantity struct {
	Value  float64 `json:"value"`
	Unit   string  `json:"unit,omitempty"`
	System string  `json:"system,omitempty"`
	Code   string  `json:"code,omitempty"`
}

// Patient is the FHIR Patient resource: the person referred. It is personal
// data (rule PRIV-1): an explicit export.
type Patient struct {
	ResourceType         string         `json:"resourceType"`
	ID                   string         `json:"id,omitempty"`
	Identifier           []Identifier   `json:"identifier,omitempty"`
	Name                 []HumanName    `json:"name,omitempty"`
	Telecom              []ContactPoint `json:"telecom,omitempty"`
	BirthDate            string         `json:"birthDate,omitempty"`
	Address              []Address      `json:"address,omitempty"`
	GeneralPractitioner  []Reference    `json:"generalPractitioner,omitempty"`
	ManagingOrganization *Reference     `json:"managingOrganization,omitempty"`
}

// Practitioner is the FHIR Practitioner resource: the link worker.
type Practitioner struct {
	ResourceType string       `json:"resourceType"`
	ID           string       `json:"id,omitempty"`
	Identifier   []Identifier `json:"identifier,omitempty"`
}

// Organization is the FHIR Organization resource: the GP practice.
type Organization struct {
	ResourceType string       `json:"resourceType"`
	ID           string       `json:"id,omitempty"`
	Identifier   []Identifier `json:"identifier,omitempty"`
	Name         string       `json:"name,omitempty"`
}

// ServiceRequest is the FHIR ServiceRequest resource: the referral to
// social prescribing.
type ServiceRequest struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id,omitempty"`
	Extension    []Extension       `json:"extension,omitempty"`
	Identifier   []Identifier      `json:"identifier,omitempty"`
	Status       string            `json:"status"`
	Intent       string            `json:"intent"`
	Category     []CodeableConcept `json:"category,omitempty"`
	Code         *CodeableConcept  `json:"code,omitempty"`
	Subject      Reference         `json:"subject"`
	AuthoredOn   string            `json:"authoredOn,omitempty"`
	Requester    *Reference        `json:"requester,omitempty"`
	Performer    []Reference       `json:"performer,omitempty"`
	ReasonCode   []CodeableConcept `json:"reasonCode,omitempty"`
}

// TaskOutput is one output of a Task: here a piece of community support
// taken up.
type TaskOutput struct {
	Type           CodeableConcept `json:"type"`
	ValueReference *Reference      `json:"valueReference,omitempty"`
}

// Task is the FHIR Task resource that tracks the fulfilment of the referral,
// on the pattern of the HL7 Gravity SDOH Clinical Care "Task for referral
// management".
type Task struct {
	ResourceType   string           `json:"resourceType"`
	ID             string           `json:"id,omitempty"`
	Identifier     []Identifier     `json:"identifier,omitempty"`
	Status         string           `json:"status"`
	StatusReason   *CodeableConcept `json:"statusReason,omitempty"`
	BusinessStatus *CodeableConcept `json:"businessStatus,omitempty"`
	Intent         string           `json:"intent"`
	Code           CodeableConcept  `json:"code"`
	Focus          Reference        `json:"focus"`
	For            Reference        `json:"for"`
	AuthoredOn     string           `json:"authoredOn,omitempty"`
	LastModified   string           `json:"lastModified,omitempty"`
	Requester      *Reference       `json:"requester,omitempty"`
	Owner          *Reference       `json:"owner,omitempty"`
	Output         []TaskOutput     `json:"output,omitempty"`
}

// ConsentActor is who a consent provision concerns, in which role.
type ConsentActor struct {
	Role      CodeableConcept `json:"role"`
	Reference Reference       `json:"reference"`
}

// ConsentProvision is what a consent permits, for how long.
type ConsentProvision struct {
	Type   string            `json:"type,omitempty"`
	Period *Period           `json:"period,omitempty"`
	Actor  []ConsentActor    `json:"actor,omitempty"`
	Code   []CodeableConcept `json:"code,omitempty"`
}

// Consent is the FHIR Consent resource: one consent a person gave, and
// withdrew if they did.
type Consent struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id,omitempty"`
	Status       string            `json:"status"`
	Scope        CodeableConcept   `json:"scope"`
	Category     []CodeableConcept `json:"category"`
	Patient      Reference         `json:"patient"`
	DateTime     string            `json:"dateTime,omitempty"`
	PolicyRule   *CodeableConcept  `json:"policyRule,omitempty"`
	Provision    *ConsentProvision `json:"provision,omitempty"`
}

// ObservationComponent is one part of an observation: here the score
// before or after support.
type ObservationComponent struct {
	Code             CodeableConcept  `json:"code"`
	ValueQuantity    *Quantity        `json:"valueQuantity,omitempty"`
	DataAbsentReason *CodeableConcept `json:"dataAbsentReason,omitempty"`
}

// Observation is the FHIR Observation resource: an outcome measure before
// and after support, or the outcome of the referral.
type Observation struct {
	ResourceType         string                 `json:"resourceType"`
	ID                   string                 `json:"id,omitempty"`
	Status               string                 `json:"status"`
	Code                 CodeableConcept        `json:"code"`
	Subject              Reference              `json:"subject"`
	Focus                []Reference            `json:"focus,omitempty"`
	EffectiveDateTime    string                 `json:"effectiveDateTime,omitempty"`
	ValueCodeableConcept *CodeableConcept       `json:"valueCodeableConcept,omitempty"`
	Component            []ObservationComponent `json:"component,omitempty"`
}

// Section is one section of a Composition.
type Section struct {
	Title string          `json:"title"`
	Code  CodeableConcept `json:"code"`
	Text  Narrative       `json:"text"`
	Entry []Reference     `json:"entry,omitempty"`
}

// Composition is the FHIR Composition resource: the first entry of a
// document Bundle, which says what the document holds.
type Composition struct {
	ResourceType string          `json:"resourceType"`
	ID           string          `json:"id,omitempty"`
	Status       string          `json:"status"`
	Type         CodeableConcept `json:"type"`
	Subject      Reference       `json:"subject"`
	Date         string          `json:"date"`
	Author       []Reference     `json:"author"`
	Title        string          `json:"title"`
	Section      []Section       `json:"section"`
}

// BundleRequest is how a transaction Bundle entry is applied.
type BundleRequest struct {
	Method string `json:"method"`
	URL    string `json:"url"`
}

// BundleEntry is one resource of a Bundle. Resource holds one of this
// package's resource types.
type BundleEntry struct {
	FullURL  string         `json:"fullUrl"`
	Resource any            `json:"resource"`
	Request  *BundleRequest `json:"request,omitempty"`
}

// Bundle is the FHIR Bundle resource: a transaction of the referral's
// resources, or the document of the message back.
type Bundle struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id,omitempty"`
	Identifier   *Identifier   `json:"identifier,omitempty"`
	Type         string        `json:"type"`
	Timestamp    string        `json:"timestamp,omitempty"`
	Entry        []BundleEntry `json:"entry"`
}

package fhir

import (
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Base is the root of the URLs of the code systems, identifier systems and
// extension this package defines for the concepts FHIR and SNOMED CT do not
// name one for: the needs, referral sources, lifecycle states, outcomes,
// outcome measures and consent scopes of package prescribing. Each code is
// the text form of the prescribing value ("social_isolation", "in-support",
// "connected_and_benefited").
const Base = "https://github.com/socialprescribing/linkwork/fhir"

// Code systems. Codes are the text forms of the prescribing vocabularies.
const (
	// NeedSystem codes a referral's needs ([prescribing.Need]) in
	// ServiceRequest.reasonCode. SNOMED CT has concepts for some needs but
	// not for all twelve, so the project's own system is used throughout.
	NeedSystem = Base + "/CodeSystem/need"
	// CategorySystem holds the one ServiceRequest category "social-prescribing".
	CategorySystem = Base + "/CodeSystem/category"
	// SourceSystem codes a referral's source ([prescribing.ReferralSource]).
	SourceSystem = Base + "/CodeSystem/referral-source"
	// StateSystem codes lifecycle states ([prescribing.State]) in
	// Task.businessStatus.
	StateSystem = Base + "/CodeSystem/referral-state"
	// OutcomeSystem codes the outcome of a closed referral ([prescribing.Outcome]).
	OutcomeSystem = Base + "/CodeSystem/outcome"
	// MeasureSystem codes the outcome measures of the message back: one code
	// per ONS4 question ("ons4-life_satisfaction", ...), "swemwbs-metric"
	// for the SWEMWBS metric score, and "before" and "after" for the two
	// scores. No LOINC or SNOMED CT code for these could be confirmed, so
	// the project's own system is used.
	MeasureSystem = Base + "/CodeSystem/outcome-measure"
	// ConsentScopeSystem codes consent scopes ([prescribing.ConsentScope]).
	ConsentScopeSystem = Base + "/CodeSystem/consent-scope"
	// TaskOutputSystem holds the Task output type "community-support-taken-up".
	TaskOutputSystem = Base + "/CodeSystem/task-output"
	// SectionSystem codes the Composition of the message back, and its
	// sections: "message-back", "person", "needs", "support", "measures",
	// "outcome".
	SectionSystem = Base + "/CodeSystem/message-back"
	// SourceExtension is the URL of the extension on ServiceRequest that
	// carries the referral source, a valueCoding in [SourceSystem].
	SourceExtension = Base + "/StructureDefinition/referral-source"
)

// Identifier systems of the IDs of package prescribing, and the NHS ones.
const (
	ReferralIDSystem   = Base + "/Id/referral"
	PatientIDSystem    = Base + "/Id/patient"
	LinkWorkerIDSystem = Base + "/Id/link-worker"
	PracticeIDSystem   = Base + "/Id/practice"
	AssetIDSystem      = Base + "/Id/asset"
	MessageBackSystem  = Base + "/Id/message-back"
	// NHSNumberSystem is the NHS England identifier system of NHS numbers.
	NHSNumberSystem = "https://fhir.nhs.uk/Id/nhs-number"
	// ODSSystem is the NHS England identifier system of ODS organisation codes.
	ODSSystem = "https://fhir.nhs.uk/Id/ods-organization-code"
)

// FHIR and HL7 code systems used as they are.
const (
	// TaskCodeSystem is FHIR's Task code system; tasks here are "fulfill".
	TaskCodeSystem = "http://hl7.org/fhir/CodeSystem/task-code"
	consentScope   = "http://terminology.hl7.org/CodeSystem/consentscope"
	loinc          = "http://loinc.org"
	actCode        = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	participation  = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
	dataAbsent     = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
)

// human turns a text form such as "social_isolation" or "in-support" into
// words, with the field's acronyms in capitals.
func human(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' })
	for i, w := range words {
		switch w {
		case "gp", "pcn", "vcse", "swemwbs", "ons4":
			words[i] = strings.ToUpper(w)
		}
	}
	out := strings.Join(words, " ")
	if out == "" {
		return out
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

func concept(system, code string) CodeableConcept {
	return CodeableConcept{Coding: []Coding{{System: system, Code: code, Display: human(code)}}}
}

// dateTime writes a FHIR dateTime or instant: RFC 3339 in UTC.
func dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// derived returns a stable UUID for a resource that has no prescribing ID
// of its own (a Task, a Consent), named after its owner and what it is.
func derived(owner uuid.UUID, what string) string {
	return uuid.NewSHA1(owner, []byte(what)).String()
}

// refs makes references between resources: urn:uuid within a Bundle, or
// ResourceType/id for standalone resources.
type refs bool

const (
	standalone refs = false
	inBundle   refs = true
)

func (r refs) to(resourceType, id string) Reference {
	if r == inBundle {
		return Reference{Reference: "urn:uuid:" + id}
	}
	return Reference{Reference: resourceType + "/" + id}
}

// stateConcept codes a lifecycle state for Task.businessStatus.
func stateConcept(s prescribing.State) *CodeableConcept {
	c := concept(StateSystem, s.String())
	c.Text = human(s.String())
	return &c
}

// text returns free text as a FHIR string can hold it. FHIR R4 strings may
// hold no white space but space, tab, carriage return and line feed (the
// JSON schema's pattern ^[ \r\n\t\S]+$, where \S is JavaScript's): any
// other white space (a no-break space, a line separator, a vertical tab,
// a byte order mark) is written as a space. Everything else is written as
// given.
func text(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '\t' || r == '\r' || r == '\n':
			return r
		case unicode.IsSpace(r) || r == '\uFEFF':
			return ' '
		}
		return r
	}, s)
}

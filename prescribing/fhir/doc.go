// Package fhir exchanges social prescribing referrals with NHS systems as
// HL7 FHIR R4 JSON, with the standard library only.
//
// # Export
//
// [Records] gathers a referral and the records of its people. From them:
//
//   - [ServiceRequestResource]: the referral, for the Patient identified by
//     NHS number (system https://fhir.nhs.uk/Id/nhs-number), requested by
//     its source, with the needs as reasonCode, category social
//     prescribing, and from first contact the SNOMED CT concept the
//     referral recorded (rule REF-6): 871731000000106 "Referral to social
//     prescribing service" or 871711000000103 "Social prescribing
//     declined".
//   - [TaskResource]: the Task that tracks it, on the pattern of the HL7
//     Gravity SDOH Clinical Care "Task for referral management" profile:
//     intent order, code fulfill, focus the ServiceRequest, for the
//     Patient, owner the link worker, status from rule REF-5, statusReason
//     when rejected, cancelled or on hold, businessStatus for the states
//     the status cannot tell apart, and an output per community support
//     taken up.
//   - [ConsentResources]: a Consent per consent given or withdrawn (rule
//     CONS-1).
//   - [TransactionBundle]: all of them with the Patient, Organization and
//     Practitioner, as a transaction Bundle.
//   - [MessageBack]: the message back to the GP and referrer of a closed
//     referral (rule REF-4), a document Bundle whose Composition has the
//     sections of the PRSB Social Prescribing Information Standard.
//
// Every export is the explicit export of personal data (rule PRIV-1): the
// Patient carries the name, date of birth, NHS number and contact details,
// and free text (reasons, the referrer's name) is written as it was given,
// except white space a FHIR string cannot hold (anything but space, tab,
// carriage return and line feed, such as a no-break space), written as a
// space.
// Everything else in this package redacts: errors never hold input values
// or details, and [Records] and [Inbound] print and log IDs and the NHS
// number hint only.
//
// Concepts FHIR and SNOMED CT have no code for (the needs, sources, states,
// outcomes, outcome measures and consent scopes of package prescribing)
// are coded in the project's own code systems under [Base], with the text
// forms of the prescribing vocabularies as codes.
//
// # Import
//
// [ImportReferral] reads a Bundle holding a ServiceRequest and its Patient,
// as a GP system sends a referral, into a [prescribing.NewReferral] and the
// [prescribing.PersonalDetails] to register the patient with
// ([Inbound.Receive] does both). Its errors are [*PathError]s that name the
// element by its FHIR path and never quote it; input is bounded by
// [MaxInputBytes].
//
// # Validation
//
// The exports are checked against the official FHIR R4 JSON schema
// (fhir.schema.json) by the repository's CI, for example referrals in every
// lifecycle state (package fhirtest builds them); see examples/fhir/validate.
//
// Sources: HL7 FHIR R4 (ServiceRequest, Task, Consent, Bundle, Composition);
// HL7 Gravity SDOH Clinical Care (Task for referral management); PRSB
// Social Prescribing Information Standard (the referral and the message
// back); NHS England (NHS number, SNOMED CT coding of social prescribing).
package fhir

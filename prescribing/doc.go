// Package prescribing models the core of social prescribing in NHS primary
// care: the people, the referral and its lifecycle, and the events every
// change is recorded as.
//
// # People and identity
//
// Each entity has its own ID type ([PatientID], [LinkWorkerID], [PracticeID],
// [PCNID], [ReferralID], [AssetID]), all instances of the generic [ID], so
// one cannot be passed for another (rule ID-1). IDs come from an [IDSource]:
// [RandomIDs] by default, [SeededIDs] for reproducible tests and simulations
// (ID-2). An [NHSNumber] is checked with its modulus 11 check digit (ID-3).
//
// A [Patient]'s [PersonalDetails] (name, date of birth, NHS number, contact
// details) never appear in String, fmt, slog or default JSON output; a short
// hint such as "NHS *** *** *919" does (PRIV-1). Reading the fields and
// [PersonalDetails.ExportJSON] are the explicit exports. [Patient.Anonymise]
// clears them for good, keeping the pseudonymous ID, and
// [ErasePersonalDetails] clears them from a stored history (PRIV-2).
// xml.Marshal and gob write the redacted form too, and decoding errors never
// quote what they read. A date of birth is a calendar date, held at midnight
// UTC of the day the caller meant ([CalendarDate]).
//
// What fmt cannot redact: fmt calls a value's Format, String or GoString
// only when it can reach the value as an interface. A [Patient], a
// [PatientRegistered] or [PatientDetailsChanged] event,
// [PersonalDetails], [ContactDetails] or [NHSNumber] in an unexported field
// of a caller's struct (directly or behind a pointer), or any of them
// printed with %p, is printed by reflection field by field, bypassing the
// redaction. To hold one safely, put it in an exported field, keep only the
// [PatientID], or give the holding type its own Format and LogValue that
// delegate to the held value's. encoding/json and slog's JSON handler skip
// unexported fields, so they are safe either way; slog's text handler uses
// fmt.
//
// A [LinkWorker] has a local [Title] (link worker, social prescriber,
// community connector, wellbeing advisor, community navigator), an
// [Employer] (PCN, VCSE, local authority, other) and the practices they serve.
//
// # Referrals
//
// A [Referral] comes from a [ReferralSource] (the NHS England list, from GPs to
// self-referral) for one or more non-medical needs ([Need]), and moves through the
// states ([State]) of a typed transition table (REF-1): received, accepted or
// rejected, contacted or declined, in-support, connected, closed, with
// on-hold, cancelled and entered-in-error. Each move takes the caller's time,
// which never goes backwards (REF-2), and a reason where one is required
// (REF-3). Closing needs an [Outcome]; a closed referral gives the
// [ClosureMessage] back to the GP and referrer ([Referral.ClosureMessage],
// REF-4). States map to FHIR R4 Task statuses
// (REF-5), and the SNOMED CT concepts of social prescribing are recorded at
// first contact only (REF-6).
//
// # Between first contact and closure
//
// A [Contact] records its time, mode, length and whether the person attended
// (CASE-1); [Caseload] reads a link worker's contacts over a period against
// the NHS England guidance of 6-12 contacts per person and 200-250 people a
// year, as under, within or over, and never refuses work (CASE-2). A home
// visit needs a risk assessment recorded within 12 months, or a period the
// caller sets (CASE-3). A safeguarding [Concern] is raised on a contact and
// escalated to a named lead; [OverdueConcerns] reports those left past one
// working day (SAFE-1). [Consents] are scoped, time-stamped and withdrawable,
// and sharing a person's details with a community asset without current
// consent for that asset fails (CONS-1).
//
// # What the research adds: steps, follow-up, dependency, buy-in
//
// A link worker is an anchor point who prompts people to take steps towards
// change: [Referral.RecordStep] records a [Step] after a contact, prompted
// by it or not, and [Anchor] gives the share of a link worker's people who
// took one (ANCHOR-1). Each connection is followed up ([FollowUp]) after 28
// days or a period the caller sets; [OverdueFollowUps] reports those not
// done, and the message back carries what they found (FOLLOW-1). A
// re-referral is linked to the person's earlier ones
// ([Referral.LinkEarlier]); contacts after connection, re-referrals and
// unprompted steps give the [Dependency] indicator per person and per link
// worker (DEP-1). First contact records the person's [BuyIn]: how they
// understood the role, what they expected and, if they declined, a typed
// [DeclineReason] (BUYIN-1). A referral carries a [Complexity] of need,
// which [CaseloadWith] weighs and [ComplexityGroups] turns into groups for
// an equity report (CPLX-1). Consent is checked wherever details go: a
// contact by text ([Referral.RecordContactWithConsent]), connection to
// assets ([Referral.ConnectSharing]) and the message to the GP record,
// which without consent carries codes only ([ClosureMessage.ForGPRecord])
// (CONS-2): the plain [Referral.RecordContact] refuses a contact by text.
// A person's [Preferences] of contact mode, language and community are
// recorded, and a link worker's languages and communities; the caseload
// report counts contacts in a mode not preferred, [MatchLinkWorkers]
// matches by language and community and says why, and [ReachByGroup]
// reports whom a link worker or service reaches, by a group the caller
// chooses ([LanguageGroups], [CommunityGroups], [ComplexityGroups])
// (PREF-1). A link worker's
// local title is an open set beside the canonical [Title] (TITLE-1).
//
// # Community assets and matching
//
// An [Asset] is a group, activity or service with the needs it serves, an
// Open Referral status, open access or counted places, a fee, languages,
// cultural specificity and accessibility. Places are taken and released in
// range, and a full asset refuses with a [*CapacityError] (ASSET-3).
// [MatchAssets] ranks active assets for a person's [Profile] by the needs
// they serve and explains, for each, which of the person's barriers it
// answers and which it leaves (ASSET-1); for each need it says whether there
// is provision with room, provision but full, or none (ASSET-2), which is
// where holding for lack of community provision starts.
//
// # Outcome measures
//
// [ONS4] keeps its four 0-10 answers apart, with the ONS bands (OUT-1).
// [SWEMWBS] converts its raw total by the published table, and a missing item
// makes the score incomplete, not 0 (OUT-2). [CompareONS4] and
// [CompareSWEMWBS] report change per item or on the metric score (OUT-3), as
// [MeasureChange] values that go into the message back to the GP. A
// person's [Measures] record keeps their measurements in order.
//
// # Practices, PCNs and link workers
//
// A [Practice], a [PCN] and a [LinkWorker] are records like the others:
// registered with [RegisterPractice], [RegisterPCN] and
// [RegisterLinkWorker], changed through events, so every change to them
// has an audit trail. None holds personal data.
//
// # Events and streams
//
// Every change returns the [Event] that records it (EV-1): the live
// operation and [Replay] go through the same Apply, so replaying a history
// rebuilds the same record and a stream that breaks a rule is refused at the
// first bad event with its position (REF-7, EV-3). Every event names its
// [Stream], the kind ([StreamKind]) and ID of the record it changes, and
// every record type is a [StreamRecord]: created by a constructor that
// returns its first event, rebuilt by replaying its stream into its zero
// value, with a Version that counts the events applied. A patient's record,
// consents and measures share the patient's ID but are three streams.
//
// An [EventCodec], built from the event kinds ([EventKind]) of the packages
// a program uses, writes events as JSON with a stable "type" and a schema
// "version", and reads them back strictly (EV-2). A program reads events
// stored in an older form by registering upcasters
// ([EventKind.WithUpcaster]); a form newer than it knows is refused
// ([ErrUnknownVersion]). The other packages of linkwork record their changes
// through the same mechanism, and their enumerations use [Vocabulary].
//
// Values here are plain data: safe to copy, not safe to change from several
// goroutines at once. [Vocabulary], [EventCodec] and [RandomIDs] are safe for
// concurrent use; [MatchAssets] only reads the assets it is given, so many
// goroutines may match against one directory while none changes it.
package prescribing

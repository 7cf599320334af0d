// Package discretion models micro-discretions: the judgement link workers
// exercise in everyday interactions, the boundaries sites set around it, and
// who gains from it.
//
// # Micro-discretions in the research's words
//
// The Oxford study described micro-discretions as "the flexibility link
// workers were afforded in their job to impact outcomes": "actions that link
// workers took based on personal judgment; 'micro' was used because this
// discretion related to interpersonal interactions – with patients and
// primary care staff" (Tierney et al., HSDR 2024, doi 10.3310/JSQY9840; the
// study report, University of Oxford, 2024). Micro-discretions can depart
// from guidance. They build connections, patient buy-in, person-centred care
// and job satisfaction, but where boundaries are weak link workers "could be
// pulled in a number of directions or be asked to do things they were not
// skilled to undertake". The idea draws on Lipsky's street-level
// bureaucracy, in which front-line workers' discretion makes policy in
// practice.
//
// The study's public involvement group, with three link workers, placed
// aspects of the role on a sliding scale from boundaried to discretionary,
// asked whether discretion is strategic or active (for the patient's benefit,
// or to preserve the link worker's own situation and wellbeing) or
// unwitting, and what it means for personalised choice, shared decision
// making and health inequalities, "if certain types of people are excluded
// because they have complex difficulties".
//
// # In code
//
// [Aspect]s of the role are an open set: the defaults are the ones placed on
// the scale, and any key of the caller's is an aspect too (rule DISC-1). A
// site [Policy] places aspects on the five-point [Level] scale (fixed rule,
// boundaried, guided, discretionary, open), and [Compare] sets two policies
// side by side (DISC-2). An [Act] records who, when, the aspect, the
// [Counterpart], what was done, the [Motive] and how much discretion it used
// (DISC-3). [CheckAct] says whether an act stayed within a policy, reached
// its boundary or went beyond it, and why; a link worker's [Log], opened
// with [OpenLog], records every act of theirs whatever the verdict
// (DISC-4). [Equity] groups acts by a patient attribute
// the caller chooses and reports counts, rates per person and the ratio to
// the overall rate, so a researcher can see whether discretionary extras
// concentrate in some groups (DISC-5).
//
// Policies and acts are events of the shared mechanism ([EventKinds]): a
// policy's stream is kind site_policy with its ID, a log's kind act_log
// with the link worker's ID, and replaying a stream into the zero value of
// its record rebuilds it, as for every [prescribing.StreamRecord].
// What a live operation accepts, the event codec stores and replay rebuilds
// equal: times outside the years 1 to 9999, text (sites, aspects, what was
// done) that is not valid UTF-8, holds a NUL or is longer than
// [prescribing.MaxTextBytes], and values outside a vocabulary are refused,
// with an error wrapping a documented sentinel, by the live operation and
// by Apply alike. A refused operation returns the zero event and changes
// nothing. [Policy] and [Log] are values safe to copy: copies share nothing
// that either changes.
package discretion

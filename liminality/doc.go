// Package liminality models link workers' passage into the role, the
// support that carries them through, and their intention to leave.
//
// # Liminality in the research's words
//
// Interviewing link workers about why they stay or leave, the Oxford team
// found that entering the role many felt "stuck in the role, confused about
// where they belonged and what they should be doing. At this stage their
// identity as a link worker faltered and this pushed them into a liminal
// state" (Tierney, Moore et al., "Entering a liminal state", Primary Health
// Care Research & Development 2025; the study's public involvement blog,
// 2024). The idea comes from van Gennep's rites of passage, separation,
// liminal (transition) and incorporation, and Turner's "betwixt and
// between", where "threshold people" lack a distinct identity. Four themes
// marked the state: disconnection through place and space, ambiguity about
// the role, job misalignment and realignment, and instability. "With
// support from managers, colleagues and training" link workers could pass
// through "to create a clear role for themselves that enabled them to play
// to their strengths", able "to cope with uncertainty (e.g. complex
// patient/client referrals) or disruption to their work setting or role";
// others stayed stuck, and prolonged liminality is linked to leaving. A
// survey of 342 link workers found that a larger gap between the expected
// and the actual job, and lower confidence in the role, predicted thinking
// about leaving (Tierney, Moore et al., BJGP Open 2025). Public involvement
// groups stressed peer support and supervision, and suggested a management
// tool for the staff who supervise link workers (the study's blog, March
// and July 2024).
//
// # In code
//
// A [Journey] goes separation -> liminal -> incorporated, may end in left,
// and a [Disruption] moves an incorporated worker back to liminal; any other
// move is a [*MoveError] (rule LIM-1). [Theme]s present are noted in each
// liminal spell and [RoleSupport]s (manager, peer, colleague, supervision,
// training) recorded against them; [Journey.Incorporate] refuses until
// every theme present is addressed, and [Journey.Missing] says what is not
// (LIM-2). [Journey.Prolonged] flags a spell longer than a [Threshold],
// default 6 months, measured from the start of the current spell (LIM-3).
// [Model] estimates intention to leave ([Intention]) with coefficients from
// the published odds ratios ([GapThought], [GapPlanning],
// [SelfEfficacyThought]: functions returning a [Coefficient] that carries
// its [Citation], so no caller can change the published figures) and an
// intercept [Calibrate] solves for a base rate over a cohort (LIM-4). The
// model says what it rests on (LIM-6): the odds ratios are adjusted ones
// from a multivariable model, each [Coefficient] carries its unit and
// outcome period, [Covariates] outside their ranges ([GapRange],
// [SelfEfficacyRange]) are errors, a [BaseRate] names its population and
// period ([NALW2020] is the 2020 national survey's 29%, of another
// population and period than the model's outcomes), and
// [Model.Provenance] says all of it. The model has no liminality
// covariate, as the published one has none; prolonged liminality is a
// separate flag. A
// [TrainingRecord], begun with [BeginTraining] against a curriculum (by
// default the areas public involvement groups named), records training
// completed in its areas and reports what a link worker has and lacks
// ([TrainingRecord.Coverage], LIM-5). A [Supervision], begun with
// [AgreeSupervision], is a link worker's supervision as a relationship: a
// supervisor (a [SupervisorID], never personal data), an agreed frequency,
// sessions held, changes and an end, with a session overdue one instant
// after it falls due (SUP-1). [OverviewOf] gives this package's part of a
// supervisor's report on one link worker; the program examples/supervision
// adds the holding, discretion and embeddedness parts from an event log.
// [Cohort] counts a cohort by phase with time spent liminal and the shares
// prolonged and left.
//
// Every change is an event of the shared mechanism ([EventKinds]); a
// record is rebuilt by replaying its stream into its zero value, as for
// every [prescribing.StreamRecord]. A link worker's journey (stream kind
// journey), training record (kind training) and supervision (kind
// supervision) carry the link worker's ID but are three streams. What a
// live operation accepts the codec stores and replay rebuilds equal: times
// within the years 1 to 9999 (kept in UTC), free text that passes
// [prescribing.CheckText], values within their vocabularies and finite
// numbers. A refused operation returns the zero event and changes nothing.
// Records are values: a copy shares no memory with the original. Journeys
// and supervision hold no slices, so their changes do not allocate.
package liminality

// Package embeddedness models how integrated a link worker is in each
// practice they work in: the continuum from bolted on, through fitting in,
// to belonging.
//
// # The continuum in the research's words
//
// From seven link workers followed across England, the Oxford team proposed
// "a broad continuum of how integrated link workers were within primary
// care" (Tierney et al., "Bolting on, fitting in or belonging", BJGP 2025).
// At one end link workers were bolted on: "brought into primary care without
// much consideration of how the role would work alongside existing
// provision". In the middle was fitting in: "some attempt to bring link
// workers into a practice but this could be uncomfortable if they felt
// their role was not really understood or appreciated". At the other end
// was belonging, "which involved some negotiation and potential adjustment
// by the link worker and the practice as they worked together to offer the
// best support possible to patients". Four concepts explain where a link
// worker stands: centralising or diffusing power; forging an identity in
// general practice; demonstrating effect; and building a facilitative
// infrastructure. In practice these showed as access to the clinical system
// and records, a room, supervision, being invited to team meetings, staff
// knowing who the link worker is and what to refer, and feedback and
// outcomes shown to the practice.
//
// # In code
//
// [Position]s are ordered values with text and JSON forms (rule EMB-1). A
// [Framework] holds [Indicator]s, each tied to one [Concept]; the default
// set is what the study saw in practice, and callers add their own with
// [Framework.With]. [Framework.Assess] scores an [Assessment] of one link
// worker at one practice on one date: a score per concept, an overall
// score, a position, and the indicators holding it back (EMB-2). Belonging
// needs evidence of [Adjustments] by both the practice and the link worker;
// without it the position is at most fitting in, whatever the score
// (EMB-3). Evidence is an [Adjustment]: a typed [AdjustmentKind] and a
// description that says what changed; a placeholder such as "n/a" or "-"
// is refused rather than taken for evidence. A [Record] keeps a link worker's assessments at each practice,
// giving one position per practice and a [Trajectory] for each series:
// towards belonging, stable or regressing (EMB-4). [InappropriateShare]
// computes the share of a practice's referrals that were rejected as
// inappropriate, which [ReferralShare.Observation] turns into an identity
// indicator: a role the practice does not understand draws the wrong
// referrals (EMB-5).
//
// Scores run from 0 to 1; the thresholds between positions default to
// thirds and are the caller's to set. A record is opened with [OpenRecord]
// and assessments are events of the shared mechanism ([Assessed]), which
// keep the result as it was computed. The record's stream (kind
// embeddedness, the link worker's ID) is its own, apart from the link
// worker's journey and training; replaying it into a zero [Record] rebuilds
// the record, as for every [prescribing.StreamRecord].
//
// What a live operation accepts, the event codec stores and replay rebuilds
// equal: dates outside the years 1 to 9999, text that is not valid UTF-8,
// holds a NUL or is longer than [prescribing.MaxTextBytes], scores that are
// NaN or infinite and values outside a vocabulary are refused, with an
// error wrapping a documented sentinel, by the live operation and by Apply
// alike. A refused operation returns the zero event and changes nothing.
package embeddedness

package prescribing

import (
	"time"
)

// ReferralReceived records a new referral (state received).
type ReferralReceived struct {
	Referral ReferralID     `json:"referral"`
	Patient  PatientID      `json:"patient"`
	Practice PracticeID     `json:"practice,omitzero"`
	Source   ReferralSource `json:"source"`
	Referrer string         `json:"referrer,omitempty"`
	Needs    NeedSet        `json:"needs,omitzero"`
	At       time.Time      `json:"at"`
}

// EventType returns "referral.received".
func (ReferralReceived) EventType() string { return "referral.received" }

// EventTime returns e.At.
func (e ReferralReceived) EventTime() time.Time { return e.At }

// EventStream returns the referral stream of the referral.
func (e ReferralReceived) EventStream() Stream {
	return StreamOf(StreamKindReferral, e.Referral)
}

// ReferralTransitioned records one move of a referral's lifecycle. Besides
// the from- and to-states it carries what the move needs and nothing else:
// the link worker when accepted; the SNOMED CT code at first contact
// (contacted or declined, rule REF-6); the needs identified and support
// offered when support starts; the support taken up when connected; the
// outcome and measures when closed; a reason where one is required (REF-3)
// or given.
type ReferralTransitioned struct {
	Referral    ReferralID         `json:"referral"`
	From        State              `json:"from"`
	To          State              `json:"to"`
	At          time.Time          `json:"at"`
	Reason      string             `json:"reason,omitempty"`
	LinkWorker  LinkWorkerID       `json:"link_worker,omitzero"`
	SNOMED      SNOMEDCode         `json:"snomed,omitempty"`
	Needs       NeedSet            `json:"needs,omitzero"`
	Offered     []CommunitySupport `json:"offered,omitempty"`
	Connections []CommunitySupport `json:"connections,omitempty"`
	Outcome     Outcome            `json:"outcome,omitzero"`
	Measures    []MeasureChange    `json:"measures,omitempty"`
}

// EventType returns "referral.transitioned".
func (ReferralTransitioned) EventType() string { return "referral.transitioned" }

// EventTime returns e.At.
func (e ReferralTransitioned) EventTime() time.Time { return e.At }

// EventStream returns the referral stream of the referral.
func (e ReferralTransitioned) EventStream() Stream {
	return StreamOf(StreamKindReferral, e.Referral)
}

// ReferralPlanUpdated records needs identified and support offered after
// support has begun.
type ReferralPlanUpdated struct {
	Referral ReferralID         `json:"referral"`
	At       time.Time          `json:"at"`
	Needs    NeedSet            `json:"needs,omitzero"`
	Offered  []CommunitySupport `json:"offered,omitempty"`
}

// EventType returns "referral.plan_updated".
func (ReferralPlanUpdated) EventType() string { return "referral.plan_updated" }

// EventTime returns e.At.
func (e ReferralPlanUpdated) EventTime() time.Time { return e.At }

// EventStream returns the referral stream of the referral.
func (e ReferralPlanUpdated) EventStream() Stream {
	return StreamOf(StreamKindReferral, e.Referral)
}

// ReferralReassigned records a referral handed from one link worker to
// another.
type ReferralReassigned struct {
	Referral ReferralID   `json:"referral"`
	From     LinkWorkerID `json:"from"`
	To       LinkWorkerID `json:"to"`
	At       time.Time    `json:"at"`
	Reason   string       `json:"reason"`
}

// EventType returns "referral.reassigned".
func (ReferralReassigned) EventType() string { return "referral.reassigned" }

// EventTime returns e.At.
func (e ReferralReassigned) EventTime() time.Time { return e.At }

// EventStream returns the referral stream of the referral.
func (e ReferralReassigned) EventStream() Stream {
	return StreamOf(StreamKindReferral, e.Referral)
}

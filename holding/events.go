package holding

import (
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Started records the start of a holding episode (rule HOLD-1).
type Started struct {
	Episode    EpisodeID                `json:"episode"`
	Referral   prescribing.ReferralID   `json:"referral,omitzero"`
	Patient    prescribing.PatientID    `json:"patient"`
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Reasons    ReasonSet                `json:"reasons"`
	Need       prescribing.Need         `json:"need,omitzero"`
	Awaited    prescribing.AssetID      `json:"awaited,omitzero"`
	At         time.Time                `json:"at"`
	Endpoint   Endpoint                 `json:"endpoint"`
	SignOff    SignOff                  `json:"sign_off,omitzero"`
}

// EventType returns "holding.started".
func (Started) EventType() string { return "holding.started" }

// EventTime returns e.At.
func (e Started) EventTime() time.Time { return e.At }

// EventStream returns the holding episode stream of the episode.
func (e Started) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindHoldingEpisode, e.Episode)
}

// ReasonAdded records another reason for holding.
type ReasonAdded struct {
	Episode EpisodeID        `json:"episode"`
	Reason  Reason           `json:"reason"`
	Need    prescribing.Need `json:"need,omitzero"`
	At      time.Time        `json:"at"`
}

// EventType returns "holding.reason_added".
func (ReasonAdded) EventType() string { return "holding.reason_added" }

// EventTime returns e.At.
func (e ReasonAdded) EventTime() time.Time { return e.At }

// EventStream returns the holding episode stream of the episode.
func (e ReasonAdded) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindHoldingEpisode, e.Episode)
}

// ReadinessReached records that the held person is ready to connect.
type ReadinessReached struct {
	Episode EpisodeID `json:"episode"`
	At      time.Time `json:"at"`
}

// EventType returns "holding.readiness_reached".
func (ReadinessReached) EventType() string { return "holding.readiness_reached" }

// EventTime returns e.At.
func (e ReadinessReached) EventTime() time.Time { return e.At }

// EventStream returns the holding episode stream of the episode.
func (e ReadinessReached) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindHoldingEpisode, e.Episode)
}

// Reviewed records a review: the assessment and the decision, with the new
// endpoint and rationale of an extension or the outcome of an ending
// (rules HOLD-3, HOLD-6).
type Reviewed struct {
	Episode   EpisodeID `json:"episode"`
	At        time.Time `json:"at"`
	Ratings   Ratings   `json:"assessment"`
	Decision  Decision  `json:"decision"`
	Endpoint  Endpoint  `json:"endpoint,omitzero"`
	Rationale string    `json:"rationale,omitempty"`
	SignOff   SignOff   `json:"sign_off,omitzero"`
	Ending    Ending    `json:"outcome,omitzero"`
}

// EventType returns "holding.reviewed".
func (Reviewed) EventType() string { return "holding.reviewed" }

// EventTime returns e.At.
func (e Reviewed) EventTime() time.Time { return e.At }

// EventStream returns the holding episode stream of the episode.
func (e Reviewed) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindHoldingEpisode, e.Episode)
}

// EpisodeEnded records an episode ended by something that happened rather
// than a review decision: connected onward (naming the asset when a place
// appeared, rule HOLD-2), disengaged or transferred.
type EpisodeEnded struct {
	Episode EpisodeID           `json:"episode"`
	At      time.Time           `json:"at"`
	Ending  Ending              `json:"outcome"`
	Asset   prescribing.AssetID `json:"asset,omitzero"`
}

// EventType returns "holding.ended".
func (EpisodeEnded) EventType() string { return "holding.ended" }

// EventTime returns e.At.
func (e EpisodeEnded) EventTime() time.Time { return e.At }

// EventStream returns the holding episode stream of the episode.
func (e EpisodeEnded) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindHoldingEpisode, e.Episode)
}

// EventKinds returns the kinds of every holding event, for
// [prescribing.NewEventCodec]. The slice is the caller's.
func EventKinds() []prescribing.EventKind {
	return []prescribing.EventKind{
		prescribing.KindOf[Started](),
		prescribing.KindOf[ReasonAdded](),
		prescribing.KindOf[ReadinessReached](),
		prescribing.KindOf[Reviewed](),
		prescribing.KindOf[EpisodeEnded](),
	}
}

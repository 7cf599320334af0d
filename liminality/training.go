package liminality

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrUnknownArea reports training in an area the curriculum does not have.
var ErrUnknownArea = errors.New("training area not in the curriculum")

// Area is an area of training for link workers, identified by a key.
type Area struct {
	Key         string `json:"key"`
	Description string `json:"description"`
}

// DefaultCurriculum returns the training areas public involvement groups
// named for link workers (rule LIM-5). The slice is the caller's.
func DefaultCurriculum() []Area {
	return []Area{
		{"it_systems", "IT and computer systems"},
		{"who_is_who", "who is who in the practice"},
		{"medical_records", "medical records"},
		{"safeguarding", "safeguarding"},
		{"risk_assessment", "risk assessment"},
		{"data_protection", "data protection (GDPR)"},
		{"confidentiality", "confidentiality"},
		{"mental_health", "mental health awareness and local services"},
		{"welfare_benefits", "welfare benefits"},
		{"routes_to_employment", "routes to employment"},
		{"listening_and_time", "listening skills and managing time"},
	}
}

// TrainingRecord is the training one link worker has completed. Make one
// with [TrainingOf]; it shares its state with copies, so pass a pointer.
type TrainingRecord struct {
	linkWorker prescribing.LinkWorkerID
	done       map[string]time.Time
}

// TrainingOf returns an empty training record for the link worker.
func TrainingOf(lw prescribing.LinkWorkerID) TrainingRecord {
	return TrainingRecord{linkWorker: lw, done: map[string]time.Time{}}
}

// Complete records training completed in an area (any key: the curriculum
// is checked when coverage is read).
func (r *TrainingRecord) Complete(area string, at time.Time) (TrainingCompleted, error) {
	e := TrainingCompleted{LinkWorker: r.linkWorker, Area: area, At: prescribing.Stamp(at)}
	return e, r.Apply(e)
}

// Apply applies a [TrainingCompleted] event.
func (r *TrainingRecord) Apply(ev prescribing.Event) error {
	e, ok := ev.(TrainingCompleted)
	switch {
	case !ok:
		return prescribing.NotFor(ev, "training")
	case r.linkWorker.IsZero() || r.done == nil:
		return fmt.Errorf("%w: a training record belongs to a link worker; make it with TrainingOf", prescribing.ErrInvalidID)
	case e.LinkWorker != r.linkWorker:
		return fmt.Errorf("%w: training of %s applied to the record of %s", prescribing.ErrWrongSubject, e.LinkWorker, r.linkWorker)
	case strings.TrimSpace(e.Area) == "":
		return fmt.Errorf("%w: training names its area", prescribing.ErrMissingDetail)
	case e.At.IsZero():
		return fmt.Errorf("training: %w", prescribing.ErrNoTime)
	}
	if _, seen := r.done[e.Area]; !seen {
		r.done[e.Area] = e.At
	}
	return nil
}

// Coverage is a link worker's training against a curriculum (rule LIM-5).
type Coverage struct {
	Has   []Area `json:"has"`
	Lacks []Area `json:"lacks"`
	// Share is the share of the curriculum covered.
	Share float64 `json:"share"`
	// Outside lists areas trained in that the curriculum does not have.
	Outside []string `json:"outside,omitempty"`
}

// Coverage reports what the link worker has and lacks of a curriculum
// (rule LIM-5), in curriculum order. A nil curriculum means
// [DefaultCurriculum].
func (r *TrainingRecord) Coverage(curriculum []Area) Coverage {
	if curriculum == nil {
		curriculum = DefaultCurriculum()
	}
	var c Coverage
	in := map[string]bool{}
	for _, a := range curriculum {
		in[a.Key] = true
		if _, ok := r.done[a.Key]; ok {
			c.Has = append(c.Has, a)
		} else {
			c.Lacks = append(c.Lacks, a)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(r.done)) {
		if !in[k] {
			c.Outside = append(c.Outside, k)
		}
	}
	if len(curriculum) > 0 {
		c.Share = float64(len(c.Has)) / float64(len(curriculum))
	}
	return c
}

// TrainingCompleted records training completed in an area.
type TrainingCompleted struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Area       string                   `json:"area"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.training_completed".
func (TrainingCompleted) EventType() string { return "liminality.training_completed" }

// EventTime returns e.At.
func (e TrainingCompleted) EventTime() time.Time { return e.At }

// EventSubject returns the link worker's UUID.
func (e TrainingCompleted) EventSubject() uuid.UUID { return e.LinkWorker.UUID() }

// EventKinds returns the kinds of every liminality event, for
// [prescribing.NewEventCodec]. The slice is the caller's.
func EventKinds() []prescribing.EventKind {
	return []prescribing.EventKind{
		prescribing.KindOf[Started](),
		prescribing.KindOf[PhaseChanged](),
		prescribing.KindOf[ThemeNoted](),
		prescribing.KindOf[SupportRecorded](),
		prescribing.KindOf[TrainingCompleted](),
	}
}

package liminality

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Errors of training records.
var (
	// ErrUnknownArea reports training in an area the record's curriculum
	// does not have (rule LIM-5).
	ErrUnknownArea = errors.New("training area not in the curriculum")
	// ErrInvalidCurriculum reports a curriculum with no areas, more than
	// [MaxAreas], an area without a key, or a key used twice.
	ErrInvalidCurriculum = errors.New("invalid curriculum")
)

// MaxAreas bounds the number of areas in a curriculum.
const MaxAreas = 256

// Area is an area of training for link workers, identified by a key. The
// key is required; both key and description are free text that must pass
// [prescribing.CheckText].
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

// CheckCurriculum returns an error if a curriculum cannot be a training
// record's: no areas or more than [MaxAreas] ([ErrInvalidCurriculum]), a
// blank or repeated key ([ErrInvalidCurriculum]), or a key or description
// that is not valid text ([prescribing.ErrInvalidText]). Errors name areas by
// position, not by text.
func CheckCurriculum(curriculum []Area) error {
	switch {
	case len(curriculum) == 0:
		return fmt.Errorf("%w: no areas", ErrInvalidCurriculum)
	case len(curriculum) > MaxAreas:
		return fmt.Errorf("%w: %d areas, more than %d", ErrInvalidCurriculum, len(curriculum), MaxAreas)
	}
	for i, a := range curriculum {
		if err := prescribing.CheckText(fmt.Sprintf("the key of area %d", i), a.Key); err != nil {
			return err
		}
		if err := prescribing.CheckText(fmt.Sprintf("the description of area %d", i), a.Description); err != nil {
			return err
		}
		if prescribing.IsBlank(a.Key) {
			return fmt.Errorf("%w: area %d has no key", ErrInvalidCurriculum, i)
		}
		for k := range i {
			if curriculum[k].Key == a.Key {
				return fmt.Errorf("%w: areas %d and %d have the same key", ErrInvalidCurriculum, k, i)
			}
		}
	}
	return nil
}

// Completion is training completed in one area: the first time the link
// worker completed it.
type Completion struct {
	Area string    `json:"area"`
	At   time.Time `json:"at"`
}

// TrainingRecord is the training one link worker has completed against a
// curriculum (rule LIM-5). [BeginTraining] makes one; the zero value has
// not begun, and replaying its stream (kind training, the link worker's
// ID) into it ([prescribing.Replay]) rebuilds the record, as for every
// [prescribing.StreamRecord].
//
// A TrainingRecord is plain data: a copy is independent of the original,
// because the record never writes into a slice it holds (a change builds a
// new slice) and never shares one with its caller or its events. It is not
// safe to change concurrently.
//
// A refused operation returns the zero event and changes nothing. Its error
// wraps [ErrUnknownArea] or [ErrInvalidCurriculum], or a sentinel of
// package prescribing: [prescribing.ErrNoTime],
// [prescribing.ErrTimeOutOfRange], [prescribing.ErrTimeWentBackwards] (a
// time before the record's last change), [prescribing.ErrInvalidText],
// [prescribing.ErrMissingDetail], [prescribing.ErrInvalidID],
// [prescribing.ErrWrongSubject] or [prescribing.ErrUnexpectedEvent].
type TrainingRecord struct {
	linkWorker prescribing.LinkWorkerID
	curriculum []Area       // set when training begins, never written after
	done       []Completion // sorted by area; replaced, never written into
	updatedAt  time.Time
	events     int32
}

// BeginTraining starts the training record of a link worker against a
// curriculum (nil means [DefaultCurriculum]); see [CheckCurriculum] for
// what a curriculum must be. The record and the event each keep their own
// copy of the curriculum.
func BeginTraining(lw prescribing.LinkWorkerID, curriculum []Area, at time.Time) (TrainingRecord, TrainingBegun, error) {
	if curriculum == nil {
		curriculum = DefaultCurriculum()
	}
	e := TrainingBegun{LinkWorker: lw, Curriculum: slices.Clone(curriculum), At: prescribing.Stamp(at)}
	var r TrainingRecord
	if err := r.applyBegun(e); err != nil {
		return TrainingRecord{}, TrainingBegun{}, err
	}
	return r, e, nil
}

// LinkWorker returns whose training it is.
func (r *TrainingRecord) LinkWorker() prescribing.LinkWorkerID { return r.linkWorker }

// Stream returns the record's stream (kind training, the link worker's
// ID), or the zero Stream before training begins.
func (r *TrainingRecord) Stream() prescribing.Stream {
	if r.linkWorker.IsZero() {
		return prescribing.Stream{}
	}
	return prescribing.StreamOf(prescribing.StreamKindTraining, r.linkWorker)
}

// Version returns how many events the record has applied, its beginning
// included.
func (r *TrainingRecord) Version() int { return int(r.events) }

// Curriculum returns the record's curriculum. The slice is the caller's.
func (r *TrainingRecord) Curriculum() []Area { return slices.Clone(r.curriculum) }

// Completed returns the areas completed, in order of their keys, with when
// each was first completed. The slice is the caller's.
func (r *TrainingRecord) Completed() []Completion { return slices.Clone(r.done) }

// Complete records training completed in an area of the record's
// curriculum, at a time no earlier than the record's last change. An area
// completed again keeps its first time; the record's last change moves on.
func (r *TrainingRecord) Complete(area string, at time.Time) (TrainingCompleted, error) {
	e := TrainingCompleted{LinkWorker: r.linkWorker, Area: area, At: prescribing.Stamp(at)}
	if err := r.applyCompleted(e); err != nil {
		return TrainingCompleted{}, err
	}
	return e, nil
}

// Apply applies a [TrainingBegun] or [TrainingCompleted] event, checking it
// as the live operation would; it changes nothing when it returns an error.
func (r *TrainingRecord) Apply(ev prescribing.Event) error {
	switch e := ev.(type) {
	case TrainingBegun:
		e.At = prescribing.Stamp(e.At)
		return r.applyBegun(e)
	case TrainingCompleted:
		e.At = prescribing.Stamp(e.At)
		return r.applyCompleted(e)
	default:
		return prescribing.NotFor(ev, "training")
	}
}

func (r *TrainingRecord) applyBegun(e TrainingBegun) error {
	switch {
	case !r.linkWorker.IsZero():
		return fmt.Errorf("%w: the training record of %s has begun", prescribing.ErrUnexpectedEvent, r.linkWorker)
	case e.LinkWorker.IsZero():
		return fmt.Errorf("%w: a training record belongs to a link worker", prescribing.ErrInvalidID)
	}
	if err := prescribing.CheckTime(time.Time{}, e.At); err != nil {
		return fmt.Errorf("training of %s: %w", e.LinkWorker, err)
	}
	if err := CheckCurriculum(e.Curriculum); err != nil {
		return fmt.Errorf("training of %s: %w", e.LinkWorker, err)
	}
	// The record's own copy: it shares nothing with the event.
	*r = TrainingRecord{linkWorker: e.LinkWorker, curriculum: slices.Clone(e.Curriculum), updatedAt: e.At, events: 1}
	return nil
}

func (r *TrainingRecord) applyCompleted(e TrainingCompleted) error {
	switch {
	case r.linkWorker.IsZero():
		return fmt.Errorf("%w: the training record of %s has not begun", prescribing.ErrUnexpectedEvent, e.LinkWorker)
	case e.LinkWorker != r.linkWorker:
		return fmt.Errorf("%w: training of %s applied to the record of %s", prescribing.ErrWrongSubject, e.LinkWorker, r.linkWorker)
	}
	if err := prescribing.CheckTime(r.updatedAt, e.At); err != nil {
		return fmt.Errorf("training of %s: %w", r.linkWorker, err)
	}
	if err := prescribing.CheckText("the area", e.Area); err != nil {
		return fmt.Errorf("training of %s: %w", r.linkWorker, err)
	}
	if prescribing.IsBlank(e.Area) {
		return fmt.Errorf("training of %s: %w: training names its area", r.linkWorker, prescribing.ErrMissingDetail)
	}
	if !slices.ContainsFunc(r.curriculum, func(a Area) bool { return a.Key == e.Area }) {
		return fmt.Errorf("training of %s: %w (LIM-5)", r.linkWorker, ErrUnknownArea)
	}
	if i, seen := r.find(e.Area); !seen {
		// A new slice, so that copies of the record never share a write.
		done := make([]Completion, 0, len(r.done)+1)
		done = append(done, r.done[:i]...)
		done = append(done, Completion{Area: e.Area, At: e.At})
		r.done = append(done, r.done[i:]...)
	}
	r.updatedAt = e.At
	r.events++
	return nil
}

// find returns where area is, or would be, in the completions.
func (r *TrainingRecord) find(area string) (int, bool) {
	return slices.BinarySearchFunc(r.done, area, func(c Completion, area string) int { return strings.Compare(c.Area, area) })
}

// Coverage is a link worker's training against a curriculum (rule LIM-5).
type Coverage struct {
	Has   []Area `json:"has"`
	Lacks []Area `json:"lacks"`
	// Share is the share of the curriculum covered.
	Share float64 `json:"share"`
}

// Coverage reports what the link worker has and lacks of the record's
// curriculum (rule LIM-5), in curriculum order. The slices are the
// caller's.
func (r *TrainingRecord) Coverage() Coverage {
	var c Coverage
	for _, a := range r.curriculum {
		if _, ok := r.find(a.Key); ok {
			c.Has = append(c.Has, a)
		} else {
			c.Lacks = append(c.Lacks, a)
		}
	}
	if len(r.curriculum) > 0 {
		c.Share = float64(len(c.Has)) / float64(len(r.curriculum))
	}
	return c
}

// TrainingBegun records the start of a link worker's training record and
// the curriculum it is measured against.
type TrainingBegun struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	Curriculum []Area                   `json:"curriculum"`
	At         time.Time                `json:"at"`
}

// EventType returns "liminality.training_begun".
func (TrainingBegun) EventType() string { return "liminality.training_begun" }

// EventTime returns e.At.
func (e TrainingBegun) EventTime() time.Time { return e.At }

// EventStream returns the training record stream of the link worker.
func (e TrainingBegun) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindTraining, e.LinkWorker)
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

// EventStream returns the training record stream of the link worker.
func (e TrainingCompleted) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindTraining, e.LinkWorker)
}

// EventKinds returns the kinds of every liminality event, for
// [prescribing.NewEventCodec]. The slice is the caller's.
func EventKinds() []prescribing.EventKind {
	return []prescribing.EventKind{
		prescribing.KindOf[Started](),
		prescribing.KindOf[PhaseChanged](),
		prescribing.KindOf[ThemeNoted](),
		prescribing.KindOf[SupportRecorded](),
		prescribing.KindOf[TrainingBegun](),
		prescribing.KindOf[TrainingCompleted](),
		prescribing.KindOf[SupervisionAgreed](),
		prescribing.KindOf[SupervisionSessionHeld](),
		prescribing.KindOf[SupervisionChanged](),
		prescribing.KindOf[SupervisionEnded](),
	}
}

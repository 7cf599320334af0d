package embeddedness

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Assessed records an assessment and its result. The result is kept as it
// was computed, so a later change of framework does not rewrite history.
type Assessed struct {
	Assessment Assessment `json:"assessment"`
	Result     Result     `json:"result"`
}

// EventType returns "embeddedness.assessed".
func (Assessed) EventType() string { return "embeddedness.assessed" }

// EventTime returns the assessment's date.
func (e Assessed) EventTime() time.Time { return e.Assessment.On }

// EventSubject returns the link worker's UUID: a link worker's record holds
// their assessments at every practice.
func (e Assessed) EventSubject() uuid.UUID { return e.Assessment.LinkWorker.UUID() }

// EventKinds returns the kinds of every embeddedness event, for
// [prescribing.NewEventCodec]. The slice is the caller's.
func EventKinds() []prescribing.EventKind {
	return []prescribing.EventKind{prescribing.KindOf[Assessed]()}
}

// Point is one assessment in a series.
type Point struct {
	Assessment AssessmentID `json:"assessment"`
	On         time.Time    `json:"on"`
	Position   Position     `json:"position"`
	Overall    float64      `json:"overall"`
}

// Record is one link worker's embeddedness: their assessments at each
// practice they work in, from which come one position per practice and a
// trajectory per practice (rule EMB-4). Make one with [RecordOf]; it is plain
// data, not safe to change concurrently.
type Record struct {
	linkWorker prescribing.LinkWorkerID
	series     map[prescribing.PracticeID][]Point
}

// RecordOf returns an empty record for the link worker.
func RecordOf(lw prescribing.LinkWorkerID) Record {
	return Record{linkWorker: lw, series: map[prescribing.PracticeID][]Point{}}
}

// LinkWorker returns whose record it is.
func (r *Record) LinkWorker() prescribing.LinkWorkerID { return r.linkWorker }

// Assess scores the assessment with the framework and records it. The
// assessment must be of this record's link worker and dated no earlier than
// the last at the same practice.
func (r *Record) Assess(f *Framework, a Assessment) (Assessed, error) {
	a.On = prescribing.Stamp(a.On)
	a.Observations = slices.Clone(a.Observations)
	res, err := f.Assess(a)
	if err != nil {
		return Assessed{}, err
	}
	e := Assessed{Assessment: a, Result: res}
	return e, r.Apply(e)
}

// Apply applies an embeddedness event; on error the record is unchanged.
func (r *Record) Apply(ev prescribing.Event) error {
	e, ok := ev.(Assessed)
	if !ok {
		return prescribing.NotFor(ev, "embeddedness")
	}
	a := e.Assessment
	switch {
	case r.linkWorker.IsZero() || r.series == nil:
		return fmt.Errorf("%w: a record belongs to a link worker; make it with RecordOf", prescribing.ErrInvalidID)
	case a.ID.IsZero() || a.Practice.IsZero():
		return fmt.Errorf("%w: an assessment needs its ID and the practice", prescribing.ErrInvalidID)
	case a.LinkWorker != r.linkWorker:
		return fmt.Errorf("%w: assessment of link worker %s applied to the record of %s", prescribing.ErrWrongSubject, a.LinkWorker, r.linkWorker)
	case !e.Result.Position.IsValid() || math.IsNaN(e.Result.Overall) || e.Result.Overall < 0 || e.Result.Overall > 1:
		return fmt.Errorf("%w: assessment %s has no valid result", ErrInvalidObservation, a.ID)
	case e.Result.Position == Belonging && !a.Adjustments.Both():
		return fmt.Errorf("%w: assessment %s reaches belonging without evidence of adjustment by both sides (EMB-3)",
			ErrInvalidObservation, a.ID)
	}
	s := r.series[a.Practice]
	var last time.Time
	if len(s) > 0 {
		last = s[len(s)-1].On
	}
	if err := prescribing.CheckTime(last, a.On); err != nil {
		return fmt.Errorf("assessment %s at practice %s: %w", a.ID, a.Practice, err)
	}
	r.series[a.Practice] = append(s[:len(s):len(s)], Point{Assessment: a.ID, On: a.On, Position: e.Result.Position, Overall: e.Result.Overall})
	return nil
}

// PracticePosition is a link worker's latest position at one practice.
type PracticePosition struct {
	Practice prescribing.PracticeID `json:"practice"`
	Position Position               `json:"position"`
	On       time.Time              `json:"on"`
}

// Positions returns the link worker's latest position at each practice
// assessed, ordered by practice ID (rule EMB-4: one position per practice).
func (r *Record) Positions() []PracticePosition {
	out := make([]PracticePosition, 0, len(r.series))
	for p, s := range r.series {
		last := s[len(s)-1]
		out = append(out, PracticePosition{Practice: p, Position: last.Position, On: last.On})
	}
	slices.SortFunc(out, func(a, b PracticePosition) int { return a.Practice.Compare(b.Practice) })
	return out
}

// Series returns the assessments at a practice, oldest first.
func (r *Record) Series(p prescribing.PracticeID) []Point { return slices.Clone(r.series[p]) }

// Trajectory is where a series of assessments at one practice is heading
// (rule EMB-4).
type Trajectory struct {
	Practice  prescribing.PracticeID `json:"practice"`
	Direction Direction              `json:"direction"`
	From      Position               `json:"from"`
	To        Position               `json:"to"`
	// Change is the overall score of the last assessment minus the first.
	Change      float64 `json:"change"`
	Assessments int     `json:"assessments"`
}

// ScoreTolerance is how much the overall score must move, within one
// position, for a trajectory to count as moving rather than stable.
const ScoreTolerance = 0.05

// Trajectory reads the series at a practice: towards belonging if the
// position rose from the first assessment to the last, regressing if it
// fell; with the same position, by the overall score moving more than
// [ScoreTolerance]; otherwise stable. It reports false with fewer than two
// assessments.
func (r *Record) Trajectory(p prescribing.PracticeID) (Trajectory, bool) {
	s := r.series[p]
	if len(s) < 2 {
		return Trajectory{}, false
	}
	first, last := s[0], s[len(s)-1]
	t := Trajectory{Practice: p, From: first.Position, To: last.Position,
		Change: last.Overall - first.Overall, Assessments: len(s), Direction: Stable}
	switch {
	case last.Position > first.Position:
		t.Direction = TowardsBelonging
	case last.Position < first.Position:
		t.Direction = Regressing
	case t.Change > ScoreTolerance:
		t.Direction = TowardsBelonging
	case t.Change < -ScoreTolerance:
		t.Direction = Regressing
	}
	return t, true
}

package embeddedness

import (
	"fmt"
	"slices"
	"time"

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

// EventStream returns the embeddedness record stream of the link worker.
func (e Assessed) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindEmbeddedness, e.Assessment.LinkWorker)
}

// RecordOpened records a link worker's embeddedness record opened, empty:
// the first event of its stream.
type RecordOpened struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	At         time.Time                `json:"at"`
}

// EventType returns "embeddedness.record_opened".
func (RecordOpened) EventType() string { return "embeddedness.record_opened" }

// EventTime returns e.At.
func (e RecordOpened) EventTime() time.Time { return e.At }

// EventStream returns the embeddedness record stream of the link worker.
func (e RecordOpened) EventStream() prescribing.Stream {
	return prescribing.StreamOf(prescribing.StreamKindEmbeddedness, e.LinkWorker)
}

// EventKinds returns the kinds of every embeddedness event, for
// [prescribing.NewEventCodec]. The slice is the caller's.
func EventKinds() []prescribing.EventKind {
	return []prescribing.EventKind{prescribing.KindOf[RecordOpened](), prescribing.KindOf[Assessed]()}
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
// trajectory per practice (rule EMB-4). Make one with [OpenRecord]; rebuild
// one by replaying its stream (kind embeddedness, the link worker's ID)
// into a zero Record, as for every [prescribing.StreamRecord]. Assessments
// are dated in order at each practice, not across practices, and may be
// dated before the record was opened (an assessment written up later).
//
// A Record is a value that is safe to copy: its copies share no memory
// that either changes, because Apply never writes into a slice it holds
// but builds new ones, so two copies can be changed independently (each
// by one goroutine). A single Record is not safe to change concurrently.
type Record struct {
	linkWorker prescribing.LinkWorkerID
	openedAt   time.Time
	events     int32
	// practices holds one series per practice assessed, sorted by practice
	// ID. Apply replaces it, and the series it changes, wholesale.
	practices []practiceSeries
}

// practiceSeries is the assessments at one practice, oldest first.
type practiceSeries struct {
	practice prescribing.PracticeID
	points   []Point
}

// OpenRecord opens the embeddedness record of a link worker, empty, at
// time at. A zero link worker ([prescribing.ErrInvalidID]) or a time the
// codec cannot carry is refused with the zero record and event.
func OpenRecord(lw prescribing.LinkWorkerID, at time.Time) (Record, RecordOpened, error) {
	e := RecordOpened{LinkWorker: lw, At: prescribing.Stamp(at)}
	var r Record
	if err := r.Apply(e); err != nil {
		return Record{}, RecordOpened{}, err
	}
	return r, e, nil
}

// LinkWorker returns whose record it is.
func (r *Record) LinkWorker() prescribing.LinkWorkerID { return r.linkWorker }

// OpenedAt returns when the record was opened.
func (r *Record) OpenedAt() time.Time { return r.openedAt }

// Stream returns the record's stream (kind embeddedness, the link worker's
// ID), or the zero Stream before it is opened.
func (r *Record) Stream() prescribing.Stream {
	if r.linkWorker.IsZero() {
		return prescribing.Stream{}
	}
	return prescribing.StreamOf(prescribing.StreamKindEmbeddedness, r.linkWorker)
}

// Version returns how many events the record has applied, its opening
// included.
func (r *Record) Version() int { return int(r.events) }

// find returns where the practice's series is, or would be inserted.
func (r *Record) find(p prescribing.PracticeID) (int, bool) {
	return slices.BinarySearchFunc(r.practices, p, func(s practiceSeries, p prescribing.PracticeID) int {
		return s.practice.Compare(p)
	})
}

// series returns the points at a practice; the slice is the record's.
func (r *Record) series(p prescribing.PracticeID) []Point {
	if i, ok := r.find(p); ok {
		return r.practices[i].points
	}
	return nil
}

// Assess scores the assessment with the framework and records it. The
// assessment needs an ID not recorded before, must be of this record's
// link worker and dated no earlier than the last at the same practice; the framework refuses
// what [Framework.Assess] refuses. A refused assessment returns the zero
// event and changes nothing. The event shares no memory with the
// assessment given or with the record.
func (r *Record) Assess(f *Framework, a Assessment) (Assessed, error) {
	a.On = prescribing.Stamp(a.On)
	a.Observations = slices.Clone(a.Observations)
	res, err := f.Assess(a)
	if err != nil {
		return Assessed{}, err
	}
	// f.Assess has run Assessment.Validate and computed a result that
	// Result.validate accepts, so of Apply's checks only the record's own
	// remain, in Apply's order.
	e := Assessed{Assessment: a, Result: res}
	if err := r.checkOwner(a); err != nil {
		return Assessed{}, err
	}
	if err := r.add(e); err != nil {
		return Assessed{}, err
	}
	return e, nil
}

// Apply applies an embeddedness event, checking it as [Record.Assess]
// would as far as it can without the framework: the assessment as
// [Assessment.Validate] checks it, with an ID not recorded before (else
// [prescribing.ErrUnexpectedEvent]), of this record's link worker, dated no earlier than the last at the practice; and a result
// that is whole (finite scores from 0 to 1, known positions and concepts,
// valid text) and reaches belonging only with evidence of adjustment by
// both sides (EMB-3). On error the record is unchanged.
func (r *Record) Apply(ev prescribing.Event) error {
	if o, ok := ev.(RecordOpened); ok {
		return r.applyOpened(o)
	}
	e, ok := ev.(Assessed)
	if !ok {
		return prescribing.NotFor(ev, "embeddedness")
	}
	a := e.Assessment
	if err := r.checkOwner(a); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return fmt.Errorf("assessment %s: %w", a.ID, err)
	}
	if err := e.Result.validate(a.Adjustments); err != nil {
		return fmt.Errorf("assessment %s: %w", a.ID, err)
	}
	return r.add(e)
}

// checkOwner checks that the record is open and the assessment names its
// ID, its practice and this record's link worker.
func (r *Record) checkOwner(a Assessment) error {
	switch {
	case r.linkWorker.IsZero():
		return fmt.Errorf("%w: the record of %s is not open", prescribing.ErrUnexpectedEvent, a.LinkWorker)
	case a.ID.IsZero() || a.Practice.IsZero():
		return fmt.Errorf("%w: an assessment needs its ID and the practice", prescribing.ErrInvalidID)
	case a.LinkWorker != r.linkWorker:
		return fmt.Errorf("%w: assessment of link worker %s applied to the record of %s", prescribing.ErrWrongSubject, a.LinkWorker, r.linkWorker)
	}
	return nil
}

// add records a checked assessment of the record's link worker, unless its
// ID is recorded already or it is dated before the last at its practice.
func (r *Record) add(e Assessed) error {
	a := e.Assessment
	if r.has(a.ID) {
		return fmt.Errorf("%w: assessment %s is already recorded", prescribing.ErrUnexpectedEvent, a.ID)
	}
	i, found := r.find(a.Practice)
	var s []Point
	if found {
		s = r.practices[i].points
	}
	var last time.Time
	if len(s) > 0 {
		last = s[len(s)-1].On
	}
	if err := prescribing.CheckTime(last, a.On); err != nil {
		return fmt.Errorf("assessment %s at practice %s: %w", a.ID, a.Practice, err)
	}
	p := Point{Assessment: a.ID, On: prescribing.Stamp(a.On), Position: e.Result.Position, Overall: e.Result.Overall}
	practices := slices.Clone(r.practices)
	if found {
		practices[i].points = append(s[:len(s):len(s)], p)
	} else {
		practices = slices.Insert(practices, i, practiceSeries{practice: a.Practice, points: []Point{p}})
	}
	r.practices = practices
	r.events++
	return nil
}

func (r *Record) applyOpened(e RecordOpened) error {
	switch {
	case !r.linkWorker.IsZero():
		return fmt.Errorf("%w: the record of %s is already open", prescribing.ErrUnexpectedEvent, r.linkWorker)
	case e.LinkWorker.IsZero():
		return fmt.Errorf("%w: a record belongs to a link worker", prescribing.ErrInvalidID)
	}
	if err := prescribing.CheckTime(time.Time{}, e.At); err != nil {
		return fmt.Errorf("record of %s: %w", e.LinkWorker, err)
	}
	*r = Record{linkWorker: e.LinkWorker, openedAt: prescribing.Stamp(e.At), events: 1}
	return nil
}

// has reports whether the assessment is recorded, at any practice.
func (r *Record) has(id AssessmentID) bool {
	for _, s := range r.practices {
		for _, p := range s.points {
			if p.Assessment == id {
				return true
			}
		}
	}
	return false
}

// validate checks a stored result: known position and concepts, finite
// scores from 0 to 1, valid text, and belonging only with evidence of
// adjustment by both sides (EMB-3).
func (r Result) validate(adj Adjustments) error {
	if !r.Position.IsValid() {
		return fmt.Errorf("%w: the result has no position (%w)", ErrInvalidObservation, prescribing.ErrUnknownValue)
	}
	if err := checkScore("the overall score", r.Overall); err != nil {
		return err
	}
	for i, c := range r.Concepts {
		if !c.Concept.IsValid() {
			return fmt.Errorf("%w: concept score %d names no concept (%w)", ErrInvalidObservation, i, prescribing.ErrUnknownValue)
		}
		if c.Observed < 0 {
			return fmt.Errorf("%w: concept %s observed %d times", ErrInvalidObservation, c.Concept, c.Observed)
		}
		if err := checkScore("the score of concept "+c.Concept.String(), c.Score); err != nil {
			return err
		}
	}
	for i, h := range r.HeldBack {
		if err := prescribing.CheckText(fmt.Sprintf("the indicator held back %d", i), h.Indicator); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidObservation, err)
		}
		if err := prescribing.CheckText(fmt.Sprintf("why %d held back", i), h.Why); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidObservation, err)
		}
		if h.Concept != 0 && !h.Concept.IsValid() {
			return fmt.Errorf("%w: what holds back %d names no concept (%w)", ErrInvalidObservation, i, prescribing.ErrUnknownValue)
		}
		if err := checkScore(fmt.Sprintf("the score held back %d", i), h.Score); err != nil {
			return err
		}
	}
	switch {
	case r.Position == PositionBelonging && !adj.Both():
		return fmt.Errorf("%w: the result reaches belonging without evidence of adjustment by both sides (EMB-3)",
			ErrInvalidObservation)
	case r.CappedByAdjustment && (r.Position != PositionFittingIn || adj.Both()):
		return fmt.Errorf("%w: the result is capped for want of evidence of adjustment, but is %s with evidence from %s (EMB-3)",
			ErrInvalidObservation, r.Position, sidesWith(adj))
	}
	return nil
}

// sidesWith names the sides that gave evidence of adjustment.
func sidesWith(a Adjustments) string {
	switch p, w := !a.ByPractice.IsZero(), !a.ByLinkWorker.IsZero(); {
	case p && w:
		return "both sides"
	case p:
		return "the practice"
	case w:
		return "the link worker"
	default:
		return "neither side"
	}
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
	out := make([]PracticePosition, 0, len(r.practices))
	for _, s := range r.practices {
		last := s.points[len(s.points)-1]
		out = append(out, PracticePosition{Practice: s.practice, Position: last.Position, On: last.On})
	}
	return out
}

// Series returns the assessments at a practice, oldest first. The slice is
// the caller's.
func (r *Record) Series(p prescribing.PracticeID) []Point { return slices.Clone(r.series(p)) }

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
	s := r.series(p)
	if len(s) < 2 {
		return Trajectory{}, false
	}
	first, last := s[0], s[len(s)-1]
	t := Trajectory{Practice: p, From: first.Position, To: last.Position,
		Change: last.Overall - first.Overall, Assessments: len(s), Direction: DirectionStable}
	switch {
	case last.Position > first.Position:
		t.Direction = DirectionTowardsBelonging
	case last.Position < first.Position:
		t.Direction = DirectionRegressing
	case t.Change > ScoreTolerance:
		t.Direction = DirectionTowardsBelonging
	case t.Change < -ScoreTolerance:
		t.Direction = DirectionRegressing
	}
	return t, true
}

package prescribing

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"time"
)

// StepKind is the kind of step a person takes towards change (rule
// ANCHOR-1): what they tried.
type StepKind uint8

// Kinds of step.
const (
	// StepKindJoinedActivity: went to a group, class or activity.
	StepKindJoinedActivity StepKind = iota + 1
	// StepKindContactedService: got in touch with a service or community
	// asset themselves (a phone call, a visit, a form).
	StepKindContactedService
	// StepKindChangedRoutine: changed something in daily life (a walk, a
	// meal out, getting up at a set time).
	StepKindChangedRoutine
	// StepKindReconnected: got back in touch with family, friends or
	// neighbours.
	StepKindReconnected
	// StepKindOther: any other step, described in its text.
	StepKindOther
)

var stepKinds = NewVocabulary[StepKind]("step kind",
	"joined_activity", "contacted_service", "changed_routine", "reconnected", "other")

// StepKinds returns every step kind in order.
func StepKinds() []StepKind { return stepKinds.Values() }

// String returns the kind's text form ("joined_activity").
func (k StepKind) String() string { return stepKinds.String(k) }

// IsValid reports whether k is a known kind.
func (k StepKind) IsValid() bool { return stepKinds.Valid(k) }

// MarshalText implements [encoding.TextMarshaler].
func (k StepKind) MarshalText() ([]byte, error) { return stepKinds.MarshalText(k) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *StepKind) UnmarshalText(b []byte) (err error) { *k, err = stepKinds.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (k *StepKind) Scan(src any) (err error) { *k, err = stepKinds.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (k StepKind) Value() (driver.Value, error) { return stepKinds.Value(k) }

// Step is a step a person took towards change after a contact (rule
// ANCHOR-1): its kind, what they tried in their own words, and the contact
// that prompted it, or none when they took it unprompted (DEP-1 counts
// those). Steps are the person's side of what holding calls cherishing:
// reviews showing readiness or confidence rising are where steps follow.
type Step struct {
	Kind StepKind `json:"kind"`
	// What says what they tried ("went to the Tuesday walk"). It is free
	// text kept on the referral: do not put other people's details here.
	What string `json:"what"`
	// PromptedBy is the contact recorded on the referral that prompted the
	// step; zero when the person took it unprompted.
	PromptedBy ContactID `json:"prompted_by,omitzero"`
	// At is when the step was recorded.
	At time.Time `json:"at"`
}

// Unprompted reports whether the person took the step without a contact
// prompting it.
func (s Step) Unprompted() bool { return s.PromptedBy.IsZero() }

// ReferralStepTaken records a step the person took (rule ANCHOR-1).
type ReferralStepTaken struct {
	Referral ReferralID `json:"referral"`
	Step     Step       `json:"step"`
}

// EventType returns "referral.step_taken".
func (ReferralStepTaken) EventType() string { return "referral.step_taken" }

// EventTime returns the step's time.
func (e ReferralStepTaken) EventTime() time.Time { return e.Step.At }

// EventStream returns the referral stream of the referral.
func (e ReferralStepTaken) EventStream() Stream { return StreamOf(StreamKindReferral, e.Referral) }

// RecordStep records a step the person took towards change (rule
// ANCHOR-1), from first contact while the referral is live. A step prompted
// by a contact names a contact recorded on this referral. A kind outside
// the vocabulary ([ErrUnknownValue]), blank text ([ErrMissingDetail]),
// text [CheckText] refuses, a contact the referral does not hold
// ([ErrWrongSubject]) or a time [CheckTime] refuses are refused with the
// zero event.
func (r *Referral) RecordStep(s Step) (ReferralStepTaken, error) {
	s.At = Stamp(s.At)
	e := ReferralStepTaken{Referral: r.id, Step: s}
	if err := r.applyStep(e); err != nil {
		return ReferralStepTaken{}, err
	}
	return e, nil
}

// Steps returns the steps recorded, oldest first.
func (r *Referral) Steps() []Step { return slices.Clone(r.extra().steps) }

func (r *Referral) applyStep(e ReferralStepTaken) error {
	if err := r.checkChange(e.Referral, e.Step.At); err != nil {
		return err
	}
	switch r.state {
	case StateContacted, StateInSupport, StateConnected, StateOnHold:
	default:
		return fmt.Errorf("%w: referral %s in %s takes no steps (ANCHOR-1: from first contact while live)", ErrUnexpectedEvent, r.id, r.state)
	}
	s := e.Step
	if err := checkMember(stepKinds, s.Kind); err != nil {
		return fmt.Errorf("referral %s: step: %w", r.id, err)
	}
	if err := CheckText("what the step was", s.What); err != nil {
		return fmt.Errorf("referral %s: %w", r.id, err)
	}
	if IsBlank(s.What) {
		return fmt.Errorf("referral %s: %w: a step says what the person tried (ANCHOR-1)", r.id, ErrMissingDetail)
	}
	if !s.PromptedBy.IsZero() && !r.contactIDs.contains(s.PromptedBy) {
		return fmt.Errorf("%w: referral %s records no contact %s to prompt the step (ANCHOR-1)", ErrWrongSubject, r.id, s.PromptedBy)
	}
	m := r.moreToChange()
	m.steps = append(m.steps[:len(m.steps):len(m.steps)], s)
	r.more = m
	r.updatedAt = s.At
	r.events++
	return nil
}

// AnchorReport is a link worker's report as an anchor point (rule
// ANCHOR-1): of the people they have held, how many took at least one step
// towards change.
type AnchorReport struct {
	LinkWorker LinkWorkerID `json:"link_worker"`
	// People counts the distinct people with a referral the link worker
	// holds and at least one attended contact on it.
	People int `json:"people"`
	// TookStep counts those of them with at least one step recorded on
	// such a referral, prompted or not; Unprompted those with at least one
	// step taken unprompted.
	TookStep   int `json:"took_step"`
	Unprompted int `json:"unprompted"`
	// Share is TookStep / People, and 0 when People is 0.
	Share float64 `json:"share"`
}

// Anchor reports link worker lw as an anchor point from referral records
// (rule ANCHOR-1). A referral counts for the link worker who holds it now
// (after [Referral.Reassign], the new one); referrals without an attended
// contact, or held by others, are left out. A person with several
// referrals counts once.
func Anchor(lw LinkWorkerID, referrals []Referral) AnchorReport {
	type person struct{ step, unprompted bool }
	people := map[PatientID]person{}
	for i := range referrals {
		r := &referrals[i]
		if r.linkWorker != lw || lw.IsZero() || r.attended == 0 {
			continue
		}
		p := people[r.patient]
		for _, s := range r.extra().steps {
			p.step = true
			p.unprompted = p.unprompted || s.Unprompted()
		}
		people[r.patient] = p
	}
	rep := AnchorReport{LinkWorker: lw, People: len(people)}
	// Counting is order-free, so ranging over the map is deterministic.
	for _, p := range people {
		if p.step {
			rep.TookStep++
		}
		if p.unprompted {
			rep.Unprompted++
		}
	}
	if rep.People > 0 {
		rep.Share = float64(rep.TookStep) / float64(rep.People)
	}
	return rep
}

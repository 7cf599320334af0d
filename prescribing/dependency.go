package prescribing

import (
	"fmt"
	"slices"
	"time"
)

// ReferralLinked records that a referral is a re-referral of the same
// person, linked to their earlier referrals (rule DEP-1).
type ReferralLinked struct {
	Referral ReferralID   `json:"referral"`
	Earlier  []ReferralID `json:"earlier"`
	At       time.Time    `json:"at"`
}

// EventType returns "referral.linked".
func (ReferralLinked) EventType() string { return "referral.linked" }

// EventTime returns e.At.
func (e ReferralLinked) EventTime() time.Time { return e.At }

// EventStream returns the referral stream of the referral.
func (e ReferralLinked) EventStream() Stream { return StreamOf(StreamKindReferral, e.Referral) }

// LinkEarlier marks the referral as a re-referral of the same person,
// linked to their earlier referrals (rule DEP-1), once, at any point after
// receipt. Each earlier referral must be of the same person
// ([ErrWrongSubject]), another referral received before this one
// ([ErrUnexpectedEvent]), and given once ([ErrInvalidID]); at least one is
// needed ([ErrMissingDetail]). The event keeps their IDs in the order
// given; replay checks the IDs, not the other records, which it does not
// hold.
func (r *Referral) LinkEarlier(at time.Time, earlier ...Referral) (ReferralLinked, error) {
	ids := make([]ReferralID, 0, len(earlier))
	for i := range earlier {
		x := &earlier[i]
		switch {
		case x.patient != r.patient:
			return ReferralLinked{}, fmt.Errorf("%w: referral %s: earlier referral %s is another person's (DEP-1)", ErrWrongSubject, r.id, x.id)
		case x.receivedAt.After(r.receivedAt):
			return ReferralLinked{}, fmt.Errorf("%w: referral %s: referral %s was received after it (DEP-1)", ErrUnexpectedEvent, r.id, x.id)
		}
		ids = append(ids, x.id)
	}
	e := ReferralLinked{Referral: r.id, Earlier: cloneList(ids), At: Stamp(at)}
	if err := r.applyLinked(e); err != nil {
		return ReferralLinked{}, err
	}
	return e, nil
}

// Earlier returns the person's earlier referrals this one is linked to, or
// nil if it is not a re-referral.
func (r *Referral) Earlier() []ReferralID { return slices.Clone(r.extra().earlier) }

// IsReReferral reports whether the referral is linked to earlier ones.
func (r *Referral) IsReReferral() bool { return r.more != nil && len(r.more.earlier) > 0 }

func (r *Referral) applyLinked(e ReferralLinked) error {
	if err := r.checkChange(e.Referral, e.At); err != nil {
		return err
	}
	switch {
	case r.IsReReferral():
		return fmt.Errorf("%w: referral %s is already linked to its earlier referrals (DEP-1)", ErrUnexpectedEvent, r.id)
	case len(e.Earlier) == 0:
		return fmt.Errorf("referral %s: %w: a re-referral links at least one earlier referral (DEP-1)", r.id, ErrMissingDetail)
	}
	for i, id := range e.Earlier {
		switch {
		case id.IsZero() || id == r.id:
			return fmt.Errorf("%w: referral %s: earlier referral %d is none or itself (DEP-1)", ErrInvalidID, r.id, i+1)
		case slices.Contains(e.Earlier[:i], id):
			return fmt.Errorf("%w: referral %s: earlier referral %s given twice (DEP-1)", ErrInvalidID, r.id, id)
		}
	}
	m := r.moreToChange()
	m.earlier = slices.Clone(e.Earlier)
	r.more = m
	r.updatedAt = e.At
	r.events++
	return nil
}

// DefaultDependencyThreshold is the indicator at or above which a person is
// flagged as possibly dependent, unless a caller says otherwise (DEP-1).
const DefaultDependencyThreshold = 0.75

// Dependency is the dependency indicator of one person or one link
// worker's people (rule DEP-1): how much of what happened after the person
// was connected leaned on the service rather than on their own steps.
//
// Its parts are counted over referrals: AfterConnection, the contacts
// attended after the person was first connected; ReReferrals, the
// referrals linked to earlier ones; Unprompted, the steps the person took
// with no contact prompting them ([Step.Unprompted]). The indicator is
//
//	(AfterConnection + ReReferrals) / (AfterConnection + ReReferrals + Unprompted)
//
// from 0 (every event after connection was the person's own step) to 1
// (they came back to the service and took no step alone). It is undefined
// (Defined false, Indicator 0) when all three are zero: nothing is known.
//
// This is a prompt for reflection in supervision, not a validated measure:
// the public involvement group asked whether people become dependent on
// their link worker rather than empowered, and the anchor-point finding is
// that link workers aim for people to take steps themselves. Read it
// beside holding's at-risk flag for the link worker's side of the same
// relationship.
type Dependency struct {
	AfterConnection int     `json:"after_connection"`
	ReReferrals     int     `json:"re_referrals"`
	Unprompted      int     `json:"unprompted"`
	Indicator       float64 `json:"indicator"`
	Defined         bool    `json:"defined"`
	// Flagged: defined and at or above the threshold used.
	Flagged bool `json:"flagged"`
}

func (d *Dependency) add(r *Referral) {
	d.AfterConnection += int(r.afterConnection)
	m := r.extra()
	if len(m.earlier) > 0 {
		d.ReReferrals++
	}
	for _, s := range m.steps {
		if s.Unprompted() {
			d.Unprompted++
		}
	}
}

func (d *Dependency) finish(threshold float64) {
	lean := d.AfterConnection + d.ReReferrals
	if total := lean + d.Unprompted; total > 0 {
		d.Indicator = float64(lean) / float64(total)
		d.Defined = true
		d.Flagged = d.Indicator >= threshold
	}
}

func checkThreshold(threshold float64) (float64, error) {
	if err := CheckFinite("the dependency threshold", threshold); err != nil {
		return 0, err
	}
	if threshold == 0 {
		return DefaultDependencyThreshold, nil
	}
	if threshold < 0 || threshold > 1 {
		return 0, fmt.Errorf("%w: a dependency threshold of %g, want 0 to 1 (DEP-1)", ErrInvalidGuidance, threshold)
	}
	return threshold, nil
}

// PersonDependency is the dependency indicator of one person.
type PersonDependency struct {
	Patient    PatientID  `json:"patient"`
	Dependency Dependency `json:"dependency"`
}

// DependencyReport is the dependency indicator of a link worker's people
// (rule DEP-1): pooled over all their referrals, and per person.
type DependencyReport struct {
	LinkWorker LinkWorkerID `json:"link_worker"`
	Threshold  float64      `json:"threshold"`
	// Pooled sums the parts over every person and computes the indicator
	// of the sums.
	Pooled Dependency `json:"pooled"`
	// People are the link worker's people, by patient ID; Flagged counts
	// those flagged.
	People  []PersonDependency `json:"people"`
	Flagged int                `json:"flagged"`
}

// Dependencies reports link worker lw's people's dependency (rule DEP-1)
// from referral records: those the link worker holds now. A person's
// indicator counts all their referrals held by lw. threshold 0 means
// [DefaultDependencyThreshold]; one that is NaN or infinite
// ([ErrNotFinite]) or outside 0 to 1 ([ErrInvalidGuidance]) is an error.
func Dependencies(lw LinkWorkerID, referrals []Referral, threshold float64) (DependencyReport, error) {
	th, err := checkThreshold(threshold)
	if err != nil {
		return DependencyReport{}, err
	}
	rep := DependencyReport{LinkWorker: lw, Threshold: th}
	byPerson := map[PatientID]*Dependency{}
	for i := range referrals {
		r := &referrals[i]
		if lw.IsZero() || r.linkWorker != lw {
			continue
		}
		d := byPerson[r.patient]
		if d == nil {
			d = &Dependency{}
			byPerson[r.patient] = d
		}
		d.add(r)
		rep.Pooled.add(r)
	}
	rep.Pooled.finish(th)
	for p, d := range byPerson {
		d.finish(th)
		if d.Flagged {
			rep.Flagged++
		}
		rep.People = append(rep.People, PersonDependency{Patient: p, Dependency: *d})
	}
	slices.SortFunc(rep.People, func(a, b PersonDependency) int { return a.Patient.Compare(b.Patient) })
	return rep, nil
}

// PersonDependencyOf returns the dependency indicator of patient p over
// all their referrals given, whoever holds them (rule DEP-1), with the
// threshold as [Dependencies] takes it.
func PersonDependencyOf(p PatientID, referrals []Referral, threshold float64) (Dependency, error) {
	th, err := checkThreshold(threshold)
	if err != nil {
		return Dependency{}, err
	}
	var d Dependency
	for i := range referrals {
		if referrals[i].patient == p {
			d.add(&referrals[i])
		}
	}
	d.finish(th)
	return d, nil
}

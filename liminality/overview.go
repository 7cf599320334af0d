package liminality

import (
	"fmt"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Overview is this package's part of a supervisor's report on one link
// worker at a time (rule SUP-1): where they are in their passage into the
// role and whether a liminal spell is prolonged (LIM-3), the themes present
// and those still without support (LIM-2), the training they lack (LIM-5),
// and their supervision: who, how often, sessions held, when the next is
// due and whether it is overdue. The reports of packages holding,
// discretion and embeddedness complete the picture; a program that reads
// all of them (examples/supervision) puts them side by side.
//
// Prolonged is a flag of its own: the intention-to-leave model (LIM-4,
// LIM-6) has no liminality covariate, so prolonged liminality is shown
// beside any estimate, never folded into it (rule LIM-6).
//
// An Overview is a report, not a record: its slice is the caller's.
type Overview struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	At         time.Time                `json:"at"`

	// Journey is false when no journey was given; the phase fields are
	// then zero.
	Journey     bool      `json:"journey"`
	Phase       Phase     `json:"phase,omitzero"`
	PhaseSince  time.Time `json:"phase_since,omitzero"`
	Prolonged   bool      `json:"prolonged"`
	LiminalDays float64   `json:"liminal_days"`
	Present     ThemeSet  `json:"present"`
	Missing     ThemeSet  `json:"missing"`

	// Training is false when no training record was given.
	Training      bool     `json:"training"`
	TrainingShare float64  `json:"training_share"`
	TrainingLacks []string `json:"training_lacks"`

	// Supervised is false when no supervision was ever agreed; Ended
	// when it was and has ended. Due is zero unless supervision is
	// ongoing.
	Supervised bool         `json:"supervised"`
	Supervisor SupervisorID `json:"supervisor,omitzero"`
	EveryDays  int          `json:"every_days,omitzero"`
	Sessions   int          `json:"sessions"`
	Last       time.Time    `json:"last_session,omitzero"`
	Due        time.Time    `json:"due,omitzero"`
	Overdue    bool         `json:"overdue"`
	Ended      bool         `json:"ended"`
}

// OverviewOf returns the liminality part of a supervisor's report on one
// link worker at time at (rule SUP-1), with the threshold for prolonged
// liminality. Any of the three records may be nil, for a link worker who
// has none; those given must belong to lw, or the error wraps
// [prescribing.ErrWrongSubject]. A zero link worker wraps
// [prescribing.ErrInvalidID], and a time the codec could not carry
// [prescribing.ErrTimeOutOfRange].
func OverviewOf(lw prescribing.LinkWorkerID, j *Journey, tr *TrainingRecord, s *Supervision, at time.Time, t Threshold) (Overview, error) {
	if lw.IsZero() {
		return Overview{}, fmt.Errorf("%w: an overview is of a link worker", prescribing.ErrInvalidID)
	}
	if err := prescribing.CheckTimeRange(at); err != nil {
		return Overview{}, fmt.Errorf("overview of %s: %w", lw, err)
	}
	wrong := func(what string, of prescribing.LinkWorkerID) (Overview, error) {
		return Overview{}, fmt.Errorf("%w: the %s of %s given for the overview of %s", prescribing.ErrWrongSubject, what, of, lw)
	}
	switch {
	case j != nil && j.linkWorker != lw:
		return wrong("journey", j.linkWorker)
	case tr != nil && tr.linkWorker != lw:
		return wrong("training record", tr.linkWorker)
	case s != nil && s.linkWorker != lw:
		return wrong("supervision", s.linkWorker)
	}
	o := Overview{LinkWorker: lw, At: prescribing.Stamp(at), TrainingLacks: []string{}}
	if j != nil {
		o.Journey = true
		o.Phase, o.PhaseSince = j.Phase()
		o.Prolonged = j.Prolonged(at, t)
		o.LiminalDays = j.LiminalTime(at).Hours() / 24
		if o.Phase == PhaseLiminal {
			o.Present, o.Missing = j.Present(), j.Missing()
		}
	}
	if tr != nil {
		o.Training = true
		c := tr.Coverage()
		o.TrainingShare = c.Share
		for _, a := range c.Lacks {
			o.TrainingLacks = append(o.TrainingLacks, a.Key)
		}
	}
	if s != nil {
		o.Supervised = true
		o.Supervisor, o.EveryDays, o.Sessions, o.Last = s.Supervisor(), s.EveryDays(), s.Sessions(), s.LastSession()
		o.Due, o.Overdue = s.Due(), s.Overdue(at)
		_, o.Ended = s.Ended()
	}
	return o, nil
}

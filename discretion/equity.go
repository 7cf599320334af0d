package discretion

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/socialprescribing/linkwork/prescribing"
)

// EquityGroup is one group of patients in an equity report (rule DISC-5).
type EquityGroup struct {
	// Group is the value of the caller's chosen attribute ("high
	// complexity", "aged 75+").
	Group string `json:"group"`
	// People is how many people of the caseload are in the group, and
	// Reached how many of them had at least one act.
	People  int `json:"people"`
	Reached int `json:"reached"`
	// Acts counts the acts concerning people in the group.
	Acts int `json:"acts"`
	// Rate is acts per person in the group; Ratio is Rate over the overall
	// rate (1 means in proportion; zero when the overall rate is zero).
	Rate  float64 `json:"rate"`
	Ratio float64 `json:"ratio"`
	// ShareOfPeople and ShareOfActs are the group's shares of the caseload
	// and of the acts.
	ShareOfPeople float64 `json:"share_of_people"`
	ShareOfActs   float64 `json:"share_of_acts"`
	// Over and Under flag a ratio at or beyond the report's threshold.
	Over  bool `json:"over,omitempty"`
	Under bool `json:"under,omitempty"`
}

// EquityReport shows whether discretionary extras go disproportionately to
// some groups of patients (rule DISC-5).
type EquityReport struct {
	Groups []EquityGroup `json:"groups"`
	// People and Acts are the totals over the caseload; OverallRate is acts
	// per person.
	People      int     `json:"people"`
	Acts        int     `json:"acts"`
	OverallRate float64 `json:"overall_rate"`
	// Unattributed counts acts about patients not in the caseload given, or
	// about no patient; they are left out of the rates.
	Unattributed int `json:"unattributed"`
	// Threshold is the ratio from which a group is flagged Over (and its
	// inverse, Under).
	Threshold float64 `json:"threshold"`
}

// DefaultEquityThreshold flags a group receiving half as much again as its
// share, or two thirds of it or less.
const DefaultEquityThreshold = 1.5

// ErrInvalidEquity reports an equity report asked for with a threshold that
// is not a finite ratio above 1 (wrapping also [prescribing.ErrNotFinite]
// for NaN or an infinity), or with a group name that is blank or not valid
// text (wrapping also [prescribing.ErrInvalidText]).
var ErrInvalidEquity = errors.New("invalid equity report")

// Equity groups acts by a patient attribute the caller chooses (rule
// DISC-5). groups maps each person of the caseload to their group; acts are
// the discretionary extras to weigh (all of a log's acts, or only those a
// [CheckAct] found beyond a policy). A threshold of zero means
// [DefaultEquityThreshold]; any other must be a finite ratio above 1. A
// group whose ratio to the overall rate is at or above the threshold is
// flagged Over; at or below its inverse, Under. Groups are ordered by name.
// Errors wrap [ErrInvalidEquity].
func Equity(acts []Act, groups map[prescribing.PatientID]string, threshold float64) (EquityReport, error) {
	if err := prescribing.CheckFinite("the equity threshold", threshold); err != nil {
		return EquityReport{}, fmt.Errorf("%w: %w", ErrInvalidEquity, err)
	}
	switch {
	case threshold == 0:
		threshold = DefaultEquityThreshold
	case threshold <= 1:
		return EquityReport{}, fmt.Errorf("%w: the threshold %g is not a ratio above 1", ErrInvalidEquity, threshold)
	}
	rep := EquityReport{People: len(groups), Threshold: threshold}
	byGroup := map[string]*EquityGroup{}
	for _, g := range groups {
		eg := byGroup[g]
		if eg == nil {
			eg = &EquityGroup{Group: g}
			byGroup[g] = eg
		}
		eg.People++
	}
	reached := map[prescribing.PatientID]bool{}
	for i := range acts {
		a := &acts[i]
		g, ok := groups[a.Patient]
		if a.Patient.IsZero() || !ok {
			rep.Unattributed++
			continue
		}
		rep.Acts++
		byGroup[g].Acts++
		if !reached[a.Patient] {
			reached[a.Patient] = true
			byGroup[g].Reached++
		}
	}
	if rep.People > 0 {
		rep.OverallRate = float64(rep.Acts) / float64(rep.People)
	}
	names := slices.Sorted(maps.Keys(byGroup))
	for _, name := range names {
		if err := prescribing.CheckText("a group's name", name); err != nil {
			return EquityReport{}, fmt.Errorf("%w: %w", ErrInvalidEquity, err)
		}
		if prescribing.IsBlank(name) {
			return EquityReport{}, fmt.Errorf("%w: a group's name is blank", ErrInvalidEquity)
		}
	}
	for _, name := range names {
		g := *byGroup[name]
		g.Rate = float64(g.Acts) / float64(g.People)
		g.ShareOfPeople = float64(g.People) / float64(rep.People)
		if rep.Acts > 0 {
			g.ShareOfActs = float64(g.Acts) / float64(rep.Acts)
		}
		if rep.OverallRate > 0 {
			g.Ratio = g.Rate / rep.OverallRate
			g.Over = g.Ratio >= threshold
			g.Under = g.Ratio <= 1/threshold
		}
		rep.Groups = append(rep.Groups, g)
	}
	return rep, nil
}

package liminality

import (
	"slices"
	"time"
)

// CohortView is a cohort of link workers at one time: how many are in each
// phase, how long they have spent liminal, and the shares prolonged and
// left.
type CohortView struct {
	At      time.Time `json:"at"`
	Workers int       `json:"workers"`
	// ByPhase counts workers per phase, indexed by phase name in JSON.
	ByPhase map[Phase]int `json:"by_phase"`
	// MeanLiminalDays and MedianLiminalDays are the time each worker has
	// spent liminal so far, over all their spells.
	MeanLiminalDays   float64 `json:"mean_liminal_days"`
	MedianLiminalDays float64 `json:"median_liminal_days"`
	// Prolonged counts workers in prolonged liminality now (rule LIM-3);
	// ProlongedShare is their share of the cohort.
	Prolonged      int     `json:"prolonged"`
	ProlongedShare float64 `json:"prolonged_share"`
	// LeftShare is the share of the cohort who have left.
	LeftShare float64 `json:"left_share"`
}

// Cohort describes the journeys at time at, using the threshold for
// prolonged liminality.
func Cohort(journeys []Journey, at time.Time, t Threshold) CohortView {
	v := CohortView{At: at, Workers: len(journeys), ByPhase: map[Phase]int{}}
	if len(journeys) == 0 {
		return v
	}
	days := make([]float64, 0, len(journeys))
	sum := 0.0
	for i := range journeys {
		j := &journeys[i]
		v.ByPhase[j.phase]++
		if j.Prolonged(at, t) {
			v.Prolonged++
		}
		d := j.LiminalTime(at).Hours() / 24
		days = append(days, d)
		sum += d
	}
	n := float64(len(journeys))
	v.MeanLiminalDays = sum / n
	slices.Sort(days)
	if m := len(days) / 2; len(days)%2 == 1 {
		v.MedianLiminalDays = days[m]
	} else {
		v.MedianLiminalDays = (days[m-1] + days[m]) / 2
	}
	v.ProlongedShare = float64(v.Prolonged) / n
	v.LeftShare = float64(v.ByPhase[PhaseLeft]) / n
	return v
}

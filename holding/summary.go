package holding

import (
	"math/bits"
	"slices"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Summary is the holding picture of one link worker's caseload at a time
// (rule HOLD-7). It is a report, not a record: [Summarise] makes a new
// ByReason map for each Summary and never writes to it afterwards, so the
// map is the caller's; copies of a Summary share it, and a caller who
// changes one copy's counts should clone the map first ([maps.Clone]).
type Summary struct {
	LinkWorker prescribing.LinkWorkerID `json:"link_worker"`
	At         time.Time                `json:"at"`
	// Open counts open episodes, and ByReason counts them by reason (an
	// episode held for two reasons counts under both).
	Open     int            `json:"open"`
	ByReason map[Reason]int `json:"by_reason"`
	// Overdue counts open episodes past their endpoint without a review,
	// and AtRisk those at risk of indefinite holding (rule HOLD-4).
	Overdue int `json:"overdue"`
	AtRisk  int `json:"at_risk"`
	// Cherishing and Static count open episodes by class (rule HOLD-6).
	Cherishing int `json:"cherishing"`
	Static     int `json:"static"`
	// MedianDays and P90Days are the median and 90th percentile of how long
	// the open episodes have lasted, in days (linear interpolation between
	// order statistics); zero with no open episode.
	MedianDays float64 `json:"median_days"`
	P90Days    float64 `json:"p90_days"`
	// Caseload is the link worker's number of open cases, as the caller
	// gave it, and HoldingLoad the share of them in holding (Open /
	// Caseload); zero when the caseload is not known.
	Caseload    int     `json:"caseload"`
	HoldingLoad float64 `json:"holding_load"`
}

// Summarise gives the holding picture of every link worker at time at
// (rule HOLD-7), one [Summary] per link worker with an episode or a caseload,
// ordered by link worker ID. caseloads gives each link worker's open cases
// for the holding load; it may be nil. Ended episodes are not counted.
func Summarise(episodes []Episode, at time.Time, caseloads map[prescribing.LinkWorkerID]int, p Limits) []Summary {
	index := make(map[prescribing.LinkWorkerID]int32, len(caseloads))
	var out []Summary
	slot := func(lw prescribing.LinkWorkerID) int32 {
		i, ok := index[lw]
		if !ok {
			i = int32(len(out))
			index[lw] = i
			out = append(out, Summary{LinkWorker: lw, At: prescribing.Stamp(at), ByReason: map[Reason]int{}})
		}
		return i
	}
	for lw := range caseloads {
		slot(lw) // order is fixed by the sort below
	}

	// First pass: count and classify open episodes, remembering each one's
	// slot so the second pass needs no map lookup.
	// The duration is taken now, while the episode is in cache.
	slots := make([]int32, len(episodes))
	durations := make([]float64, len(episodes))
	var byReason [][len(reasonIndex)]int
	for i := range episodes {
		ep := &episodes[i]
		if !ep.Open() || ep.id.IsZero() {
			slots[i] = -1
			continue
		}
		k := slot(ep.linkWorker)
		slots[i] = k
		durations[i] = at.Sub(ep.start).Hours() / 24
		for int(k) >= len(byReason) {
			byReason = append(byReason, [len(reasonIndex)]int{})
		}
		s := &out[k]
		s.Open++
		for rest := uint64(ep.reasons); rest != 0; rest &= rest - 1 {
			if r := bits.TrailingZeros64(rest); r < len(reasonIndex) {
				byReason[k][r]++
			}
		}
		if ep.Overdue(at) {
			s.Overdue++
		}
		if ep.AtRisk(p) {
			s.AtRisk++
		}
		switch ep.Class() {
		case ClassCherishing:
			s.Cherishing++
		case ClassStatic:
			s.Static++
		}
	}

	// Second pass: durations into one flat array, a segment per link worker.
	offset := make([]int, len(out)+1)
	for k := range out {
		offset[k+1] = offset[k] + out[k].Open
	}
	days := make([]float64, offset[len(out)])
	fill := append([]int(nil), offset[:len(out)]...)
	for i, k := range slots {
		if k >= 0 {
			days[fill[k]] = durations[i]
			fill[k]++
		}
	}

	for k := range out {
		s := &out[k]
		if k < len(byReason) {
			for _, r := range reasonIndex[1:] {
				if n := byReason[k][r]; n > 0 {
					s.ByReason[r] = n
				}
			}
		}
		if d := days[offset[k]:offset[k+1]]; len(d) > 0 {
			slices.Sort(d)
			s.MedianDays, s.P90Days = quantile(d, 0.5), quantile(d, 0.9)
		}
		if c := caseloads[s.LinkWorker]; c > 0 {
			s.Caseload, s.HoldingLoad = c, float64(s.Open)/float64(c)
		}
	}
	slices.SortFunc(out, func(a, b Summary) int { return a.LinkWorker.Compare(b.LinkWorker) })
	return out
}

// reasonIndex lists the reasons by their value, with a zero slot, for
// counting in an array.
var reasonIndex = [...]Reason{0, ReasonLackOfProvision, ReasonAwaitingReadiness, ReasonProtectingStaff, ReasonUnfixableProblems}

// quantile returns the q-quantile of sorted data by linear interpolation
// between order statistics (Hyndman and Fan type 7, R's default).
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 1 {
		return sorted[0]
	}
	h := q * float64(len(sorted)-1)
	lo := int(h)
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

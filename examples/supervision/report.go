package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/socialprescribing/linkwork/discretion"
	"github.com/socialprescribing/linkwork/embeddedness"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Report is the supervisor's view of every link worker in a log at one
// time (rule SUP-1).
type Report struct {
	At time.Time `json:"at"`
	// Site is the site whose policy acts were checked against; empty when
	// the log holds no policy.
	Site    string   `json:"site,omitempty"`
	Workers []Worker `json:"link_workers"`
}

// Worker is the supervisor's view of one link worker: the liminality part
// from package liminality, and the parts of packages holding, discretion
// and embeddedness beside it.
type Worker struct {
	LinkWorker   prescribing.LinkWorkerID        `json:"link_worker"`
	Liminality   liminality.Overview             `json:"liminality"`
	Holding      Holding                         `json:"holding"`
	Discretion   Discretion                      `json:"discretion"`
	Embeddedness []embeddedness.PracticePosition `json:"embeddedness"`
}

// Holding is the link worker's holding picture (rules HOLD-4, HOLD-6,
// HOLD-7): open episodes, those overdue a review, those at risk of
// indefinite holding, and by class.
type Holding struct {
	Open       int `json:"open"`
	Overdue    int `json:"overdue"`
	AtRisk     int `json:"at_risk"`
	Cherishing int `json:"cherishing"`
	Static     int `json:"static"`
}

// Discretion is the link worker's acts checked against the site's policy
// (rule DISC-4): how many, how many at its boundary and beyond it, and the
// aspects of the acts beyond it.
type Discretion struct {
	Acts         int                 `json:"acts"`
	AtBoundary   int                 `json:"at_boundary"`
	Beyond       int                 `json:"beyond"`
	NotCovered   int                 `json:"not_covered"`
	BeyondAspect []discretion.Aspect `json:"beyond_aspects"`
}

// ErrLog reports a log the report cannot be built from: a stream that does
// not replay, no events, or a site policy that cannot be chosen.
var ErrLog = errors.New("cannot report on the log")

// codec reads events of every package.
func codec() (*prescribing.EventCodec, error) {
	return prescribing.NewEventCodec(slices.Concat(prescribing.EventKinds(), holding.EventKinds(),
		embeddedness.EventKinds(), discretion.EventKinds(), liminality.EventKinds())...)
}

// records holds what the log's streams replay into.
type records struct {
	journeys    map[prescribing.LinkWorkerID]*liminality.Journey
	training    map[prescribing.LinkWorkerID]*liminality.TrainingRecord
	supervision map[prescribing.LinkWorkerID]*liminality.Supervision
	embedded    map[prescribing.LinkWorkerID]*embeddedness.Record
	logs        map[prescribing.LinkWorkerID]*discretion.Log
	episodes    []holding.Episode
	policies    []*discretion.Policy
}

// Build reads a log and makes the report at time at (the zero time means
// the log's latest event; an earlier time is refused, as the records are
// replayed to the end of the log), checking acts against the policy of site (which
// may be empty when the log holds at most one policy).
func Build(in io.Reader, at time.Time, site string) (Report, error) {
	c, err := codec()
	if err != nil {
		return Report{}, err
	}
	events, err := c.Decode(in)
	if err != nil {
		return Report{}, err
	}
	if len(events) == 0 {
		return Report{}, fmt.Errorf("%w: no events", ErrLog)
	}
	var latest time.Time
	for _, e := range events {
		if e.EventTime().After(latest) {
			latest = e.EventTime()
		}
	}
	switch {
	case at.IsZero():
		at = latest
	case at.Before(latest):
		// The records are replayed to the end of the log: a report at an
		// earlier time would mix what was known then with what came later.
		return Report{}, fmt.Errorf("%w: the report's time %s is before the log's latest event, %s", ErrLog,
			at.UTC().Format(time.RFC3339), latest.UTC().Format(time.RFC3339))
	}
	at = at.UTC()
	if err := prescribing.CheckTimeRange(at); err != nil {
		return Report{}, err
	}

	// Split by stream, keeping each stream's order, and streams in order of
	// their text form so that the report does not depend on how streams
	// are interleaved.
	streams := map[prescribing.Stream][]prescribing.Event{}
	for _, e := range events {
		streams[e.EventStream()] = append(streams[e.EventStream()], e)
	}
	keys := make([]prescribing.Stream, 0, len(streams))
	for s := range streams {
		keys = append(keys, s)
	}
	slices.SortFunc(keys, func(a, b prescribing.Stream) int { return cmp.Compare(a.String(), b.String()) })

	rec := records{
		journeys:    map[prescribing.LinkWorkerID]*liminality.Journey{},
		training:    map[prescribing.LinkWorkerID]*liminality.TrainingRecord{},
		supervision: map[prescribing.LinkWorkerID]*liminality.Supervision{},
		embedded:    map[prescribing.LinkWorkerID]*embeddedness.Record{},
		logs:        map[prescribing.LinkWorkerID]*discretion.Log{},
	}
	for _, s := range keys {
		if err := rec.replay(s, streams[s]); err != nil {
			return Report{}, fmt.Errorf("%w: stream %s: %w", ErrLog, s, err)
		}
	}
	policy, err := choosePolicy(rec.policies, site)
	if err != nil {
		return Report{}, err
	}
	return rec.report(at, policy)
}

// replay rebuilds the record of one stream, if the report uses its kind.
func (rec *records) replay(s prescribing.Stream, events []prescribing.Event) error {
	lw := prescribing.IDFromUUID[prescribing.LinkWorker](s.ID)
	switch s.Kind {
	case prescribing.StreamKindJourney:
		var j liminality.Journey
		rec.journeys[lw] = &j
		return prescribing.Replay(&j, events)
	case prescribing.StreamKindTraining:
		var t liminality.TrainingRecord
		rec.training[lw] = &t
		return prescribing.Replay(&t, events)
	case prescribing.StreamKindSupervision:
		var sv liminality.Supervision
		rec.supervision[lw] = &sv
		return prescribing.Replay(&sv, events)
	case prescribing.StreamKindEmbeddedness:
		var r embeddedness.Record
		rec.embedded[lw] = &r
		return prescribing.Replay(&r, events)
	case prescribing.StreamKindActLog:
		var l discretion.Log
		rec.logs[lw] = &l
		return prescribing.Replay(&l, events)
	case prescribing.StreamKindSitePolicy:
		var p discretion.Policy
		if err := prescribing.Replay(&p, events); err != nil {
			return err
		}
		rec.policies = append(rec.policies, &p)
	case prescribing.StreamKindHoldingEpisode:
		var e holding.Episode
		if err := prescribing.Replay(&e, events); err != nil {
			return err
		}
		rec.episodes = append(rec.episodes, e)
	}
	return nil
}

// choosePolicy returns the policy of site, or the only policy when site is
// empty; nil when the log has none.
func choosePolicy(policies []*discretion.Policy, site string) (*discretion.Policy, error) {
	if site == "" {
		switch len(policies) {
		case 0:
			return nil, nil
		case 1:
			return policies[0], nil
		}
		return nil, fmt.Errorf("%w: the log holds %d site policies; name one with -site", ErrLog, len(policies))
	}
	for _, p := range policies {
		if p.Site() == site {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%w: no policy for the site named by -site", ErrLog)
}

// report puts the parts side by side, one row per link worker, ordered by
// link worker ID.
func (rec *records) report(at time.Time, policy *discretion.Policy) (Report, error) {
	r := Report{At: at, Workers: []Worker{}}
	if policy != nil {
		r.Site = policy.Site()
	}
	seen := map[prescribing.LinkWorkerID]bool{}
	addKeys(seen, rec.journeys)
	addKeys(seen, rec.training)
	addKeys(seen, rec.supervision)
	addKeys(seen, rec.embedded)
	addKeys(seen, rec.logs)
	for i := range rec.episodes {
		seen[rec.episodes[i].LinkWorker()] = true
	}
	workers := make([]prescribing.LinkWorkerID, 0, len(seen))
	for lw := range seen {
		workers = append(workers, lw)
	}
	slices.SortFunc(workers, prescribing.LinkWorkerID.Compare)

	summaries := holding.Summarise(rec.episodes, at, nil, holding.Limits{})
	for _, lw := range workers {
		o, err := liminality.OverviewOf(lw, rec.journeys[lw], rec.training[lw], rec.supervision[lw], at, liminality.Threshold{})
		if err != nil {
			return Report{}, err
		}
		w := Worker{LinkWorker: lw, Liminality: o, Embeddedness: []embeddedness.PracticePosition{},
			Discretion: Discretion{BeyondAspect: []discretion.Aspect{}}}
		for _, s := range summaries {
			if s.LinkWorker == lw {
				w.Holding = Holding{Open: s.Open, Overdue: s.Overdue, AtRisk: s.AtRisk, Cherishing: s.Cherishing, Static: s.Static}
			}
		}
		if l := rec.logs[lw]; l != nil {
			for _, a := range l.Acts() {
				w.Discretion.Acts++
				if policy == nil {
					continue
				}
				switch c := discretion.CheckAct(policy, a); c.Verdict {
				case discretion.VerdictAtBoundary:
					w.Discretion.AtBoundary++
				case discretion.VerdictBeyond:
					w.Discretion.Beyond++
					if !slices.Contains(w.Discretion.BeyondAspect, a.Aspect) {
						w.Discretion.BeyondAspect = append(w.Discretion.BeyondAspect, a.Aspect)
					}
				case discretion.VerdictNotCovered:
					w.Discretion.NotCovered++
				}
			}
			slices.Sort(w.Discretion.BeyondAspect)
		}
		if e := rec.embedded[lw]; e != nil {
			w.Embeddedness = e.Positions()
		}
		r.Workers = append(r.Workers, w)
	}
	return r, nil
}

// addKeys marks every link worker of m as seen.
func addKeys[V any](seen map[prescribing.LinkWorkerID]bool, m map[prescribing.LinkWorkerID]V) {
	for k := range m {
		seen[k] = true
	}
}

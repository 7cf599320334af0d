package simulation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// The bounds of a scenario and of a run. Every scenario value has one, so
// that a run either finishes in bounded time and memory or is refused
// before anything is simulated; the table in [Scenario.Validate] lists
// them by key.
const (
	// MaxScenarioBytes is the largest scenario file [LoadScenario] reads.
	// A scenario is a few hundred bytes; a megabyte leaves room for
	// comments in long string values and stops a wrong file early.
	MaxScenarioBytes = 1 << 20

	// maxDays bounds horizon_days and every mean or fixed delay in days:
	// 100 years. A domain time is day 0 (2026-01-01) plus at most two of
	// these (an endpoint set at the horizon), so it stays far inside both
	// time.Duration (about 292 years) and the domain's years 1..9999.
	maxDays = 36500

	// maxLinkWorkers bounds link_workers: 30 times England's 3,300.
	maxLinkWorkers = 100_000

	// maxCaseloadCap bounds caseload_cap.
	maxCaseloadCap = 10_000

	// maxExtensions bounds max_extensions.
	maxExtensions = 10_000

	// minReferralsPerWorkerYear and maxReferralsPerWorkerYear bound
	// referrals_per_worker_year. Above zero, so that the gap to the next
	// arrival (an exponential draw divided by the rate) is always finite.
	minReferralsPerWorkerYear = 0.001
	maxReferralsPerWorkerYear = 100_000

	// maxReferrals bounds the expected referrals of one replication,
	// link_workers * referrals_per_worker_year * days / 365. Every referral
	// may still be open at the end (when capacity cannot keep up, the
	// waiting list holds them all), at about 400 bytes each: this bounds a
	// replication's memory at about 2 GB. national expects 1.3 million a
	// year.
	maxReferrals = 5_000_000

	// minReviewDays bounds review_days from below: a review is a meeting,
	// at most one a day. (With endpoint_policy "none" a review extends
	// forever, so reviews set the pace of the whole run.)
	minReviewDays = 1

	// minLeaveDays bounds leave_days_liminal and leave_days_incorporated
	// from below: with vacancy_days 0, a post whose worker left at once
	// would be refilled and left again without the clock moving.
	minLeaveDays = 1

	// maxPlacesPerWorker bounds provision.NEED.places_per_worker.
	maxPlacesPerWorker = 10_000

	// maxNeedWeight bounds each of needs' weights (they are relative;
	// only their ratios matter).
	maxNeedWeight = 1e6

	// maxEventsPerReplication bounds a replication's estimated events (see
	// Scenario.estimatedEvents): about 100 times national's estimate of
	// 2.1e7 (it processes 4.5 million), some minutes of one core.
	maxEventsPerReplication = 2e9

	// maxEvents bounds the estimated events of a whole run: the estimate
	// per replication times the replications the shard selects, such as
	// about 1,000 replications of national (an hour or two of one core).
	// Spread a larger sweep over shards.
	maxEvents = 2e10

	// MaxReplications bounds Options.Replications (and the command's
	// -replications): every result is kept in memory until the run ends.
	MaxReplications = 100_000
)

// maxRunSeriesPoints bounds the series points one [Run] keeps, over all
// its replications: 8 million points of 64 bytes are half a gigabyte.
const maxRunSeriesPoints = 8_000_000

// ErrTooMuchWork is wrapped by the error [Run] returns for a run whose
// estimated events exceed [maxEvents].
var ErrTooMuchWork = errors.New("too much work")

// runDays is how long a replication simulates, in days: the warm-up and
// the measured window.
func (s Scenario) runDays() float64 { return s.WarmupDays + s.HorizonDays }

// expectedReferrals returns the expected referrals of one replication:
// link_workers * referrals_per_worker_year / 365 times the days of the run,
// each day weighted by the surge multipliers in force on it.
func (s Scenario) expectedReferrals() float64 {
	end := s.runDays()
	segs := surgeSegments(s.ReferralSurges)
	days := 0.0
	for i, seg := range segs {
		if seg.from >= end {
			break
		}
		to := end
		if i+1 < len(segs) {
			to = min(segs[i+1].from, end)
		}
		days += (to - seg.from) * seg.multiplier
	}
	return float64(s.LinkWorkers) * s.ReferralsPerWorkerYear * days / 365
}

// estimatedEvents returns an upper estimate of the events of one
// replication of a valid scenario: for each expected referral, eight
// events (arrival, first contact, readiness, a place freeing, follow-up,
// disengagement and two spare for transfers) plus two for each review its
// episode can have (max_extensions + 1 when enforced; one every
// review_days over the whole run when not); and for each post three
// events for each turnover it can have (one per leave_days + vacancy_days).
// The pcn, region and national scenarios process 3 to 5 times fewer. key
// is the scenario key of the term that adds the most: referrals_per_worker_year,
// review_days or leave_days_liminal.
func (s Scenario) estimatedEvents() (events float64, key string) {
	days := s.runDays()
	reviews := days / s.ReviewDays
	if s.EndpointPolicy == EndpointPolicyEnforced {
		reviews = min(reviews, float64(s.MaxExtensions)+1)
	}
	turnover := days / (min(s.LeaveDaysLiminal, s.LeaveDaysIncorporated) + s.VacancyDays)
	referrals := s.expectedReferrals()
	terms := []struct {
		key string
		v   float64
	}{
		{"referrals_per_worker_year", referrals * 8},
		{"review_days", referrals * 2 * reviews},
		{"leave_days_liminal", float64(s.LinkWorkers) * 3 * (1 + turnover)},
	}
	most := 0
	for i, t := range terms {
		events += t.v
		if t.v > terms[most].v {
			most = i
		}
	}
	return events, terms[most].key
}

// checkDuplicateKeys walks the JSON document's tokens and reports the
// first object key that appears twice in the same object, by its path:
// encoding/json would silently keep the last one. Keys that differ only in
// case count as the same, as encoding/json matches them to the same field.
func checkDuplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := walkValue(dec, "", 0); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: data after the JSON object", ErrScenario)
	}
	return nil
}

// maxNesting bounds how deeply a scenario's objects and lists nest: a
// scenario needs three levels (provision.money.stay_days); a document
// nested thousands deep takes the decoder long to read.
const maxNesting = 16

// walkValue reads one value from dec, nested depth levels deep, checking
// every object inside it.
func walkValue(dec *json.Decoder, path string, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrScenario, short(err))
	}
	if (tok == json.Delim('{') || tok == json.Delim('[')) && depth >= maxNesting {
		where := "the scenario"
		if path != "" {
			where = quoteKey(path)
		}
		return fmt.Errorf("%w: %s: nested more than %d deep", ErrScenario, where, maxNesting)
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		fold := func(k string) string { return strings.Map(foldRune, k) }
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return fmt.Errorf("%w: %v", ErrScenario, short(err))
			}
			key, _ := k.(string)
			name := key
			if path != "" {
				name = path + "." + key
			}
			if seen[fold(key)] {
				return fmt.Errorf("%w: %s: the key appears twice", ErrScenario, quoteKey(name))
			}
			seen[fold(key)] = true
			if err := walkValue(dec, name, depth+1); err != nil {
				return err
			}
		}
		_, err = dec.Token() // '}'
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := walkValue(dec, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
				return err
			}
		}
		_, err = dec.Token() // ']'
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrScenario, short(err))
	}
	return nil
}

// foldRune returns the smallest rune that r is equal to under Unicode
// case folding, so that keys equal but for case fold to the same string.
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// quoteKey returns a key for an error message: as it is when it is plain
// (letters, digits, '_', '.', '[', ']'), quoted and cut short otherwise.
func quoteKey(k string) string {
	plain := len(k) <= 100 && strings.IndexFunc(k, func(r rune) bool {
		return !(r == '_' || r == '.' || r == '[' || r == ']' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0
	if plain && k != "" {
		return k
	}
	if len(k) > 40 {
		k = k[:40]
	}
	return strconv.Quote(k)
}

// short returns err's message for a one-line error about a scenario, cut
// to a length that keeps it readable when the file is large or hostile
// (encoding/json quotes an unknown key whole).
func short(err error) string {
	const limit = 200
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if len(msg) > limit {
		msg = strings.ToValidUTF8(msg[:limit], "") + "..."
	}
	return msg
}

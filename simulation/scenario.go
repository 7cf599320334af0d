package simulation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrScenario is wrapped by every error about a scenario: unknown keys,
// malformed JSON and out-of-range values. The message names the key.
var ErrScenario = errors.New("invalid scenario")

// PositionShares gives a number for each embeddedness position. As the
// scenario's embeddedness, the shares of posts in each position, belonging
// is the rest: 1 - bolted_on - fitting_in. A scenario file need not give
// it; one that does must give exactly the rest.
type PositionShares struct {
	BoltedOn  float64 `json:"bolted_on"`
	FittingIn float64 `json:"fitting_in"`
	Belonging float64 `json:"belonging"`
}

// NeedProvision is the community provision for one need.
type NeedProvision struct {
	// PlacesPerWorker: the need has round(this * link workers) places.
	PlacesPerWorker float64 `json:"places_per_worker"`
	// StayDays: a connected person holds a place for Exp(this) days.
	StayDays float64 `json:"stay_days"`
}

// ReferralSurge multiplies the referral rate over a stretch of days: for t
// in [FromDay, ToDay) the rate is multiplied by Multiplier. Overlapping
// surges multiply. Days count from 0, warm-up included.
type ReferralSurge struct {
	FromDay    float64 `json:"from_day"`
	ToDay      float64 `json:"to_day"`
	Multiplier float64 `json:"multiplier"`
}

// Departure forces Count present link workers, chosen at random, to leave
// on Day (counted from 0, warm-up included); all present ones if fewer.
type Departure struct {
	Day   float64 `json:"day"`
	Count int     `json:"count"`
}

// Scenario holds the parameters of the reference model, with the JSON keys
// of the model's description (docs/model.md), in its order. Its zero value
// is not a scenario: start from [Embedded] or [LoadScenario].
type Scenario struct {
	WarmupDays                float64                            `json:"warmup_days"`
	HorizonDays               float64                            `json:"horizon_days"`
	LinkWorkers               int                                `json:"link_workers"`
	ReferralsPerWorkerYear    float64                            `json:"referrals_per_worker_year"`
	ReferralSurges            []ReferralSurge                    `json:"referral_surges"`
	Departures                []Departure                        `json:"departures"`
	CaseloadCap               int                                `json:"caseload_cap"`
	Embeddedness              PositionShares                     `json:"embeddedness"`
	InappropriateShare        PositionShares                     `json:"inappropriate_share"`
	Needs                     map[prescribing.Need]float64       `json:"needs"`
	Provision                 map[prescribing.Need]NeedProvision `json:"provision"`
	FirstContactDays          float64                            `json:"first_contact_days"`
	DeclineShare              float64                            `json:"decline_share"`
	BriefShare                float64                            `json:"brief_share"`
	ReadyShare                float64                            `json:"ready_share"`
	ReadinessDays             float64                            `json:"readiness_days"`
	ReviewDays                float64                            `json:"review_days"`
	MaxExtensions             int                                `json:"max_extensions"`
	EndpointPolicy            EndpointPolicy                     `json:"endpoint_policy"`
	DisengageDays             float64                            `json:"disengage_days"`
	ContactIntervalDays       float64                            `json:"contact_interval_days"`
	FollowUpDays              float64                            `json:"follow_up_days"`
	SupervisedShare           float64                            `json:"supervised_share"`
	IncorporationSupervised   float64                            `json:"incorporation_days_supervised"`
	IncorporationUnsupervised float64                            `json:"incorporation_days_unsupervised"`
	LeaveDaysLiminal          float64                            `json:"leave_days_liminal"`
	LeaveDaysIncorporated     float64                            `json:"leave_days_incorporated"`
	VacancyDays               float64                            `json:"vacancy_days"`
	InitialIncorporatedShare  float64                            `json:"initial_incorporated_share"`
	SeriesDays                float64                            `json:"series_days"`
}

// pcn returns the pcn scenario of docs/model.md: one primary care network of ten
// link workers over two years.
func pcn() Scenario {
	return Scenario{
		WarmupDays: 180, HorizonDays: 730, LinkWorkers: 10, ReferralsPerWorkerYear: 250,
		ReferralSurges: []ReferralSurge{}, Departures: []Departure{}, CaseloadCap: 60,
		Embeddedness:       PositionShares{BoltedOn: 0.3, FittingIn: 0.5, Belonging: 0.2},
		InappropriateShare: PositionShares{BoltedOn: 0.20, FittingIn: 0.10, Belonging: 0.04},
		Needs: map[prescribing.Need]float64{
			prescribing.NeedSocialIsolation: 0.30, prescribing.NeedMentalWellbeing: 0.25, prescribing.NeedMoney: 0.15,
			prescribing.NeedHousing: 0.10, prescribing.NeedPhysicalActivity: 0.10, prescribing.NeedOther: 0.10,
		},
		Provision: map[prescribing.Need]NeedProvision{
			prescribing.NeedSocialIsolation:  {PlacesPerWorker: 6, StayDays: 90},
			prescribing.NeedMentalWellbeing:  {PlacesPerWorker: 3, StayDays: 60},
			prescribing.NeedMoney:            {PlacesPerWorker: 1, StayDays: 30},
			prescribing.NeedHousing:          {PlacesPerWorker: 0.5, StayDays: 120},
			prescribing.NeedPhysicalActivity: {PlacesPerWorker: 3, StayDays: 60},
			prescribing.NeedOther:            {PlacesPerWorker: 2, StayDays: 60},
		},
		FirstContactDays: 5, DeclineShare: 0.12, BriefShare: 0.45, ReadyShare: 0.6, ReadinessDays: 42, ReviewDays: 28,
		MaxExtensions: 3, EndpointPolicy: EndpointPolicyEnforced, DisengageDays: 180, ContactIntervalDays: 14, FollowUpDays: 28,
		SupervisedShare: 0.4, IncorporationSupervised: 90, IncorporationUnsupervised: 240,
		LeaveDaysLiminal: 540, LeaveDaysIncorporated: 1460, VacancyDays: 90, InitialIncorporatedShare: 0.5,
		SeriesDays: 30,
	}
}

// ScenarioNames returns the names of the embedded scenarios.
func ScenarioNames() []string { return []string{"national", "pcn", "region"} }

// Embedded returns an embedded scenario by name: "pcn" (one primary care
// network of ten link workers over two years), "region" (300 link workers,
// 394 referrals each a year, one year) or "national" (3,300 link workers,
// 394 referrals each a year, one year: about 1.3 million referrals, as
// England in 2023). Region and national are calibrated to published
// figures (docs/model.md, Calibration), with two values changed from pcn:
// see [calibrate].
func Embedded(name string) (Scenario, error) {
	s := pcn()
	switch name {
	case "pcn":
	case "region":
		s.LinkWorkers, s.ReferralsPerWorkerYear, s.HorizonDays = 300, 394, 365
		calibrate(&s)
	case "national":
		s.LinkWorkers, s.ReferralsPerWorkerYear, s.HorizonDays = 3300, 394, 365
		calibrate(&s)
	default:
		return Scenario{}, fmt.Errorf("%w: no embedded scenario %q (have %v)", ErrScenario, name, ScenarioNames())
	}
	return s, nil
}

// calibrate sets the values that region and national change from pcn so
// that they reproduce the published figures of docs/model.md's
// Calibration section:
//
//   - brief_share 0.5 (pcn 0.45): with about 12% of referrals rejected as
//     inappropriate and 12% of the rest declining, half of those left
//     helped by a brief intervention leaves 0.88 x 0.88 x 0.5 = 39% of
//     referrals entering support, where Bu et al. (2024) found 38%
//     receiving any intervention; pcn's 0.45 gives 43%, the range's upper
//     edge.
//   - contact_interval_days 7 (pcn 14): a weekly supportive contact while
//     a person is held brings the contacts of a supported person to about
//     10, inside NHS England's typical 6-12; fortnightly gives about 6.0,
//     the range's lower edge.
func calibrate(s *Scenario) {
	s.BriefShare = 0.5
	s.ContactIntervalDays = 7
}

// LoadScenario reads a scenario file: the keys it names override those of
// the embedded scenario named by its key "base" (pcn when it has none),
// nested keys one by one (a file may set only provision.money.stay_days);
// lists (referral_surges, departures) are replaced whole. Unknown keys, a
// key given twice, malformed JSON, more than [MaxScenarioBytes] and
// out-of-range values (see [Scenario.Validate]) are errors wrapping
// [ErrScenario] that name the key.
func LoadScenario(data []byte) (Scenario, error) {
	if len(data) > MaxScenarioBytes {
		return Scenario{}, fmt.Errorf("%w: more than %d bytes", ErrScenario, MaxScenarioBytes)
	}
	if err := checkDuplicateKeys(data); err != nil {
		return Scenario{}, err
	}
	base, err := baseOf(data)
	if err != nil {
		return Scenario{}, err
	}
	s, err := Embedded(base)
	if err != nil {
		return Scenario{}, fmt.Errorf("%w: base: %q is not an embedded scenario (have %v)", ErrScenario, base, ScenarioNames())
	}
	if err := s.override(data); err != nil {
		return Scenario{}, err
	}
	return s, s.Validate()
}

// baseOf returns the name of the embedded scenario a file builds on: its
// key "base", or pcn.
func baseOf(data []byte) (string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return "", fmt.Errorf("%w: %v", ErrScenario, err)
	}
	raw, ok := top["base"]
	if !ok {
		return "pcn", nil
	}
	var base string
	if err := json.Unmarshal(raw, &base); err != nil {
		return "", fmt.Errorf("%w: base: want the name of an embedded scenario: %v", ErrScenario, err)
	}
	return base, nil
}

// override applies the keys of a JSON object onto s.
func (s *Scenario) override(data []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return fmt.Errorf("%w: %v", ErrScenario, short(err))
	}
	if top == nil {
		return fmt.Errorf("%w: the scenario is not a JSON object", ErrScenario)
	}
	delete(top, "base") // read by LoadScenario
	// Keys are matched exactly: encoding/json would take "Needs" for
	// "needs", skipping the merging below and writing into the maps the
	// scenario shares with the one it was copied from.
	for _, k := range slices.Sorted(maps.Keys(top)) {
		if !scenarioKeys[k] {
			return fmt.Errorf("%w: %s: unknown key (keys are as -print-scenario writes them)", ErrScenario, quoteKey(k))
		}
	}
	// Provision is merged need by need onto the base, so a file can change
	// one field of one need; everything else decodes strictly onto s.
	if raw, ok := top["provision"]; ok {
		var byNeed map[string]json.RawMessage
		if err := json.Unmarshal(raw, &byNeed); err != nil {
			return fmt.Errorf("%w: provision: %v", ErrScenario, short(err))
		}
		provision := make(map[prescribing.Need]NeedProvision, len(s.Provision))
		for k, v := range s.Provision {
			provision[k] = v
		}
		for _, name := range slices.Sorted(maps.Keys(byNeed)) {
			need, err := needKey("provision", name)
			if err != nil {
				return err
			}
			p := provision[need]
			if err := strictInto(byNeed[name], &p); err != nil {
				return fmt.Errorf("%w: provision.%s: %v", ErrScenario, quoteKey(name), short(err))
			}
			provision[need] = p
		}
		s.Provision = provision
		delete(top, "provision")
	}
	if raw, ok := top["needs"]; ok {
		var weights map[string]float64
		if err := json.Unmarshal(raw, &weights); err != nil {
			return fmt.Errorf("%w: needs: %v", ErrScenario, short(err))
		}
		needs := make(map[prescribing.Need]float64, len(s.Needs))
		for k, v := range s.Needs {
			needs[k] = v
		}
		for _, name := range slices.Sorted(maps.Keys(weights)) {
			need, err := needKey("needs", name)
			if err != nil {
				return err
			}
			needs[need] = weights[name]
		}
		s.Needs = needs
		delete(top, "needs")
	}
	var belonging *float64
	if raw, ok := top["embeddedness"]; ok {
		var given struct {
			Belonging *float64 `json:"belonging"`
		}
		if json.Unmarshal(raw, &given) == nil {
			belonging = given.Belonging
		}
	}
	rest, err := json.Marshal(top)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrScenario, short(err))
	}
	if err := strictInto(rest, s); err != nil {
		return fmt.Errorf("%w: %v", ErrScenario, short(err))
	}
	// Belonging is the rest of the posts: derived from the other two
	// shares, and refused if given otherwise (by Validate).
	if _, ok := top["embeddedness"]; ok && belonging == nil {
		s.Embeddedness.Belonging = math.Round((1-s.Embeddedness.BoltedOn-s.Embeddedness.FittingIn)*1e12) / 1e12
	}
	return nil
}

// needKey reads a need's name used as a key in a scenario section.
func needKey(section, name string) (prescribing.Need, error) {
	var need prescribing.Need
	if err := need.UnmarshalText([]byte(name)); err != nil || need == 0 {
		return 0, fmt.Errorf("%w: %s.%s: not a need", ErrScenario, section, quoteKey(name))
	}
	return need, nil
}

// strictInto decodes data onto v, refusing unknown keys and trailing data.
func strictInto(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON object")
	}
	return nil
}

// Validate reports the first value outside its bounds, naming its key.
// Every value is bounded, so that a run of a valid scenario finishes in
// bounded time and memory; the bounds (the constants in bounds.go) are:
//
//	key                                 bounds
//	horizon_days                        more than 0, at most 36500 (100 years)
//	link_workers                        1 to 100,000
//	referrals_per_worker_year           0.001 to 100,000, and the expected referrals,
//	                                    link_workers * this * horizon_days / 365,
//	                                    at most 5,000,000 (about 400 bytes each
//	                                    while open: at most about 2 GB)
//	caseload_cap                        1 to 10,000
//	embeddedness.bolted_on, fitting_in  shares from 0 to 1, adding up to at most 1
//	embeddedness.belonging              the rest, 1 - bolted_on - fitting_in
//	                                    (a file may leave it out)
//	inappropriate_share.POSITION        shares from 0 to 1
//	needs.NEED                          weights from 0 to 1e6, not all 0
//	provision.NEED.places_per_worker    0 to 10,000
//	provision.NEED.stay_days            0 to 36500
//	first_contact_days, readiness_days, 0 to 36500
//	disengage_days, follow_up_days,
//	incorporation_days_supervised,
//	incorporation_days_unsupervised,
//	vacancy_days
//	review_days                         1 to 36500
//	leave_days_liminal,                 1 to 36500
//	leave_days_incorporated
//	decline_share, ready_share,         shares from 0 to 1
//	supervised_share,
//	initial_incorporated_share
//	max_extensions                      0 to 10,000
//	endpoint_policy                     "enforced" or "none"
//	(all together)                      at most 2e9 estimated events a replication
//
// Days are bounded at 100 years so that no exponential draw and no domain
// time (day 0 is 2026-01-01) can overflow; review_days and the leave days
// from below, so that the clock always moves on (a review every instant,
// or a post left as soon as it is filled, would never let it). The
// estimate of events counts, for each expected referral, eight events and
// two for each review its episodes can have (max_extensions + 1 when
// enforced, one every review_days when not), and three events for each
// turnover of each post; the embedded scenarios process 3 to 5 times fewer
// than it says (national: an estimate of 2.1e7, 4.5 million processed). [Run] also bounds the run as a whole (see [Options]).
func (s Scenario) Validate() error {
	bad := func(key string, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrScenario, key, fmt.Sprintf(format, args...))
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	type bounded struct {
		key    string
		v      float64
		lo, hi float64
		open   bool // lo itself is refused
	}
	days := []bounded{
		{key: "horizon_days", v: s.HorizonDays, lo: 0, hi: maxDays, open: true},
		{key: "referrals_per_worker_year", v: s.ReferralsPerWorkerYear, lo: minReferralsPerWorkerYear, hi: maxReferralsPerWorkerYear},
		{key: "first_contact_days", v: s.FirstContactDays, hi: maxDays},
		{key: "readiness_days", v: s.ReadinessDays, hi: maxDays},
		{key: "review_days", v: s.ReviewDays, lo: minReviewDays, hi: maxDays},
		{key: "disengage_days", v: s.DisengageDays, hi: maxDays},
		{key: "follow_up_days", v: s.FollowUpDays, hi: maxDays},
		{key: "incorporation_days_supervised", v: s.IncorporationSupervised, hi: maxDays},
		{key: "incorporation_days_unsupervised", v: s.IncorporationUnsupervised, hi: maxDays},
		{key: "leave_days_liminal", v: s.LeaveDaysLiminal, lo: minLeaveDays, hi: maxDays},
		{key: "leave_days_incorporated", v: s.LeaveDaysIncorporated, lo: minLeaveDays, hi: maxDays},
		{key: "vacancy_days", v: s.VacancyDays, hi: maxDays},
		{key: "embeddedness.bolted_on", v: s.Embeddedness.BoltedOn, hi: 1},
		{key: "embeddedness.fitting_in", v: s.Embeddedness.FittingIn, hi: 1},
		{key: "embeddedness.belonging", v: s.Embeddedness.Belonging, hi: 1},
		{key: "inappropriate_share.bolted_on", v: s.InappropriateShare.BoltedOn, hi: 1},
		{key: "inappropriate_share.fitting_in", v: s.InappropriateShare.FittingIn, hi: 1},
		{key: "inappropriate_share.belonging", v: s.InappropriateShare.Belonging, hi: 1},
		{key: "decline_share", v: s.DeclineShare, hi: 1},
		{key: "ready_share", v: s.ReadyShare, hi: 1},
		{key: "supervised_share", v: s.SupervisedShare, hi: 1},
		{key: "initial_incorporated_share", v: s.InitialIncorporatedShare, hi: 1},
	}
	for _, b := range days {
		switch {
		case !finite(b.v) || b.v < b.lo || b.v > b.hi:
			if b.open {
				return bad(b.key, "must be more than %v and at most %v, got %v", b.lo, b.hi, b.v)
			}
			return bad(b.key, "must be from %v to %v, got %v", b.lo, b.hi, b.v)
		case b.open && b.v == b.lo:
			return bad(b.key, "must be more than %v and at most %v, got %v", b.lo, b.hi, b.v)
		}
	}
	switch {
	case s.LinkWorkers < 1 || s.LinkWorkers > maxLinkWorkers:
		return bad("link_workers", "must be from 1 to %d, got %d", maxLinkWorkers, s.LinkWorkers)
	case s.CaseloadCap < 1 || s.CaseloadCap > maxCaseloadCap:
		return bad("caseload_cap", "must be from 1 to %d, got %d", maxCaseloadCap, s.CaseloadCap)
	case s.MaxExtensions < 0 || s.MaxExtensions > maxExtensions:
		return bad("max_extensions", "must be from 0 to %d, got %d", maxExtensions, s.MaxExtensions)
	case s.EndpointPolicy != EndpointPolicyEnforced && s.EndpointPolicy != EndpointPolicyNone:
		return bad("endpoint_policy", "must be %q or %q, got %v", EndpointPolicyEnforced, EndpointPolicyNone, s.EndpointPolicy)
	case s.Embeddedness.BoltedOn+s.Embeddedness.FittingIn > 1+1e-9:
		return bad("embeddedness", "bolted_on and fitting_in add up to more than 1")
	}
	if rest := 1 - s.Embeddedness.BoltedOn - s.Embeddedness.FittingIn; math.Abs(s.Embeddedness.Belonging-rest) > 1e-9 {
		return bad("embeddedness.belonging", "is the rest of the posts, 1 - bolted_on - fitting_in = %v; got %v (leave it out)",
			formatFloat(rest), s.Embeddedness.Belonging)
	}
	for _, n := range slices.Sorted(maps.Keys(s.Needs)) {
		if !n.IsValid() {
			return bad("needs", "%v is not a need", n)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(s.Provision)) {
		if !n.IsValid() {
			return bad("provision", "%v is not a need", n)
		}
	}
	total := 0.0
	for _, n := range prescribing.Needs() {
		w, ok := s.Needs[n]
		if !ok {
			continue
		}
		if !finite(w) || w < 0 || w > maxNeedWeight {
			return bad("needs."+n.String(), "a weight must be from 0 to %v, got %v", maxNeedWeight, w)
		}
		total += w
	}
	if total <= 0 {
		return bad("needs", "the weights must add up to more than 0")
	}
	for _, n := range prescribing.Needs() {
		p, ok := s.Provision[n]
		if !ok {
			continue
		}
		if !finite(p.PlacesPerWorker) || p.PlacesPerWorker < 0 || p.PlacesPerWorker > maxPlacesPerWorker {
			return bad("provision."+n.String()+".places_per_worker", "must be from 0 to %v, got %v", maxPlacesPerWorker, p.PlacesPerWorker)
		}
		if !finite(p.StayDays) || p.StayDays < 0 || p.StayDays > maxDays {
			return bad("provision."+n.String()+".stay_days", "must be from 0 to %v, got %v", maxDays, p.StayDays)
		}
	}
	if err := s.validateV2(); err != nil {
		return err
	}
	if r := s.expectedReferrals(); r > maxReferrals {
		return bad("referrals_per_worker_year", "link_workers %d * %v a year over %v days expects %.4g referrals a replication, more than %d",
			s.LinkWorkers, s.ReferralsPerWorkerYear, s.runDays(), r, maxReferrals)
	}
	if e, key := s.estimatedEvents(); e > maxEventsPerReplication {
		return bad(key, "the scenario is estimated at %.3g events a replication, more than %.3g (this key adds the most; "+
			"see Scenario.Validate)", e, float64(maxEventsPerReplication))
	}
	return nil
}

// JSON returns the scenario as indented JSON, ready to edit and pass back
// with -scenario.
func (s Scenario) JSON() ([]byte, error) {
	// Empty lists print as [], ready to fill in, not as null.
	if s.ReferralSurges == nil {
		s.ReferralSurges = []ReferralSurge{}
	}
	if s.Departures == nil {
		s.Departures = []Departure{}
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Bounds of the keys that version 2 of the model added. A run draws and
// stores nothing in proportion to them beyond what they say, but each is
// bounded so that a typing slip is refused rather than run for ever.
const (
	// maxSeriesPoints bounds the time series of one replication: a point a
	// day for 100 years fits.
	maxSeriesPoints = 40_000
	// maxListEntries bounds the referral_surges and departures lists.
	maxListEntries = 1000
	// maxSurge bounds the product of the surge multipliers in force at
	// any time: at most a hundred times the base rate of referrals.
	maxSurge = 100
	// minContactInterval is the shortest interval between supportive
	// contacts: one a day. Each contact is recorded on its referral, so a
	// shorter interval would only make a long episode slow to close.
	minContactInterval = 1
)

// validateV2 checks the keys that version 2 of the model added:
// warmup_days, brief_share, contact_interval_days, series_days,
// referral_surges and departures.
func (s Scenario) validateV2() error {
	bad := func(key string, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrScenario, key, fmt.Sprintf(format, args...))
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	day := func(key string, v float64) error {
		if !finite(v) || v < 0 || v > maxDays {
			return bad(key, "must be from 0 to %d days, got %v", maxDays, v)
		}
		return nil
	}
	if err := day("warmup_days", s.WarmupDays); err != nil {
		return err
	}
	if finite(s.HorizonDays) && s.WarmupDays+s.HorizonDays > maxDays {
		return bad("warmup_days", "warmup_days plus horizon_days must be at most %d days, got %v", maxDays, s.WarmupDays+s.HorizonDays)
	}
	if !finite(s.BriefShare) || s.BriefShare < 0 || s.BriefShare > 1 {
		return bad("brief_share", "must be a share from 0 to 1, got %v", s.BriefShare)
	}
	if !finite(s.ContactIntervalDays) || s.ContactIntervalDays < minContactInterval || s.ContactIntervalDays > maxDays {
		return bad("contact_interval_days", "must be from %d to %d days, got %v", minContactInterval, maxDays, s.ContactIntervalDays)
	}
	if !finite(s.SeriesDays) || s.SeriesDays <= 0 || s.SeriesDays > maxDays {
		return bad("series_days", "must be more than 0 and at most %d days, got %v", maxDays, s.SeriesDays)
	}
	if finite(s.HorizonDays) && s.HorizonDays/s.SeriesDays >= maxSeriesPoints {
		return bad("series_days", "gives %.0f points over horizon_days; at most %d", s.HorizonDays/s.SeriesDays+1, maxSeriesPoints)
	}
	if len(s.ReferralSurges) > maxListEntries {
		return bad("referral_surges", "at most %d surges, got %d", maxListEntries, len(s.ReferralSurges))
	}
	for i, g := range s.ReferralSurges {
		key := fmt.Sprintf("referral_surges[%d]", i)
		if err := day(key+".from_day", g.FromDay); err != nil {
			return err
		}
		if err := day(key+".to_day", g.ToDay); err != nil {
			return err
		}
		if g.ToDay <= g.FromDay {
			return bad(key+".to_day", "must be after from_day (%v), got %v", g.FromDay, g.ToDay)
		}
		if !finite(g.Multiplier) || g.Multiplier < 0 || g.Multiplier > maxSurge {
			return bad(key+".multiplier", "must be from 0 to %d, got %v", maxSurge, g.Multiplier)
		}
	}
	for _, seg := range surgeSegments(s.ReferralSurges) {
		if seg.multiplier > maxSurge {
			return bad("referral_surges", "surges in force from day %v multiply the referral rate by %v; at most %d",
				seg.from, seg.multiplier, maxSurge)
		}
	}
	if len(s.Departures) > maxListEntries {
		return bad("departures", "at most %d entries, got %d", maxListEntries, len(s.Departures))
	}
	for i, d := range s.Departures {
		key := fmt.Sprintf("departures[%d]", i)
		if err := day(key+".day", d.Day); err != nil {
			return err
		}
		if d.Count < 0 || d.Count > 1_000_000 {
			return bad(key+".count", "must be from 0 to 1000000, got %d", d.Count)
		}
	}
	return nil
}

// scenarioKeys are the JSON names of Scenario's fields, the only top-level
// keys a scenario file may give (besides "base").
var scenarioKeys = func() map[string]bool {
	keys := map[string]bool{}
	for f := range reflect.TypeFor[Scenario]().Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}()

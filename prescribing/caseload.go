package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// ErrInvalidPeriod reports a reporting period that does not end after it
// starts.
var ErrInvalidPeriod = errors.New("invalid period")

// checkPeriod checks a reporting period: both ends within the years 1 to
// 9999 and the end after the start, else an error wrapping
// [ErrInvalidPeriod].
func checkPeriod(from, to time.Time) error {
	for _, t := range []time.Time{from, to} {
		if err := CheckTimeRange(t); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidPeriod, err)
		}
	}
	if !to.After(from) {
		return fmt.Errorf("%w: %s does not end after %s", ErrInvalidPeriod,
			to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	return nil
}

// ErrInvalidGuidance reports guidance whose range is not finite or ends
// before it starts.
var ErrInvalidGuidance = errors.New("invalid guidance")

// Range is an inclusive range of a guideline figure.
type Range struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Validate reports a range with a bound that is NaN or infinite (wrapping
// [ErrNotFinite] and [ErrInvalidGuidance]) or with Min above Max
// ([ErrInvalidGuidance]).
func (r Range) Validate() error {
	if err := CheckFinite("the range's minimum", r.Min); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidGuidance, err)
	}
	if err := CheckFinite("the range's maximum", r.Max); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidGuidance, err)
	}
	if r.Min > r.Max {
		return fmt.Errorf("%w: the range %g-%g ends before it starts", ErrInvalidGuidance, r.Min, r.Max)
	}
	return nil
}

// Level places v against the range: under, within or over; both bounds are
// within. A NaN, for v or a bound, has no place: Level returns the zero
// Level, which prints as "unset", never "within".
func (r Range) Level(v float64) GuidanceLevel {
	switch {
	case math.IsNaN(v) || math.IsNaN(r.Min) || math.IsNaN(r.Max):
		return 0
	case v < r.Min:
		return GuidanceLevelUnder
	case v > r.Max:
		return GuidanceLevelOver
	default:
		return GuidanceLevelWithin
	}
}

// GuidanceLevel is where a figure stands against a guideline range.
type GuidanceLevel uint8

// Levels against a guideline.
const (
	GuidanceLevelUnder GuidanceLevel = iota + 1
	GuidanceLevelWithin
	GuidanceLevelOver
)

var levels = NewVocabulary[GuidanceLevel]("level", "under", "within", "over")

// GuidanceLevels returns every level against guidance in order. The slice is the caller's.
func GuidanceLevels() []GuidanceLevel { return levels.Values() }

// String returns the level's text form ("within").
func (l GuidanceLevel) String() string { return levels.String(l) }

// IsValid reports whether l is a known level.
func (l GuidanceLevel) IsValid() bool { return levels.Valid(l) }

// MarshalText implements [encoding.TextMarshaler].
func (l GuidanceLevel) MarshalText() ([]byte, error) { return levels.MarshalText(l) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (l *GuidanceLevel) UnmarshalText(b []byte) (err error) {
	*l, err = levels.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (l *GuidanceLevel) Scan(src any) (err error) { *l, err = levels.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (l GuidanceLevel) Value() (driver.Value, error) { return levels.Value(l) }

// Guidance is the caseload guidance a report is read against (rule CASE-2).
type Guidance struct {
	// ContactsPerPerson is the typical number of contacts per person.
	ContactsPerPerson Range `json:"contacts_per_person"`
	// PeoplePerYear is the typical caseload of one link worker in a year.
	PeoplePerYear Range `json:"people_per_year"`
}

// Validate reports guidance with a range that [Range.Validate] refuses.
func (g Guidance) Validate() error {
	if err := g.ContactsPerPerson.Validate(); err != nil {
		return fmt.Errorf("contacts per person: %w", err)
	}
	if err := g.PeoplePerYear.Validate(); err != nil {
		return fmt.Errorf("people per year: %w", err)
	}
	return nil
}

// NHSEnglandGuidance returns the NHS England figures: typically 6-12
// contacts per person and a caseload of 200-250 people per link worker per
// year, depending on complexity and the scheme's maturity.
func NHSEnglandGuidance() Guidance {
	return Guidance{ContactsPerPerson: Range{Min: 6, Max: 12}, PeoplePerYear: Range{Min: 200, Max: 250}}
}

// CaseloadReport is a link worker's caseload over a period, read against
// guidance (rule CASE-2). It reports; nothing in the library refuses work
// because of it.
type CaseloadReport struct {
	LinkWorker LinkWorkerID `json:"link_worker"`
	From       time.Time    `json:"from"`
	To         time.Time    `json:"to"`
	Guidance   Guidance     `json:"guidance"`
	// People is the number of distinct people with at least one contact
	// recorded in the period, attended or not.
	People int `json:"people"`
	// Contacts and Attended count the contacts recorded and attended.
	Contacts int `json:"contacts"`
	Attended int `json:"attended"`
	// PeoplePerYear is People scaled from the period to a year of 365.25
	// days, and PeopleLevel places it against the guidance.
	PeoplePerYear float64       `json:"people_per_year"`
	PeopleLevel   GuidanceLevel `json:"people_level"`
	// ContactsPerPerson is the mean number of attended contacts per person,
	// and ContactsLevel places it against the guidance.
	ContactsPerPerson float64       `json:"contacts_per_person"`
	ContactsLevel     GuidanceLevel `json:"contacts_level"`
	// PeopleUnder, PeopleWithin and PeopleOver count people by their own
	// number of attended contacts against the guidance.
	PeopleUnder  int `json:"people_under"`
	PeopleWithin int `json:"people_within"`
	PeopleOver   int `json:"people_over"`
	// WeightedPeople sums each person's weight by the complexity of their
	// needs (rule CPLX-1: the highest complexity among their referrals in
	// the period, weighed by [CaseloadOptions.Weights]);
	// WeightedPeoplePerYear scales it to a year and WeightedLevel places
	// it against the guidance.
	WeightedPeople        float64       `json:"weighted_people"`
	WeightedPeoplePerYear float64       `json:"weighted_people_per_year"`
	WeightedLevel         GuidanceLevel `json:"weighted_level"`
	// NotPreferred counts the contacts made in a mode the person did not
	// prefer (rule PREF-1), among people whose preferences are known.
	NotPreferred int `json:"not_preferred"`
}

// CaseloadOptions is what the caseload report can take into account beside
// contacts: the complexity of each referral's needs (rule CPLX-1) and each
// person's preferred contact modes (rule PREF-1). Both maps may be nil.
type CaseloadOptions struct {
	// Complexity of need by referral; referrals missing count as
	// unassessed.
	Complexity map[ReferralID]Complexity `json:"complexity"`
	// Weights weighs complexity; the zero value means
	// [DefaultComplexityWeights].
	Weights ComplexityWeights `json:"weights"`
	// Preferred contact modes by person; a person missing, or with none,
	// has no known preference and no contact of theirs counts as not
	// preferred.
	Preferred map[PatientID][]ContactMode `json:"preferred"`
}

// Caseload reports link worker lw's caseload over [from, to) from recorded
// contacts; contacts by other link workers or outside the period are
// ignored. A zero Guidance means [NHSEnglandGuidance]. A period that does not
// end after it starts, or whose ends fall outside the years 1 to 9999, is an
// error wrapping [ErrInvalidPeriod]; guidance that [Guidance.Validate]
// refuses is an error wrapping [ErrInvalidGuidance].
func Caseload(lw LinkWorkerID, from, to time.Time, contacts []ContactRecorded, g Guidance) (CaseloadReport, error) {
	return CaseloadWith(lw, from, to, contacts, g, CaseloadOptions{})
}

// CaseloadWith is [Caseload] with the complexity of each referral and each
// person's preferred modes (rules CPLX-1 and PREF-1). Weights that
// [ComplexityWeights.Validate] refuses, and a complexity outside its
// vocabulary, are errors wrapping [ErrInvalidGuidance] and
// [ErrUnknownValue] respectively.
func CaseloadWith(lw LinkWorkerID, from, to time.Time, contacts []ContactRecorded, g Guidance, opt CaseloadOptions) (CaseloadReport, error) {
	if err := opt.Weights.Validate(); err != nil {
		return CaseloadReport{}, err
	}
	for id, c := range opt.Complexity {
		if err := checkMember(complexities, c); err != nil {
			return CaseloadReport{}, fmt.Errorf("referral %s: %w", id, err)
		}
	}
	if err := checkPeriod(from, to); err != nil {
		return CaseloadReport{}, err
	}
	if g == (Guidance{}) {
		g = NHSEnglandGuidance()
	}
	if err := g.Validate(); err != nil {
		return CaseloadReport{}, err
	}
	rep := CaseloadReport{LinkWorker: lw, From: Stamp(from), To: Stamp(to), Guidance: g}

	perPerson := map[PatientID]int{}
	weight := map[PatientID]float64{}
	for i := range contacts {
		c := &contacts[i]
		if c.LinkWorker != lw || c.Contact.At.Before(from) || !c.Contact.At.Before(to) {
			continue
		}
		rep.Contacts++
		if w := opt.Weights.Weight(opt.Complexity[c.Referral]); w > weight[c.Patient] {
			weight[c.Patient] = w
		}
		if pref := opt.Preferred[c.Patient]; len(pref) > 0 && !slices.Contains(pref, c.Contact.Mode) {
			rep.NotPreferred++
		}
		n := perPerson[c.Patient]
		if c.Contact.Attended {
			rep.Attended++
			n++
		}
		perPerson[c.Patient] = n
	}
	rep.People = len(perPerson)
	years := to.Sub(from).Hours() / (24 * 365.25)
	rep.PeoplePerYear = float64(rep.People) / years
	rep.PeopleLevel = g.PeoplePerYear.Level(rep.PeoplePerYear)
	if rep.People > 0 {
		rep.ContactsPerPerson = float64(rep.Attended) / float64(rep.People)
		rep.ContactsLevel = g.ContactsPerPerson.Level(rep.ContactsPerPerson)
	}
	// Summing in patient order keeps the float sum the same on every run.
	for _, p := range slices.SortedFunc(maps.Keys(weight), PatientID.Compare) {
		rep.WeightedPeople += weight[p]
	}
	rep.WeightedPeoplePerYear = rep.WeightedPeople / years
	rep.WeightedLevel = g.PeoplePerYear.Level(rep.WeightedPeoplePerYear)
	// Counting is order-free, so ranging over the map is deterministic.
	for _, n := range perPerson {
		switch g.ContactsPerPerson.Level(float64(n)) {
		case GuidanceLevelUnder:
			rep.PeopleUnder++
		case GuidanceLevelWithin:
			rep.PeopleWithin++
		case GuidanceLevelOver:
			rep.PeopleOver++
		}
	}
	return rep, nil
}

// Summary returns the report in a line:
// "212 people a year (within 200-250), 7.4 contacts each (within 6-12)".
func (r CaseloadReport) Summary() string {
	contacts := "no contacts"
	if r.People > 0 {
		contacts = fmt.Sprintf("%.1f contacts each (%s %g-%g)", r.ContactsPerPerson, r.ContactsLevel,
			r.Guidance.ContactsPerPerson.Min, r.Guidance.ContactsPerPerson.Max)
	}
	return fmt.Sprintf("%.0f people a year (%s %g-%g), %s", r.PeoplePerYear, r.PeopleLevel,
		r.Guidance.PeoplePerYear.Min, r.Guidance.PeoplePerYear.Max, contacts)
}

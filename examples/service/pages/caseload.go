package pages

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/prescribing"
)

// Worker is a member of staff as the pages name them: a link worker or a
// supervisor. The name is staff, not patient, data; it is shown as given
// (escaped), and a blank name falls back to the short form of the ID.
type Worker struct {
	ID   prescribing.LinkWorkerID `json:"id"`
	Name string                   `json:"name"`
}

// label is how a page names the worker.
func (w Worker) label() string {
	if strings.TrimSpace(w.Name) != "" {
		return w.Name
	}
	return "link worker " + short(w.ID.String())
}

// CaseloadOptions is what a caseload page may show beyond the referrals and
// episodes, all optional.
type CaseloadOptions struct {
	// Limits are the service's holding limits (rule HOLD-4); the zero value
	// means the library's defaults.
	Limits holding.Limits `json:"limits"`
	// ShowNames says the viewer may see people's names (their own
	// caseload, with the role allowed it). Without it Patients is not read
	// and the page shows pseudonymous IDs only.
	ShowNames bool `json:"show_names"`
	// Patients gives names when ShowNames is set; a person not in it is
	// shown by ID.
	Patients []prescribing.Patient `json:"-"`
	// Assets gives the names of community assets named in endpoints and
	// follow-ups; an asset not in it is shown by the short form of its ID.
	Assets []prescribing.Asset `json:"-"`
	// FollowUps are the follow-ups of the worker's connections, as the
	// library reports them ([prescribing.Referral.FollowUpsDue], rule
	// FOLLOW-1); the page lists those of the worker that are overdue
	// ([prescribing.FollowUpDue.Overdue]), including those of referrals
	// closed since, as a follow-up often falls due after closure.
	FollowUps []prescribing.FollowUpDue `json:"follow_ups"`
}

// CaseloadView is everything the caseload page shows: one link worker's open
// cases, the people they hold and the reviews and follow-ups that are late.
// Build it with [BuildCaseload]; render it with [RenderCaseload].
type CaseloadView struct {
	Worker string `json:"worker"`
	// At is the moment the page describes, and Date the same as a date.
	At   time.Time `json:"at"`
	Date string    `json:"date"`
	// ShowNames says the viewer may see people's names. When false the page
	// shows each person's pseudonymous ID even if a row carries a name.
	ShowNames bool          `json:"show_names"`
	Cases     []CaseRow     `json:"cases"`
	Holding   []HoldingRow  `json:"holding"`
	Overdue   []OverdueRow  `json:"overdue"`
	Summary   HoldingCounts `json:"summary"`
}

// Person is how a row names the person: their pseudonymous ID, in full and
// short, and their name when the view may show it.
type Person struct {
	ID    string `json:"id"`
	Short string `json:"short"`
	Name  string `json:"name,omitempty"`
}

// CaseRow is one open case: a live referral of the link worker.
type CaseRow struct {
	Referral      string `json:"referral"`
	ReferralShort string `json:"referral_short"`
	Person        Person `json:"person"`
	State         string `json:"state"`
	// DaysOpen is whole days since the referral was received.
	DaysOpen int `json:"days_open"`
	// Holding is true while an open holding episode belongs to the case.
	Holding  bool   `json:"holding"`
	NextStep string `json:"next_step"`
	// Note is the reason the referral is on hold, if it is.
	Note string `json:"note,omitempty"`
}

// HoldingRow is one open holding episode.
type HoldingRow struct {
	Episode       string `json:"episode"`
	EpisodeShort  string `json:"episode_short"`
	ReferralShort string `json:"referral_short,omitempty"`
	Person        Person `json:"person"`
	// Reasons are why the person is held, in the research's words.
	Reasons []string `json:"reasons"`
	// Endpoint says what should happen and by when (rule HOLD-1), Due the
	// date the next review falls due.
	Endpoint string `json:"endpoint"`
	Due      string `json:"due"`
	Days     int    `json:"days"`
	Class    string `json:"class"`
	// Overdue: past the endpoint without the review that must end or
	// extend it; AtRisk: at risk of indefinite holding (rule HOLD-4).
	Overdue bool `json:"overdue"`
	AtRisk  bool `json:"at_risk"`
	// Extensions counts the extensions so far, Stalled those in a row
	// without readiness or confidence rising.
	Extensions int `json:"extensions"`
	Stalled    int `json:"stalled"`
}

// OverdueRow is one late review of a holding episode or follow-up of a
// connection.
type OverdueRow struct {
	Kind          string `json:"kind"`
	ReferralShort string `json:"referral_short,omitempty"`
	Person        Person `json:"person"`
	What          string `json:"what"`
	Due           string `json:"due"`
	DaysLate      int    `json:"days_late"`
}

// HoldingCounts are the caseload's totals, for the page's summary line.
type HoldingCounts struct {
	OpenCases int `json:"open_cases"`
	Holding   int `json:"holding"`
	Overdue   int `json:"overdue"`
	AtRisk    int `json:"at_risk"`
}

// dateLayout is how the pages write dates: "4 Nov 2026".
const dateLayout = "2 Jan 2006"

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

// short is the short form of an ID the pages show: its first eight
// characters.
func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// days is whole days from a to b, never negative.
func days(a, b time.Time) int {
	if !b.After(a) {
		return 0
	}
	return int(b.Sub(a) / (24 * time.Hour))
}

// BuildCaseload builds link worker worker's caseload page at time at from
// the referrals and holding episodes the service holds; records of other
// link workers are left out, so a caller may pass more than one worker's.
// Open cases are the worker's live referrals, oldest first; holding
// episodes are the worker's open ones, overdue and at-risk first, then by
// due date; the late list holds holding episodes past their due date
// (rule HOLD-4) and follow-ups not done by theirs (FOLLOW-1), most late
// first. Names appear only with [CaseloadOptions.ShowNames].
func BuildCaseload(worker Worker, referrals []prescribing.Referral, episodes []holding.Episode, at time.Time, opt CaseloadOptions) CaseloadView {
	v := CaseloadView{Worker: worker.label(), At: at.UTC(), Date: date(at), ShowNames: opt.ShowNames}
	person := personNamer(opt)
	assetName := assetNamer(opt.Assets)

	held := map[prescribing.ReferralID]bool{}
	for i := range episodes {
		ep := &episodes[i]
		if ep.LinkWorker() != worker.ID || !ep.Open() || ep.ID().IsZero() {
			continue
		}
		if !ep.Referral().IsZero() {
			held[ep.Referral()] = true
		}
		row := holdingRow(ep, at, opt.Limits, person, assetName)
		v.Holding = append(v.Holding, row)
		if row.Overdue {
			v.Summary.Overdue++
			v.Overdue = append(v.Overdue, OverdueRow{
				Kind: "Holding review", ReferralShort: row.ReferralShort, Person: row.Person,
				What: "Review at the endpoint: end or extend (" + row.Endpoint + ")",
				Due:  row.Due, DaysLate: days(ep.Due(), at),
			})
		}
		if row.AtRisk {
			v.Summary.AtRisk++
		}
	}
	v.Summary.Holding = len(v.Holding)
	slices.SortStableFunc(v.Holding, func(a, b HoldingRow) int {
		if c := cmpTrueFirst(a.Overdue, b.Overdue); c != 0 {
			return c
		}
		if c := cmpTrueFirst(a.AtRisk, b.AtRisk); c != 0 {
			return c
		}
		return cmp.Compare(b.Days, a.Days)
	})

	for i := range referrals {
		r := &referrals[i]
		if r.LinkWorker() != worker.ID || !r.State().IsLive() || r.ID().IsZero() {
			continue
		}
		id := r.ID().String()
		row := CaseRow{
			Referral: id, ReferralShort: short(id), Person: person(r.Patient()),
			State: r.State().String(), DaysOpen: days(r.ReceivedAt(), at), Holding: held[r.ID()],
		}
		row.NextStep = nextStep(r, row.Holding)
		if r.State() == prescribing.StateOnHold {
			row.Note = r.Reason()
		}
		v.Cases = append(v.Cases, row)
	}
	v.Summary.OpenCases = len(v.Cases)
	slices.SortStableFunc(v.Cases, func(a, b CaseRow) int {
		if c := cmp.Compare(b.DaysOpen, a.DaysOpen); c != 0 {
			return c
		}
		return strings.Compare(a.Referral, b.Referral)
	})

	for _, f := range opt.FollowUps {
		if f.LinkWorker != worker.ID || !f.Overdue(at) {
			continue
		}
		v.Overdue = append(v.Overdue, OverdueRow{
			Kind: "Follow-up", ReferralShort: short(f.Referral.String()), Person: person(f.Patient),
			What: "Follow up the connection to " + assetName(f.Asset) + ": did they go, did it help",
			Due:  date(f.Due), DaysLate: days(f.Due, at),
		})
	}
	slices.SortStableFunc(v.Overdue, func(a, b OverdueRow) int { return cmp.Compare(b.DaysLate, a.DaysLate) })
	return v
}

func cmpTrueFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	default:
		return 1
	}
}

func holdingRow(ep *holding.Episode, at time.Time, lim holding.Limits, person func(prescribing.PatientID) Person, assetName func(prescribing.AssetID) string) HoldingRow {
	id := ep.ID().String()
	row := HoldingRow{
		Episode: id, EpisodeShort: short(id), Person: person(ep.Patient()),
		Due: date(ep.Due()), Days: days(ep.Started(), at), Class: ep.Class().String(),
		Overdue: ep.Overdue(at), AtRisk: ep.AtRisk(lim),
		Extensions: ep.Extensions(), Stalled: ep.StalledExtensions(),
	}
	if !ep.Referral().IsZero() {
		row.ReferralShort = short(ep.Referral().String())
	}
	need, _ := ep.Need()
	for _, r := range ep.Reasons().List() {
		text := ReasonText(r)
		if r == holding.ReasonLackOfProvision && need.IsValid() {
			text += " (" + strings.ReplaceAll(need.String(), "_", " ") + ")"
		}
		row.Reasons = append(row.Reasons, text)
	}
	ept := ep.Endpoint()
	plan := PlanText(ept.Plan)
	if ept.Plan == holding.EndpointPlanConnect {
		if ept.Asset.IsZero() {
			plan += " community support"
		} else {
			plan += " " + assetName(ept.Asset)
		}
	}
	if ept.Open {
		row.Endpoint = plan + ", open endpoint signed off by " + ep.SignOff().Supervisor
	} else {
		row.Endpoint = plan + " by " + date(ept.At)
	}
	return row
}

// nextStep says what the link worker does next with a live referral.
func nextStep(r *prescribing.Referral, held bool) string {
	switch r.State() {
	case prescribing.StateReceived:
		return "Accept or reject the referral"
	case prescribing.StateAccepted:
		return "Make first contact"
	case prescribing.StateContacted:
		return "Hold the \u201cwhat matters to me\u201d conversation and agree a plan"
	case prescribing.StateInSupport:
		if held {
			return "Holding: review at the endpoint"
		}
		return "Connect to community support"
	case prescribing.StateConnected:
		return "Follow up the connection, then close with the message back"
	case prescribing.StateOnHold:
		return "Resume when the reason for the hold has passed"
	}
	return ""
}

// personNamer returns how rows name a person: by pseudonymous ID, with the
// name only when the options allow it.
func personNamer(opt CaseloadOptions) func(prescribing.PatientID) Person {
	names := map[prescribing.PatientID]string{}
	if opt.ShowNames {
		for i := range opt.Patients {
			p := &opt.Patients[i]
			d := p.Details()
			if n := strings.TrimSpace(d.GivenName + " " + d.FamilyName); n != "" {
				names[p.ID()] = n
			}
		}
	}
	return func(id prescribing.PatientID) Person {
		s := id.String()
		return Person{ID: s, Short: short(s), Name: names[id]}
	}
}

// assetNamer returns how pages name a community asset.
func assetNamer(assets []prescribing.Asset) func(prescribing.AssetID) string {
	names := map[prescribing.AssetID]string{}
	for i := range assets {
		names[assets[i].ID()] = assets[i].Name()
	}
	return func(id prescribing.AssetID) string {
		if n := strings.TrimSpace(names[id]); n != "" {
			return n
		}
		return "asset " + short(id.String())
	}
}

// ReasonText is a holding reason in the research's words ("a lack of
// community provision").
func ReasonText(r holding.Reason) string {
	switch r {
	case holding.ReasonLackOfProvision:
		return "Lack of community provision"
	case holding.ReasonAwaitingReadiness:
		return "Waiting until ready"
	case holding.ReasonProtectingStaff:
		return "Protecting healthcare staff"
	case holding.ReasonUnfixableProblems:
		return "Problems that cannot be fixed"
	}
	return r.String()
}

// PlanText is an endpoint plan in words ("Connect to").
func PlanText(p holding.EndpointPlan) string {
	switch p {
	case holding.EndpointPlanConnect:
		return "Connect to"
	case holding.EndpointPlanReadinessMilestone:
		return "Readiness milestone"
	case holding.EndpointPlanReview:
		return "Review whether to go on"
	case holding.EndpointPlanDischarge:
		return "Discharge"
	}
	return p.String()
}

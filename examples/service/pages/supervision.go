package pages

import (
	"fmt"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
)

// SupervisionOptions are the service's settings the supervision page reads
// against, all optional.
type SupervisionOptions struct {
	// Limits are the holding limits (rule HOLD-4); zero means the defaults.
	Limits holding.Limits `json:"limits"`
	// Threshold is when a liminal spell is prolonged (rule LIM-3); zero
	// means the default of six months.
	Threshold liminality.Threshold `json:"threshold"`
	// Supervisions are the link workers' supervision records (rule
	// SUP-1); those of workers outside the team are left out. A worker
	// without one reads "not agreed".
	Supervisions []liminality.Supervision `json:"supervisions"`
}

// SupervisionView is everything the supervision page shows: for each link
// worker in a supervisor's team, their holding load, episodes at risk, the
// phase of their passage into the role and the support still missing. It
// holds no patient data. Build it with [BuildSupervision]; render it with
// [RenderSupervision].
type SupervisionView struct {
	Supervisor string    `json:"supervisor"`
	At         time.Time `json:"at"`
	Date       string    `json:"date"`
	// ThresholdMonths is how long a liminal spell may last before it is
	// prolonged.
	ThresholdMonths int         `json:"threshold_months"`
	Workers         []WorkerRow `json:"workers"`
	// Prolonged and AtRisk count the workers in a prolonged liminal spell
	// and the episodes at risk across the team, SupervisionOverdue the
	// workers whose supervision session is overdue.
	Prolonged          int `json:"prolonged"`
	AtRisk             int `json:"at_risk"`
	SupervisionOverdue int `json:"supervision_overdue"`
}

// WorkerRow is one link worker of the team.
type WorkerRow struct {
	Name  string `json:"name"`
	Short string `json:"short"`
	// OpenCases counts the worker's live referrals, Holding their open
	// holding episodes, and HoldingLoad the share of open cases in holding
	// as a percentage ("40%"; "–" without open cases).
	OpenCases   int    `json:"open_cases"`
	Holding     int    `json:"holding"`
	HoldingLoad string `json:"holding_load"`
	// AtRisk counts episodes at risk of indefinite holding, Overdue those
	// past their endpoint without a review (rule HOLD-4).
	AtRisk  int `json:"at_risk"`
	Overdue int `json:"overdue"`
	// Phase is the worker's phase ("liminal"), Since when it began, and
	// Prolonged whether a liminal spell has lasted past the threshold
	// (rule LIM-3); Phase is "not recorded" without a journey.
	Phase     string `json:"phase"`
	Since     string `json:"since"`
	Prolonged bool   `json:"prolonged"`
	// Missing are the themes of liminality present with no support
	// recorded against them (rule LIM-2), in words.
	Missing []string `json:"missing"`
	// Supervision is the worker's supervision in words ("every 28 days,
	// next due 1 Oct 2026"; "not agreed"; "ended 1 Oct 2026"), and
	// SupervisionOverdue whether its next session is overdue (rule SUP-1).
	Supervision        string `json:"supervision"`
	SupervisionOverdue bool   `json:"supervision_overdue"`
}

// BuildSupervision builds a supervisor's page for their team at time at.
// Every worker in team gets a row, in the order given; referrals, episodes
// and journeys of workers outside the team are left out, so a caller may
// pass the whole service's. Holding figures come from [holding.Summarise]
// with each worker's live referrals as their caseload (rule HOLD-7).
func BuildSupervision(supervisor Worker, team []Worker, referrals []prescribing.Referral, episodes []holding.Episode, journeys []liminality.Journey, at time.Time, opt SupervisionOptions) SupervisionView {
	months := opt.Threshold.Months
	if months <= 0 {
		months = liminality.DefaultProlongedMonths
	}
	v := SupervisionView{Supervisor: supervisor.label(), At: at.UTC(), Date: date(at), ThresholdMonths: months}

	inTeam := map[prescribing.LinkWorkerID]bool{}
	for _, w := range team {
		inTeam[w.ID] = true
	}
	caseloads := map[prescribing.LinkWorkerID]int{}
	for i := range referrals {
		r := &referrals[i]
		if inTeam[r.LinkWorker()] && r.State().IsLive() {
			caseloads[r.LinkWorker()]++
		}
	}
	var ours []holding.Episode
	for i := range episodes {
		if inTeam[episodes[i].LinkWorker()] {
			ours = append(ours, episodes[i])
		}
	}
	summaries := map[prescribing.LinkWorkerID]holding.Summary{}
	for _, s := range holding.Summarise(ours, at, caseloads, opt.Limits) {
		summaries[s.LinkWorker] = s
	}
	journey := map[prescribing.LinkWorkerID]*liminality.Journey{}
	for i := range journeys {
		j := &journeys[i]
		if inTeam[j.LinkWorker()] {
			journey[j.LinkWorker()] = j
		}
	}
	supervision := map[prescribing.LinkWorkerID]*liminality.Supervision{}
	for i := range opt.Supervisions {
		s := &opt.Supervisions[i]
		if inTeam[s.LinkWorker()] {
			supervision[s.LinkWorker()] = s
		}
	}

	for _, w := range team {
		s := summaries[w.ID]
		row := WorkerRow{
			Name: w.label(), Short: short(w.ID.String()),
			OpenCases: caseloads[w.ID], Holding: s.Open, AtRisk: s.AtRisk, Overdue: s.Overdue,
			HoldingLoad: "\u2013", Phase: "not recorded",
		}
		if row.OpenCases > 0 {
			row.HoldingLoad = fmt.Sprintf("%.0f%%", 100*s.HoldingLoad)
		}
		if j, ok := journey[w.ID]; ok {
			phase, since := j.Phase()
			row.Phase, row.Since = phase.String(), date(since)
			row.Prolonged = j.Prolonged(at, opt.Threshold)
			for _, t := range j.Missing().List() {
				row.Missing = append(row.Missing, ThemeText(t))
			}
		}
		row.Supervision = "not agreed"
		if sv, ok := supervision[w.ID]; ok {
			if end, ended := sv.Ended(); ended {
				row.Supervision = "ended " + date(end)
			} else {
				row.Supervision = fmt.Sprintf("every %d days, next due %s", sv.EveryDays(), date(sv.Due()))
				row.SupervisionOverdue = sv.Overdue(at)
			}
		}
		if row.Prolonged {
			v.Prolonged++
		}
		if row.SupervisionOverdue {
			v.SupervisionOverdue++
		}
		v.AtRisk += row.AtRisk
		v.Workers = append(v.Workers, row)
	}
	return v
}

// ThemeText is a theme of liminality in words ("Ambiguity about the role").
func ThemeText(t liminality.Theme) string {
	switch t {
	case liminality.ThemeDisconnection:
		return "Disconnection through place and space"
	case liminality.ThemeAmbiguity:
		return "Ambiguity about the role"
	case liminality.ThemeMisalignment:
		return "Job misalignment"
	case liminality.ThemeInstability:
		return "Instability of career and role"
	}
	return strings.TrimSpace(t.String())
}

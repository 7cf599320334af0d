package prescribing

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// ReachGroup is one group of people in a [ReachReport]: how many of the
// people referred in the group were seen.
type ReachGroup struct {
	// Group is the group's label as the caller gave it; empty for people
	// whose group is not known.
	Group string `json:"group"`
	// Referred counts the people of the population in the group, and
	// Seen those of them with at least one attended contact in the period.
	Referred int `json:"referred"`
	Seen     int `json:"seen"`
	// Share is Seen over Referred, 0 for a group with no one referred.
	Share float64 `json:"share"`
}

// ReachReport says whom a link worker, or a whole service, reaches (rule
// PREF-1): the people seen in a period, grouped by an attribute the caller
// chooses (a language, a community, the complexity of need...), against
// the population referred. Like the caseload report it reports; nothing
// refuses work because of it. It names groups, never people.
type ReachReport struct {
	// LinkWorker is the link worker reported on; zero for the whole
	// service.
	LinkWorker LinkWorkerID `json:"link_worker,omitzero"`
	From       time.Time    `json:"from"`
	To         time.Time    `json:"to"`
	// Groups are the groups of the population, by label, the group not
	// known (empty label) last.
	Groups []ReachGroup `json:"groups"`
	// Referred and Seen total the groups.
	Referred int `json:"referred"`
	Seen     int `json:"seen"`
	// SeenOutside counts people seen in the period who are not in the
	// population given: they are in no group.
	SeenOutside int `json:"seen_outside"`
}

// ReachByGroup reports whom link worker lw reached over [from, to), or
// the whole service with a zero lw (rule PREF-1). population maps each
// person referred (the caller decides which referrals count, typically
// those received in the period, and for one link worker those allocated
// to them) to their group under the attribute the caller chooses, for
// example their first language ([LanguageGroups]), their community
// ([CommunityGroups]) or the complexity of their needs
// ([ComplexityGroups]); an empty label means the group is not known. A
// person is seen when at least one attended contact of theirs by lw (by
// anyone for the service) falls in the period.
//
// A period that does not end after it starts, or whose ends fall outside
// the years 1 to 9999, is an error wrapping [ErrInvalidPeriod]; a label
// [CheckText] refuses one wrapping [ErrInvalidText]. Errors quote no
// label. contacts and population are read, never changed.
func ReachByGroup(lw LinkWorkerID, from, to time.Time, contacts []ContactRecorded, population map[PatientID]string) (ReachReport, error) {
	if err := checkPeriod(from, to); err != nil {
		return ReachReport{}, err
	}
	groups := map[string]*ReachGroup{}
	for p, g := range population {
		if err := CheckText("a group's label", g); err != nil {
			return ReachReport{}, fmt.Errorf("patient %s: %w", p, err)
		}
		if groups[g] == nil {
			groups[g] = &ReachGroup{Group: g}
		}
		groups[g].Referred++
	}
	seen := map[PatientID]bool{}
	for i := range contacts {
		c := &contacts[i]
		if (!lw.IsZero() && c.LinkWorker != lw) || !c.Contact.Attended ||
			c.Contact.At.Before(from) || !c.Contact.At.Before(to) {
			continue
		}
		seen[c.Patient] = true
	}
	rep := ReachReport{LinkWorker: lw, From: Stamp(from), To: Stamp(to), Groups: []ReachGroup{}}
	// Counting is order-free, so ranging over the map is deterministic.
	for p := range seen {
		g, ok := population[p]
		if !ok {
			rep.SeenOutside++
			continue
		}
		groups[g].Seen++
	}
	labels := slices.SortedFunc(maps.Keys(groups), func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "":
			return 1
		case b == "":
			return -1
		}
		return strings.Compare(a, b)
	})
	for _, l := range labels {
		g := *groups[l]
		if g.Referred > 0 {
			g.Share = float64(g.Seen) / float64(g.Referred)
		}
		rep.Referred += g.Referred
		rep.Seen += g.Seen
		rep.Groups = append(rep.Groups, g)
	}
	return rep, nil
}

// Summary returns the report in a line, groups in report order:
// "12 of 20 referred seen; pl 3 of 8, ur 9 of 12, not known 0 of 0".
func (r ReachReport) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d referred seen", r.Seen, r.Referred)
	for i, g := range r.Groups {
		sep := ", "
		if i == 0 {
			sep = "; "
		}
		label := g.Group
		if label == "" {
			label = "not known"
		}
		fmt.Fprintf(&b, "%s%s %d of %d", sep, label, g.Seen, g.Referred)
	}
	if r.SeenOutside > 0 {
		fmt.Fprintf(&b, "; %d seen outside the population", r.SeenOutside)
	}
	return b.String()
}

// LanguageGroups returns each person's group by language, for
// [ReachByGroup]: the first of their preferred languages
// ([Preferences.Languages]), or empty when none is known. Records with no
// ID are left out.
func LanguageGroups(patients []Patient) map[PatientID]string {
	return groupPatients(patients, func(p Preferences) string {
		if len(p.Languages) == 0 {
			return ""
		}
		return p.Languages[0]
	})
}

// CommunityGroups returns each person's group by community, for
// [ReachByGroup]: the community they said they belong to
// ([Preferences.Community]), or empty when not known. Records with no ID
// are left out.
func CommunityGroups(patients []Patient) map[PatientID]string {
	return groupPatients(patients, func(p Preferences) string { return p.Community })
}

func groupPatients(patients []Patient, group func(Preferences) string) map[PatientID]string {
	out := make(map[PatientID]string, len(patients))
	for i := range patients {
		if p := &patients[i]; !p.id.IsZero() {
			out[p.id] = group(p.prefs)
		}
	}
	return out
}

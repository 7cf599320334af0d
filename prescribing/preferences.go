package prescribing

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Preferences are a person's preferred contact modes, languages and
// community (rule PREF-1). The caseload report counts contacts made in a
// mode the person did not prefer ([CaseloadWith]); matching a person to a
// link worker uses the languages and the community ([MatchLinkWorkers]),
// and the reach report can group people by either ([ReachByGroup]).
type Preferences struct {
	// Modes are the contact modes the person prefers, in the order given;
	// none means no preference is known.
	Modes []ContactMode `json:"modes,omitempty"`
	// Languages are language tags ("en", "pl", "ur"), as assets list
	// theirs.
	Languages []string `json:"languages,omitempty"`
	// Community is the community the person says they belong to, if they
	// say, as assets and link workers name communities ("Polish"); empty
	// when not known.
	Community string `json:"community,omitempty"`
}

// Validate reports a mode outside its vocabulary ([ErrUnknownValue]), a
// mode or language given twice, a blank language or a community of only
// white space ([ErrInvalidRecord]), and a language or community
// [CheckText] refuses ([ErrInvalidText]).
func (p Preferences) Validate() error {
	for i, m := range p.Modes {
		if err := checkMember(contactModes, m); err != nil {
			return fmt.Errorf("preferred mode %d: %w", i+1, err)
		}
		if slices.Contains(p.Modes[:i], m) {
			return fmt.Errorf("%w: preferred mode %s given twice (PREF-1)", ErrInvalidRecord, m)
		}
	}
	if err := checkTags("a preferred language", p.Languages); err != nil {
		return err
	}
	if err := CheckText("the person's community", p.Community); err != nil {
		return err
	}
	if p.Community != "" && IsBlank(p.Community) {
		return fmt.Errorf("%w: the person's community is blank (PREF-1)", ErrInvalidRecord)
	}
	return nil
}

// checkTags checks a list of tags (languages, communities): valid text,
// not blank, none twice. Errors do not quote the tags.
func checkTags(what string, langs []string) error {
	for i, l := range langs {
		if err := CheckText(what, l); err != nil {
			return err
		}
		if IsBlank(l) {
			return fmt.Errorf("%w: %s %d is blank (PREF-1)", ErrInvalidRecord, what, i+1)
		}
		if slices.Contains(langs[:i], l) {
			return fmt.Errorf("%w: %s %d is given twice (PREF-1)", ErrInvalidRecord, what, i+1)
		}
	}
	return nil
}

func (p Preferences) clone() Preferences {
	return Preferences{Modes: cloneList(p.Modes), Languages: cloneList(p.Languages), Community: p.Community}
}

// Prefers reports whether mode m is one the person prefers; with no
// preference known every mode is.
func (p Preferences) Prefers(m ContactMode) bool {
	return len(p.Modes) == 0 || slices.Contains(p.Modes, m)
}

// PatientPreferencesRecorded records a person's preferences, replacing
// those recorded before (rule PREF-1).
type PatientPreferencesRecorded struct {
	Patient     PatientID   `json:"patient"`
	Preferences Preferences `json:"preferences"`
	At          time.Time   `json:"at"`
}

// EventType returns "patient.preferences_recorded".
func (PatientPreferencesRecorded) EventType() string { return "patient.preferences_recorded" }

// EventTime returns e.At.
func (e PatientPreferencesRecorded) EventTime() time.Time { return e.At }

// EventStream returns the patient stream of the patient.
func (e PatientPreferencesRecorded) EventStream() Stream {
	return StreamOf(StreamKindPatient, e.Patient)
}

// RecordPreferences records the person's preferred contact modes and
// languages (rule PREF-1), replacing those recorded before. Preferences
// that [Preferences.Validate] refuses, an anonymised record
// ([ErrAnonymised]) and a time [CheckTime] refuses are refused with the
// zero event.
func (p *Patient) RecordPreferences(at time.Time, prefs Preferences) (PatientPreferencesRecorded, error) {
	e := PatientPreferencesRecorded{Patient: p.id, Preferences: prefs.clone(), At: Stamp(at)}
	if err := p.applyPreferences(e); err != nil {
		return PatientPreferencesRecorded{}, err
	}
	return e, nil
}

// Preferences returns the person's preferences, a copy of the record's.
func (p *Patient) Preferences() Preferences { return p.prefs.clone() }

func (p *Patient) applyPreferences(e PatientPreferencesRecorded) error {
	if err := checkRecordChange(p.id, e.Patient, "patient", p.updatedAt, e.At); err != nil {
		return err
	}
	if p.IsAnonymised() {
		return fmt.Errorf("patient %s: %w", p.id, ErrAnonymised)
	}
	if err := e.Preferences.Validate(); err != nil {
		return fmt.Errorf("patient %s: %w", p.id, err)
	}
	p.prefs, p.updatedAt = e.Preferences.clone(), e.At
	p.events++
	return nil
}

// LinkWorkersSpeaking returns the link workers who speak at least one of
// the person's languages (rule PREF-1), most languages in common first,
// then in the order given, comparing tags exactly. With no language known
// for the person it returns nil: there is nothing to match on.
// [MatchLinkWorkers] matches on the community too, and says why.
func LinkWorkersSpeaking(prefs Preferences, workers []LinkWorker) []LinkWorkerID {
	if len(prefs.Languages) == 0 {
		return nil
	}
	type scored struct {
		id     LinkWorkerID
		shared int
	}
	var out []scored
	for i := range workers {
		n := 0
		for _, l := range workers[i].details.Languages {
			if slices.Contains(prefs.Languages, l) {
				n++
			}
		}
		if n > 0 {
			out = append(out, scored{workers[i].id, n})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int { return b.shared - a.shared })
	ids := make([]LinkWorkerID, len(out))
	for i, s := range out {
		ids[i] = s.id
	}
	return ids
}

// LinkWorkerMatch is one link worker matching offers a person, with why
// (rule PREF-1).
type LinkWorkerMatch struct {
	LinkWorker LinkWorkerID `json:"link_worker"`
	// Languages are the person's languages the link worker speaks, in the
	// person's order.
	Languages []string `json:"languages,omitempty"`
	// Community is true when the link worker belongs to or serves the
	// person's community.
	Community bool `json:"community"`
}

// Explain returns one line on the match, naming the languages in common
// but not the community: "link worker <id>: speaks pl, en; shares the
// person's community".
func (m LinkWorkerMatch) Explain() string {
	langs := "speaks none of the person's languages"
	if len(m.Languages) > 0 {
		langs = "speaks " + strings.Join(m.Languages, ", ")
	}
	community := "no community in common"
	if m.Community {
		community = "shares the person's community"
	}
	return "link worker " + m.LinkWorker.String() + ": " + langs + "; " + community
}

// MatchLinkWorkers matches a person to link workers by cultural fit (rule
// PREF-1): the link workers who speak at least one of the person's
// languages or belong to or serve their community, those with most
// languages in common first, then those who share the community, then in
// the order given. Tags are compared as matching assets compares them
// ([MatchAssets]): ignoring case and surrounding space. With neither a
// language nor a community known for the person it returns nil: there is
// nothing to match on. Preferences that [Preferences.Validate] refuses are
// an error. workers is read, never changed.
func MatchLinkWorkers(prefs Preferences, workers []LinkWorker) ([]LinkWorkerMatch, error) {
	if err := prefs.Validate(); err != nil {
		return nil, err
	}
	if len(prefs.Languages) == 0 && prefs.Community == "" {
		return nil, nil
	}
	var out []LinkWorkerMatch
	for i := range workers {
		d := &workers[i].details
		m := LinkWorkerMatch{LinkWorker: workers[i].id}
		for _, l := range prefs.Languages {
			if sharesTag(d.Languages, []string{l}) {
				m.Languages = append(m.Languages, l)
			}
		}
		m.Community = prefs.Community != "" && sharesTag(d.Communities, []string{prefs.Community})
		if len(m.Languages) > 0 || m.Community {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b LinkWorkerMatch) int {
		if d := len(b.Languages) - len(a.Languages); d != 0 {
			return d
		}
		switch {
		case a.Community == b.Community:
			return 0
		case a.Community:
			return -1
		default:
			return 1
		}
	})
	return out, nil
}

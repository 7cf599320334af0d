package prescribing

import (
	"fmt"
	"slices"
	"time"
)

// Preferences are a person's preferred contact modes and languages (rule
// PREF-1). The caseload report counts contacts made in a mode the person
// did not prefer ([CaseloadWith]); matching a person to a link worker uses
// the languages ([LinkWorkersSpeaking]).
type Preferences struct {
	// Modes are the contact modes the person prefers, in the order given;
	// none means no preference is known.
	Modes []ContactMode `json:"modes,omitempty"`
	// Languages are language tags ("en", "pl", "ur"), as assets list
	// theirs.
	Languages []string `json:"languages,omitempty"`
}

// Validate reports a mode outside its vocabulary ([ErrUnknownValue]), a
// mode or language given twice or a blank language ([ErrInvalidRecord]),
// and a language [CheckText] refuses.
func (p Preferences) Validate() error {
	for i, m := range p.Modes {
		if err := checkMember(contactModes, m); err != nil {
			return fmt.Errorf("preferred mode %d: %w", i+1, err)
		}
		if slices.Contains(p.Modes[:i], m) {
			return fmt.Errorf("%w: preferred mode %s given twice (PREF-1)", ErrInvalidRecord, m)
		}
	}
	return checkLanguages("a preferred language", p.Languages)
}

// checkLanguages checks a list of language tags: valid text, not blank,
// none twice. Errors do not quote the tags.
func checkLanguages(what string, langs []string) error {
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
	return Preferences{Modes: cloneList(p.Modes), Languages: cloneList(p.Languages)}
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
	if err := p.checkChange(e.Patient, e.At); err != nil {
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
// then in the order given. With no language known for the person it
// returns nil: there is nothing to match on.
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

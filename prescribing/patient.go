package prescribing

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// ErrAnonymised reports a change to a patient record that has been
// anonymised: its identifying details cannot be set again.
var ErrAnonymised = errors.New("patient record is anonymised")

// Patient is the person supported. The record keeps a pseudonymous [PatientID],
// the registered practice and the [PersonalDetails] that identify them.
//
// Personal details never appear in String, fmt or slog output (rule PRIV-1):
// a Patient prints as "patient <id> (NHS *** *** *919)". [Patient.Details] is
// the explicit export. [Patient.Anonymise] clears the details for good while
// keeping the ID and the non-identifying history (rule PRIV-2).
//
// Make one with [RegisterPatient]; rebuild one by replaying its stream
// ([Patient.Stream]) into a zero Patient, as for every [StreamRecord]. A Patient is plain data: safe to copy, not to mutate concurrently.
// Its only lists are its preferences (rule PREF-1), which it never writes
// into but replaces whole, so copies share nothing either can change.
//
// fmt cannot redact a Patient it prints by reflection: one in an unexported
// field of the caller's struct, or one printed with %p (see the package
// documentation for the safe ways to hold one).
type Patient struct {
	id           PatientID
	practice     PracticeID
	details      PersonalDetails
	registeredAt time.Time
	updatedAt    time.Time
	anonymisedAt time.Time
	riskAssessed time.Time
	prefs        Preferences
	events       int32
}

// RegisterPatient records a new patient registered at practice. The ID must
// not be zero; details may be partly or wholly unknown.
//
// The date of birth is normalised to midnight UTC of the calendar date the
// caller's value has in its own location ([CalendarDate]), so a date made in
// any zone is stored and replayed as the same date. A date of birth outside
// the years 1 to 9999 (error wrapping [ErrTimeOutOfRange]) or after the day
// of registration ([ErrInvalidPersonalDetails]), text failing [CheckText]
// ([ErrInvalidText]) and a time the codec cannot carry are refused; a
// refusal returns the zero Patient and event. No error holds the details.
func RegisterPatient(id PatientID, practice PracticeID, details PersonalDetails, at time.Time) (Patient, PatientRegistered, error) {
	e := PatientRegistered{Patient: id, Practice: practice, Details: details.normalised(), At: Stamp(at)}
	var p Patient
	if err := p.Apply(e); err != nil {
		return Patient{}, PatientRegistered{}, err
	}
	return p, e, nil
}

// ID returns the patient's pseudonymous ID.
func (p *Patient) ID() PatientID { return p.id }

// Stream returns the patient's stream (kind patient, the patient's ID), or
// the zero Stream before registration.
func (p *Patient) Stream() Stream { return recordStream(StreamKindPatient, p.id) }

// Version returns how many events the record has applied, its
// registration included.
func (p *Patient) Version() int { return int(p.events) }

// Practice returns the practice the patient is registered with.
func (p *Patient) Practice() PracticeID { return p.practice }

// Details returns the identifying details: an explicit export of personal data.
// After anonymisation it is the zero value.
func (p *Patient) Details() PersonalDetails { return p.details }

// RegisteredAt returns when the patient was registered.
func (p *Patient) RegisteredAt() time.Time { return p.registeredAt }

// IsAnonymised reports whether the record has been anonymised.
func (p *Patient) IsAnonymised() bool { return !p.anonymisedAt.IsZero() }

// AnonymisedAt returns when the record was anonymised, or the zero time.
func (p *Patient) AnonymisedAt() time.Time { return p.anonymisedAt }

// RiskAssessedAt returns when the person's latest risk assessment was
// recorded, or the zero time. Home visits need a current one (rule CASE-3):
// copy it into [Contact.RiskAssessedAt].
func (p *Patient) RiskAssessedAt() time.Time { return p.riskAssessed }

// RecordRiskAssessment records that link worker by assessed the risks of
// working with the person (for home visits, rule CASE-3). The assessment's
// content stays in the caller's records; only its time and author are kept
// here.
func (p *Patient) RecordRiskAssessment(at time.Time, by LinkWorkerID) (RiskAssessed, error) {
	e := RiskAssessed{Patient: p.id, By: by, At: Stamp(at)}
	if err := p.Apply(e); err != nil {
		return RiskAssessed{}, err
	}
	return e, nil
}

// UpdateDetails replaces the identifying details. The date of birth is
// normalised and checked as [RegisterPatient] does, against the time of
// registration; on refusal the record is unchanged and the event is zero.
func (p *Patient) UpdateDetails(details PersonalDetails, at time.Time) (PatientDetailsChanged, error) {
	e := PatientDetailsChanged{Patient: p.id, Details: details.normalised(), At: Stamp(at)}
	if err := p.Apply(e); err != nil {
		return PatientDetailsChanged{}, err
	}
	return e, nil
}

// Anonymise clears the identifying details for good (rule PRIV-2). The ID,
// practice and registration time stay, so referrals and other history keyed
// by the ID keep their meaning without identifying the person. Events
// recorded before it still hold the details: pass the stream through
// [ErasePersonalDetails] before keeping it.
func (p *Patient) Anonymise(at time.Time) (PatientAnonymised, error) {
	e := PatientAnonymised{Patient: p.id, At: Stamp(at)}
	if err := p.Apply(e); err != nil {
		return PatientAnonymised{}, err
	}
	return e, nil
}

// Apply applies one of the patient events, checking it as the live
// operation would; on error the record is unchanged. A date of birth must
// already be a calendar date at midnight UTC: Apply checks, it never
// normalises.
func (p *Patient) Apply(e Event) error {
	switch e := e.(type) {
	case PatientRegistered:
		if err := checkCreation(p.id, e.Patient, "patient", e.At); err != nil {
			return err
		}
		if err := e.Details.check(e.At); err != nil {
			return fmt.Errorf("patient %s: %w", e.Patient, err)
		}
		*p = Patient{id: e.Patient, practice: e.Practice, details: e.Details, registeredAt: e.At, updatedAt: e.At, events: 1}
		return nil
	case PatientDetailsChanged:
		if err := checkRecordChange(p.id, e.Patient, "patient", p.updatedAt, e.At); err != nil {
			return err
		}
		if p.IsAnonymised() {
			return fmt.Errorf("patient %s: %w", p.id, ErrAnonymised)
		}
		if err := e.Details.check(p.registeredAt); err != nil {
			return fmt.Errorf("patient %s: %w", p.id, err)
		}
		p.details, p.updatedAt = e.Details, e.At
		p.events++
		return nil
	case PatientAnonymised:
		if err := checkRecordChange(p.id, e.Patient, "patient", p.updatedAt, e.At); err != nil {
			return err
		}
		if p.IsAnonymised() {
			return fmt.Errorf("patient %s: %w", p.id, ErrAnonymised)
		}
		p.details, p.updatedAt, p.anonymisedAt = PersonalDetails{}, e.At, e.At
		p.prefs = Preferences{}
		p.events++
		return nil
	case RiskAssessed:
		if err := checkRecordChange(p.id, e.Patient, "patient", p.updatedAt, e.At); err != nil {
			return err
		}
		if e.By.IsZero() {
			return fmt.Errorf("patient %s: %w: a risk assessment names who made it", p.id, ErrMissingDetail)
		}
		p.riskAssessed, p.updatedAt = e.At, e.At
		p.events++
		return nil
	case PatientPreferencesRecorded:
		return p.applyPreferences(e)
	default:
		return NotFor(e, "patient")
	}
}

// String returns "patient <id> (NHS *** *** *919)", with no personal data.
func (p Patient) String() string {
	if p.IsAnonymised() {
		return "patient " + p.id.String() + " (anonymised)"
	}
	return "patient " + p.id.String() + " (" + p.details.Hint() + ")"
}

// GoString returns the redacted form for %#v.
func (p Patient) GoString() string { return "prescribing.Patient{" + p.String() + "}" }

// Format implements [fmt.Formatter]: every verb prints the redacted form.
func (p Patient) Format(f fmt.State, verb rune) { writeRedacted(f, verb, p.String(), p.GoString()) }

// LogValue implements [slog.LogValuer]: the ID, practice and hint only.
func (p Patient) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", p.id.String()),
		slog.String("practice", p.practice.String()),
		slog.String("hint", p.details.Hint()),
		slog.Bool("anonymised", p.IsAnonymised()),
	)
}

// PatientRegistered records a new patient. It holds personal details, which
// fmt, slog and json.Marshal redact like [PersonalDetails] does; the
// [EventCodec] writes them in full, as the storage form.
type PatientRegistered struct {
	Patient  PatientID       `json:"patient"`
	Practice PracticeID      `json:"practice,omitzero"`
	Details  PersonalDetails `json:"details"`
	At       time.Time       `json:"at"`
}

// EventType returns "patient.registered".
func (PatientRegistered) EventType() string { return "patient.registered" }

// EventTime returns e.At.
func (e PatientRegistered) EventTime() time.Time { return e.At }

// EventStream returns the patient stream of the patient.
func (e PatientRegistered) EventStream() Stream {
	return StreamOf(StreamKindPatient, e.Patient)
}

// LogValue implements [slog.LogValuer] without the personal details.
func (e PatientRegistered) LogValue() slog.Value {
	return detailsEventLogValue(e, e.Patient, e.Details)
}

func (e PatientRegistered) exportJSON() ([]byte, error) {
	return exportDetailsEvent(e.Patient, e.Practice, e.Details, e.At)
}

func (e PatientDetailsChanged) exportJSON() ([]byte, error) {
	return exportDetailsEvent(e.Patient, PracticeID{}, e.Details, e.At)
}

// exportDetailsEvent writes the storage form of an event holding personal
// details: the same fields as its default JSON, with the details exported.
func exportDetailsEvent(p PatientID, practice PracticeID, d PersonalDetails, at time.Time) ([]byte, error) {
	details, err := d.ExportJSON()
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Patient  PatientID       `json:"patient"`
		Practice PracticeID      `json:"practice,omitzero"`
		Details  json.RawMessage `json:"details"`
		At       time.Time       `json:"at"`
	}{p, practice, details, at})
}

// PatientDetailsChanged records new identifying details. Like
// [PatientRegistered] it redacts them in slog.
type PatientDetailsChanged struct {
	Patient PatientID       `json:"patient"`
	Details PersonalDetails `json:"details"`
	At      time.Time       `json:"at"`
}

// EventType returns "patient.details_changed".
func (PatientDetailsChanged) EventType() string { return "patient.details_changed" }

// EventTime returns e.At.
func (e PatientDetailsChanged) EventTime() time.Time { return e.At }

// EventStream returns the patient stream of the patient.
func (e PatientDetailsChanged) EventStream() Stream {
	return StreamOf(StreamKindPatient, e.Patient)
}

// LogValue implements [slog.LogValuer] without the personal details.
func (e PatientDetailsChanged) LogValue() slog.Value {
	return detailsEventLogValue(e, e.Patient, e.Details)
}

func detailsEventLogValue(e Event, id PatientID, d PersonalDetails) slog.Value {
	return slog.GroupValue(
		slog.String("type", e.EventType()),
		slog.String("patient", id.String()),
		slog.String("details", d.String()),
		slog.Time("at", e.EventTime()),
	)
}

// PatientAnonymised records that a patient's identifying details were cleared
// (rule PRIV-2).
type PatientAnonymised struct {
	Patient PatientID `json:"patient"`
	At      time.Time `json:"at"`
}

// EventType returns "patient.anonymised".
func (PatientAnonymised) EventType() string { return "patient.anonymised" }

// EventTime returns e.At.
func (e PatientAnonymised) EventTime() time.Time { return e.At }

// EventStream returns the patient stream of the patient.
func (e PatientAnonymised) EventStream() Stream {
	return StreamOf(StreamKindPatient, e.Patient)
}

// RiskAssessed records a risk assessment of working with a person, such as
// before home visits (rule CASE-3).
type RiskAssessed struct {
	Patient PatientID    `json:"patient"`
	By      LinkWorkerID `json:"by"`
	At      time.Time    `json:"at"`
}

// EventType returns "patient.risk_assessed".
func (RiskAssessed) EventType() string { return "patient.risk_assessed" }

// EventTime returns e.At.
func (e RiskAssessed) EventTime() time.Time { return e.At }

// EventStream returns the patient stream of the patient.
func (e RiskAssessed) EventStream() Stream {
	return StreamOf(StreamKindPatient, e.Patient)
}

// ErasePersonalDetails returns a copy of events in which the personal details
// that earlier events hold for the given patient are cleared, so that a
// stored history can be kept after [Patient.Anonymise]. Replaying the erased
// stream rebuilds the same anonymised record. Other events are kept as they
// are; the input slice is not changed.
func ErasePersonalDetails(events []Event, patient PatientID) []Event {
	out := make([]Event, len(events))
	for i, e := range events {
		switch v := e.(type) {
		case PatientRegistered:
			if v.Patient == patient {
				v.Details = PersonalDetails{}
			}
			out[i] = v
		case PatientDetailsChanged:
			if v.Patient == patient {
				v.Details = PersonalDetails{}
			}
			out[i] = v
		default:
			out[i] = e
		}
	}
	return out
}

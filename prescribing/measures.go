package prescribing

import (
	"fmt"
	"slices"
	"time"
)

// Measures is one person's record of outcome measures: the ONS4 (rule
// OUT-1) and SWEMWBS (OUT-2) measurements taken of them, in the order
// recorded, each within a referral if there is one. [CompareONS4] and
// [CompareSWEMWBS] compare two of them (OUT-3).
//
// Make one with [OpenMeasures]; rebuild one by replaying its stream (kind
// measures, the patient's ID: not the patient's own stream) into a zero
// Measures, as for every [StreamRecord]. Measurements are recorded in time
// order: one stamped before the record's last change is refused
// ([ErrTimeWentBackwards]).
//
// Measures is plain data: safe to copy, not to change concurrently. Copies
// share the lists of measurements but never write into them: every change
// makes a new list, and the getters return copies.
type Measures struct {
	patient   PatientID
	ons4      []ONS4Recorded
	swemwbs   []SWEMWBSRecorded
	updatedAt time.Time
	events    int32
}

// OpenMeasures opens the outcome measures record of a patient, empty, at
// time at. A zero patient ID ([ErrInvalidID]) or a time the codec cannot
// carry is refused with the zero record and event.
func OpenMeasures(p PatientID, at time.Time) (Measures, MeasuresOpened, error) {
	e := MeasuresOpened{Patient: p, At: Stamp(at)}
	var m Measures
	if err := m.Apply(e); err != nil {
		return Measures{}, MeasuresOpened{}, err
	}
	return m, e, nil
}

// Patient returns whose record it is.
func (m *Measures) Patient() PatientID { return m.patient }

// Stream returns the record's stream (kind measures, the patient's ID), or
// the zero Stream before it is opened.
func (m *Measures) Stream() Stream { return recordStream(StreamKindMeasures, m.patient) }

// Version returns how many events the record has applied, its opening
// included.
func (m *Measures) Version() int { return int(m.events) }

// ONS4 returns the ONS4 measurements, in the order recorded. The slice is
// the caller's.
func (m *Measures) ONS4() []ONS4Recorded { return slices.Clone(m.ons4) }

// SWEMWBS returns the SWEMWBS measurements, in the order recorded. The
// slice is the caller's.
func (m *Measures) SWEMWBS() []SWEMWBSRecorded { return slices.Clone(m.swemwbs) }

// RecordONS4 validates the answers and records the measurement, within
// referral r if it is not zero. It refuses, returning the zero event and
// changing nothing, a record not opened ([ErrUnexpectedEvent]), a
// measurement without a time ([ErrNoTime]), at a time JSON cannot carry
// ([ErrTimeOutOfRange]) or before the record's last change
// ([ErrTimeWentBackwards]), or with an answer out of range
// ([ErrOutOfRange]).
func (m *Measures) RecordONS4(r ReferralID, answers ONS4, at time.Time) (ONS4Recorded, error) {
	e := ONS4Recorded{Patient: m.patient, Referral: r, At: Stamp(at), Answers: answers}
	if err := m.Apply(e); err != nil {
		return ONS4Recorded{}, err
	}
	return e, nil
}

// RecordSWEMWBS validates the answers and records the measurement. An
// incomplete measure is recorded as it is. It refuses what
// [Measures.RecordONS4] refuses.
func (m *Measures) RecordSWEMWBS(r ReferralID, answers SWEMWBS, at time.Time) (SWEMWBSRecorded, error) {
	e := SWEMWBSRecorded{Patient: m.patient, Referral: r, At: Stamp(at), Answers: answers}
	if err := m.Apply(e); err != nil {
		return SWEMWBSRecorded{}, err
	}
	return e, nil
}

// Apply applies a measures event, checking it as the live operation would;
// on error the record is unchanged.
func (m *Measures) Apply(e Event) error {
	switch e := e.(type) {
	case MeasuresOpened:
		switch {
		case !m.patient.IsZero():
			return fmt.Errorf("%w: the measures of patient %s are already open", ErrUnexpectedEvent, m.patient)
		case e.Patient.IsZero():
			return fmt.Errorf("%w: a measures record needs the patient", ErrInvalidID)
		}
		if err := CheckTime(time.Time{}, e.At); err != nil {
			return fmt.Errorf("measures of patient %s: %w", e.Patient, err)
		}
		*m = Measures{patient: e.Patient, updatedAt: e.At, events: 1}
		return nil
	case ONS4Recorded:
		if err := m.checkChange(e.Patient, e.At, e.Answers.Validate()); err != nil {
			return err
		}
		m.ons4 = append(m.ons4[:len(m.ons4):len(m.ons4)], e)
	case SWEMWBSRecorded:
		if err := m.checkChange(e.Patient, e.At, e.Answers.Validate()); err != nil {
			return err
		}
		m.swemwbs = append(m.swemwbs[:len(m.swemwbs):len(m.swemwbs)], e)
	default:
		return NotFor(e, "measures")
	}
	m.updatedAt = e.EventTime()
	m.events++
	return nil
}

func (m *Measures) checkChange(p PatientID, at time.Time, answers error) error {
	switch {
	case m.patient.IsZero():
		return fmt.Errorf("%w: the measures of patient %s are not open", ErrUnexpectedEvent, p)
	case p != m.patient:
		return fmt.Errorf("%w: a measurement of patient %s applied to the measures of patient %s", ErrWrongSubject, p, m.patient)
	}
	if err := CheckTime(m.updatedAt, at); err != nil {
		return fmt.Errorf("measures of patient %s: %w", m.patient, err)
	}
	return answers
}

// MeasuresOpened records a person's outcome measures record opened, empty:
// the first event of its stream.
type MeasuresOpened struct {
	Patient PatientID `json:"patient"`
	At      time.Time `json:"at"`
}

// EventType returns "measure.opened".
func (MeasuresOpened) EventType() string { return "measure.opened" }

// EventTime returns e.At.
func (e MeasuresOpened) EventTime() time.Time { return e.At }

// EventStream returns the measures stream of the patient.
func (e MeasuresOpened) EventStream() Stream { return StreamOf(StreamKindMeasures, e.Patient) }

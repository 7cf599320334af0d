package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// ErrNoRiskAssessment reports a home visit without a current risk assessment
// for the person (rule CASE-3).
var ErrNoRiskAssessment = errors.New("home visit needs a current risk assessment")

// ContactMode is how a contact with a person happens. People differ in
// which they prefer.
type ContactMode uint8

// Contact modes.
const (
	ContactModePractice       ContactMode = iota + 1 // face to face at the practice
	ContactModeHomeVisit                             // a home visit (needs a risk assessment, CASE-3)
	ContactModeCommunityVenue                        // face to face at a community venue
	ContactModeTelephone                             // by telephone
	ContactModeVideo                                 // by video call
	ContactModeMessage                               // by text message, email or letter
)

var contactModes = NewVocabulary[ContactMode]("contact mode",
	"practice", "home_visit", "community_venue", "telephone", "video", "message")

// ContactModes returns every contact mode in order.
func ContactModes() []ContactMode { return contactModes.Values() }

// String returns the mode's text form ("home_visit").
func (m ContactMode) String() string { return contactModes.String(m) }

// IsValid reports whether m is a known mode.
func (m ContactMode) IsValid() bool { return contactModes.Valid(m) }

// MarshalText implements [encoding.TextMarshaler].
func (m ContactMode) MarshalText() ([]byte, error) { return contactModes.MarshalText(m) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (m *ContactMode) UnmarshalText(b []byte) (err error) {
	*m, err = contactModes.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (m *ContactMode) Scan(src any) (err error) { *m, err = contactModes.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (m ContactMode) Value() (driver.Value, error) { return contactModes.Value(m) }

// Contact is one contact between a link worker and a person (rule CASE-1):
// when, how, for how long, and whether the person attended.
type Contact struct {
	ID ContactID `json:"id"`
	At time.Time `json:"at"`
	// Mode is how the contact happened.
	Mode ContactMode `json:"mode"`
	// Minutes is the length of the contact, 0 if the person did not attend.
	Minutes int `json:"minutes"`
	// Attended is false when the person did not attend or could not be
	// reached.
	Attended bool `json:"attended"`
	// RiskAssessedAt is when the person's risk assessment that a home visit
	// relies on was recorded (see [Patient.RiskAssessedAt]); required for a
	// home visit, ignored otherwise.
	RiskAssessedAt time.Time `json:"risk_assessed_at,omitzero"`
}

// ContactID identifies a [Contact].
type ContactID = ID[Contact]

// Validate reports a contact that cannot be stored and replayed unchanged:
// no ID or negative minutes ([ErrMissingDetail]), a mode outside the
// vocabulary ([ErrUnknownValue]), no time ([ErrNoTime]), or a time or risk
// assessment time outside the years 1 to 9999 ([ErrTimeOutOfRange]). Whether
// a home visit's assessment is current is the policy's question
// ([ContactRules.RiskAssessmentCurrent]).
func (c Contact) Validate() error { return c.validate() }

// validate is Validate without copying the contact, for the referral's own
// checks.
func (c *Contact) validate() error {
	switch {
	case c.ID.IsZero():
		return fmt.Errorf("%w: a contact needs an ID", ErrMissingDetail)
	case c.Minutes < 0:
		return fmt.Errorf("%w: a contact of %d minutes", ErrMissingDetail, c.Minutes)
	}
	if err := checkMember(contactModes, c.Mode); err != nil {
		return fmt.Errorf("contact %s: %w", c.ID, err)
	}
	if err := CheckTime(time.Time{}, c.At); err != nil {
		return fmt.Errorf("contact %s: %w", c.ID, err)
	}
	if err := CheckTimeRange(c.RiskAssessedAt); err != nil {
		return fmt.Errorf("contact %s: risk assessment: %w", c.ID, err)
	}
	return nil
}

// ContactRules holds the rules a service applies to contacts.
type ContactRules struct {
	// RiskAssessmentMonths is how long a risk assessment stays current for
	// home visits (rule CASE-3); zero means the default, 12 months.
	RiskAssessmentMonths int `json:"risk_assessment_months,omitempty"`
}

// DefaultRiskAssessmentMonths is how long a risk assessment stays current
// unless a [ContactRules] says otherwise.
const DefaultRiskAssessmentMonths = 12

// MaxRiskAssessmentMonths bounds [ContactRules.RiskAssessmentMonths]: ten
// years. Beyond it the date arithmetic of the window would leave the years
// a time can be written in.
const MaxRiskAssessmentMonths = 120

// Validate reports a policy whose period is negative or longer than
// [MaxRiskAssessmentMonths], with an error wrapping [ErrInvalidRecord].
func (p ContactRules) Validate() error {
	if m := p.RiskAssessmentMonths; m < 0 || m > MaxRiskAssessmentMonths {
		return fmt.Errorf("%w: a risk assessment current for %d months, want 0 to %d", ErrInvalidRecord, m, MaxRiskAssessmentMonths)
	}
	return nil
}

func (p ContactRules) riskMonths() int {
	if p.RiskAssessmentMonths <= 0 {
		return DefaultRiskAssessmentMonths
	}
	return p.RiskAssessmentMonths
}

// RiskAssessmentCurrent reports whether a risk assessment recorded at
// assessed is current for a home visit at visit under the policy: recorded,
// not after the visit, and no older than the policy's months.
func (p ContactRules) RiskAssessmentCurrent(assessed, visit time.Time) bool {
	if assessed.IsZero() || assessed.After(visit) {
		return false
	}
	return !assessed.Before(visit.AddDate(0, -p.riskMonths(), 0))
}

// ContactRecorded records a contact on a referral, with the people involved.
type ContactRecorded struct {
	Referral   ReferralID   `json:"referral"`
	Patient    PatientID    `json:"patient"`
	LinkWorker LinkWorkerID `json:"link_worker"`
	Contact    Contact      `json:"contact"`
}

// EventType returns "referral.contact_recorded".
func (ContactRecorded) EventType() string { return "referral.contact_recorded" }

// EventTime returns the contact's time.
func (e ContactRecorded) EventTime() time.Time { return e.Contact.At }

// EventStream returns the referral stream of the referral.
func (e ContactRecorded) EventStream() Stream {
	return StreamOf(StreamKindReferral, e.Referral)
}

// RecordContact records a contact on the referral (rule CASE-1), made by the
// link worker who holds it. Contacts are recorded from acceptance while the
// referral is live; the first contact's lifecycle step is [Referral.RecordFirstContact],
// and no contact record ever carries a SNOMED CT code (REF-6). A home visit
// is refused, with an error wrapping [ErrNoRiskAssessment], unless the
// contact carries a risk assessment current under the policy (CASE-3). The
// caseload guidance never refuses a contact (CASE-2). A contact by text
// ([ContactModeMessage]) needs the person's current consent to text
// (CONS-2), which this method cannot see: it refuses one with an error
// wrapping [ErrNoConsent], and a caller records it with
// [Referral.RecordContactWithConsent], which checks the person's
// [Consents] (and takes every other mode too). A refusal returns the zero
// event and changes nothing.
func (r *Referral) RecordContact(c Contact, policy ContactRules) (ContactRecorded, error) {
	if c.Mode == ContactModeMessage {
		return ContactRecorded{}, fmt.Errorf("referral %s: %w: a contact by text needs the person's consent to text; record it with RecordContactWithConsent (CONS-2)",
			r.id, ErrNoConsent)
	}
	e := ContactRecorded{Referral: r.id, Patient: r.patient, LinkWorker: r.linkWorker, Contact: c}
	if err := r.recordContact(&e, policy); err != nil {
		return ContactRecorded{}, err
	}
	return e, nil
}

// recordContact records the contact e carries, for a caller that checked
// its consent if it needs any, stamping its times in place: events are
// large, and contacts the commonest change.
func (r *Referral) recordContact(e *ContactRecorded, policy ContactRules) error {
	c := &e.Contact
	c.At = Stamp(c.At)
	c.RiskAssessedAt = stampIfSet(c.RiskAssessedAt)
	if c.Mode == ContactModeHomeVisit && !policy.RiskAssessmentCurrent(c.RiskAssessedAt, c.At) {
		why := "none recorded"
		if !c.RiskAssessedAt.IsZero() {
			why = "the last was recorded " + c.RiskAssessedAt.Format("2 January 2006")
		}
		return fmt.Errorf("referral %s: %w: none within %d months before the visit (%s) (CASE-3)",
			r.id, ErrNoRiskAssessment, policy.riskMonths(), why)
	}
	return r.applyContact(e)
}

// ContactCount returns how many contacts were recorded on the referral, and
// how many of them the person attended.
func (r *Referral) ContactCount() (recorded, attended int) { return int(r.contacts), int(r.attended) }

func (r *Referral) applyContact(e *ContactRecorded) error {
	if err := r.checkChange(e.Referral, e.Contact.At); err != nil {
		return err
	}
	switch r.state {
	case StateAccepted, StateContacted, StateInSupport, StateConnected, StateOnHold:
	default:
		return fmt.Errorf("%w: referral %s in %s takes no contacts", ErrUnexpectedEvent, r.id, r.state)
	}
	c := &e.Contact
	if err := c.validate(); err != nil {
		return fmt.Errorf("referral %s: %w", r.id, err)
	}
	switch {
	case e.Patient != r.patient || e.LinkWorker != r.linkWorker:
		return fmt.Errorf("%w: the contact names another patient or link worker than referral %s holds", ErrWrongSubject, r.id)
	case c.Mode == ContactModeHomeVisit && (c.RiskAssessedAt.IsZero() || c.RiskAssessedAt.After(c.At)):
		// The window is the policy of the day and was judged when the
		// contact was recorded; replay checks only that an assessment came
		// first, so a later change of policy does not re-judge history.
		return fmt.Errorf("referral %s: %w: the home visit records no earlier assessment (CASE-3)", r.id, ErrNoRiskAssessment)
	}
	r.contacts++
	if c.Attended {
		r.attended++
		if !r.connectedAt.IsZero() {
			r.afterConnection++
		}
	}
	r.contactIDs.add(c.ID)
	r.updatedAt = c.At
	r.events++
	return nil
}

func stampIfSet(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return Stamp(t)
}

package prescribing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// PersonalDetails are the fields that identify a patient: name, date of
// birth, NHS number and contact details. Every default encoding redacts them
// (rule PRIV-1): String, every fmt verb, slog, and json.Marshal, which writes
// the short stable hint as a JSON string. The explicit exports are reading a
// field and [PersonalDetails.ExportJSON], the storage form, which
// UnmarshalJSON reads back; the event codec uses it for the events that
// carry details. UnmarshalJSON refuses the redacted string, so a redacted
// copy never passes silently for empty details.
//
// PersonalDetails is plain data: safe to copy, not to mutate concurrently.
type PersonalDetails struct {
	// GivenName and FamilyName are the person's names.
	GivenName  string
	FamilyName string
	// DateOfBirth is a calendar date, held at midnight UTC; zero if unknown.
	DateOfBirth time.Time
	// NHSNumber is zero if unknown.
	NHSNumber NHSNumber
	// Contact holds the ways to reach the person.
	Contact ContactDetails
}

// exportedDetails is the storage form of PersonalDetails.
type exportedDetails struct {
	GivenName   string          `json:"given_name,omitempty"`
	FamilyName  string          `json:"family_name,omitempty"`
	DateOfBirth time.Time       `json:"date_of_birth,omitzero"`
	NHSNumber   string          `json:"nhs_number,omitempty"`
	Contact     exportedContact `json:"contact,omitzero"`
}

type exportedContact struct {
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	Address  string `json:"address,omitempty"`
	Postcode string `json:"postcode,omitempty"`
}

// ExportJSON returns the details as a JSON object with every field: the
// storage form, read back by UnmarshalJSON. It is an explicit export of
// personal data: do not log it.
func (d PersonalDetails) ExportJSON() ([]byte, error) {
	return json.Marshal(exportedDetails{
		GivenName: d.GivenName, FamilyName: d.FamilyName, DateOfBirth: d.DateOfBirth,
		NHSNumber: d.NHSNumber.Digits(), Contact: exportedContact(d.Contact),
	})
}

// MarshalJSON writes the redacted hint as a JSON string, so that personal
// details inside any value a logger encodes stay redacted. Use
// [PersonalDetails.ExportJSON] to store them.
func (d PersonalDetails) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads the object ExportJSON writes, strictly: unknown fields,
// an invalid NHS number and the redacted string MarshalJSON writes are
// errors (wrapping [ErrRedacted] for the last).
func (d *PersonalDetails) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		return fmt.Errorf("%w: personal details were written redacted and cannot be read back", ErrRedacted)
	}
	var x exportedDetails
	if err := decodeStrictValue(b, &x); err != nil {
		return fmt.Errorf("personal details: %w", err)
	}
	var n NHSNumber
	if err := n.UnmarshalText([]byte(x.NHSNumber)); err != nil {
		return err
	}
	*d = PersonalDetails{GivenName: x.GivenName, FamilyName: x.FamilyName, DateOfBirth: x.DateOfBirth,
		NHSNumber: n, Contact: ContactDetails(x.Contact)}
	return nil
}

// ErrRedacted reports an attempt to read back personal data that was written
// in its redacted form.
var ErrRedacted = errors.New("personal data was redacted")

// ContactDetails are the ways to reach a patient. They are personal data and
// redacted like [PersonalDetails], in JSON too; they are stored as part of
// [PersonalDetails.ExportJSON].
type ContactDetails struct {
	Phone    string
	Email    string
	Address  string
	Postcode string
}

// IsZero reports whether no field is set.
func (d PersonalDetails) IsZero() bool { return d == PersonalDetails{} }

// Hint returns the short stable hint that may appear in logs: the redacted NHS
// number ("NHS *** *** *919"), or "no NHS number".
func (d PersonalDetails) Hint() string {
	if d.NHSNumber.IsZero() {
		return "no NHS number"
	}
	return "NHS " + d.NHSNumber.Redacted()
}

// String returns "[redacted: NHS *** *** *919]".
func (d PersonalDetails) String() string { return "[redacted: " + d.Hint() + "]" }

// GoString returns the redacted form for %#v.
func (d PersonalDetails) GoString() string { return "prescribing.PersonalDetails{redacted}" }

// Format implements [fmt.Formatter]: every verb prints the redacted form.
func (d PersonalDetails) Format(f fmt.State, verb rune) {
	writeRedacted(f, verb, d.String(), d.GoString())
}

// LogValue implements [slog.LogValuer] with the redacted form.
func (d PersonalDetails) LogValue() slog.Value { return slog.StringValue(d.String()) }

// IsZero reports whether no field is set.
func (c ContactDetails) IsZero() bool { return c == ContactDetails{} }

// String returns "[redacted contact details]".
func (c ContactDetails) String() string { return "[redacted contact details]" }

// GoString returns the redacted form for %#v.
func (c ContactDetails) GoString() string { return "prescribing.ContactDetails{redacted}" }

// Format implements [fmt.Formatter]: every verb prints the redacted form.
func (c ContactDetails) Format(f fmt.State, verb rune) {
	writeRedacted(f, verb, c.String(), c.GoString())
}

// LogValue implements [slog.LogValuer] with the redacted form.
func (c ContactDetails) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON writes the redacted form as a JSON string.
func (c ContactDetails) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

package prescribing

import (
	"fmt"
	"log/slog"
	"time"
)

// PersonalDetails are the fields that identify a patient: name, date of
// birth, NHS number and contact details. They are redacted from String, every
// fmt verb and slog output (rule PRIV-1); [PersonalDetails.Hint] is the short
// stable hint that may be shown. Reading a field directly is the explicit
// export. MarshalJSON is not overridden: JSON is the storage form and keeps
// every field, so do not hand a PersonalDetails value to a JSON logger
// yourself (types that hold one, such as [Patient], implement
// [slog.LogValuer] so slog's JSON handler never reaches it).
//
// PersonalDetails is plain data: safe to copy, not to mutate concurrently.
type PersonalDetails struct {
	// GivenName and FamilyName are the person's names.
	GivenName  string `json:"given_name,omitempty"`
	FamilyName string `json:"family_name,omitempty"`
	// DateOfBirth is a calendar date, held at midnight UTC; zero if unknown.
	DateOfBirth time.Time `json:"date_of_birth,omitzero"`
	// NHSNumber is zero if unknown.
	NHSNumber NHSNumber `json:"nhs_number,omitzero"`
	// Contact holds the ways to reach the person.
	Contact ContactDetails `json:"contact,omitzero"`
}

// ContactDetails are the ways to reach a patient. They are personal data and
// redacted like [PersonalDetails].
type ContactDetails struct {
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	Address  string `json:"address,omitempty"`
	Postcode string `json:"postcode,omitempty"`
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

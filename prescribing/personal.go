package prescribing

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// PersonalDetails are the fields that identify a patient: name, date of
// birth, NHS number and contact details. Every default encoding redacts them
// (rule PRIV-1): String, every fmt verb, slog, json.Marshal, which writes
// the short stable hint as a JSON string, xml.Marshal and gob. The explicit
// exports are reading a field and [PersonalDetails.ExportJSON], the storage
// form, which UnmarshalJSON reads back; the event codec uses it for the
// events that carry details. UnmarshalJSON refuses the redacted string, so a
// redacted copy never passes silently for empty details, and its errors
// never quote what they read.
//
// The date of birth is a calendar date. [RegisterPatient] and
// [Patient.UpdateDetails] normalise it with [CalendarDate] to midnight UTC of
// the year, month and day the caller's value has in its own location (a
// date made in Europe/London or at 23:30 in New York keeps its day), so it
// is stored and replayed as the same date. They refuse a date of birth
// outside the years 1 to 9999 or after the day of registration, and Apply
// refuses one that is not at midnight UTC. Every text field must pass
// [CheckText].
//
// PersonalDetails is plain data: safe to copy, not to mutate concurrently.
type PersonalDetails struct {
	// GivenName and FamilyName are the person's names.
	GivenName  string
	FamilyName string
	// DateOfBirth is a calendar date, held at midnight UTC (see
	// [CalendarDate]); zero if unknown.
	DateOfBirth time.Time
	// NHSNumber is zero if unknown.
	NHSNumber NHSNumber
	// Contact holds the ways to reach the person.
	Contact ContactDetails
}

// ErrInvalidPersonalDetails reports personal details that cannot be
// accepted or read back: a date of birth that is not a calendar date or is
// later than the registration, or a stored form that does not decode. Its
// messages name the field, never its value.
var ErrInvalidPersonalDetails = errors.New("invalid personal details")

// maxZoneAhead is the furthest a time zone runs ahead of UTC (UTC+14, in
// Kiribati). A date of birth up to this much after the registration instant
// can still be the caller's today.
const maxZoneAhead = 14 * time.Hour

// CalendarDate returns midnight UTC of the calendar date t has in its own
// location: the year, month and day the caller meant, whatever the clock or
// zone. CalendarDate of the zero time is the zero time. Dates of birth are
// held in this form.
func CalendarDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// normalised returns d with its date of birth as a calendar date.
func (d PersonalDetails) normalised() PersonalDetails {
	d.DateOfBirth = CalendarDate(d.DateOfBirth)
	return d
}

// check reports details that cannot be stored and replayed unchanged:
// text failing [CheckText], a date of birth outside the years 1 to 9999 or
// not at midnight UTC, or (when registered is not zero) later than the day
// of registration in any time zone. No message holds personal data.
func (d PersonalDetails) check(registered time.Time) error {
	if err := checkTexts("given name", d.GivenName, "family name", d.FamilyName,
		"phone", d.Contact.Phone, "email", d.Contact.Email,
		"address", d.Contact.Address, "postcode", d.Contact.Postcode); err != nil {
		return err
	}
	dob := d.DateOfBirth
	if dob.IsZero() {
		return nil
	}
	if CheckTimeRange(dob) != nil {
		// CheckTimeRange's message names the year: part of a date of birth.
		return fmt.Errorf("%w: the date of birth", ErrTimeOutOfRange)
	}
	if dob.Location() != time.UTC || !dob.Equal(CalendarDate(dob)) {
		return fmt.Errorf("%w: the date of birth is not a calendar date (midnight UTC)", ErrInvalidPersonalDetails)
	}
	if !registered.IsZero() && dob.After(registered.Add(maxZoneAhead)) {
		return fmt.Errorf("%w: the date of birth is after the day of registration", ErrInvalidPersonalDetails)
	}
	return nil
}

// exportedDetails is the storage form of PersonalDetails.
type exportedDetails struct {
	GivenName   string          `json:"given_name,omitempty"`
	FamilyName  string          `json:"family_name,omitempty"`
	DateOfBirth time.Time       `json:"date_of_birth,omitzero"`
	NHSNumber   string          `json:"nhs_number,omitempty"`
	Contact     exportedContact `json:"contact,omitzero"`
}

// importedDetails is what UnmarshalJSON reads: the storage form with the
// date of birth left raw, so that a bad date is reported without the time
// parser's message, which quotes it.
type importedDetails struct {
	GivenName   string          `json:"given_name,omitempty"`
	FamilyName  string          `json:"family_name,omitempty"`
	DateOfBirth json.RawMessage `json:"date_of_birth,omitempty"`
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

// UnmarshalJSON reads the object ExportJSON writes, strictly: unknown
// fields, wrong types, an invalid NHS number, a date of birth that is not an
// RFC 3339 time at midnight UTC, text failing [CheckText], and the redacted
// string MarshalJSON writes are errors (wrapping [ErrRedacted] for the
// last, [ErrInvalidPersonalDetails] or the field's own sentinel for the
// others). No message quotes what was read.
func (d *PersonalDetails) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		return fmt.Errorf("%w: personal details were written redacted and cannot be read back", ErrRedacted)
	}
	var x importedDetails
	if err := decodeStrictValue(b, &x); err != nil {
		return fmt.Errorf("%w: %s", ErrInvalidPersonalDetails, describeDecodeError(err))
	}
	var dob time.Time
	if len(x.DateOfBirth) > 0 && string(x.DateOfBirth) != "null" {
		var s string
		if json.Unmarshal(x.DateOfBirth, &s) != nil {
			return fmt.Errorf("%w: the date of birth is not a JSON string", ErrInvalidPersonalDetails)
		}
		// As strict as JSON's own reading of a time, but the parser's
		// message quotes the date: say only what is wrong.
		if dob.UnmarshalText([]byte(s)) != nil {
			return fmt.Errorf("%w: the date of birth is not an RFC 3339 time", ErrInvalidPersonalDetails)
		}
	}
	var n NHSNumber
	if err := n.UnmarshalText([]byte(x.NHSNumber)); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidPersonalDetails, err)
	}
	v := PersonalDetails{GivenName: x.GivenName, FamilyName: x.FamilyName, DateOfBirth: dob,
		NHSNumber: n, Contact: ContactDetails(x.Contact)}
	if err := v.check(time.Time{}); err != nil {
		return err
	}
	*d = v
	return nil
}

// describeDecodeError says what is wrong with JSON that did not decode,
// without quoting any of it: the decoder's own messages can quote values
// (a number, a time) and keys, which in a corrupt stored row may be
// personal data.
func describeDecodeError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("malformed JSON at offset %d", syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("a field has the wrong JSON type at offset %d", typ.Offset)
	case errors.Is(err, errTrailingData):
		return "data after the JSON value"
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return "the JSON is cut short"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return "an unknown field"
	default:
		return "not the stored form of personal details"
	}
}

// ErrRedacted reports an attempt to read back personal data that was written
// in its redacted form.
var ErrRedacted = errors.New("personal data was redacted")

// ContactDetails are the ways to reach a patient. They are personal data and
// redacted like [PersonalDetails], in JSON, XML and gob too; they are stored
// as part of [PersonalDetails.ExportJSON]. Each field must pass [CheckText].
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

// MarshalXML writes the redacted form as the element's text, so that
// xml.Marshal of any value holding details stays redacted (rule PRIV-1).
func (d PersonalDetails) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(d.String(), start)
}

// MarshalXMLAttr writes the redacted form as an attribute's value.
func (d PersonalDetails) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return xml.Attr{Name: name, Value: d.String()}, nil
}

// GobEncode writes the redacted form: gob is a default encoding, not an
// export. Store details with [PersonalDetails.ExportJSON].
func (d PersonalDetails) GobEncode() ([]byte, error) { return []byte(d.String()), nil }

// GobDecode refuses, with an error wrapping [ErrRedacted]: what GobEncode
// writes cannot be read back as details.
func (d *PersonalDetails) GobDecode([]byte) error {
	return fmt.Errorf("%w: personal details were written redacted and cannot be read back", ErrRedacted)
}

// MarshalXML writes the redacted form as the element's text.
func (c ContactDetails) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(c.String(), start)
}

// MarshalXMLAttr writes the redacted form as an attribute's value.
func (c ContactDetails) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	return xml.Attr{Name: name, Value: c.String()}, nil
}

// GobEncode writes the redacted form, like [PersonalDetails.GobEncode].
func (c ContactDetails) GobEncode() ([]byte, error) { return []byte(c.String()), nil }

// GobDecode refuses, with an error wrapping [ErrRedacted].
func (c *ContactDetails) GobDecode([]byte) error {
	return fmt.Errorf("%w: contact details were written redacted and cannot be read back", ErrRedacted)
}

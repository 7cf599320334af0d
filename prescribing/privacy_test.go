package prescribing

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secrets are the strings of a patient's personal details that must never
// reach String, fmt or slog output.
var secrets = []string{
	"Adaeze", "Okonkwo-Smith", "1957-03-14", "1957", "9434765919", "943 476 5919", "943 476",
	"07700 900123", "adaeze@example.org", "12 Mill Lane", "OX4 1AB",
}

func examplePatientDetails(t testing.TB) PersonalDetails {
	n, err := ParseNHSNumber("943 476 5919")
	require.NoError(t, err)
	return PersonalDetails{
		GivenName: "Adaeze", FamilyName: "Okonkwo-Smith",
		DateOfBirth: time.Date(1957, 3, 14, 0, 0, 0, 0, time.UTC),
		NHSNumber:   n,
		Contact:     ContactDetails{Phone: "07700 900123", Email: "adaeze@example.org", Address: "12 Mill Lane", Postcode: "OX4 1AB"},
	}
}

// secretForms returns the secrets as they could appear in any output: as
// they are, hex encoded (what %x of an unredacted string prints) and, for
// the NHS number, as the decimal bytes fmt prints for a byte array.
func secretForms() []string {
	var out []string
	for _, s := range secrets {
		out = append(out, s, fmt.Sprintf("%x", s), fmt.Sprintf("%X", s))
	}
	return append(out, strings.Trim(fmt.Sprint([]byte("9434765919")), "[]"))
}

// addresses matches the pointers fmt prints, whose digits vary from run to
// run and could match a secret by chance.
var addresses = regexp.MustCompile(`0x[0-9a-f]+`)

// fmtVerbs are the verbs a caller might print a value with. %p is left out:
// fmt prints a non-pointer under %p by reflection, bypassing Format (see
// TestPRIV_1_WhatFmtCannotRedact).
var fmtVerbs = []string{
	"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "% x", "%d", "%o", "%b", "%e", "%f", "%g",
	"%t", "%c", "%U", "%10v", "%-20s", "%08d", "%T %v",
}

// outputs returns every output form of v a program might produce without
// asking for personal data: String, GoString, every fmt verb, fmt's Print
// family, slog's text and JSON handlers (on their own and in a group),
// encoding/json, encoding/xml and encoding/gob. Encoders may refuse a type
// (xml refuses maps); what they write is checked.
func outputs(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	if s, ok := v.(fmt.Stringer); ok {
		out["String"] = s.String()
	}
	if s, ok := v.(fmt.GoStringer); ok {
		out["GoString"] = s.GoString()
	}
	for _, verb := range fmtVerbs {
		out[verb] = fmt.Sprintf(verb, v)
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v)
	noVerb := strings.Repeat("x", 1) // not a constant, so vet lets the extra argument through
	out["extra argument"] = fmt.Sprintf(noVerb, v)
	// slog's own timestamp is dropped: its digits vary from run to run and
	// could match a secret by chance (they once contained "1957").
	noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, noTime) },
		"slog JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, noTime) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("msg", "value", v, slog.Group("g", "nested", v), slog.Any("any", v))
		out[name] = buf.String()
	}
	if b, err := json.Marshal(v); err == nil {
		out["json"] = string(b)
	} else {
		out["json error"] = err.Error()
	}
	if b, err := json.MarshalIndent(struct{ V any }{v}, "", " "); err == nil {
		out["json nested"] = string(b)
	}
	if b, err := xml.Marshal(v); err == nil {
		out["xml"] = string(b)
	} else {
		out["xml error"] = err.Error()
	}
	if b, err := xml.Marshal(struct {
		XMLName xml.Name `xml:"wrapper"`
		V       any      `xml:"v"`
	}{V: v}); err == nil {
		out["xml nested"] = string(b)
	}
	var gobBuf bytes.Buffer
	if err := gob.NewEncoder(&gobBuf).Encode(v); err == nil {
		out["gob"] = gobBuf.String()
	} else {
		out["gob error"] = err.Error()
	}
	return out
}

// assertRedacted checks that no output form of v holds a secret.
func assertRedacted(t *testing.T, name string, v any) {
	t.Helper()
	for form, text := range outputs(t, v) {
		text = addresses.ReplaceAllString(text, "0x…")
		for _, s := range secretForms() {
			assert.NotContains(t, text, s, "%s leaks %q in its %s output:\n%s", name, s, form, text)
		}
	}
}

// corruptStoredDetails are stored forms of personal details damaged in ways
// a corrupt row could be: each decodes with an error, and no error may
// quote what it read.
var corruptStoredDetails = []string{
	`{"given_name":"Adaeze","date_of_birth":"1957-03-14"}`,
	`{"given_name":"Adaeze","date_of_birth":"1957-03-14T10:30:00Z"}`,
	`{"date_of_birth":"1957-03-14T00:00:00+01:00"}`,
	`{"date_of_birth":19570314}`,
	`{"date_of_birth":"10000-03-14T00:00:00Z"}`,
	`{"given_name":"Adaeze","family_name":1957}`,
	`{"given_name":"Adaeze","family_name":1957.0314}`,
	`{"given_name":"Adaeze","Okonkwo-Smith":true}`,
	`{"nhs_number":"9434765918"}`,
	`{"nhs_number":"943 476 5919x"}`,
	`{"nhs_number":9434765919}`,
	`{"given_name":"Adaeze\u0000"}`,
	`{"contact":{"phone":"07700 900123","email":1957}}`,
	`{"contact":{"address":"12 Mill Lane","OX4 1AB":1}}`,
	`{"given_name":"Adaeze"`,
	`{"given_name":"Adaeze"} {"family_name":"Okonkwo-Smith"}`,
	`{"given_name":Adaeze}`,
	`"[redacted: NHS *** *** *919] Adaeze"`,
	`["Adaeze","Okonkwo-Smith","1957-03-14"]`,
}

// personalDataErrors returns the errors of every way personal data can be
// refused: decoding corrupt stored forms (alone, as an event, in a stream)
// and live operations and replay refusing details.
func personalDataErrors(t *testing.T) []error {
	t.Helper()
	codec := mustCodec(t)
	f := newFixture(t)
	var errs []error
	for _, bad := range corruptStoredDetails {
		var d PersonalDetails
		err := json.Unmarshal([]byte(bad), &d)
		require.Error(t, err, bad)
		errs = append(errs, err)
		line := `{"type":"patient.registered","event":{"patient":"` + f.pat.String() + `","details":` + bad + `,"at":"2026-01-01T00:00:00Z"}}`
		_, err = codec.Unmarshal([]byte(line))
		require.Error(t, err, line)
		errs = append(errs, err)
		_, err = codec.Decode(strings.NewReader(line + "\n"))
		require.Error(t, err, line)
		errs = append(errs, err)
	}

	// A field meant for an ID that holds personal data instead.
	for _, id := range []string{"Adaeze Okonkwo-Smith", "Adaeze-Okonkwo-Smith-1957-03-14-OX41", "943 476 5919"} {
		line := `{"type":"patient.registered","event":{"patient":"` + id + `","details":{},"at":"2026-01-01T00:00:00Z"}}`
		_, err := codec.Unmarshal([]byte(line))
		require.ErrorIs(t, err, ErrInvalidID, line)
		errs = append(errs, err)
	}

	d := examplePatientDetails(t)
	at := f.tick()
	var refused []PersonalDetails
	for _, change := range []func(*PersonalDetails){
		func(d *PersonalDetails) { d.DateOfBirth = at.AddDate(0, 0, 2) },
		func(d *PersonalDetails) { d.DateOfBirth = time.Date(10000, 3, 14, 0, 0, 0, 0, time.UTC) },
		func(d *PersonalDetails) { d.DateOfBirth = time.Date(-1957, 3, 14, 0, 0, 0, 0, time.UTC) },
		func(d *PersonalDetails) { d.GivenName += "\x00" },
		func(d *PersonalDetails) { d.FamilyName += "\xff" },
		func(d *PersonalDetails) { d.Contact.Address += strings.Repeat(" ", MaxTextBytes) },
	} {
		bad := d
		change(&bad)
		refused = append(refused, bad)
		_, _, err := RegisterPatient(f.pat, f.prac, bad, at)
		require.Error(t, err)
		errs = append(errs, err)
	}
	p, _, err := RegisterPatient(f.pat, f.prac, d, at)
	require.NoError(t, err)
	for _, bad := range refused {
		_, err := p.UpdateDetails(bad, f.tick())
		require.Error(t, err)
		errs = append(errs, err)
	}
	// Replay refuses a date of birth that is not a calendar date.
	notDate := d
	notDate.DateOfBirth = d.DateOfBirth.Add(10 * time.Hour)
	var fresh Patient
	err = Replay(&fresh, []Event{PatientRegistered{Patient: f.pat, Details: notDate, At: at}})
	require.Error(t, err)
	errs = append(errs, err)
	for _, text := range []string{"9434765918", "943-476 5919", " 943 476 5919", "943 476 5919 0", "943 476 59l9"} {
		_, err := ParseNHSNumber(text)
		require.Error(t, err, text)
		errs = append(errs, err)
	}
	return errs
}

// TestPRIV_1_NoPersonalDataInAnyOutput checks every type that holds personal
// data against every output form a program produces without asking for the
// data: error text, String, GoString, every fmt verb, slog's text and JSON
// handlers, encoding/json, encoding/xml and encoding/gob.
func TestPRIV_1_NoPersonalDataInAnyOutput(t *testing.T) {
	f := newFixture(t)
	d := examplePatientDetails(t)
	p, reg, err := RegisterPatient(f.pat, f.prac, d, f.tick())
	require.NoError(t, err)
	changed, err := p.UpdateDetails(d, f.tick())
	require.NoError(t, err)
	contact := d.Contact
	nhs := d.NHSNumber

	values := []struct {
		name string
		v    any
	}{
		{"Patient", p},
		{"*Patient", &p},
		{"PersonalDetails", d},
		{"*PersonalDetails", &d},
		{"ContactDetails", contact},
		{"*ContactDetails", &contact},
		{"NHSNumber", nhs},
		{"*NHSNumber", &nhs},
		{"PatientRegistered", reg},
		{"*PatientRegistered", &reg},
		{"PatientDetailsChanged", changed},
		{"*PatientDetailsChanged", &changed},
		{"[]Event", []Event{reg, changed}},
		{"[]Patient", []Patient{p, p}},
		{"map[PatientID]Patient", map[PatientID]Patient{p.ID(): p}},
		{"map[string]PersonalDetails", map[string]PersonalDetails{"d": d}},
		{"struct with an exported Patient", struct{ P Patient }{p}},
		{"struct with exported details", struct{ D PersonalDetails }{d}},
		{"struct with an unexported PatientID", struct{ id PatientID }{p.ID()}},
		{"holder with its own Format", redactingHolder{p}},
	}
	for _, x := range values {
		t.Run(x.name, func(t *testing.T) { assertRedacted(t, x.name, x.v) })
	}
	t.Run("errors", func(t *testing.T) {
		for i, err := range personalDataErrors(t) {
			assertRedacted(t, fmt.Sprintf("error %d", i), err)
			assertRedacted(t, fmt.Sprintf("error text %d", i), err.Error())
		}
	})

	// The stable hint is allowed and shown.
	assert.Equal(t, "patient "+f.pat.String()+" (NHS *** *** *919)", p.String())
	assert.Equal(t, "*** *** *919", d.NHSNumber.String())
	assert.Contains(t, fmt.Sprintf("%+v", reg), "*** *** *919")
	b, err := xml.Marshal(reg)
	require.NoError(t, err)
	assert.Contains(t, string(b), "<Details>[redacted: NHS *** *** *919]</Details>")
}

func TestPRIV_1_ContactDetailsAreRedactedInJSON(t *testing.T) {
	c := examplePatientDetails(t).Contact
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.Equal(t, `"[redacted contact details]"`, string(b))
	b, err = json.Marshal(struct {
		C  ContactDetails  `json:"c"`
		PC *ContactDetails `json:"pc"`
	}{c, &c})
	require.NoError(t, err)
	assert.Equal(t, `{"c":"[redacted contact details]","pc":"[redacted contact details]"}`, string(b))
	// The storage form of the details holds them; it is the explicit export.
	stored, err := PersonalDetails{Contact: c}.ExportJSON()
	require.NoError(t, err)
	assert.Contains(t, string(stored), "adaeze@example.org")
}

func TestPRIV_1_RedactedFormsAreNeverReadBack(t *testing.T) {
	d := examplePatientDetails(t)
	var buf bytes.Buffer
	require.NoError(t, gob.NewEncoder(&buf).Encode(d))
	var back PersonalDetails
	assert.ErrorIs(t, gob.NewDecoder(&buf).Decode(&back), ErrRedacted)
	b, err := xml.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, "<PersonalDetails>[redacted: NHS *** *** *919]</PersonalDetails>", string(b))
	b, err = xml.Marshal(struct {
		XMLName xml.Name        `xml:"p"`
		D       PersonalDetails `xml:"d,attr"`
		C       ContactDetails  `xml:"c,attr"`
	}{D: d, C: d.Contact})
	require.NoError(t, err)
	assert.Equal(t, `<p d="[redacted: NHS *** *** *919]" c="[redacted contact details]"></p>`, string(b))
}

// TestPRIV_1_WhatFmtCannotRedact shows the limit the package documentation
// states: fmt prints a value by reflection, without calling its Format or
// String, when the value sits in an unexported field of the caller's struct
// (behind a pointer too) or is printed with %p. The safe ways it documents,
// an exported field, the ID alone, or a holder with its own Format, do not
// leak under any verb.
func TestPRIV_1_WhatFmtCannotRedact(t *testing.T) {
	f := newFixture(t)
	d := examplePatientDetails(t)
	p, _, err := RegisterPatient(f.pat, f.prac, d, f.tick())
	require.NoError(t, err)

	type unsafeHolder struct {
		patient Patient
	}
	type unsafePointer struct {
		patient *Patient
	}
	assert.Contains(t, fmt.Sprintf("%v", unsafeHolder{p}), "Adaeze", "the documented limit: an unexported field")
	assert.Contains(t, fmt.Sprintf(strings.Repeat("%s", 1), unsafePointer{&p}), "Adaeze", "the documented limit: behind a pointer too (%v prints the address, %s the value)")
	assert.Contains(t, fmt.Sprintf("%p", p), "Adaeze", "the documented limit: %p of a value")

	type safe struct {
		Patient Patient
		Details PersonalDetails
		id      PatientID
	}
	for _, verb := range fmtVerbs {
		out := fmt.Sprintf(verb, safe{p, d, p.ID()})
		for _, s := range secrets {
			assert.NotContains(t, out, s, verb)
		}
		out = fmt.Sprintf(verb, redactingHolder{p})
		for _, s := range secrets {
			assert.NotContains(t, out, s, verb)
		}
	}
}

// redactingHolder is a caller's type holding a Patient in an unexported
// field the safe way: it prints itself through the Patient's own Format.
type redactingHolder struct{ patient Patient }

func (h redactingHolder) Format(f fmt.State, verb rune) { h.patient.Format(f, verb) }

func TestPRIV_1_EveryEventOfTheStoryIsRedacted(t *testing.T) {
	f := newFixture(t)
	p, reg, err := RegisterPatient(f.pat, f.prac, examplePatientDetails(t), f.tick())
	require.NoError(t, err)
	_, history, msg := f.story()
	anon, err := p.Anonymise(f.tick())
	require.NoError(t, err)
	for i, e := range append([]Event{reg, anon}, history...) {
		assertRedacted(t, fmt.Sprintf("event %d (%s)", i, e.EventType()), e)
	}
	assertRedacted(t, "ClosureMessage", msg)
	assertRedacted(t, "ClosureMessage text", msg.Text(""))
}

func TestPRIV_1_ExplicitExportShowsTheData(t *testing.T) {
	f := newFixture(t)
	d := examplePatientDetails(t)
	p, _, err := RegisterPatient(f.pat, f.prac, d, f.tick())
	require.NoError(t, err)
	assert.Equal(t, d, p.Details())
	assert.Equal(t, "943 476 5919", p.Details().NHSNumber.Grouped())
}

func TestPRIV_2_AnonymiseClearsIdentityAndKeepsHistory(t *testing.T) {
	f := newFixture(t)
	registeredAt := f.tick()
	p, reg, err := RegisterPatient(f.pat, f.prac, examplePatientDetails(t), registeredAt)
	require.NoError(t, err)
	changed, err := p.UpdateDetails(examplePatientDetails(t), f.tick())
	require.NoError(t, err)
	_, referralHistory, _ := f.story()

	at := f.tick()
	anon, err := p.Anonymise(at)
	require.NoError(t, err)
	assert.Equal(t, PatientAnonymised{Patient: f.pat, At: at}, anon, "the change is recorded as an event")
	assert.True(t, p.IsAnonymised())
	assert.Equal(t, at, p.AnonymisedAt())
	assert.True(t, p.Details().IsZero(), "identifying fields cleared")
	assert.Equal(t, f.pat, p.ID(), "pseudonymous ID kept")
	assert.Equal(t, f.prac, p.Practice())
	assert.Equal(t, registeredAt, p.RegisteredAt())
	assert.Equal(t, "patient "+f.pat.String()+" (anonymised)", p.String())

	_, err = p.UpdateDetails(examplePatientDetails(t), f.tick())
	assert.ErrorIs(t, err, ErrAnonymised)
	_, err = p.Anonymise(f.tick())
	assert.ErrorIs(t, err, ErrAnonymised)

	// The stored history can be erased of the details and still replays to
	// the same anonymised record; the referral history is untouched.
	history := append([]Event{reg, changed}, referralHistory...)
	history = append(history, anon)
	erased := ErasePersonalDetails(history, f.pat)
	assert.Equal(t, examplePatientDetails(t), history[0].(PatientRegistered).Details, "input left alone")
	assert.Equal(t, referralHistory, erased[2:len(erased)-1])

	codec, err := NewEventCodec(EventKinds()...)
	require.NoError(t, err)
	var stored bytes.Buffer
	require.NoError(t, codec.Encode(&stored, erased))
	for _, s := range secrets {
		assert.NotContains(t, stored.String(), s)
	}

	var patientEvents []Event
	for _, e := range erased {
		if e.EventStream() == p.Stream() {
			patientEvents = append(patientEvents, e)
		}
	}
	var replayed Patient
	require.NoError(t, Replay(&replayed, patientEvents))
	assert.Equal(t, p, replayed)

	// Erasing one patient leaves another's details alone.
	other := NewID[Patient](f.ids)
	regOther := PatientRegistered{Patient: other, Details: examplePatientDetails(t), At: f.tick()}
	kept := ErasePersonalDetails([]Event{regOther}, f.pat)
	assert.Equal(t, regOther, kept[0])
}

func TestPatientApplyRefusesBadStreams(t *testing.T) {
	f := newFixture(t)
	p, reg, err := RegisterPatient(f.pat, f.prac, PersonalDetails{}, f.tick())
	require.NoError(t, err)
	assert.ErrorIs(t, p.Apply(reg), ErrUnexpectedEvent, "registered twice")
	assert.ErrorIs(t, p.Apply(PatientAnonymised{Patient: NewID[Patient](f.ids), At: f.tick()}), ErrWrongSubject)
	assert.ErrorIs(t, p.Apply(PatientAnonymised{Patient: f.pat, At: reg.At.Add(-time.Hour)}), ErrTimeWentBackwards)
	assert.ErrorIs(t, p.Apply(ReferralReceived{}), ErrUnexpectedEvent)

	var empty Patient
	assert.ErrorIs(t, empty.Apply(PatientAnonymised{Patient: f.pat, At: f.tick()}), ErrUnexpectedEvent)
	_, _, err = RegisterPatient(PatientID{}, f.prac, PersonalDetails{}, f.tick())
	assert.ErrorIs(t, err, ErrInvalidID)
	_, _, err = RegisterPatient(f.pat, f.prac, PersonalDetails{}, time.Time{})
	assert.ErrorIs(t, err, ErrNoTime)
}

func TestPRIV_1_DetailsExportAndReadBack(t *testing.T) {
	d := examplePatientDetails(t)
	redacted, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, `"[redacted: NHS *** *** *919]"`, string(redacted))
	var back PersonalDetails
	assert.ErrorIs(t, json.Unmarshal(redacted, &back), ErrRedacted, "a redacted copy is never read as empty details")

	stored, err := d.ExportJSON()
	require.NoError(t, err)
	assert.Contains(t, string(stored), `"nhs_number":"9434765919"`)
	require.NoError(t, json.Unmarshal(stored, &back))
	assert.Equal(t, d, back)

	for _, bad := range []string{`{"nhs_number":"9434765918"}`, `{"shoe_size":9}`, `[1]`, `{"given_name":3}`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &back), bad)
	}
	require.NoError(t, json.Unmarshal([]byte(`{}`), &back))
	assert.True(t, back.IsZero())
}

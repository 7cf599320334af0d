package prescribing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
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

// assertRedacted formats v with every fmt verb and both slog handlers and
// checks that no secret appears.
func assertRedacted(t *testing.T, name string, v any) {
	t.Helper()
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%T %v"} {
		out = append(out, verb+": "+fmt.Sprintf(verb, v))
	}
	if s, ok := v.(fmt.Stringer); ok {
		out = append(out, "String: "+s.String())
	}
	out = append(out, "Sprint: "+fmt.Sprint(v), "Sprintln: "+fmt.Sprintln(v))
	// slog's own timestamp is dropped: its digits vary from run to run and
	// could match a secret by chance (they once contained "1957").
	noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, noTime) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, noTime) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("msg", "value", v, slog.Group("g", "nested", v))
		out = append(out, "slog: "+buf.String())
	}
	all := strings.Join(out, "\n")
	for _, s := range secrets {
		assert.NotContains(t, all, s, "%s leaks %q in:\n%s", name, s, all)
	}
}

func TestPRIV_1_PersonalDataNeverPrinted(t *testing.T) {
	f := newFixture(t)
	d := examplePatientDetails(t)
	p, reg, err := RegisterPatient(f.pat, f.prac, d, f.tick())
	require.NoError(t, err)
	changed, err := p.UpdateDetails(d, f.tick())
	require.NoError(t, err)

	values := map[string]any{
		"NHSNumber":             d.NHSNumber,
		"*NHSNumber":            &d.NHSNumber,
		"PersonalDetails":       d,
		"*PersonalDetails":      &d,
		"ContactDetails":        d.Contact,
		"Patient":               p,
		"*Patient":              &p,
		"[]Patient":             []Patient{p, p},
		"map[PatientID]Patient": map[PatientID]Patient{p.ID(): p},
		"PatientRegistered":     reg,
		"*PatientRegistered":    &reg,
		"PatientDetailsChanged": changed,
		"[]Event":               []Event{reg, changed},
		"struct holding one":    struct{ P Patient }{p},
	}
	for name, v := range values {
		assertRedacted(t, name, v)
	}

	// The stable hint is allowed and shown.
	assert.Equal(t, "patient "+f.pat.String()+" (NHS *** *** *919)", p.String())
	assert.Equal(t, "*** *** *919", d.NHSNumber.String())
	assert.Contains(t, fmt.Sprintf("%+v", reg), "*** *** *919")
}

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
		if e.EventSubject() == f.pat.UUID() {
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

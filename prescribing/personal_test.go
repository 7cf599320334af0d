package prescribing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // named zones on any machine

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustZone(t testing.TB, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// TestEV_3_DateOfBirthIsStoredAndReplayedAsTheSameDate: a date of birth is a
// calendar date, normalised to midnight UTC of the day the caller's value
// has in its own location, so that a date made in any zone, at any clock
// time, comes back from the codec and replay as the same date.
func TestEV_3_DateOfBirthIsStoredAndReplayedAsTheSameDate(t *testing.T) {
	cases := []struct {
		name string
		dob  time.Time
		want time.Time
	}{
		{"London in summer time, where UTC is the day before",
			time.Date(1957, 7, 14, 0, 0, 0, 0, mustZone(t, "Europe/London")), time.Date(1957, 7, 14, 0, 0, 0, 0, time.UTC)},
		{"late evening in New York, where UTC is the day after",
			time.Date(1957, 3, 14, 23, 30, 0, 0, mustZone(t, "America/New_York")), time.Date(1957, 3, 14, 0, 0, 0, 0, time.UTC)},
		{"Kiritimati, fourteen hours ahead",
			time.Date(2001, 1, 1, 0, 30, 0, 0, mustZone(t, "Pacific/Kiritimati")), time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"twelve hours behind", time.Date(1990, 12, 31, 23, 59, 59, 999, time.FixedZone("", -12*3600)),
			time.Date(1990, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"already a calendar date", time.Date(1957, 3, 14, 0, 0, 0, 0, time.UTC), time.Date(1957, 3, 14, 0, 0, 0, 0, time.UTC)},
		{"unknown", time.Time{}, time.Time{}},
	}
	codec := mustCodec(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			d := examplePatientDetails(t)
			d.DateOfBirth = c.dob
			p, reg, err := RegisterPatient(f.pat, f.prac, d, f.tick())
			require.NoError(t, err)
			assert.Equal(t, c.want, p.Details().DateOfBirth)
			assert.Equal(t, c.want, reg.Details.DateOfBirth, "the event holds the normalised date")
			// A correction to the day before, in the same zone.
			earlier, wantEarlier := c.dob, c.want
			if !c.dob.IsZero() {
				earlier, wantEarlier = c.dob.AddDate(0, 0, -1), c.want.AddDate(0, 0, -1)
			}
			d.DateOfBirth = earlier
			changed, err := p.UpdateDetails(d, f.tick())
			require.NoError(t, err)
			assert.Equal(t, wantEarlier, changed.Details.DateOfBirth)

			var stored bytes.Buffer
			require.NoError(t, codec.Encode(&stored, []Event{reg, changed}))
			events, err := codec.Decode(&stored)
			require.NoError(t, err)
			assert.Equal(t, []Event{reg, changed}, events)
			var replayed Patient
			require.NoError(t, Replay(&replayed, events))
			assert.Equal(t, p, replayed)
			y, m, day := earlier.Date()
			if !earlier.IsZero() {
				assert.Equal(t, time.Date(y, m, day, 0, 0, 0, 0, time.UTC), replayed.Details().DateOfBirth, "the day the caller meant")
			}
		})
	}
}

// TestEV_3_DateOfBirthBounds: a date of birth must lie in the years 1 to
// 9999 and not after the day of registration in any time zone, that is, no
// later than fourteen hours (UTC+14) after the registration instant.
func TestEV_3_DateOfBirthBounds(t *testing.T) {
	f := newFixture(t)
	register := func(dob, at time.Time) error {
		_, _, err := RegisterPatient(NewID[Patient](f.ids), f.prac, PersonalDetails{DateOfBirth: dob}, at)
		return err
	}
	born := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	// 10:00 UTC on 3 March is midnight on 4 March in Kiritimati: a baby born
	// there today can be registered; a second earlier it is not yet 4 March
	// anywhere.
	assert.NoError(t, register(born, time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)))
	assert.ErrorIs(t, register(born, time.Date(2026, 3, 3, 9, 59, 59, 0, time.UTC)), ErrInvalidPersonalDetails)
	kiritimati := mustZone(t, "Pacific/Kiritimati")
	assert.NoError(t, register(time.Date(2026, 3, 4, 0, 0, 0, 0, kiritimati), time.Date(2026, 3, 4, 0, 0, 0, 0, kiritimati)),
		"born and registered at midnight in the zone furthest ahead")
	assert.NoError(t, register(born, born), "born and registered the same day")

	// Years: the last day of 9999 is a date of birth, the first of 10000 not,
	// even when its instant in UTC is still in 9999.
	last := time.Date(9999, 12, 31, 12, 0, 0, 0, time.UTC)
	assert.NoError(t, register(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), last))
	assert.ErrorIs(t, register(time.Date(10000, 1, 1, 0, 30, 0, 0, time.FixedZone("", 3600)), last), ErrTimeOutOfRange)
	assert.NoError(t, register(time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC), f.tick()), "2 January of year 1")
	assert.ErrorIs(t, register(time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), f.tick()), ErrTimeOutOfRange)

	// Changing details checks against the registration, not the change.
	p, _, err := RegisterPatient(NewID[Patient](f.ids), f.prac, PersonalDetails{}, born)
	require.NoError(t, err)
	_, err = p.UpdateDetails(PersonalDetails{DateOfBirth: born.AddDate(0, 0, 1)}, born.AddDate(0, 0, 5))
	assert.ErrorIs(t, err, ErrInvalidPersonalDetails, "born after being registered")
	_, err = p.UpdateDetails(PersonalDetails{DateOfBirth: born}, born.AddDate(0, 0, 5))
	assert.NoError(t, err)
}

func TestCalendarDate(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	assert.Equal(t, time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), CalendarDate(time.Date(2026, 3, 14, 23, 59, 0, 0, ny)))
	assert.Equal(t, time.Time{}, CalendarDate(time.Time{}))
	d := CalendarDate(time.Date(2026, 3, 14, 5, 0, 0, 0, time.UTC))
	assert.Equal(t, CalendarDate(d), d, "idempotent")
	assert.Equal(t, time.UTC, d.Location())
}

// marker is put into fuzzed stored details wherever personal data could
// sit; no error may ever show it. It is two runes, so the one character an
// NHS number error quotes cannot match it.
const marker = "Ω§"

// FuzzPersonalDetailsDecoding: reading stored details either gives details
// that store and read back equal and pass the checks live operations make,
// or an error wrapping a documented sentinel that quotes nothing it read
// (rule PRIV-1).
func FuzzPersonalDetailsDecoding(f *testing.F) {
	for _, s := range []string{
		`{"given_name":"Ω§Adaeze","date_of_birth":"1957-03-14T00:00:00Z","nhs_number":"9434765919"}`,
		`{"date_of_birth":"Ω§1957-03-14"}`,
		`{"date_of_birth":"1957-03-14T00:00:00Ω§"}`,
		`{"nhs_number":"943Ω§4765919"}`,
		`{"Ω§Adaeze":1}`,
		`{"given_name":"Ω§\u0000"}`,
		`{"contact":{"phone":"Ω§07700","email":3}}`,
		`{"contact":{"Ω§":"x"}}`,
		`"Ω§redacted"`,
		`["Ω§"]`,
		`{"family_name":"Ω§Okonkwo"} Ω§`,
		`{"given_name":Ω§}`,
	} {
		f.Add([]byte(s))
	}
	sentinels := []error{ErrInvalidPersonalDetails, ErrRedacted, ErrInvalidText, ErrTimeOutOfRange}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d PersonalDetails
		err := json.Unmarshal(b, &d)
		if err != nil {
			if strings.Contains(err.Error(), marker) {
				t.Fatalf("error quotes what it read: %v", err)
			}
			if bytes.Contains(b, []byte(marker)) && !wrapsOneOf(err, sentinels) {
				// Errors from json itself, before our decoder runs (the
				// input is not one JSON value), need not wrap ours.
				if json.Valid(b) {
					t.Fatalf("%q: %v wraps no documented sentinel", b, err)
				}
			}
			return
		}
		if err := d.check(time.Time{}); err != nil {
			t.Fatalf("%q decoded to details the live operations refuse: %v", b, err)
		}
		out, err := d.ExportJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back PersonalDetails
		if err := json.Unmarshal(out, &back); err != nil || back != d {
			t.Fatalf("%q: stored form does not read back equal: %v", b, err)
		}
	})
}

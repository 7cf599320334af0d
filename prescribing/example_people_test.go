package prescribing_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// A date of birth is a calendar date: whatever zone or clock time the
// caller's value has, the patient keeps the day the caller meant, at
// midnight UTC, and the codec and replay give back the same day.
func ExampleCalendarDate() {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		fmt.Println(err)
		return
	}
	late := time.Date(1957, 3, 14, 23, 30, 0, 0, newYork) // 04:30 on the 15th in UTC
	fmt.Println(prescribing.CalendarDate(late))

	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(1, 1)))
	p, _, err := prescribing.RegisterPatient(prescribing.NewID[prescribing.Patient](ids), prescribing.PracticeID{},
		prescribing.PersonalDetails{DateOfBirth: late}, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Details().DateOfBirth.Format(time.DateOnly))

	_, _, err = prescribing.RegisterPatient(prescribing.NewID[prescribing.Patient](ids), prescribing.PracticeID{},
		prescribing.PersonalDetails{DateOfBirth: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
		time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	fmt.Println(errors.Is(err, prescribing.ErrInvalidPersonalDetails))
	// Output:
	// 1957-03-14 00:00:00 +0000 UTC
	// 1957-03-14
	// true
}

// A refused operation returns the zero event, so a caller that stores the
// event before checking the error stores nothing that did not happen.
func ExampleConsents_ShareWithAsset() {
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(2, 2)))
	patient, club := prescribing.NewID[prescribing.Patient](ids), prescribing.NewID[prescribing.Asset](ids)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	consents, _, err := prescribing.OpenConsents(patient, at)
	if err != nil {
		fmt.Println(err)
		return
	}

	e, err := consents.ShareWithAsset(club, at)
	fmt.Println(errors.Is(err, prescribing.ErrNoConsent), e == prescribing.DetailsShared{})

	if _, err := consents.Give(prescribing.ConsentScopeShareWithAsset, club, at); err != nil {
		fmt.Println(err)
		return
	}
	e, err = consents.ShareWithAsset(club, at.Add(time.Hour))
	fmt.Println(err, e.Asset == club)
	// Output:
	// true true
	// <nil> true
}

// A caseload is read against guidance; both ends of a range are within,
// and a figure that is not a number has no level.
func ExampleRange_Level() {
	people := prescribing.NHSEnglandGuidance().PeoplePerYear
	for _, v := range []float64{199, 200, 250, 251, math.NaN()} {
		fmt.Println(v, people.Level(v))
	}
	// Output:
	// 199 under
	// 200 within
	// 250 within
	// 251 over
	// NaN unset
}

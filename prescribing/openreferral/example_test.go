package openreferral_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/openreferral"
)

// A walking group with 12 places, 5 in use, published as an HSDS service.
func ExampleServiceOf() {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	id := prescribing.IDFromUUID[prescribing.Asset](uuid.MustParse("6f1c1c59-0a55-4a50-9a53-3a1c9e61f0a1"))
	a, _, _ := prescribing.ListAsset(id, prescribing.AssetDetails{Name: "Riverside walking group",
		Needs: []prescribing.Need{prescribing.NeedSocialIsolation}, Places: 12, Languages: []string{"en", "pl"}},
		prescribing.AssetStatusActive, at)
	for range 5 {
		_, _ = a.TakePlace(prescribing.ReferralID{}, at)
	}
	_, _ = a.SetStatus(prescribing.AssetStatusTemporarilyClosed, at)

	s, err := openreferral.ServiceOf(&a, openreferral.Info{Eligibility: "Adults in Riverside", Updated: at})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := s.Capacities[0]
	fmt.Printf("%s: %s, %g of %g %ss available (updated %s)\n", s.Name, s.Status, c.Available, *c.Maximum, c.Unit.Name, c.Updated)
	fmt.Println("eligibility:", s.EligibilityDescription)
	fmt.Println("languages:", s.Languages[0].Code, s.Languages[1].Code)
	// Output:
	// Riverside walking group: temporarily closed, 7 of 12 places available (updated 2026-03-02T10:00:00Z)
	// eligibility: Adults in Riverside
	// languages: en pl
}

// A service from a local directory read as a community asset, and listed.
func ExampleReadService() {
	in := `{"id":"ac148810-d857-441c-9679-408f346de14b","name":"Mill Lane lunch club","status":"active",
	"capacities":[{"id":"8896b788-7b3e-11ef-8db9-7f3d040352b3","unit":{"id":"187a37a2-7b40-11ef-9790-dbf7623d4407","name":"place"},
	"available":2,"maximum":20,"updated":"2026-03-01T09:00:00Z"}],
	"attributes":[{"id":"ae58cc39-8b70-4ab1-8aea-786882e5ac8e","taxonomy_term":{"id":"3f7b145d-84af-42d7-8fae-eaca714b02b2",
	"code":"social_isolation","name":"social isolation","description":"social isolation","taxonomy":"` + openreferral.NeedTaxonomy + `"}}]}`
	l, err := openreferral.ReadService(strings.NewReader(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	a, events, err := l.List(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	free, _ := a.FreePlaces()
	fmt.Println(a.Name(), a.Status(), free, "free of", a.Details().Places, "-", len(events), "events")

	_, err = openreferral.ReadService(strings.NewReader(strings.Replace(in, `"available":2`, `"available":21`, 1)))
	fmt.Println(err)
	// Output:
	// Mill Lane lunch club active 2 free of 20 - 19 events
	// invalid Open Referral service: service.capacities[0].available is more than the maximum
}

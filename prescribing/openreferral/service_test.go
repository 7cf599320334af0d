package openreferral_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/fhir"
	"github.com/socialprescribing/linkwork/prescribing/openreferral"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	t0      = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	assetID = prescribing.IDFromUUID[prescribing.Asset](uuid.MustParse("6f1c1c59-0a55-4a50-9a53-3a1c9e61f0a1"))
)

func walkingGroup() prescribing.AssetDetails {
	return prescribing.AssetDetails{
		Name: "Riverside walking group", Needs: []prescribing.Need{prescribing.NeedSocialIsolation, prescribing.NeedPhysicalActivity},
		Places: 12, FeePence: 250, Concessions: true, Languages: []string{"en", "pl"},
		CulturallySpecific: true, Communities: []string{"Polish"},
		Access: prescribing.Accessibility{StepFree: true, CompanionWelcome: true, Online: true},
	}
}

// asset lists an asset with the details and status, with inUse places taken.
func asset(t *testing.T, d prescribing.AssetDetails, status prescribing.AssetStatus, inUse int) prescribing.Asset {
	t.Helper()
	a, _, err := prescribing.ListAsset(assetID, d, prescribing.AssetStatusActive, t0)
	require.NoError(t, err)
	for range inUse {
		_, err := a.TakePlace(prescribing.ReferralID{}, t0)
		require.NoError(t, err)
	}
	if status != prescribing.AssetStatusActive {
		_, err := a.SetStatus(status, t0)
		require.NoError(t, err)
	}
	return a
}

func roundTrip(t *testing.T, a prescribing.Asset, info openreferral.Info) (openreferral.Service, openreferral.Listing) {
	t.Helper()
	s, err := openreferral.ServiceOf(&a, info)
	require.NoError(t, err)
	data, err := json.Marshal(s)
	require.NoError(t, err)
	l, err := openreferral.ReadService(bytes.NewReader(data))
	require.NoError(t, err)
	return s, l
}

func TestASSET_3_ServiceRoundTripKeepsStatusCapacityEligibilityAndLanguages(t *testing.T) {
	info := openreferral.Info{Description: "A gentle walk by the river", Eligibility: "Adults in Riverside", Updated: t0}
	open := walkingGroup()
	open.OpenAccess, open.Places = true, 0
	free := walkingGroup()
	free.FeePence, free.Concessions, free.Communities, free.CulturallySpecific, free.Languages = 0, false, nil, false, nil
	cases := []struct {
		name    string
		details prescribing.AssetDetails
		status  prescribing.AssetStatus
		inUse   int
		hsds    string
	}{
		{"active with places free", walkingGroup(), prescribing.AssetStatusActive, 5, "active"},
		{"full", walkingGroup(), prescribing.AssetStatusActive, 12, "active"},
		{"none in use", walkingGroup(), prescribing.AssetStatusActive, 0, "active"},
		{"inactive", walkingGroup(), prescribing.AssetStatusInactive, 3, "inactive"},
		{"temporarily closed", walkingGroup(), prescribing.AssetStatusTemporarilyClosed, 1, "temporarily closed"},
		{"defunct", walkingGroup(), prescribing.AssetStatusDefunct, 0, "defunct"},
		{"open access", open, prescribing.AssetStatusActive, 4, "active"},
		{"free, no languages", free, prescribing.AssetStatusActive, 0, "active"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := asset(t, c.details, c.status, c.inUse)
			s, l := roundTrip(t, a, info)
			assert.Equal(t, c.hsds, s.Status)
			assert.Equal(t, c.details, l.Details, "the details come back as they went")
			assert.Equal(t, a.Status(), l.Status)
			assert.Equal(t, a.ID(), l.Asset)
			assert.Equal(t, info.Eligibility, s.EligibilityDescription)
			if c.details.OpenAccess {
				assert.Empty(t, s.Capacities, "an open access asset has no capacity to publish")
				assert.Zero(t, l.InUse, "so the people it counts are not exchanged")
				assert.Equal(t, openreferral.Info{Description: info.Description, Eligibility: info.Eligibility}, l.Info)
			} else {
				assert.Equal(t, info, l.Info)
				require.Len(t, s.Capacities, 1)
				cp := s.Capacities[0]
				assert.Equal(t, openreferral.PlaceUnit, cp.Unit.Name)
				assert.Equal(t, float64(c.details.Places-c.inUse), cp.Available)
				assert.Equal(t, float64(c.details.Places), *cp.Maximum)
				assert.Equal(t, "2026-03-02T10:00:00Z", cp.Updated)
				assert.Equal(t, c.inUse, l.InUse)
			}
			codes := []string{}
			for _, lang := range s.Languages {
				codes = append(codes, lang.Code)
			}
			assert.Equal(t, len(c.details.Languages), len(codes))

			again, events, err := l.List(t0)
			require.NoError(t, err)
			assert.Equal(t, a.Details(), again.Details())
			assert.Equal(t, a.Status(), again.Status())
			assert.Equal(t, l.InUse, again.InUse())
			if !c.details.OpenAccess {
				assert.Equal(t, a.InUse(), again.InUse())
			}
			assert.Equal(t, a.HasRoom(), again.HasRoom())
			var replayed prescribing.Asset
			for _, e := range events {
				require.NoError(t, replayed.Apply(e))
			}
			assert.Equal(t, again, replayed, "the listing's events replay into the same asset")
		})
	}
}

func TestNeedsAreCodedAsInFHIR(t *testing.T) {
	assert.Equal(t, fhir.NeedSystem, openreferral.NeedTaxonomy, "one code system for needs across the exchange formats")
}

func TestHSDSStatusNames(t *testing.T) {
	for _, s := range prescribing.AssetStatuses() {
		name := openreferral.StatusName(s)
		back, err := openreferral.ParseStatus(name)
		require.NoError(t, err)
		assert.Equal(t, s, back)
	}
	assert.Equal(t, "temporarily closed", openreferral.StatusName(prescribing.AssetStatusTemporarilyClosed))
	assert.Empty(t, openreferral.StatusName(prescribing.AssetStatus(9)))
	for _, bad := range []string{"temporarily_closed", "Active", "", "closed"} {
		_, err := openreferral.ParseStatus(bad)
		assert.ErrorIs(t, err, openreferral.ErrInvalidService, bad)
	}
}

func TestServiceOfRefuses(t *testing.T) {
	var none prescribing.Asset
	_, err := openreferral.ServiceOf(&none, openreferral.Info{Updated: t0})
	assert.ErrorIs(t, err, openreferral.ErrInvalidService)
	a := asset(t, walkingGroup(), prescribing.AssetStatusActive, 0)
	_, err = openreferral.ServiceOf(&a, openreferral.Info{})
	assert.ErrorIs(t, err, openreferral.ErrInvalidService, "places need an updated time")
	_, err = openreferral.ServiceOf(&a, openreferral.Info{Updated: t0, Eligibility: "a\x00"})
	assert.ErrorIs(t, err, prescribing.ErrInvalidText)
	_, err = openreferral.ServiceOf(&a, openreferral.Info{Updated: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorIs(t, err, prescribing.ErrTimeOutOfRange)
}

// service returns a valid service JSON with one change.
func service(t *testing.T, change func(m map[string]any)) []byte {
	t.Helper()
	a := asset(t, walkingGroup(), prescribing.AssetStatusActive, 5)
	s, err := openreferral.ServiceOf(&a, openreferral.Info{Updated: t0})
	require.NoError(t, err)
	data, err := json.Marshal(s)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	change(m)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

func capacity(m map[string]any) map[string]any {
	return m["capacities"].([]any)[0].(map[string]any)
}

func TestASSET_3_ReadServiceRefusesWhatAnAssetCannotHold(t *testing.T) {
	cases := []struct {
		name, field string
		change      func(m map[string]any)
		also        error
	}{
		{"id not a UUID", "service.id", func(m map[string]any) { m["id"] = "svc-1" }, nil},
		{"status of another standard", "service.status", func(m map[string]any) { m["status"] = "temporarily_closed" }, nil},
		{"available above maximum", "service.capacities[0].available", func(m map[string]any) { capacity(m)["available"] = 13 }, nil},
		{"negative available", "service.capacities[0].available", func(m map[string]any) { capacity(m)["available"] = -1 }, nil},
		{"fractional maximum", "service.capacities[0].maximum", func(m map[string]any) { capacity(m)["maximum"] = 12.5 }, nil},
		{"no maximum", "service.capacities[0].maximum", func(m map[string]any) { delete(capacity(m), "maximum") }, nil},
		{"bad updated", "service.capacities[0].updated", func(m map[string]any) { capacity(m)["updated"] = "yesterday" }, nil},
		{"unknown need", "service.attributes[0].taxonomy_term.code", func(m map[string]any) {
			m["attributes"].([]any)[0].(map[string]any)["taxonomy_term"].(map[string]any)["code"] = "astrology"
		}, prescribing.ErrUnknownValue},
		{"status wrong type", "service.status", func(m map[string]any) { m["status"] = 3 }, nil},
		{"eligibility not text", "service.eligibility_description", func(m map[string]any) { m["eligibility_description"] = "\x00" }, nil},
		{"no name", "", func(m map[string]any) { m["name"] = " " }, prescribing.ErrInvalidRecord},
		{"no need", "", func(m map[string]any) { m["attributes"] = []any{} }, prescribing.ErrInvalidRecord},
		{"language without code or name", "service.languages[1]", func(m map[string]any) {
			m["languages"].([]any)[1] = map[string]any{"id": uuid.NewString()}
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := openreferral.ReadService(bytes.NewReader(service(t, c.change)))
			require.Error(t, err)
			assert.ErrorIs(t, err, openreferral.ErrInvalidService)
			if c.field != "" {
				assert.Contains(t, err.Error(), c.field)
			}
			if c.also != nil {
				assert.ErrorIs(t, err, c.also)
			}
		})
	}
	t.Run("available equal to maximum is read", func(t *testing.T) {
		l, err := openreferral.ReadService(bytes.NewReader(service(t, func(m map[string]any) { capacity(m)["available"] = 12 })))
		require.NoError(t, err)
		assert.Zero(t, l.InUse)
	})
	t.Run("available zero is a full asset", func(t *testing.T) {
		l, err := openreferral.ReadService(bytes.NewReader(service(t, func(m map[string]any) { capacity(m)["available"] = 0 })))
		require.NoError(t, err)
		assert.Equal(t, 12, l.InUse)
		a, _, err := l.List(t0)
		require.NoError(t, err)
		_, err = a.TakePlace(prescribing.ReferralID{}, t0)
		assert.ErrorIs(t, err, prescribing.ErrAtCapacity)
	})
}

func TestReadServiceOfADirectory(t *testing.T) {
	// A directory's service: other fields, no places, another taxonomy.
	in := `{"id":"ac148810-d857-441c-9679-408f346de14b","organization_id":"d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
	"name":"Community Counselling","status":"temporarily closed","eligibility_description":"Adults 18+",
	"languages":[{"id":"a1","name":"Urdu"}],
	"attributes":[{"id":"x","taxonomy_term":{"id":"y","name":"Counselling","description":"c","taxonomy":"OpenEligibility"}},
	{"id":"z","taxonomy_term":{"id":"w","code":"mental_wellbeing","name":"m","description":"m","taxonomy":"` + openreferral.NeedTaxonomy + `"}}],
	"url":"http://example.com/counselling"}`
	l, err := openreferral.ReadService(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, prescribing.AssetStatusTemporarilyClosed, l.Status)
	assert.True(t, l.Details.OpenAccess, "a service without places is open access")
	assert.Equal(t, []string{"Urdu"}, l.Details.Languages)
	assert.Equal(t, []prescribing.Need{prescribing.NeedMentalWellbeing}, l.Details.Needs)
	assert.Equal(t, "Adults 18+", l.Info.Eligibility)
}

func TestReadServiceBoundsItsInput(t *testing.T) {
	big := `{"name":"` + strings.Repeat("a", openreferral.MaxInputBytes) + `"}`
	_, err := openreferral.ReadService(strings.NewReader(big))
	assert.ErrorIs(t, err, openreferral.ErrTooLarge)
	for _, in := range []string{"", "{", "[]", `{"id":1}`, `{} {}`} {
		_, err := openreferral.ReadService(strings.NewReader(in))
		assert.True(t, errors.Is(err, openreferral.ErrInvalidService), "%q: %v", in, err)
	}
}

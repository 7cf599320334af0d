package fhir_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/fhir"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func seeded() prescribing.IDSource { return prescribing.SeededIDs(rand.New(rand.NewPCG(1, 2))) }

func TestImportAGPReferral(t *testing.T) {
	data, err := os.ReadFile("testdata/gp-referral.json")
	require.NoError(t, err)
	in, err := fhir.ImportReferral(bytes.NewReader(data), seeded())
	require.NoError(t, err)

	assert.False(t, in.Referral.ID.IsZero(), "a non-UUID id gets a new referral ID")
	assert.False(t, in.Referral.Patient.IsZero())
	assert.Equal(t, "b2a7e3c0-4c4f-4e8e-9a4b-1d1c0f6e2a11", in.Referral.Practice.String())
	assert.Equal(t, "A81001", in.PracticeODS)
	assert.Equal(t, prescribing.SourceGP, in.Referral.Source, "a Practitioner requester")
	assert.Equal(t, "Dr Patel", in.Referral.Referrer)
	assert.Equal(t, []prescribing.Need{prescribing.NeedSocialIsolation, prescribing.NeedOther}, in.Referral.Needs,
		"a reason without a need code is kept as need other")
	assert.Equal(t, time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC), in.AuthoredOn)
	d := in.Details
	assert.Equal(t, "Ann Marie", d.GivenName, "the official name, given names joined")
	assert.Equal(t, "Example", d.FamilyName)
	assert.Equal(t, "9434765919", d.NHSNumber.Digits())
	assert.Equal(t, time.Date(1948, 5, 17, 0, 0, 0, 0, time.UTC), d.DateOfBirth)
	assert.Equal(t, prescribing.ContactDetails{Phone: "01632 960001", Email: "ann@example.org",
		Address: "1 Example Street, Riverside", Postcode: "AB1 2CD"}, d.Contact)

	got, err := in.Receive(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, prescribing.StateReceived, got.Referral.State())
	assert.Equal(t, in.Referral.Patient, got.Patient.ID())
	assert.Equal(t, d, got.Patient.Details())

	again, err := fhir.ImportReferral(bytes.NewReader(data), seeded())
	require.NoError(t, err)
	assert.Equal(t, in, again, "same source, same IDs")
}

func TestImportReadsBackWhatTheExportWrote(t *testing.T) {
	for _, name := range []string{"received", "contacted", "connected"} {
		rec := stories(t)[name]
		b, err := fhir.TransactionBundle(rec)
		require.NoError(t, err)
		data, err := json.Marshal(b)
		require.NoError(t, err)
		if rec.Referral.State() == prescribing.StateOnHold {
			continue
		}
		in, err := fhir.ImportReferral(bytes.NewReader(data), seeded())
		require.NoError(t, err, name)
		assert.Equal(t, rec.Referral.ID(), in.Referral.ID, name)
		assert.Equal(t, rec.Referral.Patient(), in.Referral.Patient, name)
		assert.Equal(t, rec.Referral.Practice(), in.Referral.Practice, name)
		assert.Equal(t, rec.Referral.Source(), in.Referral.Source, name)
		assert.Equal(t, rec.Referral.Referrer(), in.Referral.Referrer, name)
		assert.Equal(t, rec.Referral.Needs(), in.Referral.Needs, name)
		assert.Equal(t, rec.Referral.ReceivedAt(), in.AuthoredOn, name)
		assert.Equal(t, rec.Patient.Details(), in.Details, name)
		assert.Equal(t, rec.Practice.Details().ODSCode, in.PracticeODS, name)
	}
}

// gp returns the GP referral with one change made to its decoded JSON.
func gp(t *testing.T, change func(b map[string]any)) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/gp-referral.json")
	require.NoError(t, err)
	var b map[string]any
	require.NoError(t, json.Unmarshal(data, &b))
	change(b)
	out, err := json.Marshal(b)
	require.NoError(t, err)
	return out
}

func res(b map[string]any, i int) map[string]any {
	return b["entry"].([]any)[i].(map[string]any)["resource"].(map[string]any)
}

func TestImportErrorsNameTheElementByItsFHIRPath(t *testing.T) {
	cases := []struct {
		name, path string
		change     func(b map[string]any)
		also       error
	}{
		{"not a Bundle", "Bundle.resourceType", func(b map[string]any) { b["resourceType"] = "Parameters" }, nil},
		{"no ServiceRequest", "Bundle.entry", func(b map[string]any) { b["entry"] = b["entry"].([]any)[1:] }, nil},
		{"two ServiceRequests", "Bundle.entry", func(b map[string]any) { b["entry"] = append(b["entry"].([]any), b["entry"].([]any)[0]) }, nil},
		{"entry not an object", "Bundle.entry[2]", func(b map[string]any) { b["entry"].([]any)[2] = "x" }, nil},
		{"no status", "Bundle.entry[0].resource.status", func(b map[string]any) { delete(res(b, 0), "status") }, nil},
		{"completed", "Bundle.entry[0].resource.status", func(b map[string]any) { res(b, 0)["status"] = "completed" }, nil},
		{"intent plan", "Bundle.entry[0].resource.intent", func(b map[string]any) { res(b, 0)["intent"] = "plan" }, nil},
		{"subject missing", "Bundle.entry[0].resource.subject.reference", func(b map[string]any) { delete(res(b, 0), "subject") }, nil},
		{"subject elsewhere", "Bundle.entry[0].resource.subject.reference", func(b map[string]any) {
			res(b, 0)["subject"] = map[string]any{"reference": "Patient/other"}
		}, nil},
		{"bad authoredOn", "Bundle.entry[0].resource.authoredOn", func(b map[string]any) { res(b, 0)["authoredOn"] = "yesterday" }, nil},
		{"authoredOn past 9999", "Bundle.entry[0].resource.authoredOn", func(b map[string]any) { res(b, 0)["authoredOn"] = "0000-01-01" }, nil},
		{"unknown need", "Bundle.entry[0].resource.reasonCode[0].coding[0].code", func(b map[string]any) {
			res(b, 0)["reasonCode"].([]any)[0].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"] = "astrology"
		}, prescribing.ErrUnknownValue},
		{"reasonCode not a list", "Bundle.entry[0].resource.reasonCode", func(b map[string]any) { res(b, 0)["reasonCode"] = "lonely" }, nil},
		{"invalid NHS number", "Bundle.entry[1].resource.identifier[0].value", func(b map[string]any) {
			res(b, 1)["identifier"].([]any)[0].(map[string]any)["value"] = "9434765918"
		}, prescribing.ErrInvalidNHSNumber},
		{"NHS number not a string", "Bundle.entry[1].resource.identifier[0].value", func(b map[string]any) {
			res(b, 1)["identifier"].([]any)[0].(map[string]any)["value"] = 9434765919
		}, nil},
		{"no NHS number", "Bundle.entry[1].resource.identifier", func(b map[string]any) { delete(res(b, 1), "identifier") }, nil},
		{"partial birth date", "Bundle.entry[1].resource.birthDate", func(b map[string]any) { res(b, 1)["birthDate"] = "1948-05" }, nil},
		{"family name with NUL", "Bundle.entry[1].resource.name[1].family", func(b map[string]any) {
			res(b, 1)["name"].([]any)[1].(map[string]any)["family"] = "Exa\x00mple"
		}, prescribing.ErrInvalidText},
		{"long given name", "Bundle.entry[1].resource.name[1].given[0]", func(b map[string]any) {
			res(b, 1)["name"].([]any)[1].(map[string]any)["given"] = []any{strings.Repeat("a", prescribing.MaxTextBytes+1)}
		}, prescribing.ErrInvalidText},
		{"referrer not text", "Bundle.entry[0].resource.requester.display", func(b map[string]any) {
			res(b, 0)["requester"].(map[string]any)["display"] = "Dr \x00"
		}, prescribing.ErrInvalidText},
		{"requester names nobody", "Bundle.entry[0].resource.requester", func(b map[string]any) {
			res(b, 0)["requester"] = map[string]any{"display": "someone"}
		}, nil},
		{"unknown source", "Bundle.entry[0].resource.extension[0].valueCoding.code", func(b map[string]any) {
			res(b, 0)["extension"] = []any{map[string]any{"url": fhir.SourceExtension, "valueCoding": map[string]any{"code": "oracle"}}}
		}, prescribing.ErrUnknownValue},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := fhir.ImportReferral(bytes.NewReader(gp(t, c.change)), seeded())
			require.Error(t, err)
			assert.ErrorIs(t, err, fhir.ErrInvalidResource)
			var pe *fhir.PathError
			require.True(t, errors.As(err, &pe), "%v", err)
			assert.Equal(t, c.path, pe.Path)
			if c.also != nil {
				assert.ErrorIs(t, err, c.also)
			}
			for _, secret := range []string{"9434765", "Example", "Annie", "01632", "example.org", "AB1", "Patel", "astrology", "oracle", "yesterday"} {
				assert.NotContains(t, err.Error(), secret, "PRIV-1: errors never echo the input")
			}
		})
	}
}

func TestImportRefusesMalformedAndOversizedInput(t *testing.T) {
	for name, in := range map[string]string{
		"empty": "", "not JSON": "Ann Example 9434765919", "cut short": `{"resourceType":"Bundle","entry":[`,
		"trailing data": `{"resourceType":"Bundle"} {}`, "array": `[]`,
	} {
		_, err := fhir.ImportReferral(strings.NewReader(in), seeded())
		assert.ErrorIs(t, err, fhir.ErrInvalidResource, name)
		if err != nil {
			assert.NotContains(t, err.Error(), "9434765919", name)
		}
	}
	big := `{"resourceType":"Bundle","entry":[],"x":"` + strings.Repeat("a", fhir.MaxInputBytes) + `"}`
	_, err := fhir.ImportReferral(strings.NewReader(big), seeded())
	assert.ErrorIs(t, err, fhir.ErrTooLarge)
	justFits := `{"resourceType":"Bundle","entry":[]}`
	justFits = justFits[:len(justFits)-1] + strings.Repeat(" ", fhir.MaxInputBytes-len(justFits)) + "}"
	require.Len(t, justFits, fhir.MaxInputBytes)
	_, err = fhir.ImportReferral(strings.NewReader(justFits), seeded())
	assert.NotErrorIs(t, err, fhir.ErrTooLarge, "exactly MaxInputBytes is read")
	assert.ErrorIs(t, err, fhir.ErrInvalidResource, "and then found to hold no ServiceRequest")
}

func TestPRIV_1_InboundPrintsNoPersonalData(t *testing.T) {
	data, err := os.ReadFile("testdata/gp-referral.json")
	require.NoError(t, err)
	in, err := fhir.ImportReferral(bytes.NewReader(data), seeded())
	require.NoError(t, err)
	var logged bytes.Buffer
	for _, s := range []string{in.String(), sprint(in), sprintPlus(in), sprintGo(in), logJSON(&logged, in)} {
		for _, secret := range []string{"9434765919", "Example", "Ann", "01632", "ann@example.org", "AB1 2CD"} {
			assert.NotContains(t, s, secret)
		}
		assert.Contains(t, s, "*919")
	}
}

func TestImportIDsAreUUIDsOrNew(t *testing.T) {
	known := uuid.MustParse("5b0c4a5e-2d1e-4e53-8a5b-4ad0d4f0e0a1")
	body := gp(t, func(b map[string]any) {
		res(b, 0)["id"] = known.String()
		res(b, 0)["subject"] = map[string]any{"reference": "urn:uuid:" + known.String()}
		b["entry"].([]any)[1].(map[string]any)["fullUrl"] = "urn:uuid:" + known.String()
		res(b, 1)["id"] = "00000000-0000-0000-0000-000000000000"
	})
	in, err := fhir.ImportReferral(bytes.NewReader(body), seeded())
	require.NoError(t, err)
	assert.Equal(t, known, in.Referral.ID.UUID())
	assert.False(t, in.Referral.Patient.IsZero(), "the nil UUID is no ID: a new one is made")
}

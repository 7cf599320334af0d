package fhir_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/fhir"
	"github.com/socialprescribing/linkwork/prescribing/fhir/fhirtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func stories(t *testing.T) map[string]fhir.Records {
	t.Helper()
	list, err := fhirtest.Stories(7)
	require.NoError(t, err)
	out := map[string]fhir.Records{}
	for _, s := range list {
		out[s.Name] = s.Records
	}
	return out
}

func TestREF_5_TaskStatusOfEveryLifecycleState(t *testing.T) {
	want := map[string]struct {
		status, business string
		reason           bool
	}{
		"received":                  {"requested", "", false},
		"accepted":                  {"accepted", "", false},
		"rejected":                  {"rejected", "", true},
		"contacted":                 {"in-progress", "contacted", false},
		"declined":                  {"cancelled", "declined", true},
		"in-support":                {"in-progress", "in-support", false},
		"connected":                 {"in-progress", "connected", false},
		"on-hold-from-in-support":   {"on-hold", "", true},
		"on-hold-from-connected":    {"on-hold", "", true},
		"resumed":                   {"in-progress", "in-support", false},
		"reassigned":                {"in-progress", "contacted", false},
		"closed-connected":          {"completed", "", false},
		"closed-without-connection": {"completed", "", false},
		"closed-after-hold":         {"completed", "", false},
		"cancelled":                 {"cancelled", "cancelled", true},
		"cancelled-received":        {"cancelled", "cancelled", true},
		"entered-in-error":          {"entered-in-error", "", true},
	}
	all := stories(t)
	require.Len(t, all, len(want))
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			rec, ok := all[name]
			require.True(t, ok)
			task, err := fhir.TaskResource(rec)
			require.NoError(t, err)
			assert.Equal(t, w.status, task.Status)
			assert.Equal(t, rec.Referral.State().TaskStatus().String(), task.Status, "the status is rule REF-5's")
			assert.Equal(t, "order", task.Intent)
			assert.Equal(t, fhir.TaskCodeSystem, task.Code.Coding[0].System)
			assert.Equal(t, "fulfill", task.Code.Coding[0].Code)
			assert.Equal(t, "ServiceRequest/"+rec.Referral.ID().String(), task.Focus.Reference)
			assert.Equal(t, "Patient/"+rec.Referral.Patient().String(), task.For.Reference)
			if w.business == "" {
				assert.Nil(t, task.BusinessStatus)
			} else {
				require.NotNil(t, task.BusinessStatus)
				assert.Equal(t, fhir.StateSystem, task.BusinessStatus.Coding[0].System)
				assert.Equal(t, w.business, task.BusinessStatus.Coding[0].Code)
			}
			if w.reason {
				require.NotNil(t, task.StatusReason)
				assert.Equal(t, strings.ReplaceAll(rec.Referral.Reason(), "\u2028", " "), task.StatusReason.Text)
			} else {
				assert.Nil(t, task.StatusReason)
			}
			if lw := rec.Referral.LinkWorker(); lw.IsZero() {
				assert.Nil(t, task.Owner)
			} else {
				require.NotNil(t, task.Owner)
				assert.Equal(t, "Practitioner/"+lw.String(), task.Owner.Reference)
			}
		})
	}
}

func TestREF_5_BusinessStatusExactlyWhereTheStatusIsAmbiguous(t *testing.T) {
	for name, rec := range stories(t) {
		task, err := fhir.TaskResource(rec)
		require.NoError(t, err)
		_, back := prescribing.StateFromTaskStatus(rec.Referral.State().TaskStatus())
		assert.Equal(t, errors.Is(back, prescribing.ErrAmbiguousStatus), task.BusinessStatus != nil, name)
	}
}

func TestREF_6_ServiceRequestCodesFirstContact(t *testing.T) {
	all := stories(t)
	cases := []struct {
		story, code string
	}{
		{"received", ""}, {"accepted", ""}, {"rejected", ""},
		{"contacted", "871731000000106"}, {"closed-connected", "871731000000106"},
		{"declined", "871711000000103"},
	}
	for _, c := range cases {
		sr, err := fhir.ServiceRequestResource(all[c.story])
		require.NoError(t, err, c.story)
		require.NotNil(t, sr.Code, c.story)
		if c.code == "" {
			assert.Empty(t, sr.Code.Coding, "%s: no SNOMED CT code before first contact", c.story)
			continue
		}
		require.Len(t, sr.Code.Coding, 1, c.story)
		assert.Equal(t, prescribing.SNOMEDSystem, sr.Code.Coding[0].System)
		assert.Equal(t, c.code, sr.Code.Coding[0].Code, c.story)
	}
}

func TestServiceRequestOfAReferral(t *testing.T) {
	rec := stories(t)["connected"]
	sr, err := fhir.ServiceRequestResource(rec)
	require.NoError(t, err)
	assert.Equal(t, "active", sr.Status)
	assert.Equal(t, "order", sr.Intent)
	assert.Equal(t, "social-prescribing", sr.Category[0].Coding[0].Code)
	assert.Equal(t, "Patient/"+rec.Patient.ID().String(), sr.Subject.Reference)
	require.NotNil(t, sr.Requester)
	assert.Equal(t, "Dr Patel", sr.Requester.Display)
	var needs []string
	for _, rc := range sr.ReasonCode {
		assert.Equal(t, fhir.NeedSystem, rc.Coding[0].System)
		needs = append(needs, rc.Coding[0].Code)
	}
	assert.Equal(t, []string{"social_isolation", "money"}, needs)
	require.Len(t, sr.Extension, 1)
	assert.Equal(t, "hospital_discharge", sr.Extension[0].ValueCoding.Code)

	self, err := fhir.ServiceRequestResource(stories(t)["contacted"])
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(self.Requester.Reference, "Patient/"), "a self-referral is requested by the person")

	statuses := map[string]string{"rejected": "revoked", "declined": "revoked", "on-hold-from-connected": "on-hold",
		"closed-connected": "completed", "entered-in-error": "entered-in-error", "received": "active"}
	for story, want := range statuses {
		sr, err := fhir.ServiceRequestResource(stories(t)[story])
		require.NoError(t, err)
		assert.Equal(t, want, sr.Status, story)
	}
}

func TestTaskOutputIsTheSupportTakenUp(t *testing.T) {
	rec := stories(t)["connected"]
	task, err := fhir.TaskResource(rec)
	require.NoError(t, err)
	conns := rec.Referral.Connections()
	require.Len(t, task.Output, len(conns))
	for i, c := range conns {
		o := task.Output[i]
		assert.Equal(t, "community-support-taken-up", o.Type.Coding[0].Code)
		require.NotNil(t, o.ValueReference)
		assert.Equal(t, c.Asset.String(), o.ValueReference.Identifier.Value)
		assert.Equal(t, fhir.AssetIDSystem, o.ValueReference.Identifier.System)
		assert.Equal(t, c.Name, o.ValueReference.Display)
	}
	none, err := fhir.TaskResource(stories(t)["in-support"])
	require.NoError(t, err)
	assert.Empty(t, none.Output)
}

func TestCONS_1_AConsentResourcePerConsentGivenOrWithdrawn(t *testing.T) {
	rec := stories(t)["closed-connected"]
	grants := rec.Consents.Grants()
	require.Len(t, grants, 3)
	cs, err := fhir.ConsentResources(rec)
	require.NoError(t, err)
	require.Len(t, cs, 3)
	for i, g := range grants {
		c := cs[i]
		assert.Equal(t, g.Scope.String(), c.Provision.Code[0].Coding[0].Code)
		assert.Equal(t, "permit", c.Provision.Type)
		if g.Withdrawn() {
			assert.Equal(t, "inactive", c.Status)
			assert.NotEmpty(t, c.Provision.Period.End)
		} else {
			assert.Equal(t, "active", c.Status)
			assert.Empty(t, c.Provision.Period.End)
		}
		if g.Asset.IsZero() {
			assert.Empty(t, c.Provision.Actor)
		} else {
			require.Len(t, c.Provision.Actor, 1)
			assert.Equal(t, g.Asset.String(), c.Provision.Actor[0].Reference.Identifier.Value)
		}
	}
	none, err := fhir.ConsentResources(stories(t)["received"])
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestTransactionBundleRefersOnlyToItsOwnEntries(t *testing.T) {
	for name, rec := range stories(t) {
		b, err := fhir.TransactionBundle(rec)
		require.NoError(t, err)
		assert.Equal(t, "transaction", b.Type)
		urls := map[string]bool{}
		for _, e := range b.Entry {
			require.True(t, strings.HasPrefix(e.FullURL, "urn:uuid:"), name)
			require.NotNil(t, e.Request)
			assert.Equal(t, "PUT", e.Request.Method)
			urls[e.FullURL] = true
		}
		data, err := json.Marshal(b)
		require.NoError(t, err)
		for _, ref := range references(t, data) {
			assert.True(t, urls[ref], "%s: reference %s has no entry", name, ref)
		}
		types := map[string]int{}
		for _, e := range b.Entry {
			var head struct{ ResourceType string }
			raw, _ := json.Marshal(e.Resource)
			require.NoError(t, json.Unmarshal(raw, &head))
			types[head.ResourceType]++
		}
		assert.Equal(t, 1, types["Patient"], name)
		assert.Equal(t, 1, types["Organization"], name)
		assert.Equal(t, 1, types["ServiceRequest"], name)
		assert.Equal(t, 1, types["Task"], name)
		assert.Equal(t, len(rec.Consents.Grants()), types["Consent"], name)
	}
}

// references returns every "reference" string in a JSON document.
func references(t *testing.T, data []byte) []string {
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["reference"].(string); ok {
				out = append(out, s)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

func TestExportRefusesRecordsThatDoNotBelongTogether(t *testing.T) {
	all := stories(t)
	other := all["accepted"]
	strangerWorker, _, err := prescribing.RegisterLinkWorker(prescribing.IDFromUUID[prescribing.LinkWorker](other.Referral.ID().UUID()),
		prescribing.LinkWorkerDetails{Title: prescribing.TitleLinkWorker, Employer: prescribing.EmployerPCN}, fhirtest.Day(0))
	require.NoError(t, err)
	strangerPractice, _, err := prescribing.RegisterPractice(prescribing.IDFromUUID[prescribing.Practice](other.Referral.ID().UUID()),
		prescribing.PracticeDetails{Name: "Elsewhere"}, fhirtest.Day(0))
	require.NoError(t, err)
	othersConsents, _, err := prescribing.OpenConsents(other.Patient.ID(), fhirtest.Day(0))
	require.NoError(t, err)
	cases := map[string]func(r *fhir.Records){
		"no referral":         func(r *fhir.Records) { r.Referral = prescribing.Referral{} },
		"another patient":     func(r *fhir.Records) { r.Patient = other.Patient },
		"another link worker": func(r *fhir.Records) { r.LinkWorker = strangerWorker },
		"another practice":    func(r *fhir.Records) { r.Practice = strangerPractice },
		"another's consents":  func(r *fhir.Records) { r.Consents = othersConsents },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			rec := all["connected"]
			spoil(&rec)
			_, err := fhir.TransactionBundle(rec)
			assert.ErrorIs(t, err, fhir.ErrRecordsDisagree)
			_, err = fhir.ServiceRequestResource(rec)
			assert.ErrorIs(t, err, fhir.ErrRecordsDisagree)
			_, err = fhir.TaskResource(rec)
			assert.ErrorIs(t, err, fhir.ErrRecordsDisagree)
			_, err = fhir.ConsentResources(rec)
			assert.ErrorIs(t, err, fhir.ErrRecordsDisagree)
			_, err = fhir.MessageBack(rec)
			assert.ErrorIs(t, err, fhir.ErrRecordsDisagree)
		})
	}
	rec := all["connected"]
	rec.LinkWorker, rec.Practice = prescribing.LinkWorker{}, prescribing.Practice{}
	b, err := fhir.TransactionBundle(rec)
	require.NoError(t, err, "the practice and link worker records are optional")
	data, err := json.Marshal(b)
	require.NoError(t, err)
	assert.Contains(t, string(data), fhir.LinkWorkerIDSystem, "without its record the link worker is referred to by identifier")
}

func TestPRIV_1_ExportsShowTheDetailsAndNothingElseDoes(t *testing.T) {
	rec := stories(t)["closed-connected"]
	d := rec.Patient.Details()
	secrets := []string{d.FamilyName, d.NHSNumber.Digits(), d.Contact.Phone, d.Contact.Email, d.Contact.Postcode}
	b, err := fhir.TransactionBundle(rec)
	require.NoError(t, err)
	data, err := json.Marshal(b)
	require.NoError(t, err)
	for _, s := range secrets {
		assert.Contains(t, string(data), s, "the export is the explicit export")
	}
	var logged bytes.Buffer
	printed := fmt.Sprintf("%v %+v %#v %s", rec, rec, rec, rec.String()) + logJSON(&logged, rec)
	for _, s := range secrets {
		assert.NotContains(t, printed, s)
	}
}

func TestFreeTextIsWrittenAsAFHIRStringCanHoldIt(t *testing.T) {
	rec := stories(t)["in-support"]
	require.Contains(t, rec.Patient.Details().GivenName, "\u00a0")
	p := fhir.PatientResource(rec.Patient)
	assert.Equal(t, "Zoë Anne", p.Name[0].Given[0], "a no-break space is written as a space")
	cancelled := stories(t)["cancelled"]
	task, err := fhir.TaskResource(cancelled)
	require.NoError(t, err)
	assert.Equal(t, "moved out of the area", task.StatusReason.Text)
	assert.Contains(t, cancelled.Referral.Reason(), "\u2028", "the record keeps what it was given")
}

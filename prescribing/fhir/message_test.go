package fhir_test

import (
	"encoding/json"
	"testing"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/fhir"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestREF_4_MessageBackIsADocumentWithThePRSBSections(t *testing.T) {
	rec := stories(t)["closed-connected"]
	b, err := fhir.MessageBack(rec)
	require.NoError(t, err)
	assert.Equal(t, "document", b.Type)
	require.NotNil(t, b.Identifier)
	assert.NotEmpty(t, b.Timestamp)
	comp, ok := b.Entry[0].Resource.(fhir.Composition)
	require.True(t, ok, "the first entry is the Composition")
	assert.Equal(t, "final", comp.Status)
	assert.Equal(t, "message-back", comp.Type.Coding[0].Code)
	assert.Equal(t, "urn:uuid:"+rec.Patient.ID().String(), comp.Subject.Reference)
	assert.Equal(t, "urn:uuid:"+rec.LinkWorker.ID().String(), comp.Author[0].Reference)

	var codes []string
	for _, s := range comp.Section {
		codes = append(codes, s.Code.Coding[0].Code)
		assert.Contains(t, s.Text.Div, `xmlns="http://www.w3.org/1999/xhtml"`)
	}
	assert.Equal(t, []string{"person", "needs", "support", "measures", "outcome"}, codes)

	urls := map[string]any{}
	for _, e := range b.Entry {
		assert.Nil(t, e.Request, "a document's entries are not requests")
		urls[e.FullURL] = e.Resource
	}
	data, err := json.Marshal(b)
	require.NoError(t, err)
	for _, ref := range references(t, data) {
		assert.Contains(t, urls, ref, "reference %s has no entry", ref)
	}

	measures := comp.Section[3]
	require.Len(t, measures.Entry, len(rec.Referral.Measures()))
	for i, m := range rec.Referral.Measures() {
		o, ok := urls[measures.Entry[i].Reference].(fhir.Observation)
		require.True(t, ok)
		assert.Equal(t, fhir.MeasureSystem, o.Code.Coding[0].System)
		require.Len(t, o.Component, 2)
		assert.Equal(t, "before", o.Component[0].Code.Coding[0].Code)
		assert.Equal(t, "after", o.Component[1].Code.Coding[0].Code)
		for j, s := range []prescribing.Score{m.Before, m.After} {
			if v, known := s.Value(); known {
				require.NotNil(t, o.Component[j].ValueQuantity)
				assert.Equal(t, v, o.Component[j].ValueQuantity.Value)
				assert.Nil(t, o.Component[j].DataAbsentReason)
			} else {
				assert.Nil(t, o.Component[j].ValueQuantity)
				require.NotNil(t, o.Component[j].DataAbsentReason, "a score not recorded says so")
			}
		}
	}
	assert.Equal(t, "swemwbs-metric", urls[measures.Entry[0].Reference].(fhir.Observation).Code.Coding[0].Code)
	assert.Equal(t, "ons4-life_satisfaction", urls[measures.Entry[1].Reference].(fhir.Observation).Code.Coding[0].Code)

	outcome := comp.Section[4]
	o, ok := urls[outcome.Entry[0].Reference].(fhir.Observation)
	require.True(t, ok)
	assert.Equal(t, fhir.OutcomeSystem, o.ValueCodeableConcept.Coding[0].System)
	assert.Equal(t, "connected_and_benefited", o.ValueCodeableConcept.Coding[0].Code)
	sr, ok := urls[outcome.Entry[1].Reference].(fhir.ServiceRequest)
	require.True(t, ok)
	assert.Equal(t, "871731000000106", sr.Code.Coding[0].Code, "the outcome section carries the SNOMED CT code")
	assert.Contains(t, outcome.Text.Div, "871731000000106")

	assert.Contains(t, comp.Section[0].Text.Div, "Contacts: 1 recorded, 1 attended")
	assert.Contains(t, comp.Section[0].Text.Div, rec.Patient.Details().NHSNumber.Grouped(), "the document is an explicit export")

	support := comp.Section[2].Text.Div
	for _, s := range rec.Referral.Offered() {
		assert.Contains(t, support, s.Name)
	}
	task, ok := urls[comp.Section[2].Entry[0].Reference].(fhir.Task)
	require.True(t, ok)
	assert.Len(t, task.Output, len(rec.Referral.Connections()))
}

func TestREF_4_NoMessageBackBeforeClosure(t *testing.T) {
	for name, rec := range stories(t) {
		_, err := fhir.MessageBack(rec)
		if rec.Referral.State() == prescribing.StateClosed {
			assert.NoError(t, err, name)
		} else {
			assert.ErrorIs(t, err, prescribing.ErrMessageIncomplete, name)
		}
	}
}

func TestREF_4_MeasuresSectionWithoutMeasures(t *testing.T) {
	b, err := fhir.MessageBack(stories(t)["closed-without-connection"])
	require.NoError(t, err)
	comp := b.Entry[0].Resource.(fhir.Composition)
	assert.Empty(t, comp.Section[3].Entry)
	assert.Contains(t, comp.Section[3].Text.Div, "none")
}

func TestMessageBackNarrativeIsEscaped(t *testing.T) {
	rec := stories(t)["closed-without-connection"]
	d := rec.Patient.Details()
	d.FamilyName = "<script>O'Brien & Co</script>"
	p, _, err := prescribing.RegisterPatient(rec.Patient.ID(), rec.Patient.Practice(), d, rec.Patient.RegisteredAt())
	require.NoError(t, err)
	rec.Patient = p
	b, err := fhir.MessageBack(rec)
	require.NoError(t, err)
	div := b.Entry[0].Resource.(fhir.Composition).Section[0].Text.Div
	assert.NotContains(t, div, "<script>")
	assert.Contains(t, div, "&lt;script&gt;")
}

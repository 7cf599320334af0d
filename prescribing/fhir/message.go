package fhir

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// MessageBack returns the message back to the GP and referrer of a closed
// referral (rule REF-4) as a FHIR document: a Bundle of type document
// whose first entry is a Composition (type "message-back" in
// [SectionSystem]) dated at the closure, authored by the link worker, with
// the sections of the PRSB Social Prescribing Information Standard's
// message back:
//
//   - "person": the person seen, who referred them and when, the link
//     worker and the contacts; entry the Patient.
//   - "needs": the needs identified; entry the ServiceRequest, whose
//     reasonCode codes them ([NeedSystem]).
//   - "support": the support offered and taken up; entry the Task, whose
//     outputs are the support taken up.
//   - "measures": the outcome measures before and after support, one
//     Observation each ([MeasureSystem]: an ONS4 question or the SWEMWBS
//     metric score) with a "before" and an "after" component; a score not
//     recorded has dataAbsentReason unknown. The message holds the scores,
//     not when they were taken, so the Observations are dated at the
//     closure.
//   - "outcome": an Observation of the outcome ([OutcomeSystem]) and the
//     ServiceRequest, whose code is the SNOMED CT concept recorded at first
//     contact (871731000000106 "Referral to social prescribing service",
//     rule REF-6).
//
// Each section has a narrative; the Bundle holds every resource the
// sections refer to, with fullUrl urn:uuid:<id>. A referral that is not
// closed has no message back: the error wraps
// [prescribing.ErrMessageIncomplete].
//
// It is an explicit export of personal data (rule PRIV-1).
func MessageBack(r Records) (Bundle, error) {
	if err := r.check(); err != nil {
		return Bundle{}, err
	}
	m, ok := r.Referral.ClosureMessage()
	if !ok {
		return Bundle{}, fmt.Errorf("referral %s is %s: %w: it is not closed (REF-4)", r.Referral.ID(), r.Referral.State(), prescribing.ErrMessageIncomplete)
	}
	owner := m.Referral.UUID()
	patient := inBundle.to("Patient", m.Patient.String())
	sr := serviceRequest(&r, inBundle)
	t := task(&r, inBundle)
	closed := dateTime(m.ClosedAt)

	var observations []Observation
	var measureRefs []Reference
	for i, x := range m.Measures {
		o := measureObservation(x, patient, derived(owner, fmt.Sprintf("measure %d", i)), closed)
		observations = append(observations, o)
		measureRefs = append(measureRefs, inBundle.to("Observation", o.ID))
	}
	outcome := Observation{
		ResourceType: "Observation", ID: derived(owner, "outcome"), Status: "final",
		Code:                 CodeableConcept{Coding: []Coding{{System: SectionSystem, Code: "outcome", Display: "Outcome"}}, Text: "Outcome of social prescribing"},
		Subject:              patient,
		Focus:                []Reference{inBundle.to("ServiceRequest", sr.ID)},
		EffectiveDateTime:    closed,
		ValueCodeableConcept: &CodeableConcept{Coding: []Coding{{System: OutcomeSystem, Code: m.Outcome.String(), Display: human(m.Outcome.String())}}, Text: human(m.Outcome.String())},
	}
	observations = append(observations, outcome)

	author := r.linkWorkerRef(inBundle)
	comp := Composition{
		ResourceType: "Composition", ID: derived(owner, "message back"), Status: "final",
		Type:    CodeableConcept{Coding: []Coding{{System: SectionSystem, Code: "message-back", Display: "Social prescribing message back to the GP and referrer"}}},
		Subject: patient,
		Date:    closed,
		Author:  []Reference{author},
		Title:   "Social prescribing: message back to the GP and referrer",
		Section: []Section{
			section("person", "The person", personText(&r, m), patient),
			section("needs", "Needs identified", list("Needs identified", needNames(m.Needs.List())), inBundle.to("ServiceRequest", sr.ID)),
			section("support", "Support offered and taken up",
				list("Support offered", supportNames(m.Offered))+list("Support taken up", supportNames(m.TakenUp)),
				inBundle.to("Task", t.ID)),
			section("measures", "Outcome measures before and after", measuresText(m.Measures), measureRefs...),
			section("outcome", "Outcome", outcomeText(&r, m), inBundle.to("Observation", outcome.ID), inBundle.to("ServiceRequest", sr.ID)),
		},
	}

	b := Bundle{
		ResourceType: "Bundle", ID: derived(owner, "document"), Type: "document",
		Identifier: &Identifier{System: MessageBackSystem, Value: comp.ID},
		Timestamp:  closed,
	}
	add := func(id string, res any) {
		b.Entry = append(b.Entry, BundleEntry{FullURL: "urn:uuid:" + id, Resource: res})
	}
	add(comp.ID, comp)
	add(m.Patient.String(), patientResource(r.Patient, func() Reference { return r.practiceRef(r.Patient.Practice(), inBundle) }))
	if !r.Practice.ID().IsZero() {
		add(r.Practice.ID().String(), OrganizationResource(r.Practice))
	}
	if !r.LinkWorker.ID().IsZero() {
		add(r.LinkWorker.ID().String(), PractitionerResource(r.LinkWorker))
	}
	add(sr.ID, sr)
	add(t.ID, t)
	for _, o := range observations {
		add(o.ID, o)
	}
	return b, nil
}

// measureCode codes an outcome measure: "ons4-<item>" or "swemwbs-metric".
func measureCode(x prescribing.MeasureChange) (code, display string) {
	if x.Instrument == prescribing.InstrumentONS4 {
		return "ons4-" + x.Item.String(), "ONS4 " + lower(human(x.Item.String()))
	}
	return "swemwbs-metric", "SWEMWBS metric score"
}

func measureObservation(x prescribing.MeasureChange, patient Reference, id, closed string) Observation {
	code, display := measureCode(x)
	o := Observation{ResourceType: "Observation", ID: id, Status: "final",
		Code:    CodeableConcept{Coding: []Coding{{System: MeasureSystem, Code: code, Display: display}}, Text: display},
		Subject: patient, EffectiveDateTime: closed}
	for _, c := range [...]struct {
		when  string
		score prescribing.Score
	}{{"before", x.Before}, {"after", x.After}} {
		comp := ObservationComponent{Code: CodeableConcept{Coding: []Coding{{System: MeasureSystem, Code: c.when, Display: human(c.when) + " support"}}}}
		if v, ok := c.score.Value(); ok {
			comp.ValueQuantity = &Quantity{Value: v, Unit: "score", System: "http://unitsofmeasure.org", Code: "{score}"}
		} else {
			comp.DataAbsentReason = &CodeableConcept{Coding: []Coding{{System: dataAbsent, Code: "unknown", Display: "Unknown"}}}
		}
		o.Component = append(o.Component, comp)
	}
	return o
}

func section(code, title, body string, entries ...Reference) Section {
	return Section{Title: title, Code: CodeableConcept{Coding: []Coding{{System: SectionSystem, Code: code, Display: title}}},
		Text: Narrative{Status: "generated", Div: `<div xmlns="http://www.w3.org/1999/xhtml">` + body + `</div>`}, Entry: entries}
}

func para(format string, args ...any) string {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = html.EscapeString(s)
		}
	}
	return "<p>" + fmt.Sprintf(format, args...) + "</p>"
}

func list(title string, items []string) string {
	if len(items) == 0 {
		return para("%s: none", title)
	}
	var b strings.Builder
	b.WriteString(para("%s:", title))
	b.WriteString("<ul>")
	for _, it := range items {
		b.WriteString("<li>" + html.EscapeString(it) + "</li>")
	}
	b.WriteString("</ul>")
	return b.String()
}

func date(t time.Time) string {
	if t.IsZero() {
		return "not recorded"
	}
	return t.UTC().Format("2 January 2006")
}

func personText(r *Records, m prescribing.ClosureMessage) string {
	d := r.Patient.Details()
	who := strings.TrimSpace(d.GivenName + " " + d.FamilyName)
	if who == "" {
		who = "Patient " + m.Patient.String()
	}
	if !d.NHSNumber.IsZero() {
		who += ", NHS " + d.NHSNumber.Grouped()
	}
	if !d.DateOfBirth.IsZero() {
		who += ", born " + date(d.DateOfBirth)
	}
	referrer := human(m.Source.String())
	if m.Referrer != "" {
		referrer += " (" + m.Referrer + ")"
	}
	return para("Person seen: %s", who) +
		para("Referred by: %s on %s", referrer, date(m.ReceivedAt)) +
		para("Seen by link worker %s, first contact %s", m.LinkWorker.String(), date(m.SeenAt)) +
		para("Contacts: %d recorded, %d attended", m.Contacts, m.Attended)
}

func needNames(ns []prescribing.Need) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = human(n.String())
	}
	return out
}

func supportNames(ss []prescribing.CommunitySupport) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name + " (" + lower(human(s.Need.String())) + ")"
	}
	return out
}

func measuresText(ms []prescribing.MeasureChange) string {
	items := make([]string, len(ms))
	for i, x := range ms {
		_, display := measureCode(x)
		items[i] = display + ": " + x.Before.String() + " before, " + x.After.String() + " after"
		if d, ok := x.Change(); ok {
			// Two decimals, as SWEMWBS metric scores are published.
			items[i] += " (change " + strconv.FormatFloat(math.Round(d*100)/100, 'f', -1, 64) + ")"
		}
	}
	return list("Outcome measures", items)
}

func outcomeText(r *Records, m prescribing.ClosureMessage) string {
	s := para("Outcome: %s, closed %s", human(m.Outcome.String()), date(m.ClosedAt))
	if code, at, ok := r.Referral.SNOMED(); ok {
		s += para("SNOMED CT %s %s, recorded %s", code.String(), code.Display(), date(at))
	}
	return s
}

package fhir

import (
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/socialprescribing/linkwork/prescribing"
)

// ErrRecordsDisagree reports an export whose records are not of one
// referral: a patient, practice or link worker other than the referral's.
var ErrRecordsDisagree = errors.New("records of the export do not belong together")

// Records are what an export reads: a referral and the records of the
// people it concerns. Patient is required and must be the referral's
// patient; Practice and LinkWorker are optional (zero when not known) and
// must be the referral's when given; Consents is optional (zero: no Consent
// resources) and must be the patient's when given.
//
// Records hold personal data (the patient's details): its exports are the
// explicit export of personal data (rule PRIV-1). Records prints as its
// referral, with no personal data.
type Records struct {
	Referral   prescribing.Referral   `json:"referral"`
	Patient    prescribing.Patient    `json:"patient"`
	Practice   prescribing.Practice   `json:"practice"`
	LinkWorker prescribing.LinkWorker `json:"link_worker"`
	Consents   prescribing.Consents   `json:"consents"`
}

// String returns "records of referral <id> (<state>)", with no personal data.
func (r Records) String() string { return "records of " + r.Referral.String() }

// Format implements [fmt.Formatter]: every verb, %#v included, prints
// String.
func (r Records) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.String()) }

// LogValue implements [slog.LogValuer]: the IDs and the NHS number hint
// only.
func (r Records) LogValue() slog.Value {
	return slog.GroupValue(slog.String("referral", r.Referral.ID().String()),
		slog.String("state", r.Referral.State().String()),
		slog.String("patient", r.Patient.ID().String()), slog.String("hint", r.Patient.Details().Hint()))
}

// check reports records that do not belong together.
func (r *Records) check() error {
	ref := &r.Referral
	switch {
	case ref.ID().IsZero():
		return fmt.Errorf("%w: the referral has no ID", ErrRecordsDisagree)
	case r.Patient.ID() != ref.Patient():
		return fmt.Errorf("%w: referral %s is for patient %s, not %s", ErrRecordsDisagree, ref.ID(), ref.Patient(), r.Patient.ID())
	case !r.Practice.ID().IsZero() && r.Practice.ID() != ref.Practice():
		return fmt.Errorf("%w: referral %s belongs to practice %s, not %s", ErrRecordsDisagree, ref.ID(), ref.Practice(), r.Practice.ID())
	case !r.LinkWorker.ID().IsZero() && r.LinkWorker.ID() != ref.LinkWorker():
		return fmt.Errorf("%w: referral %s is held by link worker %s, not %s", ErrRecordsDisagree, ref.ID(), ref.LinkWorker(), r.LinkWorker.ID())
	case !r.Consents.Patient().IsZero() && r.Consents.Patient() != ref.Patient():
		return fmt.Errorf("%w: the consents are of patient %s, not %s", ErrRecordsDisagree, r.Consents.Patient(), ref.Patient())
	}
	return nil
}

// PatientResource returns the person as a FHIR Patient: the NHS number
// (system [NHSNumberSystem]) and the pseudonymous patient ID
// ([PatientIDSystem]) as identifiers, name, date of birth, phone, email and
// address, and the practice as generalPractitioner. An anonymised patient
// has the ID only. It is an explicit export of personal data (rule PRIV-1).
func PatientResource(p prescribing.Patient) Patient {
	return patientResource(p, func() Reference { return standalone.to("Organization", p.Practice().String()) })
}

// patientResource writes p, referring to its practice with gp.
func patientResource(p prescribing.Patient, gp func() Reference) Patient {
	id := p.ID().String()
	d := p.Details()
	out := Patient{ResourceType: "Patient", ID: id}
	if !d.NHSNumber.IsZero() {
		out.Identifier = append(out.Identifier, Identifier{System: NHSNumberSystem, Value: d.NHSNumber.Digits()})
	}
	out.Identifier = append(out.Identifier, Identifier{System: PatientIDSystem, Value: id})
	if d.GivenName != "" || d.FamilyName != "" {
		n := HumanName{Use: "official", Family: text(d.FamilyName)}
		if d.GivenName != "" {
			n.Given = []string{text(d.GivenName)}
		}
		out.Name = []HumanName{n}
	}
	if !d.DateOfBirth.IsZero() {
		out.BirthDate = d.DateOfBirth.Format("2006-01-02")
	}
	if c := d.Contact; c.Phone != "" {
		out.Telecom = append(out.Telecom, ContactPoint{System: "phone", Value: text(c.Phone)})
	}
	if c := d.Contact; c.Email != "" {
		out.Telecom = append(out.Telecom, ContactPoint{System: "email", Value: text(c.Email)})
	}
	if c := d.Contact; c.Address != "" || c.Postcode != "" {
		out.Address = []Address{{Text: text(c.Address), PostalCode: text(c.Postcode)}}
	}
	if !p.Practice().IsZero() {
		out.GeneralPractitioner = []Reference{gp()}
	}
	return out
}

// PractitionerResource returns the link worker as a FHIR Practitioner,
// identified by their link worker ID ([LinkWorkerIDSystem]).
func PractitionerResource(w prescribing.LinkWorker) Practitioner {
	id := w.ID().String()
	return Practitioner{ResourceType: "Practitioner", ID: id,
		Identifier: []Identifier{{System: LinkWorkerIDSystem, Value: id}}}
}

// OrganizationResource returns the GP practice as a FHIR Organization,
// identified by its ODS code ([ODSSystem]) when known and its practice ID.
func OrganizationResource(p prescribing.Practice) Organization {
	id := p.ID().String()
	out := Organization{ResourceType: "Organization", ID: id, Name: text(p.Name())}
	if p.Details().ODSCode != "" {
		out.Identifier = append(out.Identifier, Identifier{System: ODSSystem, Value: text(p.Details().ODSCode)})
	}
	out.Identifier = append(out.Identifier, Identifier{System: PracticeIDSystem, Value: id})
	return out
}

// practiceRef refers to practice p: by URL when the records hold it (and
// so a Bundle of them does), otherwise by its practice ID alone, so that a
// Bundle never refers to an entry it lacks.
func (r *Records) practiceRef(p prescribing.PracticeID, to refs) Reference {
	if p == r.Practice.ID() {
		return to.to("Organization", p.String())
	}
	return Reference{Type: "Organization", Identifier: &Identifier{System: PracticeIDSystem, Value: p.String()}}
}

// linkWorkerRef refers to the referral's link worker as practiceRef does
// to a practice.
func (r *Records) linkWorkerRef(to refs) Reference {
	lw := r.Referral.LinkWorker()
	if lw == r.LinkWorker.ID() {
		return to.to("Practitioner", lw.String())
	}
	return Reference{Type: "Practitioner", Identifier: &Identifier{System: LinkWorkerIDSystem, Value: lw.String()}}
}

// serviceRequestStatus is the ServiceRequest status of each lifecycle
// state: the request is active while the referral is live, on-hold while it
// is on hold, completed once closed, revoked once rejected, declined or
// cancelled.
var serviceRequestStatus = map[prescribing.State]string{
	prescribing.StateReceived: "active", prescribing.StateAccepted: "active",
	prescribing.StateContacted: "active", prescribing.StateInSupport: "active",
	prescribing.StateConnected: "active", prescribing.StateOnHold: "on-hold",
	prescribing.StateClosed: "completed", prescribing.StateRejected: "revoked",
	prescribing.StateDeclined: "revoked", prescribing.StateCancelled: "revoked",
	prescribing.StateEnteredInError: "entered-in-error",
}

// ServiceRequestResource returns the referral as a FHIR ServiceRequest:
// intent order, category social prescribing ([CategorySystem]), subject
// the Patient, requester from the referral's source and referrer, the link
// worker as performer once accepted, the needs identified as reasonCode
// ([NeedSystem]) and, once first contact has happened, code SNOMED CT
// 871731000000106 "Referral to social prescribing service" or
// 871711000000103 "Social prescribing declined" (rule REF-6). The referral
// source is also carried in the extension [SourceExtension].
//
// With the Patient it refers to, it is an explicit export of personal data
// (rule PRIV-1): the referrer's name and the reasons are free text.
func ServiceRequestResource(r Records) (ServiceRequest, error) {
	if err := r.check(); err != nil {
		return ServiceRequest{}, err
	}
	return serviceRequest(&r, standalone), nil
}

func serviceRequest(r *Records, to refs) ServiceRequest {
	ref := &r.Referral
	id := ref.ID().String()
	out := ServiceRequest{
		ResourceType: "ServiceRequest", ID: id,
		Extension:  []Extension{{URL: SourceExtension, ValueCoding: &Coding{System: SourceSystem, Code: ref.Source().String(), Display: human(ref.Source().String())}}},
		Identifier: []Identifier{{System: ReferralIDSystem, Value: id}},
		Status:     serviceRequestStatus[ref.State()],
		Intent:     "order",
		Category:   []CodeableConcept{{Coding: []Coding{{System: CategorySystem, Code: "social-prescribing", Display: "Social prescribing"}}, Text: "Social prescribing"}},
		Subject:    to.to("Patient", ref.Patient().String()),
		AuthoredOn: dateTime(ref.ReceivedAt()),
		Requester:  requester(r, to),
	}
	if code, _, ok := ref.SNOMED(); ok {
		out.Code = &CodeableConcept{Coding: []Coding{{System: prescribing.SNOMEDSystem, Code: code.String(), Display: code.Display()}}, Text: code.Display()}
	} else {
		out.Code = &CodeableConcept{Text: "Referral to social prescribing"}
	}
	if !ref.LinkWorker().IsZero() {
		out.Performer = []Reference{r.linkWorkerRef(to)}
	}
	for _, n := range ref.Needs() {
		c := concept(NeedSystem, n.String())
		c.Text = human(n.String())
		out.ReasonCode = append(out.ReasonCode, c)
	}
	return out
}

// requester is who referred: the practice for a referral from within
// general practice, the person themselves for a self-referral, otherwise
// the referrer's name alone; the referrer's name is the display.
func requester(r *Records, to refs) *Reference {
	ref := &r.Referral
	var out Reference
	switch {
	case ref.Source() == prescribing.SourceSelf:
		out = to.to("Patient", ref.Patient().String())
	case ref.Source().IsGeneralPractice() && !ref.Practice().IsZero():
		out = r.practiceRef(ref.Practice(), to)
	}
	out.Display = text(ref.Referrer())
	if out.Display == "" && out.Reference == "" {
		out.Display = human(ref.Source().String())
	}
	return &out
}

// TaskResource returns the FHIR Task that tracks the referral, on the
// pattern of the HL7 Gravity SDOH Clinical Care "Task for referral
// management": intent order, code fulfill ([TaskCodeSystem]), focus the
// ServiceRequest, for the Patient, owner the link worker once accepted,
// authoredOn the time the referral was received and lastModified its last
// change. Its status is the state's (rule REF-5, [prescribing.State.TaskStatus]);
// statusReason carries the reason given whenever the Task is rejected,
// cancelled or on hold (and entered in error); businessStatus carries the
// state ([StateSystem]) whenever the status alone stands for more than one
// state (in-progress: contacted, in support or connected; cancelled:
// declined or cancelled); each piece of community support taken up is an
// output naming its community asset ([AssetIDSystem]).
//
// The reason is free text and so an explicit export (rule PRIV-1).
func TaskResource(r Records) (Task, error) {
	if err := r.check(); err != nil {
		return Task{}, err
	}
	return task(&r, standalone), nil
}

func task(r *Records, to refs) Task {
	ref := &r.Referral
	state := ref.State()
	status := state.TaskStatus()
	owner := ref.ID().UUID()
	out := Task{
		ResourceType: "Task", ID: derived(owner, "task"),
		Identifier:   []Identifier{{System: ReferralIDSystem, Value: ref.ID().String()}},
		Status:       status.String(),
		Intent:       "order",
		Code:         CodeableConcept{Coding: []Coding{{System: TaskCodeSystem, Code: "fulfill", Display: "Fulfill the focal request"}}},
		Focus:        to.to("ServiceRequest", ref.ID().String()),
		For:          to.to("Patient", ref.Patient().String()),
		AuthoredOn:   dateTime(ref.ReceivedAt()),
		LastModified: dateTime(ref.UpdatedAt()),
		Requester:    requester(r, to),
	}
	switch status {
	case prescribing.TaskRejected, prescribing.TaskCancelled, prescribing.TaskOnHold, prescribing.TaskEnteredInError:
		if reason := ref.Reason(); !prescribing.IsBlank(reason) {
			out.StatusReason = &CodeableConcept{Text: text(reason)}
		}
	}
	if _, err := prescribing.StateFromTaskStatus(status); errors.Is(err, prescribing.ErrAmbiguousStatus) {
		out.BusinessStatus = stateConcept(state)
	}
	if !ref.LinkWorker().IsZero() {
		owner := r.linkWorkerRef(to)
		out.Owner = &owner
	}
	for _, s := range ref.Connections() {
		out.Output = append(out.Output, TaskOutput{
			Type: CodeableConcept{
				Coding: []Coding{{System: TaskOutputSystem, Code: "community-support-taken-up", Display: "Community support taken up"}},
				Text:   "Community support taken up for " + lower(human(s.Need.String())),
			},
			ValueReference: &Reference{Type: "HealthcareService",
				Identifier: &Identifier{System: AssetIDSystem, Value: s.Asset.String()}, Display: text(s.Name)},
		})
	}
	return out
}

func lower(s string) string {
	if s == "" || (len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z') {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// ConsentResources returns a FHIR Consent for each consent the person gave
// ([prescribing.Consents.Grants]), in the order given: status active while
// it holds and inactive once withdrawn, scope patient-privacy, category
// LOINC 59284-0 "Patient Consent", policyRule OPTIN, and a permit provision
// for the scope ([ConsentScopeSystem]) over the period from giving to
// withdrawing, naming the community asset as information recipient for
// consent to share with an asset. Records without consents give none.
func ConsentResources(r Records) ([]Consent, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	return consents(&r, standalone), nil
}

func consents(r *Records, to refs) []Consent {
	var out []Consent
	patient := r.Referral.Patient()
	for i, g := range r.Consents.Grants() {
		c := Consent{
			ResourceType: "Consent", ID: derived(patient.UUID(), fmt.Sprintf("consent %d", i)),
			Status:     "active",
			Scope:      CodeableConcept{Coding: []Coding{{System: consentScope, Code: "patient-privacy", Display: "Privacy Consent"}}},
			Category:   []CodeableConcept{{Coding: []Coding{{System: loinc, Code: "59284-0", Display: "Patient Consent"}}}},
			Patient:    to.to("Patient", patient.String()),
			DateTime:   dateTime(g.GivenAt),
			PolicyRule: &CodeableConcept{Coding: []Coding{{System: actCode, Code: "OPTIN", Display: "opt-in"}}},
			Provision: &ConsentProvision{
				Type:   "permit",
				Period: &Period{Start: dateTime(g.GivenAt)},
				Code:   []CodeableConcept{concept(ConsentScopeSystem, g.Scope.String())},
			},
		}
		if g.Withdrawn() {
			c.Status = "inactive"
			c.DateTime = dateTime(g.WithdrawnAt)
			c.Provision.Period.End = dateTime(g.WithdrawnAt)
		}
		if !g.Asset.IsZero() {
			c.Provision.Actor = []ConsentActor{{
				Role:      CodeableConcept{Coding: []Coding{{System: participation, Code: "IRCP", Display: "information recipient"}}},
				Reference: Reference{Type: "HealthcareService", Identifier: &Identifier{System: AssetIDSystem, Value: g.Asset.String()}},
			}}
		}
		out = append(out, c)
	}
	return out
}

// TransactionBundle returns the referral's resources as a FHIR transaction
// Bundle: the Patient, the Organization of the practice and the
// Practitioner of the link worker when given, the ServiceRequest, the Task
// and a Consent per consent. Each entry has fullUrl urn:uuid:<id>, refers to
// the others by those URNs, and is a PUT to ResourceType/<id>, so sending
// the Bundle again updates the same resources.
//
// It is an explicit export of personal data (rule PRIV-1).
func TransactionBundle(r Records) (Bundle, error) {
	if err := r.check(); err != nil {
		return Bundle{}, err
	}
	b := Bundle{ResourceType: "Bundle", ID: derived(r.Referral.ID().UUID(), "transaction"), Type: "transaction"}
	add := func(resourceType, id string, res any) {
		b.Entry = append(b.Entry, BundleEntry{FullURL: "urn:uuid:" + id, Resource: res,
			Request: &BundleRequest{Method: "PUT", URL: resourceType + "/" + id}})
	}
	add("Patient", r.Patient.ID().String(), patientResource(r.Patient, func() Reference {
		return r.practiceRef(r.Patient.Practice(), inBundle)
	}))
	if !r.Practice.ID().IsZero() {
		add("Organization", r.Practice.ID().String(), OrganizationResource(r.Practice))
	}
	if !r.LinkWorker.ID().IsZero() {
		add("Practitioner", r.LinkWorker.ID().String(), PractitionerResource(r.LinkWorker))
	}
	sr := serviceRequest(&r, inBundle)
	add("ServiceRequest", sr.ID, sr)
	t := task(&r, inBundle)
	add("Task", t.ID, t)
	for _, c := range consents(&r, inBundle) {
		add("Consent", c.ID, c)
	}
	return b, nil
}

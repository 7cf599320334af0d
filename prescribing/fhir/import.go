package fhir

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Inbound is a referral read from a FHIR Bundle a referrer's system sent
// ([ImportReferral]): the new referral and the details to register the
// patient with. Details are personal data: Inbound prints and logs its IDs
// and the NHS number hint only (rule PRIV-1).
type Inbound struct {
	// Referral is the new referral: its ID, patient, practice (zero unless
	// the Bundle's Organization has a UUID id), source, referrer and needs.
	Referral prescribing.NewReferral `json:"referral"`
	// Details are the patient's identifying details, for
	// [prescribing.RegisterPatient].
	Details prescribing.PersonalDetails `json:"details"`
	// PracticeODS is the ODS code of the patient's practice, when the
	// Bundle names one, for callers to find their own practice record.
	PracticeODS string `json:"practice_ods"`
	// AuthoredOn is when the referrer wrote the referral, if given.
	AuthoredOn time.Time `json:"authored_on"`
}

// String returns "inbound referral <id> for patient <id> (NHS *** *** *919)".
func (in Inbound) String() string {
	return "inbound referral " + in.Referral.ID.String() + " for patient " + in.Referral.Patient.String() + " (" + in.Details.Hint() + ")"
}

// Format implements [fmt.Formatter]: every verb prints String.
func (in Inbound) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, in.String()) }

// LogValue implements [slog.LogValuer]: the IDs and the hint only.
func (in Inbound) LogValue() slog.Value {
	return slog.GroupValue(slog.String("referral", in.Referral.ID.String()),
		slog.String("patient", in.Referral.Patient.String()), slog.String("hint", in.Details.Hint()))
}

// Received is what [Inbound.Receive] records: the patient registered and
// the referral received, with their events.
type Received struct {
	Patient    prescribing.Patient           `json:"patient"`
	Registered prescribing.PatientRegistered `json:"registered"`
	Referral   prescribing.Referral          `json:"referral"`
	Event      prescribing.ReferralReceived  `json:"event"`
}

// Receive registers the patient and receives the referral at time at,
// with [prescribing.RegisterPatient] and [prescribing.ReceiveReferral].
// Their refusals are returned as they are, and nothing is recorded.
func (in Inbound) Receive(at time.Time) (Received, error) {
	p, reg, err := prescribing.RegisterPatient(in.Referral.Patient, in.Referral.Practice, in.Details, at)
	if err != nil {
		return Received{}, err
	}
	r, rec, err := prescribing.ReceiveReferral(in.Referral, at)
	if err != nil {
		return Received{}, err
	}
	return Received{Patient: p, Registered: reg, Referral: r, Event: rec}, nil
}

// ImportReferral reads a FHIR R4 Bundle holding one ServiceRequest and the
// Patient it is for, as a GP system sends a referral to social prescribing
// (the Bundle's type is not checked: transaction, message, collection...).
// It reads at most [MaxInputBytes] ([ErrTooLarge] beyond).
//
// From the ServiceRequest: its id as the referral ID when it is a UUID
// (otherwise one from ids); status active and intent order (or
// original-order); authoredOn; the needs in reasonCode, coded in
// [NeedSystem], where a reason without such a coding (a GP system's own
// code or text) becomes need other, so no reason is dropped; the referral
// source from the extension [SourceExtension] or else from the requester
// (a Practitioner, PractitionerRole or Organization: gp; the Patient:
// self); the referrer as the requester's display text.
//
// From the Patient (subject.reference must resolve to a Patient entry, by
// fullUrl or ResourceType/id): its id as the patient ID when it is a UUID
// (otherwise one from ids); the NHS number (identifier with system
// [NHSNumberSystem], required and checked); the official (else first)
// name; birthDate, a full date; the first phone and email; the first
// address, as text or its lines, city and district, and its postcode; the
// practice from generalPractitioner when it resolves to an Organization in
// the Bundle, with its ODS code.
//
// Errors are [*PathError]s naming the missing or invalid element by its
// FHIR path ("Bundle.entry[1].resource.identifier[0].value"), wrapping
// [ErrInvalidResource]; they never hold the input's values. Text that
// [prescribing.CheckText] refuses is refused here, wrapping
// [prescribing.ErrInvalidText] too.
func ImportReferral(r io.Reader, ids prescribing.IDSource) (Inbound, error) {
	root, err := decode(r, "Bundle")
	if err != nil {
		return Inbound{}, err
	}
	if err := root.object(); err != nil {
		return Inbound{}, err
	}
	if rt, err := root.get("resourceType").required(); err != nil {
		return Inbound{}, err
	} else if rt != "Bundle" {
		return Inbound{}, root.get("resourceType").fail("is not Bundle")
	}
	b, err := readBundle(root)
	if err != nil {
		return Inbound{}, err
	}
	return b.referral(ids)
}

// entry is one resource of the Bundle.
type entry struct {
	fullURL      string
	resourceType string
	id           string
	resource     node
}

type bundle struct {
	root    node
	entries []entry
}

func readBundle(root node) (*bundle, error) {
	items, err := root.get("entry").list()
	if err != nil {
		return nil, err
	}
	b := &bundle{root: root}
	for _, it := range items {
		if err := it.object(); err != nil {
			return nil, err
		}
		full, err := it.get("fullUrl").str()
		if err != nil {
			return nil, err
		}
		res := it.get("resource")
		if err := res.object(); err != nil {
			return nil, err
		}
		rt, err := res.get("resourceType").required()
		if err != nil {
			return nil, err
		}
		id, err := res.get("id").str()
		if err != nil {
			return nil, err
		}
		b.entries = append(b.entries, entry{fullURL: full, resourceType: rt, id: id, resource: res})
	}
	return b, nil
}

// resolve finds the entry a reference names, of one of the given types.
func (b *bundle) resolve(ref string, types ...string) (entry, bool) {
	if ref == "" {
		return entry{}, false
	}
	for _, e := range b.entries {
		match := e.fullURL == ref
		if !match && e.id != "" {
			match = ref == e.resourceType+"/"+e.id || strings.HasSuffix(ref, "/"+e.resourceType+"/"+e.id)
		}
		if match {
			for _, t := range types {
				if e.resourceType == t {
					return e, true
				}
			}
			return entry{}, false
		}
	}
	return entry{}, false
}

func (b *bundle) referral(ids prescribing.IDSource) (Inbound, error) {
	var sr *entry
	for i := range b.entries {
		if b.entries[i].resourceType == "ServiceRequest" {
			if sr != nil {
				return Inbound{}, b.root.get("entry").fail("holds more than one ServiceRequest")
			}
			sr = &b.entries[i]
		}
	}
	if sr == nil {
		return Inbound{}, b.root.get("entry").fail("holds no ServiceRequest")
	}
	res := sr.resource
	var in Inbound
	if status, err := res.get("status").required(); err != nil {
		return Inbound{}, err
	} else if status != "active" {
		return Inbound{}, res.get("status").fail("is not active: only an active request is a new referral")
	}
	if intent, err := res.get("intent").required(); err != nil {
		return Inbound{}, err
	} else if intent != "order" && intent != "original-order" {
		return Inbound{}, res.get("intent").fail("is not order or original-order")
	}
	in.Referral.ID = idOf[prescribing.Referral](sr.id, ids)
	if s, err := res.get("authoredOn").str(); err != nil {
		return Inbound{}, err
	} else if s != "" {
		t, err := parseDateTime(s)
		if err != nil {
			return Inbound{}, res.get("authoredOn").fail(err.Error())
		}
		in.AuthoredOn = t
	}
	needs, err := readNeeds(res.get("reasonCode"))
	if err != nil {
		return Inbound{}, err
	}
	in.Referral.Needs = needs

	subject := res.get("subject").get("reference")
	ref, err := subject.required()
	if err != nil {
		return Inbound{}, err
	}
	patient, ok := b.resolve(ref, "Patient")
	if !ok {
		return Inbound{}, subject.fail("does not resolve to a Patient in the Bundle")
	}
	in.Referral.Patient = idOf[prescribing.Patient](patient.id, ids)
	if err := b.readPatient(patient.resource, &in); err != nil {
		return Inbound{}, err
	}
	if err := b.readSource(res, patient, &in); err != nil {
		return Inbound{}, err
	}
	return in, nil
}

// idOf returns id as an ID, or a new one when it is not one (or is the
// zero ID).
func idOf[E any](id string, ids prescribing.IDSource) prescribing.ID[E] {
	if p, err := prescribing.ParseID[E](id); err == nil && !p.IsZero() {
		return p
	}
	return prescribing.IDFromUUID[E](ids.NewUUID())
}

func parseDateTime(s string) (time.Time, error) {
	for _, layout := range [...]string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if err := prescribing.CheckTimeRange(t); err != nil {
				return time.Time{}, errors.New("is outside the years 1 to 9999")
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("is not a FHIR dateTime with a time zone, nor a full date")
}

func readNeeds(reasons node) ([]prescribing.Need, error) {
	items, err := reasons.list()
	if err != nil {
		return nil, err
	}
	var out []prescribing.Need
	for _, rc := range items {
		if err := rc.object(); err != nil {
			return nil, err
		}
		codings, err := rc.get("coding").list()
		if err != nil {
			return nil, err
		}
		found := false
		for _, c := range codings {
			if err := c.object(); err != nil {
				return nil, err
			}
			system, err := c.get("system").str()
			if err != nil {
				return nil, err
			}
			if system != NeedSystem {
				continue
			}
			code, err := c.get("code").required()
			if err != nil {
				return nil, err
			}
			var n prescribing.Need
			if n.UnmarshalText([]byte(code)) != nil {
				return nil, &PathError{Path: c.get("code").path, Problem: "is not a need of " + NeedSystem, Err: prescribing.ErrUnknownValue}
			}
			out = append(out, n)
			found = true
		}
		if !found {
			out = append(out, prescribing.NeedOther)
		}
	}
	return out, nil
}

// readSource reads the referral source and the referrer.
func (b *bundle) readSource(res node, patient entry, in *Inbound) error {
	req := res.get("requester")
	if req.present {
		if err := req.object(); err != nil {
			return err
		}
	}
	display, err := req.get("display").str()
	if err != nil {
		return err
	}
	if err := checkText(req.get("display"), display); err != nil {
		return err
	}
	in.Referral.Referrer = display

	exts, err := res.get("extension").list()
	if err != nil {
		return err
	}
	for _, x := range exts {
		if err := x.object(); err != nil {
			return err
		}
		if url, err := x.get("url").str(); err != nil {
			return err
		} else if url != SourceExtension {
			continue
		}
		code, err := x.get("valueCoding").get("code").required()
		if err != nil {
			return err
		}
		if in.Referral.Source.UnmarshalText([]byte(code)) != nil {
			return &PathError{Path: x.get("valueCoding").get("code").path, Problem: "is not a referral source of " + SourceSystem, Err: prescribing.ErrUnknownValue}
		}
		return nil
	}
	ref, err := req.get("reference").str()
	if err != nil {
		return err
	}
	typ, err := req.get("type").str()
	if err != nil {
		return err
	}
	switch {
	case ref != "" && (ref == patient.fullURL || ref == "Patient/"+patient.id) || typ == "Patient":
		in.Referral.Source = prescribing.SourceSelf
	case typ == "Practitioner" || typ == "PractitionerRole" || typ == "Organization",
		strings.HasPrefix(ref, "Practitioner/"), strings.HasPrefix(ref, "PractitionerRole/"), strings.HasPrefix(ref, "Organization/"):
		in.Referral.Source = prescribing.SourceGP
	default:
		if e, ok := b.resolve(ref, "Practitioner", "PractitionerRole", "Organization"); ok && e.resourceType != "" {
			in.Referral.Source = prescribing.SourceGP
			return nil
		}
		return req.fail("names no Practitioner, PractitionerRole, Organization or Patient, and no referral source extension says who referred")
	}
	return nil
}

// checkText refuses text prescribing would refuse, naming the element.
func checkText(n node, s string) error {
	if err := prescribing.CheckText("text", s); err != nil {
		return &PathError{Path: n.path, Problem: "is not valid text: invalid UTF-8, NUL or too long", Err: prescribing.ErrInvalidText}
	}
	return nil
}

// readPatient reads the patient's details and practice.
func (b *bundle) readPatient(p node, in *Inbound) error {
	d := &in.Details
	idents, err := p.get("identifier").list()
	if err != nil {
		return err
	}
	for _, id := range idents {
		if err := id.object(); err != nil {
			return err
		}
		if system, err := id.get("system").str(); err != nil {
			return err
		} else if system != NHSNumberSystem {
			continue
		}
		v, err := id.get("value").required()
		if err != nil {
			return err
		}
		n, err := prescribing.ParseNHSNumber(v)
		if err != nil {
			return &PathError{Path: id.get("value").path, Problem: "is not a valid NHS number", Err: prescribing.ErrInvalidNHSNumber}
		}
		d.NHSNumber = n
		break
	}
	if d.NHSNumber.IsZero() {
		return p.get("identifier").fail("has no NHS number (system " + NHSNumberSystem + ")")
	}
	if err := readName(p.get("name"), d); err != nil {
		return err
	}
	if s, err := p.get("birthDate").str(); err != nil {
		return err
	} else if s != "" {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return p.get("birthDate").fail("is not a full date (YYYY-MM-DD)")
		}
		d.DateOfBirth = t
	}
	telecom, err := p.get("telecom").list()
	if err != nil {
		return err
	}
	for _, t := range telecom {
		if err := t.object(); err != nil {
			return err
		}
		system, err := t.get("system").str()
		if err != nil {
			return err
		}
		value, err := t.get("value").str()
		if err != nil {
			return err
		}
		if err := checkText(t.get("value"), value); err != nil {
			return err
		}
		switch {
		case system == "phone" && d.Contact.Phone == "":
			d.Contact.Phone = value
		case system == "email" && d.Contact.Email == "":
			d.Contact.Email = value
		}
	}
	if err := readAddress(p.get("address"), d); err != nil {
		return err
	}
	gps, err := p.get("generalPractitioner").list()
	if err != nil {
		return err
	}
	for _, gp := range gps {
		ref, err := gp.get("reference").str()
		if err != nil {
			return err
		}
		org, ok := b.resolve(ref, "Organization")
		if !ok {
			continue
		}
		if p, err := prescribing.ParseID[prescribing.Practice](org.id); err == nil && !p.IsZero() {
			in.Referral.Practice = p
		}
		orgIDs, err := org.resource.get("identifier").list()
		if err != nil {
			return err
		}
		for _, id := range orgIDs {
			if system, err := id.get("system").str(); err != nil {
				return err
			} else if system == ODSSystem {
				v, err := id.get("value").str()
				if err != nil {
					return err
				}
				if err := checkText(id.get("value"), v); err != nil {
					return err
				}
				in.PracticeODS = v
			}
		}
		break
	}
	return nil
}

func readName(names node, d *prescribing.PersonalDetails) error {
	items, err := names.list()
	if err != nil {
		return err
	}
	var chosen *node
	for i := range items {
		if err := items[i].object(); err != nil {
			return err
		}
		use, err := items[i].get("use").str()
		if err != nil {
			return err
		}
		if use == "official" || chosen == nil {
			chosen = &items[i]
			if use == "official" {
				break
			}
		}
	}
	if chosen == nil {
		return nil
	}
	family, err := chosen.get("family").str()
	if err != nil {
		return err
	}
	if err := checkText(chosen.get("family"), family); err != nil {
		return err
	}
	given, err := chosen.get("given").list()
	if err != nil {
		return err
	}
	parts := make([]string, 0, len(given))
	for _, g := range given {
		s, err := g.str()
		if err != nil {
			return err
		}
		if err := checkText(g, s); err != nil {
			return err
		}
		parts = append(parts, s)
	}
	joined := strings.Join(parts, " ")
	if err := checkText(chosen.get("given"), joined); err != nil {
		return err
	}
	d.FamilyName, d.GivenName = family, joined
	return nil
}

func readAddress(addresses node, d *prescribing.PersonalDetails) error {
	items, err := addresses.list()
	if err != nil || len(items) == 0 {
		return err
	}
	a := items[0]
	if err := a.object(); err != nil {
		return err
	}
	text, err := a.get("text").str()
	if err != nil {
		return err
	}
	if text == "" {
		lines, err := a.get("line").list()
		if err != nil {
			return err
		}
		var parts []string
		for _, l := range lines {
			s, err := l.str()
			if err != nil {
				return err
			}
			parts = append(parts, s)
		}
		for _, k := range [...]string{"city", "district"} {
			s, err := a.get(k).str()
			if err != nil {
				return err
			}
			if s != "" {
				parts = append(parts, s)
			}
		}
		text = strings.Join(parts, ", ")
	}
	if err := checkText(a.get("text"), text); err != nil {
		return err
	}
	postcode, err := a.get("postalCode").str()
	if err != nil {
		return err
	}
	if err := checkText(a.get("postalCode"), postcode); err != nil {
		return err
	}
	d.Contact.Address, d.Contact.Postcode = text, postcode
	return nil
}

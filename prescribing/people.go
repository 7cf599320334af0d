package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"time"
)

// ErrInvalidRecord is wrapped by errors that report a practice, PCN or link
// worker missing something it needs (an ID, a name, a known title).
var ErrInvalidRecord = errors.New("invalid record")

// PracticeDetails is what is recorded of a GP practice.
type PracticeDetails struct {
	// ODSCode is the practice's Organisation Data Service code ("A81001"),
	// if known.
	ODSCode string `json:"ods_code,omitempty"`
	Name    string `json:"name"`
	// PCN is the primary care network the practice belongs to, if any.
	PCN PCNID `json:"pcn,omitzero"`
}

// Validate reports details without a name, or with a name or ODS code
// failing [CheckText] (wrapping [ErrInvalidText] too), with an error
// wrapping [ErrInvalidRecord].
func (d PracticeDetails) Validate() error {
	if err := checkTexts("the practice's name", d.Name, "the practice's ODS code", d.ODSCode); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRecord, err)
	}
	if IsBlank(d.Name) {
		return fmt.Errorf("%w: a practice needs a name", ErrInvalidRecord)
	}
	return nil
}

// Practice is a GP practice's record: its details and their history, so
// every change has an audit trail. Make one with [RegisterPractice];
// rebuild one by replaying its stream into a zero Practice, as for every
// [StreamRecord]. A Practice holds no slice, map or pointer: safe to copy,
// not to change concurrently.
type Practice struct {
	id           PracticeID
	details      PracticeDetails
	registeredAt time.Time
	updatedAt    time.Time
	events       int32
}

// RegisterPractice records a GP practice. A zero ID ([ErrInvalidID]),
// details failing [PracticeDetails.Validate] and a time the codec cannot
// carry are refused with the zero record and event.
func RegisterPractice(id PracticeID, d PracticeDetails, at time.Time) (Practice, PracticeRegistered, error) {
	e := PracticeRegistered{Practice: id, Details: d, At: Stamp(at)}
	var p Practice
	if err := p.Apply(e); err != nil {
		return Practice{}, PracticeRegistered{}, err
	}
	return p, e, nil
}

// ID returns the practice's ID.
func (p *Practice) ID() PracticeID { return p.id }

// Details returns the practice's details.
func (p *Practice) Details() PracticeDetails { return p.details }

// Name returns the practice's name.
func (p *Practice) Name() string { return p.details.Name }

// PCN returns the primary care network the practice belongs to, or zero.
func (p *Practice) PCN() PCNID { return p.details.PCN }

// RegisteredAt returns when the practice was registered.
func (p *Practice) RegisteredAt() time.Time { return p.registeredAt }

// Stream returns the practice's stream (kind practice, its ID), or the zero
// Stream before registration.
func (p *Practice) Stream() Stream { return recordStream(StreamKindPractice, p.id) }

// Version returns how many events the record has applied, its registration
// included.
func (p *Practice) Version() int { return int(p.events) }

// Change replaces the practice's details, checked as [RegisterPractice]
// checks them, at a time no earlier than the last change. A refusal
// returns the zero event and changes nothing.
func (p *Practice) Change(d PracticeDetails, at time.Time) (PracticeChanged, error) {
	e := PracticeChanged{Practice: p.id, Details: d, At: Stamp(at)}
	if err := p.Apply(e); err != nil {
		return PracticeChanged{}, err
	}
	return e, nil
}

// Apply applies a practice event, checking it as the live operation would;
// on error the record is unchanged.
func (p *Practice) Apply(e Event) error {
	switch e := e.(type) {
	case PracticeRegistered:
		if err := checkCreation(p.id, e.Practice, "practice", e.At); err != nil {
			return err
		}
		if err := e.Details.Validate(); err != nil {
			return fmt.Errorf("practice %s: %w", e.Practice, err)
		}
		*p = Practice{id: e.Practice, details: e.Details, registeredAt: e.At, updatedAt: e.At, events: 1}
		return nil
	case PracticeChanged:
		if err := checkRecordChange(p.id, e.Practice, "practice", p.updatedAt, e.At); err != nil {
			return err
		}
		if err := e.Details.Validate(); err != nil {
			return fmt.Errorf("practice %s: %w", p.id, err)
		}
		p.details, p.updatedAt = e.Details, e.At
		p.events++
		return nil
	default:
		return NotFor(e, "practice")
	}
}

// String returns "practice <id>".
func (p Practice) String() string { return "practice " + p.id.String() }

// checkCreation checks a creation event of a patient, practice, PCN or
// link worker record: a record not yet created, an ID, and a time.
func checkCreation[E any](have, id ID[E], what string, at time.Time) error {
	switch {
	case !have.IsZero():
		return fmt.Errorf("%w: %s %s is already registered", ErrUnexpectedEvent, what, have)
	case id.IsZero():
		return fmt.Errorf("%w: registering a %s needs an ID", ErrInvalidID, what)
	}
	if err := CheckTime(time.Time{}, at); err != nil {
		return fmt.Errorf("%s %s: %w", what, id, err)
	}
	return nil
}

// checkRecordChange checks a change of a patient, practice, PCN or link
// worker record: created, the same ID, a time not before the last change.
func checkRecordChange[E any](have, id ID[E], what string, last, at time.Time) error {
	switch {
	case have.IsZero():
		return fmt.Errorf("%w: %s %s is not registered", ErrUnexpectedEvent, what, id)
	case id != have:
		return fmt.Errorf("%w: event for %s %s applied to %s %s", ErrWrongSubject, what, id, what, have)
	}
	if err := CheckTime(last, at); err != nil {
		return fmt.Errorf("%s %s: %w", what, have, err)
	}
	return nil
}

// PracticeRegistered records a GP practice registered.
type PracticeRegistered struct {
	Practice PracticeID      `json:"practice"`
	Details  PracticeDetails `json:"details"`
	At       time.Time       `json:"at"`
}

// EventType returns "practice.registered".
func (PracticeRegistered) EventType() string { return "practice.registered" }

// EventTime returns e.At.
func (e PracticeRegistered) EventTime() time.Time { return e.At }

// EventStream returns the practice's stream.
func (e PracticeRegistered) EventStream() Stream { return StreamOf(StreamKindPractice, e.Practice) }

// PracticeChanged records new details of a GP practice.
type PracticeChanged struct {
	Practice PracticeID      `json:"practice"`
	Details  PracticeDetails `json:"details"`
	At       time.Time       `json:"at"`
}

// EventType returns "practice.changed".
func (PracticeChanged) EventType() string { return "practice.changed" }

// EventTime returns e.At.
func (e PracticeChanged) EventTime() time.Time { return e.At }

// EventStream returns the practice's stream.
func (e PracticeChanged) EventStream() Stream { return StreamOf(StreamKindPractice, e.Practice) }

// PCNDetails is what is recorded of a primary care network: a group of
// practices that together employ or host link workers.
type PCNDetails struct {
	Name string `json:"name"`
	// Practices are the member practices, in the order given.
	Practices []PracticeID `json:"practices,omitempty"`
}

// Validate reports details without a name, with a name failing
// [CheckText] (wrapping [ErrInvalidText] too), or with a zero or repeated
// practice, with an error wrapping [ErrInvalidRecord].
func (d PCNDetails) Validate() error {
	if err := CheckText("the PCN's name", d.Name); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRecord, err)
	}
	if IsBlank(d.Name) {
		return fmt.Errorf("%w: a PCN needs a name", ErrInvalidRecord)
	}
	return validatePractices("the PCN", d.Practices)
}

// clone returns d with a list of its own; an empty list becomes nil, as
// JSON reads it back.
func (d PCNDetails) clone() PCNDetails {
	d.Practices = cloneList(d.Practices)
	return d
}

// PCN is a primary care network's record: its name and member practices,
// and their history. Make one with [RegisterPCN]; rebuild one by replaying
// its stream into a zero PCN, as for every [StreamRecord].
//
// A PCN is plain data: safe to copy, not to change concurrently. Copies
// share the list of practices but never write into it: a change replaces
// it, and the details given, returned and put in events are copies.
type PCN struct {
	id           PCNID
	details      PCNDetails
	registeredAt time.Time
	updatedAt    time.Time
	events       int32
}

// RegisterPCN records a primary care network. A zero ID ([ErrInvalidID]),
// details failing [PCNDetails.Validate] and a time the codec cannot carry
// are refused with the zero record and event.
func RegisterPCN(id PCNID, d PCNDetails, at time.Time) (PCN, PCNRegistered, error) {
	e := PCNRegistered{PCN: id, Details: d.clone(), At: Stamp(at)}
	var n PCN
	if err := n.Apply(e); err != nil {
		return PCN{}, PCNRegistered{}, err
	}
	return n, e, nil
}

// ID returns the PCN's ID.
func (n *PCN) ID() PCNID { return n.id }

// Details returns a copy of the PCN's details.
func (n *PCN) Details() PCNDetails { return n.details.clone() }

// Name returns the PCN's name.
func (n *PCN) Name() string { return n.details.Name }

// Practices returns the member practices, in the order given. The slice is
// the caller's.
func (n *PCN) Practices() []PracticeID { return slices.Clone(n.details.Practices) }

// Stream returns the PCN's stream (kind pcn, its ID), or the zero Stream
// before registration.
func (n *PCN) Stream() Stream { return recordStream(StreamKindPCN, n.id) }

// Version returns how many events the record has applied, its registration
// included.
func (n *PCN) Version() int { return int(n.events) }

// Change replaces the PCN's details, checked as [RegisterPCN] checks them,
// at a time no earlier than the last change. A refusal returns the zero
// event and changes nothing.
func (n *PCN) Change(d PCNDetails, at time.Time) (PCNChanged, error) {
	e := PCNChanged{PCN: n.id, Details: d.clone(), At: Stamp(at)}
	if err := n.Apply(e); err != nil {
		return PCNChanged{}, err
	}
	return e, nil
}

// AddPractice adds a member practice at the end of the list: a change of
// details. A zero or listed practice is refused with an error wrapping
// [ErrInvalidRecord], and the zero event.
func (n *PCN) AddPractice(p PracticeID, at time.Time) (PCNChanged, error) {
	ps, err := addPractice("PCN "+n.id.String(), n.details.Practices, p)
	if err != nil {
		return PCNChanged{}, err
	}
	d := n.details
	d.Practices = ps
	return n.Change(d, at)
}

// Apply applies a PCN event, checking it as the live operation would; on
// error the record is unchanged.
func (n *PCN) Apply(e Event) error {
	switch e := e.(type) {
	case PCNRegistered:
		if err := checkCreation(n.id, e.PCN, "PCN", e.At); err != nil {
			return err
		}
		if err := e.Details.Validate(); err != nil {
			return fmt.Errorf("PCN %s: %w", e.PCN, err)
		}
		*n = PCN{id: e.PCN, details: e.Details.clone(), registeredAt: e.At, updatedAt: e.At, events: 1}
		return nil
	case PCNChanged:
		if err := checkRecordChange(n.id, e.PCN, "PCN", n.updatedAt, e.At); err != nil {
			return err
		}
		if err := e.Details.Validate(); err != nil {
			return fmt.Errorf("PCN %s: %w", n.id, err)
		}
		n.details, n.updatedAt = e.Details.clone(), e.At
		n.events++
		return nil
	default:
		return NotFor(e, "PCN")
	}
}

// String returns "PCN <id>".
func (n PCN) String() string { return "PCN " + n.id.String() }

// PCNRegistered records a primary care network registered.
type PCNRegistered struct {
	PCN     PCNID      `json:"pcn"`
	Details PCNDetails `json:"details"`
	At      time.Time  `json:"at"`
}

// EventType returns "pcn.registered".
func (PCNRegistered) EventType() string { return "pcn.registered" }

// EventTime returns e.At.
func (e PCNRegistered) EventTime() time.Time { return e.At }

// EventStream returns the PCN's stream.
func (e PCNRegistered) EventStream() Stream { return StreamOf(StreamKindPCN, e.PCN) }

// PCNChanged records new details of a primary care network.
type PCNChanged struct {
	PCN     PCNID      `json:"pcn"`
	Details PCNDetails `json:"details"`
	At      time.Time  `json:"at"`
}

// EventType returns "pcn.changed".
func (PCNChanged) EventType() string { return "pcn.changed" }

// EventTime returns e.At.
func (e PCNChanged) EventTime() time.Time { return e.At }

// EventStream returns the PCN's stream.
func (e PCNChanged) EventStream() Stream { return StreamOf(StreamKindPCN, e.PCN) }

// Title is the canonical title of a link worker's post, from the titles in
// use in England. Titles vary from place to place for the same role, the
// social prescribing link worker ([TitleLinkWorker]); the title a post has
// locally, any text, is [LinkWorkerDetails.LocalTitle], an open set mapped
// to one of these (rule TITLE-1).
type Title uint8

// Titles in use in England.
const (
	TitleLinkWorker Title = iota + 1
	TitleSocialPrescriber
	TitleCommunityConnector
	TitleWellbeingAdvisor
	TitleCommunityNavigator
)

var titles = NewVocabulary[Title]("link worker title",
	"link_worker", "social_prescriber", "community_connector", "wellbeing_advisor", "community_navigator")

// Titles returns every title in order.
func Titles() []Title { return titles.Values() }

// String returns the title's text form ("social_prescriber").
func (t Title) String() string { return titles.String(t) }

// IsValid reports whether t is a known title.
func (t Title) IsValid() bool { return titles.Valid(t) }

// MarshalText implements [encoding.TextMarshaler].
func (t Title) MarshalText() ([]byte, error) { return titles.MarshalText(t) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (t *Title) UnmarshalText(b []byte) (err error) { *t, err = titles.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (t *Title) Scan(src any) (err error) { *t, err = titles.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (t Title) Value() (driver.Value, error) { return titles.Value(t) }

// Employer is the kind of organisation that employs a link worker.
type Employer uint8

// Employers named by NHS England guidance.
const (
	EmployerPCN            Employer = iota + 1 // a primary care network
	EmployerVCSE                               // a voluntary, community and social enterprise organisation
	EmployerLocalAuthority                     // a local authority
	EmployerOther                              // any other employer
)

var employers = NewVocabulary[Employer]("employer", "pcn", "vcse", "local_authority", "other")

// Employers returns every employer kind in order.
func Employers() []Employer { return employers.Values() }

// String returns the employer kind's text form ("vcse").
func (e Employer) String() string { return employers.String(e) }

// IsValid reports whether e is a known employer kind.
func (e Employer) IsValid() bool { return employers.Valid(e) }

// MarshalText implements [encoding.TextMarshaler].
func (e Employer) MarshalText() ([]byte, error) { return employers.MarshalText(e) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (e *Employer) UnmarshalText(b []byte) (err error) { *e, err = employers.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (e *Employer) Scan(src any) (err error) { *e, err = employers.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (e Employer) Value() (driver.Value, error) { return employers.Value(e) }

// LinkWorkerDetails is what is recorded of a link worker's post: their
// local title, their employer, the practices they serve (none for a
// link worker based in the community), and the languages and communities
// that match people to them. It holds no personal data: the
// link worker is known by their [LinkWorkerID].
type LinkWorkerDetails struct {
	Title    Title    `json:"title"`
	Employer Employer `json:"employer"`
	// Practices are the practices the link worker serves, in the order given.
	Practices []PracticeID `json:"practices,omitempty"`
	// Languages are the languages the link worker speaks, as language tags
	// ("en", "pl"), used to match people to them (rule PREF-1).
	Languages []string `json:"languages,omitempty"`
	// Communities are the communities the link worker belongs to or
	// serves ("Polish", "Somali", "Deaf"), an open set of text as assets
	// name theirs ([AssetDetails.Communities]), used to match people to
	// them (rule PREF-1).
	Communities []string `json:"communities,omitempty"`
	// LocalTitle is the title the post has locally, when it differs from
	// the canonical title ([Title]) it maps to: an open set of any
	// non-blank text (rule TITLE-1).
	LocalTitle string `json:"local_title,omitempty"`
}

// Validate reports details with a title or employer outside its vocabulary
// (wrapping [ErrUnknownValue] too), with a zero or repeated practice, or
// with a language or community that is blank, given twice or refused by
// [CheckText] (wrapping [ErrInvalidText] too), with an error wrapping
// [ErrInvalidRecord].
func (d LinkWorkerDetails) Validate() error {
	if err := checkMember(titles, d.Title); err != nil {
		return fmt.Errorf("%w: a link worker needs a known title: %w", ErrInvalidRecord, err)
	}
	if err := checkMember(employers, d.Employer); err != nil {
		return fmt.Errorf("%w: a link worker needs a known employer: %w", ErrInvalidRecord, err)
	}
	if err := checkTags("a link worker's language", d.Languages); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRecord, err)
	}
	if err := checkTags("a link worker's community", d.Communities); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRecord, err)
	}
	if err := CheckText("a local title", d.LocalTitle); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRecord, err)
	}
	if d.LocalTitle != "" && IsBlank(d.LocalTitle) {
		return fmt.Errorf("%w: a local title is blank (TITLE-1)", ErrInvalidRecord)
	}
	return validatePractices("the link worker", d.Practices)
}

// clone returns d with a list of its own; an empty list becomes nil, as
// JSON reads it back.
func (d LinkWorkerDetails) clone() LinkWorkerDetails {
	d.Practices = cloneList(d.Practices)
	d.Languages = cloneList(d.Languages)
	d.Communities = cloneList(d.Communities)
	return d
}

// LinkWorker is the staff record of a link worker: a member of staff who
// gives people time, focuses on "what matters to me", co-produces a plan
// and connects people to community support. They may be based in one or
// more practices, or in the community (no practices). The record keeps
// their post's details and their history, so every change has an audit
// trail. Make one with [RegisterLinkWorker]; rebuild one by replaying its
// stream into a zero LinkWorker, as for every [StreamRecord]. Their
// journey, training and embeddedness are records of other kinds, with
// streams of their own.
//
// A LinkWorker is plain data: safe to copy, not to change concurrently.
// Copies share the list of practices but never write into it: a change
// replaces it, and the details given, returned and put in events are
// copies.
type LinkWorker struct {
	id           LinkWorkerID
	details      LinkWorkerDetails
	registeredAt time.Time
	updatedAt    time.Time
	events       int32
}

// RegisterLinkWorker records a link worker's post. A zero ID
// ([ErrInvalidID]), details failing [LinkWorkerDetails.Validate] and a time
// the codec cannot carry are refused with the zero record and event.
func RegisterLinkWorker(id LinkWorkerID, d LinkWorkerDetails, at time.Time) (LinkWorker, LinkWorkerRegistered, error) {
	e := LinkWorkerRegistered{LinkWorker: id, Details: d.clone(), At: Stamp(at)}
	var w LinkWorker
	if err := w.Apply(e); err != nil {
		return LinkWorker{}, LinkWorkerRegistered{}, err
	}
	return w, e, nil
}

// ID returns the link worker's ID.
func (w *LinkWorker) ID() LinkWorkerID { return w.id }

// Details returns a copy of the link worker's details.
func (w *LinkWorker) Details() LinkWorkerDetails { return w.details.clone() }

// Title returns the link worker's local title.
func (w *LinkWorker) Title() Title { return w.details.Title }

// Employer returns the kind of organisation that employs the link worker.
func (w *LinkWorker) Employer() Employer { return w.details.Employer }

// Languages returns the languages the link worker speaks (rule PREF-1).
// The slice is the caller's.
func (w *LinkWorker) Languages() []string { return slices.Clone(w.details.Languages) }

// Communities returns the communities the link worker belongs to or
// serves (rule PREF-1). The slice is the caller's.
func (w *LinkWorker) Communities() []string { return slices.Clone(w.details.Communities) }

// Practices returns the practices the link worker serves, in the order
// given. The slice is the caller's.
func (w *LinkWorker) Practices() []PracticeID { return slices.Clone(w.details.Practices) }

// Stream returns the link worker's stream (kind link_worker, their ID), or
// the zero Stream before registration.
func (w *LinkWorker) Stream() Stream { return recordStream(StreamKindLinkWorker, w.id) }

// Version returns how many events the record has applied, its registration
// included.
func (w *LinkWorker) Version() int { return int(w.events) }

// Change replaces the link worker's details, checked as
// [RegisterLinkWorker] checks them, at a time no earlier than the last
// change. A refusal returns the zero event and changes nothing.
func (w *LinkWorker) Change(d LinkWorkerDetails, at time.Time) (LinkWorkerChanged, error) {
	e := LinkWorkerChanged{LinkWorker: w.id, Details: d.clone(), At: Stamp(at)}
	if err := w.Apply(e); err != nil {
		return LinkWorkerChanged{}, err
	}
	return e, nil
}

// AddPractice adds a practice the link worker serves, at the end of the
// list: a change of details. A zero or listed practice is refused with an
// error wrapping [ErrInvalidRecord], and the zero event.
func (w *LinkWorker) AddPractice(p PracticeID, at time.Time) (LinkWorkerChanged, error) {
	ps, err := addPractice("link worker "+w.id.String(), w.details.Practices, p)
	if err != nil {
		return LinkWorkerChanged{}, err
	}
	d := w.details
	d.Practices = ps
	return w.Change(d, at)
}

// Serves reports whether the link worker serves the practice.
func (w *LinkWorker) Serves(p PracticeID) bool { return slices.Contains(w.details.Practices, p) }

// CommunityBased reports whether the link worker is based in the community
// rather than in practices.
func (w *LinkWorker) CommunityBased() bool { return len(w.details.Practices) == 0 }

// Apply applies a link worker event, checking it as the live operation
// would; on error the record is unchanged.
func (w *LinkWorker) Apply(e Event) error {
	switch e := e.(type) {
	case LinkWorkerRegistered:
		if err := checkCreation(w.id, e.LinkWorker, "link worker", e.At); err != nil {
			return err
		}
		if err := e.Details.Validate(); err != nil {
			return fmt.Errorf("link worker %s: %w", e.LinkWorker, err)
		}
		*w = LinkWorker{id: e.LinkWorker, details: e.Details.clone(), registeredAt: e.At, updatedAt: e.At, events: 1}
		return nil
	case LinkWorkerChanged:
		if err := checkRecordChange(w.id, e.LinkWorker, "link worker", w.updatedAt, e.At); err != nil {
			return err
		}
		if err := e.Details.Validate(); err != nil {
			return fmt.Errorf("link worker %s: %w", w.id, err)
		}
		w.details, w.updatedAt = e.Details.clone(), e.At
		w.events++
		return nil
	default:
		return NotFor(e, "link worker")
	}
}

// String returns "link worker <id> (<title>)".
func (w LinkWorker) String() string {
	return "link worker " + w.id.String() + " (" + w.details.Title.String() + ")"
}

// LinkWorkerRegistered records a link worker's post registered.
type LinkWorkerRegistered struct {
	LinkWorker LinkWorkerID      `json:"link_worker"`
	Details    LinkWorkerDetails `json:"details"`
	At         time.Time         `json:"at"`
}

// EventType returns "link_worker.registered".
func (LinkWorkerRegistered) EventType() string { return "link_worker.registered" }

// EventTime returns e.At.
func (e LinkWorkerRegistered) EventTime() time.Time { return e.At }

// EventStream returns the link worker's stream.
func (e LinkWorkerRegistered) EventStream() Stream {
	return StreamOf(StreamKindLinkWorker, e.LinkWorker)
}

// LinkWorkerChanged records new details of a link worker's post.
type LinkWorkerChanged struct {
	LinkWorker LinkWorkerID      `json:"link_worker"`
	Details    LinkWorkerDetails `json:"details"`
	At         time.Time         `json:"at"`
}

// EventType returns "link_worker.changed".
func (LinkWorkerChanged) EventType() string { return "link_worker.changed" }

// EventTime returns e.At.
func (e LinkWorkerChanged) EventTime() time.Time { return e.At }

// EventStream returns the link worker's stream.
func (e LinkWorkerChanged) EventStream() Stream {
	return StreamOf(StreamKindLinkWorker, e.LinkWorker)
}

// addPractice returns a new list of ps and p, or an error if p is zero or
// listed. It never writes into ps, which plain copies may share.
func addPractice(owner string, ps []PracticeID, p PracticeID) ([]PracticeID, error) {
	if p.IsZero() {
		return nil, fmt.Errorf("%w: %s: a zero practice ID", ErrInvalidRecord, owner)
	}
	if slices.Contains(ps, p) {
		return nil, fmt.Errorf("%w: %s lists practice %s already", ErrInvalidRecord, owner, p)
	}
	return append(ps[:len(ps):len(ps)], p), nil
}

func validatePractices(owner string, ps []PracticeID) error {
	for i, p := range ps {
		if p.IsZero() {
			return fmt.Errorf("%w: %s lists a zero practice ID", ErrInvalidRecord, owner)
		}
		if slices.Contains(ps[:i], p) {
			return fmt.Errorf("%w: %s lists practice %s twice", ErrInvalidRecord, owner, p)
		}
	}
	return nil
}

// LocalTitle returns the title the link worker's post has locally (rule
// TITLE-1): the local title recorded, or else the canonical title's text
// form with spaces ("social prescriber"). Titles differ from place to place
// for the same role; [LinkWorker.Title] is the canonical one it maps to.
func (w *LinkWorker) LocalTitle() string {
	if w.details.LocalTitle != "" {
		return w.details.LocalTitle
	}
	return humanise(w.details.Title.String())
}

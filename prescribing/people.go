package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
)

// ErrInvalidRecord is wrapped by errors that report a practice, PCN or link
// worker missing something it needs (an ID, a name, a known title).
var ErrInvalidRecord = errors.New("invalid record")

// Practice is a GP practice.
type Practice struct {
	ID PracticeID `json:"id"`
	// ODSCode is the practice's Organisation Data Service code ("A81001"),
	// if known.
	ODSCode string `json:"ods_code,omitempty"`
	Name    string `json:"name"`
	// PCN is the primary care network the practice belongs to, if any.
	PCN PCNID `json:"pcn,omitzero"`
}

// Validate reports a practice without an ID or a name, or with a name or
// ODS code failing [CheckText] (wrapping [ErrInvalidText] too).
func (p Practice) Validate() error {
	if err := checkTexts("the practice's name", p.Name, "the practice's ODS code", p.ODSCode); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRecord, err)
	}
	if p.ID.IsZero() || IsBlank(p.Name) {
		return fmt.Errorf("%w: a practice needs an ID and a name", ErrInvalidRecord)
	}
	return nil
}

// PCN is a primary care network: a group of practices that together employ
// or host link workers.
//
// A PCN is plain data. Plain copies share the Practices list, so change it
// only through [PCN.AddPractice] or by assigning a new slice, never by
// writing into it: then copies are safe to change apart.
type PCN struct {
	ID   PCNID  `json:"id"`
	Name string `json:"name"`
	// Practices are the member practices, in the order given.
	Practices []PracticeID `json:"practices,omitempty"`
}

// Validate reports a PCN without an ID or a name, with a name failing
// [CheckText] (wrapping [ErrInvalidText] too), or with a zero or repeated
// practice.
func (n PCN) Validate() error {
	if err := CheckText("the PCN's name", n.Name); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRecord, err)
	}
	if n.ID.IsZero() || IsBlank(n.Name) {
		return fmt.Errorf("%w: a PCN needs an ID and a name", ErrInvalidRecord)
	}
	return validatePractices("PCN "+n.ID.String(), n.Practices)
}

// AddPractice adds a member practice at the end of the list. A zero or
// listed practice is refused with an error wrapping [ErrInvalidRecord]. The
// list is replaced, never written into, so copies of n are unaffected.
func (n *PCN) AddPractice(p PracticeID) error {
	ps, err := addPractice("PCN "+n.ID.String(), n.Practices, p)
	if err != nil {
		return err
	}
	n.Practices = ps
	return nil
}

// Title is the local job title of a link worker. Titles vary from place to
// place for the same role.
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

// LinkWorker is a member of staff who gives people time, focuses on "what
// matters to me", co-produces a plan and connects people to community
// support. They may be based in one or more practices, or in the community
// (no practices).
//
// A LinkWorker is plain data. Plain copies share the Practices list, so
// change it only through [LinkWorker.AddPractice] or by assigning a new
// slice, never by writing into it: then copies are safe to change apart.
type LinkWorker struct {
	ID       LinkWorkerID `json:"id"`
	Title    Title        `json:"title"`
	Employer Employer     `json:"employer"`
	// Practices are the practices the link worker serves, in the order given.
	Practices []PracticeID `json:"practices,omitempty"`
}

// Validate reports a link worker without an ID, with a title or employer
// outside its vocabulary (wrapping [ErrUnknownValue] too), or with a zero or
// repeated practice.
func (w LinkWorker) Validate() error {
	if w.ID.IsZero() {
		return fmt.Errorf("%w: a link worker needs an ID", ErrInvalidRecord)
	}
	if err := checkMember(titles, w.Title); err != nil {
		return fmt.Errorf("%w: link worker %s needs a known title: %w", ErrInvalidRecord, w.ID, err)
	}
	if err := checkMember(employers, w.Employer); err != nil {
		return fmt.Errorf("%w: link worker %s needs a known employer: %w", ErrInvalidRecord, w.ID, err)
	}
	return validatePractices("link worker "+w.ID.String(), w.Practices)
}

// AddPractice adds a practice the link worker serves, at the end of the
// list. A zero or listed practice is refused with an error wrapping
// [ErrInvalidRecord]. The list is replaced, never written into, so copies of
// w are unaffected.
func (w *LinkWorker) AddPractice(p PracticeID) error {
	ps, err := addPractice("link worker "+w.ID.String(), w.Practices, p)
	if err != nil {
		return err
	}
	w.Practices = ps
	return nil
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

// Serves reports whether the link worker serves the practice.
func (w LinkWorker) Serves(p PracticeID) bool { return slices.Contains(w.Practices, p) }

// CommunityBased reports whether the link worker is based in the community
// rather than in practices.
func (w LinkWorker) CommunityBased() bool { return len(w.Practices) == 0 }

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

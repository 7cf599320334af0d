package prescribing

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// ErrNoLead reports an escalation that names no safeguarding lead.
var ErrNoLead = errors.New("escalation needs a named safeguarding lead")

// ErrAlreadyEscalated reports escalating a concern a second time.
var ErrAlreadyEscalated = errors.New("concern already escalated")

// Concern is a safeguarding concern raised on a contact (rule SAFE-1). It
// must be escalated to a named safeguarding lead; [OverdueConcerns] reports
// those left unescalated past the policy's limit.
//
// It records who raised it, on which contact, when, and to whom and when it
// was escalated; the substance of the concern stays in the caller's
// safeguarding record. A Concern is plain data, holding no slice, map or
// pointer: safe to copy, not to change concurrently. Make one with
// [RaiseConcern]; rebuild one by replaying its stream into a zero Concern,
// as for every [StreamRecord].
type Concern struct {
	id          ConcernID
	referral    ReferralID
	patient     PatientID
	contact     ContactID
	raisedBy    LinkWorkerID
	raisedAt    time.Time
	lead        string
	escalatedAt time.Time
	events      int32
}

// ConcernID identifies a safeguarding [Concern].
type ConcernID = ID[Concern]

// RaiseConcern raises a safeguarding concern on a recorded contact, by the
// contact's link worker, at a time no earlier than the contact
// ([ErrTimeWentBackwards]) that the codec can carry ([ErrTimeOutOfRange]).
// A refusal returns the zero Concern and event.
func RaiseConcern(id ConcernID, on ContactRecorded, at time.Time) (Concern, ConcernRaised, error) {
	e := ConcernRaised{Concern: id, Referral: on.Referral, Patient: on.Patient, Contact: on.Contact.ID,
		RaisedBy: on.LinkWorker, At: Stamp(at)}
	if !at.IsZero() && at.Before(on.Contact.At) {
		return Concern{}, ConcernRaised{}, fmt.Errorf("concern %s: %w: raised before the contact it is about", id, ErrTimeWentBackwards)
	}
	var c Concern
	if err := c.Apply(e); err != nil {
		return Concern{}, ConcernRaised{}, err
	}
	return c, e, nil
}

// ID returns the concern's ID.
func (c *Concern) ID() ConcernID { return c.id }

// Stream returns the concern's stream (kind concern, its ID), or the zero
// Stream before it is raised.
func (c *Concern) Stream() Stream { return recordStream(StreamKindConcern, c.id) }

// Version returns how many events the concern has applied, its raising
// included.
func (c *Concern) Version() int { return int(c.events) }

// Referral returns the referral the concern was raised on.
func (c *Concern) Referral() ReferralID { return c.referral }

// Patient returns the person the concern is about.
func (c *Concern) Patient() PatientID { return c.patient }

// Contact returns the contact the concern was raised on.
func (c *Concern) Contact() ContactID { return c.contact }

// RaisedBy returns the link worker who raised the concern.
func (c *Concern) RaisedBy() LinkWorkerID { return c.raisedBy }

// RaisedAt returns when the concern was raised.
func (c *Concern) RaisedAt() time.Time { return c.raisedAt }

// Escalated returns the safeguarding lead the concern was escalated to and
// when, or false if it has not been.
func (c *Concern) Escalated() (lead string, at time.Time, ok bool) {
	return c.lead, c.escalatedAt, !c.escalatedAt.IsZero()
}

// Escalate records that the concern was passed to the named safeguarding
// lead. A blank name is refused with an error wrapping [ErrNoLead], a name
// failing [CheckText] with [ErrInvalidText]; a refusal returns the zero
// event.
func (c *Concern) Escalate(lead string, at time.Time) (ConcernEscalated, error) {
	e := ConcernEscalated{Concern: c.id, Lead: lead, At: Stamp(at)}
	if err := c.Apply(e); err != nil {
		return ConcernEscalated{}, err
	}
	return e, nil
}

// Apply applies a concern event, checking it as the live operation would.
func (c *Concern) Apply(e Event) error {
	switch e := e.(type) {
	case ConcernRaised:
		switch {
		case !c.id.IsZero():
			return fmt.Errorf("%w: concern %s already raised", ErrUnexpectedEvent, c.id)
		case e.Concern.IsZero() || e.Referral.IsZero() || e.Patient.IsZero() || e.Contact.IsZero() || e.RaisedBy.IsZero():
			return fmt.Errorf("%w: a concern needs its ID and the referral, patient, contact and link worker of the contact", ErrInvalidID)
		}
		if err := CheckTime(time.Time{}, e.At); err != nil {
			return fmt.Errorf("concern %s: %w", e.Concern, err)
		}
		*c = Concern{id: e.Concern, referral: e.Referral, patient: e.Patient, contact: e.Contact, raisedBy: e.RaisedBy, raisedAt: e.At, events: 1}
		return nil
	case ConcernEscalated:
		switch {
		case c.id.IsZero():
			return fmt.Errorf("%w: concern %s has not been raised", ErrUnexpectedEvent, e.Concern)
		case e.Concern != c.id:
			return fmt.Errorf("%w: event for concern %s applied to concern %s", ErrWrongSubject, e.Concern, c.id)
		case !c.escalatedAt.IsZero():
			return fmt.Errorf("concern %s: %w to %s", c.id, ErrAlreadyEscalated, c.lead)
		}
		if err := CheckText("the safeguarding lead", e.Lead); err != nil {
			return fmt.Errorf("concern %s: %w", c.id, err)
		}
		if IsBlank(e.Lead) {
			return fmt.Errorf("concern %s: %w (SAFE-1)", c.id, ErrNoLead)
		}
		if err := CheckTime(c.raisedAt, e.At); err != nil {
			return fmt.Errorf("concern %s: %w", c.id, err)
		}
		c.lead, c.escalatedAt = e.Lead, e.At
		c.events++
		return nil
	default:
		return NotFor(e, "safeguarding")
	}
}

// ConcernRaised records a safeguarding concern raised on a contact.
type ConcernRaised struct {
	Concern  ConcernID    `json:"concern"`
	Referral ReferralID   `json:"referral"`
	Patient  PatientID    `json:"patient"`
	Contact  ContactID    `json:"contact"`
	RaisedBy LinkWorkerID `json:"raised_by"`
	At       time.Time    `json:"at"`
}

// EventType returns "safeguarding.concern_raised".
func (ConcernRaised) EventType() string { return "safeguarding.concern_raised" }

// EventTime returns e.At.
func (e ConcernRaised) EventTime() time.Time { return e.At }

// EventStream returns the concern stream of the concern.
func (e ConcernRaised) EventStream() Stream {
	return StreamOf(StreamKindConcern, e.Concern)
}

// ConcernEscalated records a concern passed to a named safeguarding lead.
type ConcernEscalated struct {
	Concern ConcernID `json:"concern"`
	// Lead names the safeguarding lead (staff, not patient, data).
	Lead string    `json:"lead"`
	At   time.Time `json:"at"`
}

// EventType returns "safeguarding.concern_escalated".
func (ConcernEscalated) EventType() string { return "safeguarding.concern_escalated" }

// EventTime returns e.At.
func (e ConcernEscalated) EventTime() time.Time { return e.At }

// EventStream returns the concern stream of the concern.
func (e ConcernEscalated) EventStream() Stream {
	return StreamOf(StreamKindConcern, e.Concern)
}

// SafeguardingRules sets how soon a concern must be escalated.
type SafeguardingRules struct {
	// EscalateWithinWorkingDays is the limit; zero means the default, 1
	// working day. [SafeguardingRules.Due] counts at most
	// MaxEscalationWorkingDays.
	EscalateWithinWorkingDays int `json:"escalate_within_working_days,omitempty"`
	// Holidays are dates (in the location of the times compared) that are
	// not working days, such as bank holidays. Weekends never are.
	Holidays []time.Time `json:"holidays,omitempty"`
}

// MaxEscalationWorkingDays bounds [SafeguardingRules.EscalateWithinWorkingDays]:
// a year of working days. A longer limit is no safeguarding policy, and
// counting it would take unbounded time.
const MaxEscalationWorkingDays = 260

// Validate reports a limit above [MaxEscalationWorkingDays] or negative, or
// a holiday the codec cannot carry, with an error wrapping [ErrInvalidRecord]
// (and [ErrTimeOutOfRange] for the last).
func (p SafeguardingRules) Validate() error {
	if n := p.EscalateWithinWorkingDays; n < 0 || n > MaxEscalationWorkingDays {
		return fmt.Errorf("%w: escalation within %d working days, want 0 to %d", ErrInvalidRecord, n, MaxEscalationWorkingDays)
	}
	for _, h := range p.Holidays {
		if err := CheckTimeRange(h); err != nil {
			return fmt.Errorf("%w: a holiday: %w", ErrInvalidRecord, err)
		}
	}
	return nil
}

// Due returns when a concern raised at raised must be escalated by: the same
// time of day after the policy's number of working days, skipping weekends
// and holidays. A concern raised on a Friday afternoon is due on Monday
// afternoon. A limit that [SafeguardingRules.Validate] refuses counts as
// the nearest it accepts (1 for zero or less, [MaxEscalationWorkingDays]
// above it), so Due always ends.
func (p SafeguardingRules) Due(raised time.Time) time.Time {
	n := min(p.EscalateWithinWorkingDays, MaxEscalationWorkingDays)
	if n <= 0 {
		n = 1
	}
	t := raised
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if p.workingDay(t) {
			n--
		}
	}
	return t
}

func (p SafeguardingRules) workingDay(t time.Time) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	y, m, d := t.Date()
	return !slices.ContainsFunc(p.Holidays, func(h time.Time) bool {
		hy, hm, hd := h.In(t.Location()).Date()
		return hy == y && hm == m && hd == d
	})
}

// OverdueConcern is an unescalated concern past its limit.
type OverdueConcern struct {
	Concern  ConcernID  `json:"concern"`
	Referral ReferralID `json:"referral"`
	RaisedAt time.Time  `json:"raised_at"`
	Due      time.Time  `json:"due"`
	// Overdue is how long past due the concern is at the report's time.
	Overdue time.Duration `json:"overdue"`
}

// OverdueConcerns reports the concerns not escalated by their due time as
// of at (rule SAFE-1), most overdue first; ties by concern ID.
func OverdueConcerns(concerns []Concern, at time.Time, p SafeguardingRules) []OverdueConcern {
	var out []OverdueConcern
	for i := range concerns {
		c := &concerns[i]
		if c.id.IsZero() || !c.escalatedAt.IsZero() {
			continue
		}
		due := p.Due(c.raisedAt.In(at.Location()))
		if at.After(due) {
			out = append(out, OverdueConcern{Concern: c.id, Referral: c.referral, RaisedAt: c.raisedAt,
				Due: due, Overdue: at.Sub(due)})
		}
	}
	slices.SortFunc(out, func(a, b OverdueConcern) int {
		if a.Overdue != b.Overdue {
			if a.Overdue > b.Overdue {
				return -1
			}
			return 1
		}
		return a.Concern.Compare(b.Concern)
	})
	return out
}

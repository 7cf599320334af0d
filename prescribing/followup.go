package prescribing

import (
	"fmt"
	"slices"
	"time"
)

// DefaultFollowUpDays is how long after a connection its follow-up falls
// due unless a [FollowUpRules] says otherwise (rule FOLLOW-1).
const DefaultFollowUpDays = 28

// MaxFollowUpDays bounds [FollowUpRules.Days]: a year.
const MaxFollowUpDays = 366

// FollowUpRules holds when follow-ups fall due (rule FOLLOW-1).
type FollowUpRules struct {
	// Days is how many days after the connection a follow-up falls due;
	// zero means [DefaultFollowUpDays].
	Days int `json:"days,omitempty"`
}

// Validate reports a period that is negative or longer than
// [MaxFollowUpDays], with an error wrapping [ErrInvalidRecord].
func (p FollowUpRules) Validate() error {
	if p.Days < 0 || p.Days > MaxFollowUpDays {
		return fmt.Errorf("%w: a follow-up due after %d days, want 0 to %d (FOLLOW-1)", ErrInvalidRecord, p.Days, MaxFollowUpDays)
	}
	return nil
}

func (p FollowUpRules) days() int {
	if p.Days <= 0 {
		return DefaultFollowUpDays
	}
	return p.Days
}

// FollowUp is what a follow-up of one connection found (rule FOLLOW-1):
// whether the person went to the community asset, whether it helped, and
// what the asset said.
type FollowUp struct {
	// Asset is the connection's community asset.
	Asset AssetID `json:"asset"`
	// Attended: the person went at least once.
	Attended bool `json:"attended"`
	// Helped: the person found it helped; only someone who attended can.
	Helped bool `json:"helped"`
	// Feedback is what the asset said, if anything. Free text: do not put
	// personal data here.
	Feedback string `json:"feedback,omitempty"`
	// At is when the follow-up was done.
	At time.Time `json:"at"`
}

// ReferralFollowedUp records the follow-up of one connection (rule
// FOLLOW-1).
type ReferralFollowedUp struct {
	Referral ReferralID `json:"referral"`
	FollowUp FollowUp   `json:"follow_up"`
}

// EventType returns "referral.followed_up".
func (ReferralFollowedUp) EventType() string { return "referral.followed_up" }

// EventTime returns the follow-up's time.
func (e ReferralFollowedUp) EventTime() time.Time { return e.FollowUp.At }

// EventStream returns the referral stream of the referral.
func (e ReferralFollowedUp) EventStream() Stream { return StreamOf(StreamKindReferral, e.Referral) }

// RecordFollowUp records the follow-up of a connection (rule FOLLOW-1): once
// the person is connected, while connected, on hold or after closure (a
// follow-up often falls due after the referral closes). Each connection
// has one follow-up. An asset the person was not connected to, or one
// already followed up ([ErrUnexpectedEvent]), helped without attending
// ([ErrMissingDetail]), feedback [CheckText] refuses or a time [CheckTime]
// refuses are refused with the zero event.
func (r *Referral) RecordFollowUp(f FollowUp) (ReferralFollowedUp, error) {
	f.At = Stamp(f.At)
	e := ReferralFollowedUp{Referral: r.id, FollowUp: f}
	if err := r.applyFollowUp(e); err != nil {
		return ReferralFollowedUp{}, err
	}
	return e, nil
}

// FollowUps returns the follow-ups done, oldest first.
func (r *Referral) FollowUps() []FollowUp { return slices.Clone(r.extra().followUps) }

// ConnectedAt returns when the person was first connected, or the zero
// time.
func (r *Referral) ConnectedAt() time.Time { return r.connectedAt }

func (r *Referral) applyFollowUp(e ReferralFollowedUp) error {
	if err := r.checkChange(e.Referral, e.FollowUp.At); err != nil {
		return err
	}
	f := e.FollowUp
	switch {
	case r.connectedAt.IsZero():
		return fmt.Errorf("%w: referral %s was never connected: nothing to follow up (FOLLOW-1)", ErrUnexpectedEvent, r.id)
	case r.state != StateConnected && r.state != StateOnHold && r.state != StateClosed:
		return fmt.Errorf("%w: referral %s in %s takes no follow-up (FOLLOW-1)", ErrUnexpectedEvent, r.id, r.state)
	case !slices.ContainsFunc(r.connections, func(c CommunitySupport) bool { return c.Asset == f.Asset }):
		return fmt.Errorf("%w: referral %s has no connection to asset %s (FOLLOW-1)", ErrUnexpectedEvent, r.id, f.Asset)
	case slices.ContainsFunc(r.extra().followUps, func(x FollowUp) bool { return x.Asset == f.Asset }):
		return fmt.Errorf("%w: referral %s: the connection to asset %s was already followed up (FOLLOW-1)", ErrUnexpectedEvent, r.id, f.Asset)
	case f.Helped && !f.Attended:
		return fmt.Errorf("referral %s: %w: a follow-up says it helped but the person did not attend (FOLLOW-1)", r.id, ErrMissingDetail)
	}
	if err := CheckText("the asset's feedback", f.Feedback); err != nil {
		return fmt.Errorf("referral %s: %w", r.id, err)
	}
	m := r.moreToChange()
	m.followUps = append(m.followUps[:len(m.followUps):len(m.followUps)], f)
	r.more = m
	r.updatedAt = f.At
	r.events++
	return nil
}

// FollowUpDue is one connection's follow-up: when it falls due and, once
// done, what it found.
type FollowUpDue struct {
	Referral   ReferralID   `json:"referral"`
	Patient    PatientID    `json:"patient"`
	LinkWorker LinkWorkerID `json:"link_worker"`
	Asset      AssetID      `json:"asset"`
	Due        time.Time    `json:"due"`
	// Done is the follow-up, if it was done.
	Done *FollowUp `json:"done,omitempty"`
}

// Overdue reports whether the follow-up is not done and its due date is
// before at (due at exactly at is not yet overdue).
func (d FollowUpDue) Overdue(at time.Time) bool { return d.Done == nil && at.After(d.Due) }

// FollowUpsDue returns the follow-up of each connection of the referral
// under the rules, in the order of the connections: due the rules' days
// after the connection (rule FOLLOW-1). A referral never connected, or
// cancelled or entered in error after connection, owes none.
func (r *Referral) FollowUpsDue(p FollowUpRules) []FollowUpDue {
	if r.connectedAt.IsZero() || r.state == StateCancelled || r.state == StateEnteredInError {
		return nil
	}
	due := r.connectedAt.AddDate(0, 0, p.days())
	out := make([]FollowUpDue, 0, len(r.connections))
	followUps := r.extra().followUps
	for _, c := range r.connections {
		d := FollowUpDue{Referral: r.id, Patient: r.patient, LinkWorker: r.linkWorker, Asset: c.Asset, Due: due}
		if i := slices.IndexFunc(followUps, func(f FollowUp) bool { return f.Asset == c.Asset }); i >= 0 {
			f := followUps[i]
			d.Done = &f
		}
		out = append(out, d)
	}
	return out
}

// OverdueFollowUps returns the follow-ups of the referrals that are not
// done and fell due before at (rule FOLLOW-1), as overdue reviews are
// reported: oldest due first, then by referral order. Rules that
// [FollowUpRules.Validate] refuses, or a time outside the years 1 to 9999,
// are errors.
func OverdueFollowUps(at time.Time, p FollowUpRules, referrals []Referral) ([]FollowUpDue, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := CheckTimeRange(at); err != nil {
		return nil, err
	}
	var out []FollowUpDue
	for i := range referrals {
		for _, d := range referrals[i].FollowUpsDue(p) {
			if d.Overdue(at) {
				out = append(out, d)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b FollowUpDue) int { return a.Due.Compare(b.Due) })
	return out, nil
}

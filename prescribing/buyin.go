package prescribing

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// RoleUnderstanding is how a person understood the link worker's role at
// first contact (rule BUYIN-1). Buy-in depends on it: people who expect a
// medical answer, or do not know why they were referred, engage less.
type RoleUnderstanding uint8

// Understandings of the role.
const (
	// RoleUnderstandingClear: they understood the role as it is (time to
	// talk about what matters to them, and links to community support).
	RoleUnderstandingClear RoleUnderstanding = iota + 1
	// RoleUnderstandingPartial: they understood some of it.
	RoleUnderstandingPartial
	// RoleUnderstandingMedical: they took it for a medical or clinical
	// service.
	RoleUnderstandingMedical
	// RoleUnderstandingNone: they did not know why they were referred.
	RoleUnderstandingNone
)

var roleUnderstandings = NewVocabulary[RoleUnderstanding]("role understanding",
	"clear", "partial", "medical", "none")

// RoleUnderstandings returns every understanding in order.
func RoleUnderstandings() []RoleUnderstanding { return roleUnderstandings.Values() }

// String returns the understanding's text form ("partial").
func (u RoleUnderstanding) String() string { return roleUnderstandings.String(u) }

// IsValid reports whether u is a known understanding.
func (u RoleUnderstanding) IsValid() bool { return roleUnderstandings.Valid(u) }

// MarshalText implements [encoding.TextMarshaler].
func (u RoleUnderstanding) MarshalText() ([]byte, error) { return roleUnderstandings.MarshalText(u) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (u *RoleUnderstanding) UnmarshalText(b []byte) (err error) {
	*u, err = roleUnderstandings.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (u *RoleUnderstanding) Scan(src any) (err error) { *u, err = roleUnderstandings.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (u RoleUnderstanding) Value() (driver.Value, error) { return roleUnderstandings.Value(u) }

// DeclineReason is why a person declined social prescribing at first
// contact (rule BUYIN-1).
type DeclineReason uint8

// Reasons to decline.
const (
	// DeclineReasonWantedMedicalFix: they wanted a medical answer.
	DeclineReasonWantedMedicalFix DeclineReason = iota + 1
	// DeclineReasonDidNotUnderstandRole: they did not understand the role.
	DeclineReasonDidNotUnderstandRole
	// DeclineReasonNoCapacityNow: not now; no room in their life for it.
	DeclineReasonNoCapacityNow
	// DeclineReasonOther: another reason, in the decline's free text.
	DeclineReasonOther
)

var declineReasons = NewVocabulary[DeclineReason]("decline reason",
	"wanted_medical_fix", "did_not_understand_role", "no_capacity_now", "other")

// DeclineReasons returns every decline reason in order.
func DeclineReasons() []DeclineReason { return declineReasons.Values() }

// String returns the reason's text form ("no_capacity_now").
func (d DeclineReason) String() string { return declineReasons.String(d) }

// IsValid reports whether d is a known reason.
func (d DeclineReason) IsValid() bool { return declineReasons.Valid(d) }

// MarshalText implements [encoding.TextMarshaler].
func (d DeclineReason) MarshalText() ([]byte, error) { return declineReasons.MarshalText(d) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (d *DeclineReason) UnmarshalText(b []byte) (err error) {
	*d, err = declineReasons.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (d *DeclineReason) Scan(src any) (err error) { *d, err = declineReasons.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (d DeclineReason) Value() (driver.Value, error) { return declineReasons.Value(d) }

// BuyIn is what first contact found of the person's buy-in (rule BUYIN-1):
// how they understood the role, what they expected, and, if they
// declined, why.
type BuyIn struct {
	// Understanding is required when the person agreed to support, and
	// optional when they declined.
	Understanding RoleUnderstanding `json:"understanding,omitzero"`
	// Expected is what the person expected, in their words. Free text.
	Expected string `json:"expected,omitempty"`
	// DeclineReason is required when, and only when, the person declined.
	DeclineReason DeclineReason `json:"decline_reason,omitzero"`
}

// ReferralBuyInRecorded records buy-in at first contact (rule BUYIN-1).
type ReferralBuyInRecorded struct {
	Referral ReferralID `json:"referral"`
	BuyIn    BuyIn      `json:"buy_in"`
	At       time.Time  `json:"at"`
}

// EventType returns "referral.buy_in_recorded".
func (ReferralBuyInRecorded) EventType() string { return "referral.buy_in_recorded" }

// EventTime returns e.At.
func (e ReferralBuyInRecorded) EventTime() time.Time { return e.At }

// EventStream returns the referral stream of the referral.
func (e ReferralBuyInRecorded) EventStream() Stream { return StreamOf(StreamKindReferral, e.Referral) }

// RecordBuyIn records, once, what first contact found of the person's
// buy-in (rule BUYIN-1): after [Referral.RecordFirstContact] an
// understanding of the role (and what they expected, if said), and after
// [Referral.Decline] the typed reason. A referral before first contact or
// already recorded ([ErrUnexpectedEvent]), a missing or stray value
// ([ErrMissingDetail]), one outside its vocabulary ([ErrUnknownValue]),
// text [CheckText] refuses or a time [CheckTime] refuses are refused with
// the zero event.
func (r *Referral) RecordBuyIn(at time.Time, b BuyIn) (ReferralBuyInRecorded, error) {
	e := ReferralBuyInRecorded{Referral: r.id, BuyIn: b, At: Stamp(at)}
	if err := r.applyBuyIn(e); err != nil {
		return ReferralBuyInRecorded{}, err
	}
	return e, nil
}

// BuyIn returns the buy-in recorded at first contact, and false if none
// was.
func (r *Referral) BuyIn() (BuyIn, bool) {
	b := r.extra().buyIn
	return b, b != BuyIn{}
}

func (r *Referral) applyBuyIn(e ReferralBuyInRecorded) error {
	if err := r.checkChange(e.Referral, e.At); err != nil {
		return err
	}
	b := e.BuyIn
	declined := r.declined
	switch {
	case r.firstContactAt.IsZero():
		return fmt.Errorf("%w: referral %s: buy-in is recorded at first contact, which has not happened (BUYIN-1)", ErrUnexpectedEvent, r.id)
	case r.extra().buyIn != BuyIn{}:
		return fmt.Errorf("%w: referral %s: buy-in is already recorded (BUYIN-1)", ErrUnexpectedEvent, r.id)
	case declined && b.DeclineReason == 0:
		return fmt.Errorf("referral %s: %w: %w: a decline carries a typed reason (BUYIN-1)", r.id, ErrMissingDetail, ErrReasonRequired)
	case !declined && b.DeclineReason != 0:
		return fmt.Errorf("referral %s: %w: the person did not decline, yet a decline reason is given (BUYIN-1)", r.id, ErrUnexpectedEvent)
	case !declined && b.Understanding == 0:
		return fmt.Errorf("referral %s: %w: how the person understood the role (BUYIN-1)", r.id, ErrMissingDetail)
	}
	if b.DeclineReason != 0 {
		if err := checkMember(declineReasons, b.DeclineReason); err != nil {
			return fmt.Errorf("referral %s: %w", r.id, err)
		}
	}
	if b.Understanding != 0 {
		if err := checkMember(roleUnderstandings, b.Understanding); err != nil {
			return fmt.Errorf("referral %s: %w", r.id, err)
		}
	}
	if err := CheckText("what the person expected", b.Expected); err != nil {
		return fmt.Errorf("referral %s: %w", r.id, err)
	}
	m := r.moreToChange()
	m.buyIn = b
	r.more = m
	r.updatedAt = e.At
	r.events++
	return nil
}

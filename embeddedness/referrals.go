package embeddedness

import (
	"errors"
	"fmt"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
)

// ReferralShare is the share of a practice's referrals that were
// inappropriate (rejected as outside the role) over a period (rule EMB-5).
type ReferralShare struct {
	Practice      prescribing.PracticeID `json:"practice"`
	Referrals     int                    `json:"referrals"`
	Inappropriate int                    `json:"inappropriate"`
	Share         float64                `json:"share"`
}

// InappropriateShare counts the referrals from practice received in
// [from, to) and the share of them rejected as inappropriate (rule EMB-5): a
// high share says the role is not understood. Referrals entered in error
// are left out altogether: they were never referrals. A period that does
// not end after it starts is an error wrapping
// [prescribing.ErrInvalidPeriod]; an endpoint outside the years 1 to 9999,
// one wrapping [prescribing.ErrTimeOutOfRange].
func InappropriateShare(referrals []prescribing.Referral, practice prescribing.PracticeID, from, to time.Time) (ReferralShare, error) {
	for _, at := range []time.Time{from, to} {
		if err := prescribing.CheckTimeRange(at); err != nil {
			return ReferralShare{}, fmt.Errorf("%w: %w", prescribing.ErrInvalidPeriod, err)
		}
	}
	if !to.After(from) {
		return ReferralShare{}, fmt.Errorf("%w: the period must end after it starts", prescribing.ErrInvalidPeriod)
	}
	s := ReferralShare{Practice: practice}
	for i := range referrals {
		r := &referrals[i]
		if r.Practice() != practice || r.ReceivedAt().Before(from) || !r.ReceivedAt().Before(to) ||
			r.State() == prescribing.StateEnteredInError {
			continue
		}
		s.Referrals++
		if r.State() == prescribing.StateRejected {
			s.Inappropriate++
		}
	}
	if s.Referrals > 0 {
		s.Share = float64(s.Inappropriate) / float64(s.Referrals)
	}
	return s, nil
}

// ErrNoReferrals reports a share of no referrals, which says nothing of how
// well the role is understood.
var ErrNoReferrals = errors.New("no referrals to judge by")

// ReferralScale turns a share of inappropriate referrals into an indicator
// score: 1 at or below Good, 0 at or above Poor, linear between (a scale
// with Poor not above Good is a step at Good). Both are shares from 0 to 1.
type ReferralScale struct {
	Good float64 `json:"good"`
	Poor float64 `json:"poor"`
}

// DefaultReferralScale scores 4% or fewer inappropriate referrals as fully
// in place and 20% or more as not at all: the shares the reference
// simulation model gives belonging and bolted-on practices.
func DefaultReferralScale() ReferralScale { return ReferralScale{Good: 0.04, Poor: 0.20} }

// Validate returns an error wrapping [ErrInvalidObservation] (and
// [prescribing.ErrNotFinite] for NaN or an infinity) unless Good and Poor
// are finite shares from 0 to 1.
func (sc ReferralScale) Validate() error {
	if err := checkScore("the good share of the referral scale", sc.Good); err != nil {
		return err
	}
	return checkScore("the poor share of the referral scale", sc.Poor)
}

// Observation returns the share as an observation of the
// [IndicatorAppropriateReferrals] identity indicator (rule EMB-5). With no
// referrals to judge by it returns an error wrapping [ErrNoReferrals]; a
// scale that fails [ReferralScale.Validate], a share that is not a finite
// number from 0 to 1, or counts that do not add up (negative, or more
// inappropriate referrals than referrals) are errors wrapping
// [ErrInvalidObservation].
func (s ReferralShare) Observation(scale ReferralScale) (Observation, error) {
	if err := scale.Validate(); err != nil {
		return Observation{}, err
	}
	switch {
	case s.Referrals == 0:
		return Observation{}, fmt.Errorf("%w at practice %s", ErrNoReferrals, s.Practice)
	case s.Referrals < 0 || s.Inappropriate < 0 || s.Inappropriate > s.Referrals:
		return Observation{}, fmt.Errorf("%w: %d inappropriate referrals of %d", ErrInvalidObservation, s.Inappropriate, s.Referrals)
	}
	if err := checkScore("the share of inappropriate referrals", s.Share); err != nil {
		return Observation{}, err
	}
	score := 1.0
	switch {
	case s.Share <= scale.Good:
	case s.Share >= scale.Poor || scale.Poor <= scale.Good:
		score = 0
	default:
		score = (scale.Poor - s.Share) / (scale.Poor - scale.Good)
	}
	return Observation{Indicator: IndicatorAppropriateReferrals, Score: score}, nil
}

package embeddedness

import (
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
// high share says the role is not understood. A period that does not end
// after it starts is an error wrapping [prescribing.ErrInvalidPeriod].
func InappropriateShare(referrals []prescribing.Referral, practice prescribing.PracticeID, from, to time.Time) (ReferralShare, error) {
	if !to.After(from) {
		return ReferralShare{}, fmt.Errorf("%w: the period must end after it starts", prescribing.ErrInvalidPeriod)
	}
	s := ReferralShare{Practice: practice}
	for i := range referrals {
		r := &referrals[i]
		if r.Practice() != practice || r.ReceivedAt().Before(from) || !r.ReceivedAt().Before(to) {
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

// ReferralScale turns a share of inappropriate referrals into an indicator
// score: 1 at or below Good, 0 at or above Poor, linear between (a scale
// with Poor not above Good is a step at Good).
type ReferralScale struct {
	Good, Poor float64
}

// DefaultReferralScale scores 4% or fewer inappropriate referrals as fully
// in place and 20% or more as not at all: the shares the reference
// simulation model gives belonging and bolted-on practices.
func DefaultReferralScale() ReferralScale { return ReferralScale{Good: 0.04, Poor: 0.20} }

// Observation returns the share as an observation of the
// [IndicatorAppropriateReferrals] identity indicator (rule EMB-5), and false
// when there were no referrals to judge by.
func (s ReferralShare) Observation(scale ReferralScale) (Observation, bool) {
	if s.Referrals == 0 {
		return Observation{}, false
	}
	score := 1.0
	switch {
	case s.Share <= scale.Good:
	case s.Share >= scale.Poor || scale.Poor <= scale.Good:
		score = 0
	default:
		score = (scale.Poor - s.Share) / (scale.Poor - scale.Good)
	}
	return Observation{Indicator: IndicatorAppropriateReferrals, Score: score}, true
}

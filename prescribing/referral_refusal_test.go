package prescribing

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hostile inputs shared by the referral tests.
var (
	invalidUTF8  = "caf\xe9 closed"
	withNUL      = "moved\x00away"
	longestText  = strings.Repeat("é", MaxTextBytes/2) // exactly MaxTextBytes bytes
	tooLongText  = longestText + "x"
	blankReason  = " \t\n "
	lastInstant  = time.Date(MaxYear, 12, 31, 23, 59, 59, 999999999, time.UTC)
	firstInstant = time.Date(MinYear, 1, 1, 0, 0, 0, 1, time.UTC) // the zero time is "no time"
	later        = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)    // after every fixture's clock
	yearAfter    = time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	yearBefore   = time.Date(MinYear-1, 12, 31, 23, 59, 59, 0, time.UTC)
	// zonedPastEnd is 31 December 9999 in New York, which is year 10000 in
	// UTC; zonedBeforeStart is 1 January of year 1 east of Greenwich, which
	// is year 0 in UTC.
	zonedPastEnd     = time.Date(MaxYear, 12, 31, 23, 0, 0, 0, time.FixedZone("UTC-5", -5*3600))
	zonedBeforeStart = time.Date(MinYear, 1, 1, 0, 30, 0, 0, time.FixedZone("UTC+1", 3600))
)

// refusalCase is one operation on a referral in a given state that must be
// refused with the given sentinels, returning the zero event and changing
// nothing.
type refusalCase struct {
	name string
	from State
	do   func(f *fixture, r *Referral) (Event, error)
	want []error
}

// transition returns a transition's (or a closing's) result as a refusal
// case's do returns it.
func transition(e ReferralTransitioned, err error) (Event, error) { return e, err }

func closeWith(ms ...MeasureChange) func(f *fixture, r *Referral) (Event, error) {
	return func(f *fixture, r *Referral) (Event, error) {
		return transition(r.Close(f.tick(), OutcomeOther, ms...))
	}
}

func swemwbsChange(before, after float64) MeasureChange {
	return MeasureChange{Instrument: InstrumentSWEMWBS, Before: ScoreOf(before), After: ScoreOf(after)}
}

func ons4Change(item ONS4Item, before, after float64) MeasureChange {
	return MeasureChange{Instrument: InstrumentONS4, Item: item, Before: ScoreOf(before), After: ScoreOf(after)}
}

func refusalCases() []refusalCase {
	reason := func(op func(r *Referral, at time.Time, reason string) (ReferralTransitioned, error), s string) func(f *fixture, r *Referral) (Event, error) {
		return func(f *fixture, r *Referral) (Event, error) { return transition(op(r, f.tick(), s)) }
	}
	at := func(op func(r *Referral, at time.Time) (ReferralTransitioned, error), t time.Time) func(f *fixture, r *Referral) (Event, error) {
		return func(f *fixture, r *Referral) (Event, error) { return transition(op(r, t)) }
	}
	accept := func(r *Referral, t time.Time) (ReferralTransitioned, error) {
		return r.Accept(t, NewID[LinkWorker](RandomIDs()))
	}
	support := func(s CommunitySupport) func(f *fixture, r *Referral) (Event, error) {
		return func(f *fixture, r *Referral) (Event, error) {
			return transition(r.StartSupport(f.tick(), SupportPlan{Needs: []Need{NeedMoney}, Offered: []CommunitySupport{s}}))
		}
	}
	receive := func(n NewReferral, t time.Time) func(f *fixture, r *Referral) (Event, error) {
		return func(f *fixture, r *Referral) (Event, error) {
			var fresh Referral
			n.ID, n.Patient = NewID[Referral](f.ids), f.pat
			if n.Source == 0 {
				n.Source = SourceGP
			}
			e, err := fresh.Receive(n, t)
			if !reflect.ValueOf(fresh).IsZero() {
				return e, errors.Join(err, errors.New("a refused receipt changed the referral"))
			}
			return e, err
		}
	}
	return []refusalCase{
		// Times JSON cannot carry (years outside 1..9999 in UTC).
		{"EV_2 accept in year 10000", StateReceived, at(accept, yearAfter), []error{ErrTimeOutOfRange}},
		{"EV_2 accept on 31 December 9999 in a zone where it is 10000 in UTC", StateReceived, at(accept, zonedPastEnd), []error{ErrTimeOutOfRange}},
		{"EV_2 receive in year 0", StateReceived, receive(NewReferral{}, yearBefore), []error{ErrTimeOutOfRange}},
		{"EV_2 receive on 1 January of year 1 in a zone where it is year 0 in UTC", StateReceived, receive(NewReferral{}, zonedBeforeStart), []error{ErrTimeOutOfRange}},
		{"EV_2 receive in year 10000", StateReceived, receive(NewReferral{}, yearAfter), []error{ErrTimeOutOfRange}},
		{"EV_2 contact in year 10000", StateAccepted, at((*Referral).RecordFirstContact, yearAfter), []error{ErrTimeOutOfRange}},
		{"EV_2 update a plan in year 10000", StateInSupport, func(f *fixture, r *Referral) (Event, error) {
			return r.UpdatePlan(yearAfter, SupportPlan{Needs: []Need{NeedHousing}})
		}, []error{ErrTimeOutOfRange}},
		{"EV_2 reassign in year 10000", StateInSupport, func(f *fixture, r *Referral) (Event, error) {
			return r.Reassign(yearAfter, f.lw2, "cover")
		}, []error{ErrTimeOutOfRange}},
		{"EV_2 record a contact in year 10000", StateInSupport, func(f *fixture, r *Referral) (Event, error) {
			return r.RecordContact(Contact{ID: NewID[Contact](f.ids), At: yearAfter, Mode: ContactModeTelephone}, ContactRules{})
		}, []error{ErrTimeOutOfRange}},
		{"EV_2 apply a contact whose risk assessment is in year 0", StateInSupport, func(f *fixture, r *Referral) (Event, error) {
			e := ContactRecorded{Referral: r.ID(), Patient: r.Patient(), LinkWorker: r.LinkWorker(),
				Contact: Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModeTelephone, RiskAssessedAt: yearBefore}}
			return nil, r.Apply(e)
		}, []error{ErrTimeOutOfRange}},

		// Free text the codec would rewrite or a store refuse.
		{"EV_2 referrer that is not UTF-8", StateReceived, receive(NewReferral{Referrer: invalidUTF8}, later), []error{ErrInvalidText}},
		{"EV_2 referrer longer than MaxTextBytes", StateReceived, receive(NewReferral{Referrer: tooLongText}, later), []error{ErrInvalidText}},
		{"EV_2 reason that is not UTF-8", StateReceived, reason((*Referral).Reject, invalidUTF8), []error{ErrInvalidText}},
		{"EV_2 reason holding NUL", StateInSupport, reason((*Referral).PutOnHold, withNUL), []error{ErrInvalidText}},
		{"EV_2 reason longer than MaxTextBytes", StateConnected, reason((*Referral).Cancel, tooLongText), []error{ErrInvalidText}},
		{"EV_2 optional reason that is not UTF-8", StateAccepted, reason((*Referral).EnterInError, invalidUTF8), []error{ErrInvalidText}},
		{"EV_2 reassignment reason that is not UTF-8", StateConnected, func(f *fixture, r *Referral) (Event, error) {
			return r.Reassign(f.tick(), f.lw2, invalidUTF8)
		}, []error{ErrInvalidText}},
		{"EV_2 support named in invalid UTF-8", StateContacted, support(CommunitySupport{Need: NeedMoney, Name: invalidUTF8}), []error{ErrInvalidText}},
		{"EV_2 connection named with NUL", StateInSupport, func(f *fixture, r *Referral) (Event, error) {
			return transition(r.Connect(f.tick(), CommunitySupport{Need: NeedMoney, Asset: NewID[Asset](f.ids), Name: withNUL}))
		}, []error{ErrInvalidText}},
		{"EV_2 plan update naming support in invalid UTF-8", StateInSupport, func(f *fixture, r *Referral) (Event, error) {
			return r.UpdatePlan(f.tick(), SupportPlan{Offered: []CommunitySupport{{Need: NeedMoney, Name: tooLongText}}})
		}, []error{ErrInvalidText}},

		// A reason of only white space is no reason.
		{"REF_3 reject with a blank reason", StateReceived, reason((*Referral).Reject, blankReason), []error{ErrReasonRequired}},
		{"REF_3 decline with a blank reason", StateAccepted, reason((*Referral).Decline, blankReason), []error{ErrReasonRequired}},
		{"REF_3 hold with a blank reason", StateConnected, reason((*Referral).PutOnHold, blankReason), []error{ErrReasonRequired}},
		{"REF_3 cancel with a blank reason", StateOnHold, reason((*Referral).Cancel, " "), []error{ErrReasonRequired}},
		{"REF_3 reassign with a blank reason", StateInSupport, func(f *fixture, r *Referral) (Event, error) {
			return r.Reassign(f.tick(), f.lw2, blankReason)
		}, []error{ErrReasonRequired}},
		{"REF_3 apply a rejection with a blank reason", StateReceived, func(f *fixture, r *Referral) (Event, error) {
			return nil, r.Apply(ReferralTransitioned{Referral: r.ID(), From: StateReceived, To: StateRejected, At: f.tick(), Reason: "\u00a0"})
		}, []error{ErrReasonRequired}},
		{"support with a blank name", StateContacted, support(CommunitySupport{Need: NeedMoney, Name: "  "}), []error{ErrMissingDetail}},

		// Values outside their vocabulary.
		{"EV_2 receive from source 17", StateReceived, receive(NewReferral{Source: ReferralSource(17)}, later), []error{ErrUnknownValue}},
		{"EV_2 receive with need 17", StateReceived, receive(NewReferral{Needs: []Need{NeedMoney, Need(17)}}, later), []error{ErrUnknownValue}},
		{"EV_2 support for need 0", StateContacted, support(CommunitySupport{Name: "advice"}), []error{ErrUnknownValue}},
		{"EV_2 plan with need 13", StateInSupport, func(f *fixture, r *Referral) (Event, error) {
			return r.UpdatePlan(f.tick(), SupportPlan{Needs: []Need{Need(13)}})
		}, []error{ErrUnknownValue}},
		{"REF_4 close with outcome 9", StateInSupport, func(f *fixture, r *Referral) (Event, error) {
			return transition(r.Close(f.tick(), Outcome(9)))
		}, []error{ErrOutcomeRequired, ErrUnknownValue}},
		{"REF_4 close with an instrument that is not one", StateInSupport, closeWith(MeasureChange{Instrument: Instrument(3), Before: ScoreOf(1)}), []error{ErrInvalidMeasure, ErrUnknownValue}},
		{"REF_4 close with an ONS4 change naming no question", StateInSupport, closeWith(ons4Change(0, 3, 4)), []error{ErrInvalidMeasure, ErrUnknownValue}},
		{"REF_4 close with ONS4 question 5", StateInSupport, closeWith(ons4Change(ONS4Item(5), 3, 4)), []error{ErrInvalidMeasure, ErrUnknownValue}},
		{"REF_1 apply a move to state 12", StateReceived, func(f *fixture, r *Referral) (Event, error) {
			return nil, r.Apply(ReferralTransitioned{Referral: r.ID(), From: StateReceived, To: State(12), At: f.tick()})
		}, []error{ErrInvalidTransition}},

		// Scores outside the instrument's range, and numbers that are none.
		{"REF_4 close with SWEMWBS -400 -> 999", StateInSupport, closeWith(swemwbsChange(-400, 999)), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"REF_4 close with SWEMWBS just below 7", StateInSupport, closeWith(swemwbsChange(6.99, 20)), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"REF_4 close with SWEMWBS just above 35", StateInSupport, closeWith(swemwbsChange(20, 35.01)), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"REF_4 close with SWEMWBS NaN", StateInSupport, closeWith(swemwbsChange(math.NaN(), 20)), []error{ErrInvalidMeasure, ErrNotFinite}},
		{"REF_4 close with SWEMWBS +Inf", StateInSupport, closeWith(swemwbsChange(20, math.Inf(1))), []error{ErrInvalidMeasure, ErrNotFinite}},
		{"REF_4 close with SWEMWBS naming an item", StateInSupport, closeWith(MeasureChange{Instrument: InstrumentSWEMWBS, Item: ONS4ItemAnxiety, Before: ScoreOf(20)}), []error{ErrInvalidMeasure}},
		{"REF_4 close with ONS4 -1", StateInSupport, closeWith(ons4Change(ONS4ItemAnxiety, -1, 3)), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"REF_4 close with ONS4 11", StateInSupport, closeWith(ons4Change(ONS4ItemHappiness, 3, 11)), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"REF_4 close with ONS4 5.5", StateInSupport, closeWith(ons4Change(ONS4ItemWorthwhile, 5.5, 6)), []error{ErrInvalidMeasure, ErrOutOfRange}},
		{"REF_4 close with ONS4 -Inf", StateInSupport, closeWith(ons4Change(ONS4ItemWorthwhile, math.Inf(-1), 6)), []error{ErrInvalidMeasure, ErrNotFinite}},

		// Other refusals return no event either.
		{"REF_1 reassign before acceptance", StateReceived, func(f *fixture, r *Referral) (Event, error) {
			return r.Reassign(f.tick(), f.lw2, "cover")
		}, []error{ErrUnexpectedEvent}},
		{"REF_1 update the plan before support", StateContacted, func(f *fixture, r *Referral) (Event, error) {
			return r.UpdatePlan(f.tick(), SupportPlan{Needs: []Need{NeedHousing}})
		}, []error{ErrUnexpectedEvent}},
		{"REF_2 update the plan back in time", StateConnected, func(f *fixture, r *Referral) (Event, error) {
			return r.UpdatePlan(r.UpdatedAt().Add(-time.Nanosecond), SupportPlan{Needs: []Need{NeedHousing}})
		}, []error{ErrTimeWentBackwards}},
		{"REF_1 resume what is not held", StateInSupport, at((*Referral).Resume, later), []error{ErrInvalidTransition}},
	}
}

// TestEV_3_ReferralRefusesWhatCannotBeStoredAndReplayed checks that every
// operation refuses what the codec could not store, or replay could not
// rebuild equal, with the documented sentinel, returns the zero event and
// changes nothing.
func TestEV_3_ReferralRefusesWhatCannotBeStoredAndReplayed(t *testing.T) {
	for _, c := range refusalCases() {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			r, _ := f.referralIn(c.from)
			before := r
			e, err := c.do(f, &r)
			require.Error(t, err)
			for _, want := range c.want {
				assert.ErrorIs(t, err, want)
			}
			if e != nil {
				assert.True(t, reflect.ValueOf(e).IsZero(), "a refused operation returns the zero event, got %#v", e)
			}
			assert.Equal(t, before, r, "a refused operation changes nothing")
		})
	}
}

// TestEV_2_ReferralAcceptsTheBoundaries checks the other side of each bound:
// the first and last instants JSON carries, text of exactly MaxTextBytes,
// and scores at the ends of each instrument's range, all stored and replayed
// equal.
func TestEV_2_ReferralAcceptsTheBoundaries(t *testing.T) {
	codec := mustCodec(t)
	f := newFixture(t)
	var history []Event
	keep := func(e Event, err error) {
		t.Helper()
		require.NoError(t, err)
		history = append(history, e)
	}
	r, e, err := ReceiveReferral(NewReferral{ID: NewID[Referral](f.ids), Patient: f.pat, Source: SourceSelf,
		Referrer: longestText, Needs: []Need{NeedOther}}, firstInstant)
	keep(e, err)
	keep(r.Accept(firstInstant, f.lw))
	keep(r.RecordFirstContact(firstInstant.Add(time.Hour)))
	keep(r.StartSupport(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), SupportPlan{Offered: []CommunitySupport{{Need: NeedOther, Name: longestText}}}))
	keep(r.PutOnHold(time.Date(2026, 1, 2, 0, 0, 0, 0, time.FixedZone("UTC+14", 14*3600)), longestText))
	keep(r.Resume(time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)))
	keep(r.Reassign(time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC), f.lw2, longestText))
	ce, err := r.Close(lastInstant, OutcomeNeedsMetWithoutConnection,
		swemwbsChange(7, 35), ons4Change(ONS4ItemLifeSatisfaction, 0, 10), ons4Change(ONS4ItemAnxiety, 10, 0),
		MeasureChange{Instrument: InstrumentSWEMWBS, After: ScoreOf(19.25)})
	keep(ce, err)
	msg, _ := r.ClosureMessage()
	assert.Equal(t, lastInstant, msg.ClosedAt)
	assert.Equal(t, firstInstant, r.ReceivedAt())

	var buf strings.Builder
	require.NoError(t, codec.Encode(&buf, history))
	back, err := codec.Decode(strings.NewReader(buf.String()))
	require.NoError(t, err)
	assert.Equal(t, history, back)
	var replayed Referral
	require.NoError(t, Replay(&replayed, back))
	assert.Equal(t, r, replayed)
}

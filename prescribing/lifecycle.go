package prescribing

import "database/sql/driver"

// State is where a referral is in its lifecycle.
//
//	received -> accepted | rejected
//	accepted -> contacted | declined
//	contacted -> in-support
//	in-support -> connected | closed | on-hold
//	connected -> closed | on-hold
//	on-hold -> back to the state it was held from (in-support or connected)
//	any live state -> cancelled | entered-in-error
//
// Live states are received, accepted, contacted, in-support, connected and
// on-hold; the others are final.
//
// in-support -> closed is allowed as well as connected -> closed because
// three of the outcomes docs/rules.md (REF-4) lists for a closed referral (needs met
// without connection, referred on, disengaged) happen without a connection.
type State uint8

// Referral states, with the text forms docs/rules.md uses.
const (
	StateReceived       State = iota + 1 // received from the referrer
	StateAccepted                        // a link worker has taken it on
	StateRejected                        // inappropriate: outside the role, such as a clinical need
	StateContacted                       // first contact made and the person agrees
	StateDeclined                        // the person declined at first contact
	StateInSupport                       // "what matters to me" conversation held, plan agreed
	StateConnected                       // linked to at least one community asset
	StateOnHold                          // waiting, for example for capacity
	StateClosed                          // ended with an outcome and a message back to the GP
	StateCancelled                       // by the referrer, or the person moved, died or could not be contacted
	StateEnteredInError                  // recorded by mistake
)

var states = NewVocabulary[State]("referral state",
	"received", "accepted", "rejected", "contacted", "declined", "in-support",
	"connected", "on-hold", "closed", "cancelled", "entered-in-error")

// States returns every state in order.
func States() []State { return states.Values() }

// String returns the state's text form ("in-support").
func (s State) String() string { return states.String(s) }

// IsValid reports whether s is a known state.
func (s State) IsValid() bool { return states.Valid(s) }

// MarshalText implements [encoding.TextMarshaler].
func (s State) MarshalText() ([]byte, error) { return states.MarshalText(s) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *State) UnmarshalText(b []byte) (err error) { *s, err = states.Parse(string(b)); return }

// Scan implements [database/sql.Scanner].
func (s *State) Scan(src any) (err error) { *s, err = states.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (s State) Value() (driver.Value, error) { return states.Value(s) }

// IsLive reports whether a referral in state s can still change.
func (s State) IsLive() bool { return s.IsValid() && allowed[s] != 0 }

// IsFinal reports whether s ends a referral.
func (s State) IsFinal() bool { return s.IsValid() && allowed[s] == 0 }

// stateSet is a set of states as bits.
type stateSet uint16

func setOf(ss ...State) stateSet {
	var b stateSet
	for _, s := range ss {
		b |= 1 << s
	}
	return b
}

func (b stateSet) has(s State) bool { return s < 16 && b&(1<<s) != 0 }

// ending are the moves open to every live state.
var ending = setOf(StateCancelled, StateEnteredInError)

// allowed is the transition table (rule REF-1), indexed by the from-state.
// On-hold may go back only to the state it was held from; Referral checks
// that on top of this table.
var allowed = [...]stateSet{
	StateReceived:  setOf(StateAccepted, StateRejected) | ending,
	StateAccepted:  setOf(StateContacted, StateDeclined) | ending,
	StateContacted: setOf(StateInSupport) | ending,
	StateInSupport: setOf(StateConnected, StateClosed, StateOnHold) | ending,
	StateConnected: setOf(StateClosed, StateOnHold) | ending,
	StateOnHold:    setOf(StateInSupport, StateConnected) | ending,
	// Rejected, Declined, Closed, Cancelled and EnteredInError are final.
	StateEnteredInError: 0,
}

// CanTransition reports whether the table allows from -> to. (A referral
// also checks that on-hold returns to the state it was held from.)
func CanTransition(from, to State) bool {
	return from.IsValid() && to.IsValid() && allowed[from].has(to)
}

// Transition is one allowed move of the lifecycle.
type Transition struct {
	From State `json:"from"`
	To   State `json:"to"`
}

// Transitions returns the whole transition table, ordered by from-state and
// then to-state.
func Transitions() []Transition {
	var out []Transition
	for _, from := range States() {
		for _, to := range States() {
			if CanTransition(from, to) {
				out = append(out, Transition{From: from, To: to})
			}
		}
	}
	return out
}

// RequiresReason reports whether entering s needs a reason (rule REF-3):
// rejected, cancelled, declined and on-hold.
func RequiresReason(s State) bool {
	switch s {
	case StateRejected, StateCancelled, StateDeclined, StateOnHold:
		return true
	}
	return false
}

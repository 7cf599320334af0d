package prescribing

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ClosureMessage is the message back to the GP and referrer when a referral
// closes (rule REF-4, after the PRSB Social Prescribing Information Standard):
// who was seen and by whom, the needs identified, the support offered and
// taken up, the outcome measures before and after, and the outcome.
//
// It is a value for callers to render in their own systems; [ClosureMessage.WriteText]
// gives a plain-text rendering. It holds IDs, not personal data: the caller
// supplies how the person is named when rendering.
type ClosureMessage struct {
	Referral   ReferralID     `json:"referral"`
	Patient    PatientID      `json:"patient"`
	Practice   PracticeID     `json:"practice,omitzero"`
	Source     ReferralSource `json:"source"`
	Referrer   string         `json:"referrer,omitempty"`
	LinkWorker LinkWorkerID   `json:"link_worker"`
	ReceivedAt time.Time      `json:"received_at"`
	SeenAt     time.Time      `json:"seen_at"`
	ClosedAt   time.Time      `json:"closed_at"`
	// Contacts and Attended count the contacts recorded and attended.
	Contacts int                `json:"contacts"`
	Attended int                `json:"attended"`
	Needs    NeedSet            `json:"needs"`
	Offered  []CommunitySupport `json:"offered,omitempty"`
	TakenUp  []CommunitySupport `json:"taken_up,omitempty"`
	Measures []MeasureChange    `json:"measures,omitempty"`
	Outcome  Outcome            `json:"outcome"`
	// FollowUps are the follow-ups of the connections done by the time the
	// message was made (rule FOLLOW-1).
	FollowUps []FollowUp `json:"follow_ups,omitempty"`
	// CodesOnly is set on the form sent to the GP record without the
	// person's consent to share with it (rule CONS-2): free text and the
	// referrer are left out, codes, counts and dates stay. See
	// [ClosureMessage.ForGPRecord].
	CodesOnly bool `json:"codes_only,omitempty"`
}

// ClosureMessage returns the message back to the GP and referrer of a closed
// referral, with its own copies of the lists, and false for a referral that
// is not closed.
func (r *Referral) ClosureMessage() (ClosureMessage, bool) {
	if r.state != StateClosed {
		return ClosureMessage{}, false
	}
	return r.message(), true
}

// message builds the message from the closed referral, with its own copies
// of the lists. The support offered and taken up are copied into one
// allocation, each list capped at its length so that appending to one never
// writes into the other: one allocation for the message instead of two.
func (r *Referral) message() ClosureMessage {
	var offered, takenUp []CommunitySupport
	if n := len(r.offered) + len(r.connections); n > 0 {
		both := slices.Concat(r.offered, r.connections)
		offered, takenUp = both[:len(r.offered):len(r.offered)], both[len(r.offered):n:n]
		if len(offered) == 0 {
			offered = nil
		}
		if len(takenUp) == 0 {
			takenUp = nil
		}
	}
	return ClosureMessage{
		Referral: r.id, Patient: r.patient, Practice: r.practice, Source: r.source, Referrer: r.referrer,
		LinkWorker: r.linkWorker, ReceivedAt: r.receivedAt, SeenAt: r.firstContactAt, ClosedAt: r.closedAt,
		Contacts: int(r.contacts), Attended: int(r.attended),
		Needs: r.needs, Offered: offered, TakenUp: takenUp,
		Measures: slices.Clone(r.measures), Outcome: r.outcome,
		FollowUps: cloneList(r.extra().followUps),
	}
}

// WriteText writes the message as plain text. who is how the person is named
// at the top ("Ms A Smith, NHS 943 476 5919"): the caller's explicit choice
// to show personal data. If who is empty the patient's pseudonymous ID is
// used.
func (m ClosureMessage) WriteText(w io.Writer, who string) error {
	if who == "" {
		who = "patient " + m.Patient.String()
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	date := func(t time.Time) string {
		if t.IsZero() {
			return "not recorded"
		}
		return t.Format("2 January 2006")
	}
	line("Social prescribing: message back to the GP and referrer")
	line("Person seen: %s", who)
	line("Referred by: %s%s on %s", humanise(m.Source.String()), referrerSuffix(m.Referrer), date(m.ReceivedAt))
	line("Seen by link worker: %s, first contact %s", m.LinkWorker, date(m.SeenAt))
	line("Contacts: %d recorded, %d attended", m.Contacts, m.Attended)
	line("Needs identified: %s", joinNames(m.Needs.List()))
	line("Support offered: %s", joinSupport(m.Offered))
	line("Support taken up: %s", joinSupport(m.TakenUp))
	if len(m.Measures) == 0 {
		line("Outcome measures: none recorded")
	} else {
		line("Outcome measures (before -> after):")
		for _, x := range m.Measures {
			name := humanise(x.Instrument.String())
			if x.Item != 0 {
				name += " " + humanise(x.Item.String())
			}
			change := ""
			if d, ok := x.Change(); ok {
				// Two decimals, as SWEMWBS metric scores are published;
				// ONS4 items are whole numbers and print as such.
				d = math.Round(d*100) / 100
				sign := "+"
				if d < 0 {
					sign = ""
				}
				change = " (" + sign + strconv.FormatFloat(d, 'f', -1, 64) + ")"
			}
			line("  %s: %s -> %s%s", name, x.Before, x.After, change)
		}
	}
	line("Outcome: %s, closed %s", humanise(m.Outcome.String()), date(m.ClosedAt))
	for _, f := range m.FollowUps {
		found := "did not attend"
		switch {
		case f.Helped:
			found = "attended, helped"
		case f.Attended:
			found = "attended, did not help"
		}
		if f.Feedback != "" && !m.CodesOnly {
			found += "; the asset said: " + f.Feedback
		}
		line("Follow-up of asset %s on %s: %s", f.Asset, date(f.At), found)
	}
	if m.CodesOnly {
		line("Consent to share with the GP record was withheld: codes only")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Text returns [ClosureMessage.WriteText] as a string.
func (m ClosureMessage) Text(who string) string {
	var b strings.Builder
	_ = m.WriteText(&b, who)
	return b.String()
}

func referrerSuffix(r string) string {
	if r == "" {
		return ""
	}
	return " (" + r + ")"
}

func joinNames[T fmt.Stringer](xs []T) string {
	if len(xs) == 0 {
		return "none"
	}
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = humanise(x.String())
	}
	return strings.Join(parts, ", ")
}

func joinSupport(xs []CommunitySupport) string {
	if len(xs) == 0 {
		return "none"
	}
	parts := make([]string, len(xs))
	for i, s := range xs {
		if s.Name == "" {
			parts[i] = humanise(s.Need.String())
			continue
		}
		parts[i] = s.Name + " (" + humanise(s.Need.String()) + ")"
	}
	return strings.Join(parts, ", ")
}

// humanise turns a text form such as "social_isolation" into
// "social isolation", with the acronyms of the field in capitals.
func humanise(s string) string {
	words := strings.Split(s, "_")
	for i, w := range words {
		switch w {
		case "gp", "pcn", "vcse", "swemwbs", "ons4":
			words[i] = strings.ToUpper(w)
		}
	}
	return strings.Join(words, " ")
}

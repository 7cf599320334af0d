package prescribing

import (
	"github.com/stretchr/testify/require"
)

// researchStory is a re-referral's life touching every event issue 20's
// rules add to a referral: linked to the person's earlier referral, its
// complexity assessed, buy-in recorded at first contact, a step prompted
// by a contact, connection, a contact after it, a step taken unprompted, a
// follow-up and closure. It returns the earlier referral too.
type researchStory struct {
	earlier, r Referral
	events     []Event
	contact    ContactID
	asset      AssetID
	msg        ClosureMessage
}

func (f *fixture) research() researchStory {
	var s researchStory
	s.earlier, _ = f.receive()
	r, history := f.receive()
	add := func(e Event, err error) {
		f.t.Helper()
		require.NoError(f.t, err)
		history = append(history, e)
	}
	add(r.LinkEarlier(f.tick(), s.earlier))
	add(r.AssessComplexity(f.tick(), ComplexityHigh))
	add(r.Accept(f.tick(), f.lw))
	add(r.RecordFirstContact(f.tick()))
	add(r.RecordBuyIn(f.tick(), BuyIn{Understanding: RoleUnderstandingPartial, Expected: "someone to talk to"}))
	add(r.StartSupport(f.tick(), SupportPlan{Needs: []Need{NeedMentalWellbeing}, Offered: []CommunitySupport{walkingGroup}}))
	s.contact = NewID[Contact](f.ids)
	add(r.RecordContact(Contact{ID: s.contact, At: f.tick(), Mode: ContactModeTelephone, Minutes: 30, Attended: true}, ContactRules{}))
	add(r.RecordStep(Step{Kind: StepKindJoinedActivity, What: "went to the walk once", PromptedBy: s.contact, At: f.tick()}))
	c := walkingGroup
	s.asset = NewID[Asset](f.ids)
	c.Asset = s.asset
	add(r.Connect(f.tick(), c))
	add(r.RecordContact(Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModePractice, Minutes: 30, Attended: true}, ContactRules{}))
	add(r.RecordStep(Step{Kind: StepKindReconnected, What: "called an old friend", At: f.tick()}))
	add(r.RecordFollowUp(FollowUp{Asset: s.asset, Attended: true, Helped: true, Feedback: "comes most weeks", At: f.tick()}))
	e, err := r.Close(f.tick(), OutcomeConnectedAndBenefited)
	add(e, err)
	msg, _ := r.ClosureMessage()
	s.r, s.events, s.msg = r, history, msg
	return s
}

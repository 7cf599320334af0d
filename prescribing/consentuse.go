package prescribing

import (
	"fmt"
	"time"
)

// CheckContact reports whether the person's consents allow a contact in
// mode m at time at (rule CONS-2): a contact by text message
// ([ContactModeMessage]) needs current consent to be contacted by text,
// else the error wraps [ErrNoConsent]; other modes need none. A nil
// record holds no consent.
func (c *Consents) CheckContact(m ContactMode, at time.Time) error {
	if c == nil {
		if m == ContactModeMessage {
			return fmt.Errorf("%w: no consent record to contact by text (CONS-2)", ErrNoConsent)
		}
		return nil
	}
	if m == ContactModeMessage && !c.Current(ConsentScopeContactByText, AssetID{}, at) {
		return fmt.Errorf("patient %s: %w to be contacted by text (CONS-2)", c.patient, ErrNoConsent)
	}
	return nil
}

// RecordContactWithConsent is [Referral.RecordContact] for a caller that
// holds the person's consents, as every service should, and the only way
// to record a contact by text (rule CONS-2): a
// contact by text without current consent to text is refused with an
// error wrapping [ErrNoConsent], as is a nil consent record, and consents
// of another person with [ErrWrongSubject]. A refusal returns the zero event and changes nothing.
func (r *Referral) RecordContactWithConsent(c Contact, policy ContactRules, consents *Consents) (ContactRecorded, error) {
	if err := consentsOf(consents, r.patient, r.id); err != nil {
		return ContactRecorded{}, err
	}
	if err := consents.CheckContact(c.Mode, c.At); err != nil {
		return ContactRecorded{}, fmt.Errorf("referral %s: %w", r.id, err)
	}
	e := ContactRecorded{Referral: r.id, Patient: r.patient, LinkWorker: r.linkWorker, Contact: c}
	if err := r.recordContact(&e, policy); err != nil {
		return ContactRecorded{}, err
	}
	return e, nil
}

// ConnectSharing connects the person to community support (as
// [Referral.Connect]) and records that their details were shared with each
// asset (as [Consents.ShareWithAsset]): connecting shares details, so CONS-1
// applies (rule CONS-2). Without current consent to share with any one of
// the assets nothing is recorded, on either record, and the error wraps
// [ErrNoConsent], as does a nil consent record; consents of another person
// are refused with [ErrWrongSubject]. On success it returns the transition and one
// DetailsShared per connection, in order (an asset named twice is shared
// once).
func (r *Referral) ConnectSharing(consents *Consents, at time.Time, takenUp ...CommunitySupport) (ReferralTransitioned, []DetailsShared, error) {
	if err := consentsOf(consents, r.patient, r.id); err != nil {
		return ReferralTransitioned{}, nil, err
	}
	// Work on copies and keep them only if every step succeeds.
	rr, cc := *r, *consents
	e, err := rr.Connect(at, takenUp...)
	if err != nil {
		return ReferralTransitioned{}, nil, err
	}
	var shared []DetailsShared
	seen := map[AssetID]bool{}
	for _, s := range takenUp {
		if seen[s.Asset] {
			continue
		}
		seen[s.Asset] = true
		d, err := cc.ShareWithAsset(s.Asset, at)
		if err != nil {
			return ReferralTransitioned{}, nil, fmt.Errorf("referral %s: connecting shares details: %w", r.id, err)
		}
		shared = append(shared, d)
	}
	*r, *consents = rr, cc
	return e, shared, nil
}

// ForGPRecord returns the message as it may go to the GP record (rule
// CONS-2): whole with the person's current consent to share with the GP
// record at time at; otherwise codes only ([ClosureMessage.CodesOnly]),
// with the referrer, the names of the support and the assets' feedback
// left out, and the codes, counts, dates, measures and outcome kept, as
// services send when consent is withheld. Consents of another person are
// an error wrapping [ErrWrongSubject], and a nil consent record one
// wrapping [ErrNoConsent].
func (m ClosureMessage) ForGPRecord(consents *Consents, at time.Time) (ClosureMessage, error) {
	if err := consentsOf(consents, m.Patient, m.Referral); err != nil {
		return ClosureMessage{}, err
	}
	if consents.Current(ConsentScopeShareWithGPRecord, AssetID{}, at) {
		return m, nil
	}
	return m.codesOnly(), nil
}

// codesOnly returns the message without free text, with lists of its own.
func (m ClosureMessage) codesOnly() ClosureMessage {
	strip := func(list []CommunitySupport) []CommunitySupport {
		list = cloneList(list)
		for i := range list {
			list[i].Name = ""
		}
		return list
	}
	m.Referrer = ""
	m.Offered, m.TakenUp = strip(m.Offered), strip(m.TakenUp)
	m.FollowUps = cloneList(m.FollowUps)
	for i := range m.FollowUps {
		m.FollowUps[i].Feedback = ""
	}
	m.Measures = cloneList(m.Measures)
	m.CodesOnly = true
	return m
}

// consentsOf checks that consents is the consent record of patient p:
// none (nil) is an error wrapping [ErrNoConsent], another person's record
// one wrapping [ErrWrongSubject].
func consentsOf(consents *Consents, p PatientID, ref ReferralID) error {
	switch {
	case consents == nil:
		return fmt.Errorf("%w: referral %s: no consent record given (CONS-2)", ErrNoConsent, ref)
	case consents.patient != p:
		return fmt.Errorf("%w: referral %s: the consents are another person's (CONS-2)", ErrWrongSubject, ref)
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

// index is a projection of the store's global log, for what a single
// stream cannot answer: who may see a patient, a link worker's caseload,
// the assets to match against, the concerns and episodes to report on.
// It is caught up from the log before every use, so it holds every
// change acknowledged before the request began. Writes never trust it:
// they rebuild their record from its stream and append expecting its
// version.
//
// Reading the log from the last position seen misses nothing because the
// SQL store hands out positions under a lock on its head row, held until
// commit: appends become visible in position order, without gaps.
type index struct {
	mu        sync.Mutex
	next      int64 // the next position of the log to read
	referrals map[prescribing.ReferralID]prescribing.Referral
	episodes  map[holding.EpisodeID]holding.Episode
	concerns  map[prescribing.ConcernID]prescribing.Concern
	assets    map[prescribing.AssetID]prescribing.Asset
	// journeys and supervisions are the link workers' passages into the
	// role and their supervision, for the supervision page.
	journeys     map[prescribing.LinkWorkerID]liminality.Journey
	supervisions map[prescribing.LinkWorkerID]liminality.Supervision
	// registeredBy is the link worker who registered each patient.
	registeredBy map[prescribing.PatientID]prescribing.LinkWorkerID
	// byPatient lists each patient's referrals.
	byPatient map[prescribing.PatientID][]prescribing.ReferralID
}

func newIndex() *index {
	return &index{
		next:         1,
		referrals:    map[prescribing.ReferralID]prescribing.Referral{},
		episodes:     map[holding.EpisodeID]holding.Episode{},
		concerns:     map[prescribing.ConcernID]prescribing.Concern{},
		assets:       map[prescribing.AssetID]prescribing.Asset{},
		journeys:     map[prescribing.LinkWorkerID]liminality.Journey{},
		supervisions: map[prescribing.LinkWorkerID]liminality.Supervision{},
		registeredBy: map[prescribing.PatientID]prescribing.LinkWorkerID{},
		byPatient:    map[prescribing.PatientID][]prescribing.ReferralID{},
	}
}

// view catches the index up with the store and calls f with it locked.
func (x *index) view(ctx context.Context, s store.Store, t *Tokens, f func(*index) error) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	for {
		envs, err := s.ReadAll(ctx, x.next, 1000)
		if err != nil {
			return err
		}
		for _, e := range envs {
			if err := x.apply(e, t); err != nil {
				return fmt.Errorf("index at position %d: %w", e.Position, err)
			}
			x.next = e.Position + 1
		}
		if len(envs) < 1000 {
			break
		}
	}
	return f(x)
}

func applyTo[K comparable, R any, P interface {
	*R
	prescribing.Applier
}](m map[K]R, k K, e prescribing.Event) error {
	r := m[k]
	if err := P(&r).Apply(e); err != nil {
		return err
	}
	m[k] = r
	return nil
}

func (x *index) apply(env store.Envelope, t *Tokens) error {
	id := env.Stream.ID
	switch env.Stream.Kind {
	case prescribing.StreamKindReferral:
		rid := prescribing.IDFromUUID[prescribing.Referral](id)
		if err := applyTo(x.referrals, rid, env.Event); err != nil {
			return err
		}
		if env.Version == 1 {
			r := x.referrals[rid]
			x.byPatient[r.Patient()] = append(x.byPatient[r.Patient()], rid)
		}
	case prescribing.StreamKindHoldingEpisode:
		return applyTo(x.episodes, prescribing.IDFromUUID[holding.Episode](id), env.Event)
	case prescribing.StreamKindConcern:
		return applyTo(x.concerns, prescribing.IDFromUUID[prescribing.Concern](id), env.Event)
	case prescribing.StreamKindAsset:
		return applyTo(x.assets, prescribing.IDFromUUID[prescribing.Asset](id), env.Event)
	case prescribing.StreamKindJourney:
		return applyTo(x.journeys, prescribing.IDFromUUID[prescribing.LinkWorker](id), env.Event)
	case prescribing.StreamKindSupervision:
		return applyTo(x.supervisions, prescribing.IDFromUUID[prescribing.LinkWorker](id), env.Event)
	case prescribing.StreamKindPatient:
		if env.Version == 1 {
			if lw, ok := t.linkWorkerOf(env.Actor); ok {
				x.registeredBy[prescribing.IDFromUUID[prescribing.Patient](id)] = lw
			}
		}
	}
	return nil
}

// ownsPatient says whether lw registered the patient or holds one of
// their referrals.
func (x *index) ownsPatient(lw prescribing.LinkWorkerID, p prescribing.PatientID) bool {
	if x.registeredBy[p] == lw {
		return true
	}
	for _, rid := range x.byPatient[p] {
		r := x.referrals[rid]
		if r.LinkWorker() == lw {
			return true
		}
	}
	return false
}

// patientWorkers are the link workers a patient belongs to.
func (x *index) patientWorkers(p prescribing.PatientID) []prescribing.LinkWorkerID {
	var out []prescribing.LinkWorkerID
	if lw, ok := x.registeredBy[p]; ok {
		out = append(out, lw)
	}
	for _, rid := range x.byPatient[p] {
		r := x.referrals[rid]
		if !r.LinkWorker().IsZero() {
			out = append(out, r.LinkWorker())
		}
	}
	return out
}

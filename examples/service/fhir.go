package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"net/http"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/fhir"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

// receiveFHIRReferral receives a referral as a FHIR R4 Bundle holding a
// ServiceRequest and its Patient (package fhir's ImportReferral): the
// patient is registered unless their stream exists already, and the
// referral received. IDs the Bundle does not give as UUIDs come from the
// Idempotency-Key, so a retry names the same records; a retry after a
// crash between the two appends finds the patient and appends the
// referral only.
func receiveFHIRReferral(c *call) error {
	id, digest, err := c.idempotency("POST /fhir/referrals")
	if err != nil {
		return err
	}
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(binary.BigEndian.Uint64(id[:8]), binary.BigEndian.Uint64(id[8:]))))
	in, err := fhir.ImportReferral(bytes.NewReader(c.body), ids)
	if err != nil {
		if errors.Is(err, fhir.ErrInvalidResource) || errors.Is(err, fhir.ErrTooLarge) || errors.Is(err, prescribing.ErrInvalidText) {
			return fail(http.StatusBadRequest, "bad FHIR Bundle: %s", err)
		}
		return err
	}
	got, err := in.Receive(c.at())
	if err != nil {
		return err
	}
	pstream := got.Patient.Stream()
	envs, err := c.s.store.Load(c.ctx, pstream, 0)
	if err != nil {
		return err
	}
	if len(envs) > 0 && c.who.staff.Role == RoleLinkWorker {
		// The Bundle names a patient already registered: a link worker
		// refers only their own.
		if _, err := patientAccess(c, got.Patient.ID(), true); err != nil {
			return err
		}
	}
	if len(envs) == 0 {
		_, err := c.s.store.Append(c.ctx, pstream, store.ExpectNoStream, c.meta(digest), got.Registered)
		if err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return create(c, got.Referral.Stream(), digest,
		func() (prescribing.Referral, prescribing.Event, error) { return got.Referral, got.Event, nil },
		func(r *prescribing.Referral) any { return viewReferral(r) })
}

// records gathers what package fhir exports a referral from.
func records(c *call, r prescribing.Referral) (fhir.Records, error) {
	rec := fhir.Records{Referral: r}
	if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindPatient, r.Patient()), &rec.Patient); err != nil {
		return rec, err
	}
	if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindConsents, r.Patient()), &rec.Consents); err != nil {
		return rec, err
	}
	if !r.LinkWorker().IsZero() {
		if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindLinkWorker, r.LinkWorker()), &rec.LinkWorker); err != nil {
			return rec, err
		}
	}
	if !r.Practice().IsZero() {
		if err := store.Rebuild(c.ctx, c.s.store, prescribing.StreamOf(prescribing.StreamKindPractice, r.Practice()), &rec.Practice); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

func writeFHIR(c *call, version int, v any) error {
	c.w.Header().Set("ETag", etag(version))
	c.w.Header().Set("Content-Type", "application/fhir+json")
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusOK)
	return jsonEncode(c.w, v)
}

// getFHIRTask answers the referral's FHIR Task, which references the
// patient and carries no personal details.
func getFHIRTask(c *call) error {
	r, err := loadReferral(c, false)
	if err != nil {
		return err
	}
	rec, err := records(c, r)
	if err != nil {
		return err
	}
	task, err := fhir.TaskResource(rec)
	if err != nil {
		return err
	}
	return writeFHIR(c, r.Version(), task)
}

// getFHIRMessageBack answers the message back of a closed referral as a
// FHIR document Bundle; it holds the patient's details, so only their
// link worker reads it.
func getFHIRMessageBack(c *call) error {
	r, err := loadReferral(c, true)
	if err != nil {
		return err
	}
	if _, ok := r.ClosureMessage(); !ok {
		return fail(http.StatusConflict, "the referral is not closed: there is no message back yet")
	}
	rec, err := records(c, r)
	if err != nil {
		return err
	}
	b, err := fhir.MessageBack(rec)
	if err != nil {
		return err
	}
	return writeFHIR(c, r.Version(), b)
}

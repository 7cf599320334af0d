// Command store keeps a patient's events in a SQLite file with the
// linkwork event store, reads them back in a new process's way, and prints
// the stream and the global log:
//
//	go run . -db /tmp/linkwork.db
//
// The module's tests run the store's conformance suite against SQLite and
// PostgreSQL, kill a writer with SIGKILL to check durability, and measure
// appends and loads per second (see README.md).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/socialprescribing/linkwork/examples/store/sqlopen"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

func main() {
	db := flag.String("db", "linkwork.db", "SQLite file to keep the events in")
	flag.Parse()
	if err := run(context.Background(), *db, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "store:", err)
		os.Exit(1)
	}
}

// run stores a patient's registration and a risk assessment, unless a
// previous run did, and prints the stream and the record rebuilt from it.
func run(ctx context.Context, path string, w io.Writer) error {
	codec, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	if err != nil {
		return err
	}
	s, db, err := sqlopen.Store(ctx, path, "", codec)
	if err != nil {
		return err
	}
	defer db.Close()
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(1, 2)))
	p := prescribing.NewID[prescribing.Patient](ids)
	at := time.Date(2025, 3, 3, 9, 30, 0, 0, time.UTC)
	live, reg, err := prescribing.RegisterPatient(p, prescribing.PracticeID{}, prescribing.PersonalDetails{GivenName: "Ada"}, at)
	if err != nil {
		return err
	}
	risk, err := live.RecordRiskAssessment(at.Add(time.Hour), prescribing.NewID[prescribing.LinkWorker](ids))
	if err != nil {
		return err
	}
	actor, err := store.ParseStaffID("staff-0042")
	if err != nil {
		return err
	}
	// Both events or neither, expecting the stream the record was created
	// from (none); a second run finds the stream there already.
	_, err = store.AppendRecord(ctx, s, &live, store.Metadata{Actor: actor}, reg, risk)
	switch {
	case errors.Is(err, store.ErrConflict):
		fmt.Fprintln(w, "already stored:", err)
	case err != nil:
		return err
	}
	envs, err := s.Load(ctx, live.Stream(), 0)
	if err != nil {
		return err
	}
	var patient prescribing.Patient
	if err := prescribing.Replay(&patient, store.Events(envs)); err != nil {
		return err
	}
	for _, e := range envs {
		fmt.Fprintf(w, "%s v%d at position %d: %s by %s\n", e.Stream, e.Version, e.Position, e.Type, e.Actor)
	}
	fmt.Fprintf(w, "rebuilt at version %d: %s\n", patient.Version(), patient.String())
	return nil
}

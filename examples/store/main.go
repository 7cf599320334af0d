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
	db, err := openSQLite(path)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := store.NewSQL(db, store.SQLite(), codec)
	if err != nil {
		return err
	}
	if err := s.CreateSchema(ctx); err != nil {
		return err
	}
	ids := prescribing.SeededIDs(rand.New(rand.NewPCG(1, 2)))
	p := prescribing.NewID[prescribing.Patient](ids)
	stream, err := store.NewStreamID("patient", p.UUID())
	if err != nil {
		return err
	}
	at := time.Date(2025, 3, 3, 9, 30, 0, 0, time.UTC)
	_, reg, err := prescribing.RegisterPatient(p, prescribing.PracticeID{}, prescribing.PersonalDetails{GivenName: "Ada"}, at)
	if err != nil {
		return err
	}
	actor, err := store.ParseStaffID("staff-0042")
	if err != nil {
		return err
	}
	meta := store.Metadata{Actor: actor}
	risk := prescribing.RiskAssessed{Patient: p, By: prescribing.NewID[prescribing.LinkWorker](ids), At: at.Add(time.Hour)}
	// Both events or neither; a second run finds the stream there already.
	_, err = s.Append(ctx, stream, store.ExpectNoStream, meta, reg, risk)
	switch {
	case errors.Is(err, store.ErrConflict):
		fmt.Fprintln(w, "already stored:", err)
	case err != nil:
		return err
	}
	envs, err := s.Load(ctx, stream, 0)
	if err != nil {
		return err
	}
	var patient prescribing.Patient
	for _, e := range envs {
		if err := patient.Apply(e.Event); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s v%d at position %d: %s by %s\n", e.Stream, e.Version, e.Position, e.Type, e.Actor)
	}
	fmt.Fprintln(w, "rebuilt:", patient.String())
	return nil
}

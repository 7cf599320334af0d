package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/examples/store/sqlopen"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
	"github.com/socialprescribing/linkwork/prescribing/store/storetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// childEnv, when set to a SQLite file's path, makes the test binary a
// writer child (see writer) instead of running tests.
const childEnv = "LINKWORK_STORE_WRITER_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(writer(path, os.Stdout))
	}
	os.Exit(m.Run())
}

// killStreams are the streams the writer child appends to.
var killStreams = func() []prescribing.Stream {
	out := make([]prescribing.Stream, 4)
	for i := range out {
		out[i] = prescribing.StreamOf(prescribing.StreamKindPatient, prescribing.IDFromUUID[prescribing.Patient](uuid.MustParse(fmt.Sprintf("6f1c2a3e-0000-4000-8000-00000000000%d", i+1))))
	}
	return out
}()

// eventsPerAppend is the size of every append of the writer child, so a
// stream whose length is not a multiple of it holds a half-written append.
const eventsPerAppend = 3

// writer appends to the SQLite file at path until it is killed: two
// goroutines, each on two streams, three events an append, each expecting
// the version it last saw. After every append that returned without error
// it prints "ack <stream> <version> <position>" (the last event's) on w.
func writer(path string, w io.Writer) int {
	ctx := context.Background()
	codec, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s, _, err := sqlopen.Store(ctx, path, "", codec)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var mu sync.Mutex // one line at a time on w
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for g := range 2 {
		wg.Go(func() {
			streams := killStreams[2*g : 2*g+2]
			versions := make([]int64, len(streams))
			for i, st := range streams {
				envs, err := s.Load(ctx, st, 0)
				if err != nil {
					errs <- err
					return
				}
				versions[i] = int64(len(envs))
			}
			for n := 0; ; n++ {
				i := n % len(streams)
				p := prescribing.IDFromUUID[prescribing.Patient](streams[i].ID)
				at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(versions[i]) * time.Minute)
				events := make([]prescribing.Event, eventsPerAppend)
				for j := range events {
					events[j] = prescribing.RiskAssessed{Patient: p, At: at.Add(time.Duration(j) * time.Minute)}
				}
				envs, err := s.Append(ctx, streams[i], store.ExpectedVersion(versions[i]), store.Metadata{}, events...)
				if err != nil {
					errs <- err
					return
				}
				last := envs[len(envs)-1]
				versions[i] = last.Version
				mu.Lock()
				_, err = fmt.Fprintf(w, "ack %s %d %d\n", last.Stream, last.Version, last.Position)
				mu.Unlock()
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	fmt.Fprintln(os.Stderr, <-errs)
	return 1
}

type ackLine struct {
	stream            string
	version, position int64
}

// TestSQLiteKilledWriterLosesNoAcknowledgedAppend runs the writer child
// against one SQLite file several times, kills it with SIGKILL at a
// random moment each time, and then checks that every append the child
// acknowledged is stored, where it said, and that no append is half
// written.
func TestSQLiteKilledWriterLosesNoAcknowledgedAppend(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is for Unix")
	}
	path := filepath.Join(t.TempDir(), "events.db")
	rng := rand.New(rand.NewPCG(16, 6))
	var acks []ackLine
	const rounds = 6
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		lines := make(chan ackLine)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				var a ackLine
				if _, err := fmt.Sscanf(sc.Text(), "ack %s %d %d", &a.stream, &a.version, &a.position); err == nil {
					lines <- a
				}
			}
		}()
		// Let it acknowledge a few appends, then kill it at a random
		// moment, most likely in the middle of an append.
		first, ok := <-lines
		require.True(t, ok, "round %d: the child acknowledged nothing", round)
		acks = append(acks, first)
		time.AfterFunc(time.Duration(10+rng.IntN(150))*time.Millisecond, func() {
			cmd.Process.Signal(syscall.SIGKILL)
		})
		// Every whole line the child wrote before it died counts.
		for a := range lines {
			acks = append(acks, a)
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "round %d: the child must die of SIGKILL", round)
		status, ok := exit.Sys().(syscall.WaitStatus)
		require.True(t, ok)
		require.True(t, status.Signaled() && status.Signal() == syscall.SIGKILL, "round %d: %v", round, err)
	}
	t.Logf("%d appends acknowledged over %d kills", len(acks), rounds)

	db, err := sqlopen.SQLite(path)
	require.NoError(t, err)
	defer db.Close()
	s, err := store.NewSQL(db, store.SQLite(), storetest.Codec(t))
	require.NoError(t, err)
	var all []store.Envelope
	for from := int64(1); ; {
		page, err := s.ReadAll(t.Context(), from, store.MaxReadLimit)
		require.NoError(t, err, "every stored event decodes")
		if len(page) == 0 {
			break
		}
		all = append(all, page...)
		from = page[len(page)-1].Position + 1
	}
	versions := map[prescribing.Stream]int64{}
	for i, e := range all {
		require.Equal(t, int64(i+1), e.Position, "positions without gaps")
		versions[e.Stream]++
		require.Equal(t, versions[e.Stream], e.Version)
	}
	for st, v := range versions {
		assert.Zero(t, v%eventsPerAppend, "%s holds %d events: an append was half written", st, v)
	}
	for _, a := range acks {
		require.LessOrEqual(t, a.position, int64(len(all)), "acknowledged %+v lost", a)
		got := all[a.position-1]
		assert.Equal(t, a.stream, got.Stream.String(), "acknowledged %+v", a)
		assert.Equal(t, a.version, got.Version, "acknowledged %+v", a)
	}
	assert.GreaterOrEqual(t, len(all), len(acks)*eventsPerAppend)
}

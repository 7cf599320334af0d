// Command service is the reference service over linkwork: a JSON API for
// a social prescribing service's link workers, supervisors and
// administrators, keeping every change as an event in the event store, on
// a SQLite file by default or on PostgreSQL:
//
//	go run . -db service.sqlite
//	go run . -postgres 'host=/run/postgresql dbname=linkwork'
//
// The bearer tokens come from -tokens (tokens.json), made with fresh random
// tokens on first start if missing.
//
// See README.md for the routes, the roles and the tokens file.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/socialprescribing/linkwork/examples/store/sqlopen"
	"github.com/socialprescribing/linkwork/holding"
	"github.com/socialprescribing/linkwork/liminality"
	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

func main() {
	dbPath := flag.String("db", "service.sqlite", "SQLite file to keep the events in")
	pg := flag.String("postgres", "", "PostgreSQL connection string; when given, used instead of -db")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	tokens := flag.String("tokens", "tokens.json", "tokens file (a JSON array of staff); if it does not exist, it is made with fresh random tokens for a link worker, their supervisor and an administrator")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(*dbPath, *pg, *addr, *tokens, log); err != nil {
		fmt.Fprintln(os.Stderr, "service:", err)
		os.Exit(1)
	}
}

// codec reads and writes every event the service stores.
func codec() (*prescribing.EventCodec, error) {
	return prescribing.NewEventCodec(slices.Concat(prescribing.EventKinds(), holding.EventKinds(), liminality.EventKinds())...)
}

// openStore opens the event store, on PostgreSQL if dsn is given, else on
// the SQLite file, and creates its schema if missing.
func openStore(ctx context.Context, path, dsn string) (store.Store, *sql.DB, error) {
	c, err := codec()
	if err != nil {
		return nil, nil, err
	}
	s, db, err := sqlopen.Store(ctx, path, dsn, c)
	if err != nil {
		return nil, nil, err
	}
	return s, db, nil
}

func run(path, dsn, addr, tokensPath string, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := os.Stat(tokensPath); errors.Is(err, fs.ErrNotExist) {
		if err := writeDevTokens(tokensPath); err != nil {
			return err
		}
		fmt.Printf("wrote %s with fresh tokens for lw-1, sup-1 and admin-1\n", tokensPath)
	}
	t, err := LoadTokens(tokensPath)
	if err != nil {
		return err
	}
	s, db, err := openStore(ctx, path, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := newHTTPServer(NewServer(s, t, log, nil))
	// The address line is for scripts and tests that listen on port 0.
	fmt.Printf("listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// newHTTPServer sets the timeouts: a slow or stalled client cannot hold a
// connection open for long.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}

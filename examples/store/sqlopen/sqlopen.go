// Package sqlopen opens the databases linkwork's event store runs on, with
// the drivers and settings the examples use: SQLite through
// modernc.org/sqlite (pure Go) and PostgreSQL through pgx, and [Store]
// opens the event store on either. The store example and the reference
// service both open their databases here.
package sqlopen

import (
	"context"
	"database/sql"
	"net/url"

	"github.com/socialprescribing/linkwork/prescribing/store"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// SQLite opens a SQLite file for linkwork's event store:
//
//   - journal_mode(WAL): readers run beside the one writer, and a commit
//     is one append to the log file, which a crash cannot half-write
//     (SQLite checks every WAL frame's checksum on recovery);
//   - synchronous(FULL): the log is synced to disk at every commit, so an
//     append that returned is durable even if the machine loses power
//     (NORMAL, WAL's usual setting, can lose the last commits then);
//   - busy_timeout(10000): a connection waits up to 10 s for another's
//     write lock instead of failing at once with SQLITE_BUSY;
//   - _txlock=immediate: transactions take the write lock at BEGIN, so two
//     connections never both read and then fail to upgrade to writing
//     (SQLITE_BUSY despite the timeout). The store's own transactions write
//     first and pass without it (checked); it protects the program's other
//     transactions on the same database.
//
// database/sql opens several connections; every one gets these settings,
// as they are in the DSN.
func SQLite(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	return sql.Open("sqlite", "file:"+path+"?"+q.Encode())
}

// PostgreSQL opens a PostgreSQL database through pgx's database/sql
// adapter.
func PostgreSQL(dsn string) (*sql.DB, error) {
	return sql.Open("pgx", dsn)
}

// Store opens linkwork's event store, with codec, on PostgreSQL if dsn is
// given, else on the SQLite file at path, and creates its schema if
// missing. The caller closes the database returned; after an error it is
// closed already.
func Store(ctx context.Context, path, dsn string, codec store.Codec) (*store.SQL, *sql.DB, error) {
	var db *sql.DB
	var err error
	d := store.SQLite()
	if dsn != "" {
		db, err = PostgreSQL(dsn)
		d = store.PostgreSQL()
	} else {
		db, err = SQLite(path)
	}
	if err != nil {
		return nil, nil, err
	}
	s, err := store.NewSQL(db, d, codec)
	if err == nil {
		err = s.CreateSchema(ctx)
	}
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return s, db, nil
}

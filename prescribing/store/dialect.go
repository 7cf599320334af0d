package store

import (
	"database/sql"
	"slices"
	"strconv"
	"strings"
)

// Dialect is what the SQL store needs to know about a database: how it
// numbers query parameters and the schema it creates. Make one with
// [SQLite] or [PostgreSQL]; the zero Dialect is refused by [NewSQL].
// A Dialect is an immutable value.
type Dialect struct {
	name     string
	numbered bool // $1, $2 rather than ?
	schema   []string
	// isolation is the level the store's transactions ask for.
	isolation sql.IsolationLevel
}

// The schema, one table for events, one for erasure records, and a
// one-row head table. The head row holds the last global position and
// the last erasure sequence; every append and erasure updates it first,
// which serialises writers (see [SQL]).
//
// Times are stored as fixed-width RFC 3339 text in UTC with nanoseconds,
// which both databases keep exactly and sort correctly, for every year
// from 1 to 9999 (PostgreSQL's timestamptz keeps only microseconds). The
// event's type, schema version and body are the three results of
// [prescribing.EventCodec.MarshalBody], in event_type, schema_version and
// payload; payload is text, the codec's JSON body byte for byte
// (PostgreSQL's jsonb would reorder it), at the version schema_version
// says, so an older body is upcast when it is read.
const (
	schemaEvents = `CREATE TABLE IF NOT EXISTS linkwork_events (
	position %[1]s PRIMARY KEY CHECK (position >= 1),
	stream_kind TEXT NOT NULL,
	stream_id TEXT NOT NULL,
	version %[1]s NOT NULL CHECK (version >= 1),
	event_type TEXT NOT NULL,
	schema_version INTEGER NOT NULL,
	event_time TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	actor TEXT NOT NULL,
	correlation_id TEXT NOT NULL,
	causation_id TEXT NOT NULL,
	payload TEXT NOT NULL,
	UNIQUE (stream_kind, stream_id, version)
)`
	schemaHead = `CREATE TABLE IF NOT EXISTS linkwork_store_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	position %[1]s NOT NULL,
	erasures %[1]s NOT NULL
)`
	schemaHeadRow  = `INSERT INTO linkwork_store_head (id, position, erasures) VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING`
	schemaErasures = `CREATE TABLE IF NOT EXISTS linkwork_erasures (
	sequence %[1]s PRIMARY KEY CHECK (sequence >= 1),
	stream_kind TEXT NOT NULL,
	stream_id TEXT NOT NULL,
	through_version %[1]s NOT NULL,
	rewritten INTEGER NOT NULL,
	recorded_at TEXT NOT NULL,
	actor TEXT NOT NULL,
	correlation_id TEXT NOT NULL,
	causation_id TEXT NOT NULL
)`
)

// The UNIQUE constraint's index serves stream reads (Load, and the current
// version of a stream); the primary keys serve global reads of events and
// erasures. No other index is needed.

func schemaFor(integer string) []string {
	out := make([]string, 0, 4)
	for _, s := range []string{schemaEvents, schemaHead, schemaHeadRow, schemaErasures} {
		if strings.Contains(s, "%[1]s") {
			s = strings.ReplaceAll(s, "%[1]s", integer)
		}
		out = append(out, s)
	}
	return out
}

// SQLite returns the dialect of SQLite 3.35 or later (for RETURNING). Its
// position and sequence columns are INTEGER PRIMARY KEY, SQLite's row ID.
// SQLite's transactions are serializable: one writer at a time.
func SQLite() Dialect {
	return Dialect{name: "sqlite", schema: schemaFor("INTEGER")}
}

// PostgreSQL returns the dialect of PostgreSQL 9.5 or later (for ON
// CONFLICT), with BIGINT positions and versions. The store's transactions
// run at READ COMMITTED whatever the database's default, so that an append
// that waited for the head row reads the stream as the previous writer
// left it (at REPEATABLE READ or SERIALIZABLE it would fail instead).
func PostgreSQL() Dialect {
	return Dialect{name: "postgresql", numbered: true, schema: schemaFor("BIGINT"), isolation: sql.LevelReadCommitted}
}

// Name returns "sqlite" or "postgresql", or "" for the zero Dialect.
func (d Dialect) Name() string { return d.name }

// Schema returns the statements that create the store's tables and
// indexes if they do not exist, in order. [SQL.CreateSchema] runs them; a
// program with its own migrations can copy them.
func (d Dialect) Schema() []string { return slices.Clone(d.schema) }

// bind rewrites the ? placeholders of query for the dialect. Queries here
// hold no ? inside literals.
func (d Dialect) bind(query string) string {
	if !d.numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// txOptions returns the options of the store's transactions.
func (d Dialect) txOptions() *sql.TxOptions {
	if d.isolation == sql.LevelDefault {
		return nil
	}
	return &sql.TxOptions{Isolation: d.isolation}
}

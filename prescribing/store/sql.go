package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/socialprescribing/linkwork/prescribing"
)

// SQL is a [Store] on database/sql, for SQLite and PostgreSQL (see
// [Dialect]). It needs a driver the program imports; the library imports
// none. It is safe for concurrent use, from one process or many.
//
// Every append runs in one transaction that first adds the number of its
// events to the head row's position (UPDATE ... RETURNING), then reads the
// stream's version, checks it against the expected one and inserts the
// events with the positions it reserved. Updating the head row first locks
// it until commit (PostgreSQL) or takes SQLite's write lock, so appends
// and erasures are serialised:
//
//   - positions are given without gaps and in commit order, so a reader of
//     [SQL.ReadAll] who has seen position n will never later find an event
//     committed below n (with an identity column or sequence, a transaction
//     holding position 10 can commit after one holding 11, and a projection
//     that had read up to 11 would skip 10 forever);
//   - the version check cannot race; the UNIQUE (stream, version)
//     constraint stands behind it, so two writers that bypassed the head
//     row still could not both write version n.
//
// The cost is one writer at a time: each append waits for the previous
// commit, with its sync to disk. That suits a case-management service
// (hundreds of single-event appends a second on a small server with
// synchronous commits, more when events are batched; see the benchmarks),
// not a firehose.
// Readers take no lock.
//
// With SQLite, open the database in WAL mode with synchronous=FULL and a
// busy timeout (the examples/store module shows how): WAL lets readers run
// beside the writer, FULL makes a commit durable before Append returns, and
// the busy timeout makes a second connection wait for the write lock
// rather than fail.
type SQL struct {
	db    *sql.DB
	codec Codec
	cfg   config
	d     Dialect

	qBumpPosition, qBumpErasures, qVersion, qInsert, qLoad, qReadAll,
	qRewrite, qInsertErasure, qErasures string
}

// eventColumns are the columns of linkwork_events. payload is the event's
// body at schema_version, as [prescribing.EventCodec.MarshalBody] writes it;
// event_type and schema_version are its other two results.
const eventColumns = `position, stream_kind, stream_id, version, event_type, schema_version, event_time, recorded_at, actor, correlation_id, causation_id, payload`

// NewSQL returns a store on db in dialect d that encodes and decodes
// events with codec. Call [SQL.CreateSchema] once, or create the tables of
// [Dialect.Schema] by other means, before using it.
func NewSQL(db *sql.DB, d Dialect, codec Codec, opts ...Option) (*SQL, error) {
	switch {
	case db == nil:
		return nil, errors.New("store: nil database")
	case d.name == "":
		return nil, errors.New("store: zero dialect; use SQLite() or PostgreSQL()")
	case codec == nil:
		return nil, errors.New("store: nil codec")
	}
	return &SQL{
		db: db, codec: codec, cfg: newConfig(opts), d: d,
		qBumpPosition:  d.bind(`UPDATE linkwork_store_head SET position = position + ? WHERE id = 1 RETURNING position`),
		qBumpErasures:  d.bind(`UPDATE linkwork_store_head SET erasures = erasures + 1 WHERE id = 1 RETURNING erasures`),
		qVersion:       d.bind(`SELECT COALESCE(MAX(version), 0) FROM linkwork_events WHERE stream_kind = ? AND stream_id = ?`),
		qInsert:        d.bind(`INSERT INTO linkwork_events (` + eventColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		qLoad:          d.bind(`SELECT ` + eventColumns + ` FROM linkwork_events WHERE stream_kind = ? AND stream_id = ? AND version >= ? ORDER BY version`),
		qReadAll:       d.bind(`SELECT ` + eventColumns + ` FROM linkwork_events WHERE position >= ? ORDER BY position LIMIT ?`),
		qRewrite:       d.bind(`UPDATE linkwork_events SET payload = ?, schema_version = ? WHERE position = ?`),
		qInsertErasure: d.bind(`INSERT INTO linkwork_erasures (sequence, stream_kind, stream_id, through_version, rewritten, recorded_at, actor, correlation_id, causation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		qErasures:      d.bind(`SELECT sequence, stream_kind, stream_id, through_version, rewritten, recorded_at, actor, correlation_id, causation_id FROM linkwork_erasures WHERE sequence >= ? ORDER BY sequence LIMIT ?`),
	}, nil
}

// CreateSchema creates the store's tables and indexes if they do not
// exist, in one transaction.
func (s *SQL) CreateSchema(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, s.d.txOptions())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range s.d.schema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("store: creating the schema: %w", err)
		}
	}
	return tx.Commit()
}

// errNoHead reports a database without the store's head row.
var errNoHead = errors.New("store: no head row in linkwork_store_head; run CreateSchema")

// Append implements [Store.Append]. When it returns nil the events are
// committed (and, with the settings above, on disk). When the database
// fails during the commit itself, the error cannot say whether the commit
// happened: load the stream to find out before appending again.
func (s *SQL) Append(ctx context.Context, stream prescribing.Stream, expected ExpectedVersion, meta Metadata, events ...prescribing.Event) ([]Envelope, error) {
	ps, err := encodeAppend(s.codec, stream, expected, events)
	if err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, s.d.txOptions())
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var last int64
	if err := tx.QueryRowContext(ctx, s.qBumpPosition, len(ps)).Scan(&last); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = errNoHead
		}
		return nil, err
	}
	var current int64
	if err := tx.QueryRowContext(ctx, s.qVersion, stream.Kind.String(), stream.ID.String()).Scan(&current); err != nil {
		return nil, err
	}
	if err := checkExpected(stream, expected, current); err != nil {
		return nil, err
	}
	now, err := s.cfg.now()
	if err != nil {
		return nil, err
	}
	out := make([]Envelope, len(ps))
	first := last - int64(len(ps)) + 1
	for i, p := range ps {
		r := p.row(first+int64(i), stream, current+int64(i)+1, now, meta)
		if _, err := tx.ExecContext(ctx, s.qInsert, r.position, stream.Kind.String(), stream.ID.String(), r.version,
			r.typ, r.schemaVersion, formatTime(r.eventTime), formatTime(now), meta.Actor.String(),
			formatUUID(meta.Correlation), formatUUID(meta.Causation), string(r.data)); err != nil {
			return nil, err
		}
		out[i] = envelopeOf(r, events[i])
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return out, nil
}

// Load implements [Store.Load].
func (s *SQL) Load(ctx context.Context, stream prescribing.Stream, from int64) ([]Envelope, error) {
	if err := checkLoad(stream, from); err != nil {
		return nil, err
	}
	return s.query(ctx, s.qLoad, stream.Kind.String(), stream.ID.String(), from)
}

// ReadAll implements [Store.ReadAll].
func (s *SQL) ReadAll(ctx context.Context, from int64, limit int) ([]Envelope, error) {
	if err := checkPage(from, limit); err != nil {
		return nil, err
	}
	return s.query(ctx, s.qReadAll, from, limit)
}

func (s *SQL) query(ctx context.Context, q string, args ...any) ([]Envelope, error) {
	rows, err := s.queryStored(ctx, s.db, q, args...)
	if err != nil {
		return nil, err
	}
	return decodeAll(s.codec, rows)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *SQL) queryStored(ctx context.Context, db querier, q string, args ...any) ([]stored, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		var c storedColumns
		if err := rows.Scan(&c.position, &c.kind, &c.id, &c.version, &c.typ, &c.schemaVersion,
			&c.eventTime, &c.recordedAt, &c.actor, &c.correlation, &c.causation, &c.payload); err != nil {
			return nil, err
		}
		r, err := c.parse()
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// storedColumns is one row of linkwork_events as scanned.
type storedColumns struct {
	position, version                           int64
	schemaVersion                               int
	kind, id, typ, eventTime, recordedAt, actor string
	correlation, causation, payload             string
}

// parse checks and converts the columns. Errors wrap [ErrCorrupt] and
// quote nothing stored.
func (c storedColumns) parse() (stored, error) {
	fail := func(what string, err error) (stored, error) {
		return stored{}, fmt.Errorf("%w: position %d: %s: %w", ErrCorrupt, c.position, what, err)
	}
	stream, err := parseStreamColumns(c.kind, c.id)
	if err != nil {
		return fail("stream", err)
	}
	eventTime, err := parseTime(c.eventTime)
	if err != nil {
		return fail("event time", err)
	}
	recordedAt, err := parseTime(c.recordedAt)
	if err != nil {
		return fail("record time", err)
	}
	meta, err := parseMetadata(c.actor, c.correlation, c.causation)
	if err != nil {
		return fail("metadata", err)
	}
	return stored{
		position: c.position, stream: stream, version: c.version, typ: c.typ,
		schemaVersion: c.schemaVersion, eventTime: eventTime, recordedAt: recordedAt,
		meta: meta, data: []byte(c.payload),
	}, nil
}

// parseStreamColumns reads the stream_kind and stream_id columns: a known
// kind and an ID in the canonical lower-case form the store writes, so that
// every stream has one stored form.
func parseStreamColumns(kind, id string) (prescribing.Stream, error) {
	text := kind + "/" + id
	st, err := prescribing.ParseStream(text)
	if err != nil {
		return prescribing.Stream{}, err
	}
	if st.String() != text {
		return prescribing.Stream{}, fmt.Errorf("%w: the ID is not in canonical lower-case form", prescribing.ErrInvalidStream)
	}
	return st, nil
}

func parseMetadata(actor, correlation, causation string) (Metadata, error) {
	a, err := ParseStaffID(actor)
	if err != nil {
		return Metadata{}, err
	}
	co, err := parseOptionalUUID(correlation)
	if err != nil {
		return Metadata{}, err
	}
	ca, err := parseOptionalUUID(causation)
	if err != nil {
		return Metadata{}, err
	}
	return Metadata{Actor: a, Correlation: co, Causation: ca}, nil
}

// timeLayout is RFC 3339 with nine fraction digits: fixed width for UTC
// times of the years 1 to 9999, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

var errBadTime = errors.New("not a UTC time in the store's form")

func parseTime(s string) (time.Time, error) {
	if len(s) != len("2006-01-02T15:04:05.000000000Z") {
		return time.Time{}, errBadTime
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil || t.Location() != time.UTC || formatTime(t) != s {
		return time.Time{}, errBadTime
	}
	return t, nil
}

func formatUUID(u uuid.UUID) string {
	if u == uuid.Nil {
		return ""
	}
	return u.String()
}

// errNotCanonicalUUID reports a stored ID that is not a UUID in the
// canonical lower-case form, or is the nil UUID.
var errNotCanonicalUUID = errors.New("not a UUID in canonical lower-case form")

// parseOptionalUUID reads a correlation or causation column: empty for none,
// else a UUID in the form formatUUID writes.
func parseOptionalUUID(s string) (uuid.UUID, error) {
	if s == "" {
		return uuid.Nil, nil
	}
	u, err := uuid.Parse(s)
	if err != nil || u.String() != s || u == uuid.Nil {
		return uuid.Nil, errNotCanonicalUUID
	}
	return u, nil
}

// Erase implements [Store.Erase]. It runs in one transaction that holds the
// head row, so no append to the stream runs meanwhile.
func (s *SQL) Erase(ctx context.Context, stream prescribing.Stream, rewrite Rewrite, meta Metadata) (Erasure, error) {
	if err := checkErase(stream, rewrite); err != nil {
		return Erasure{}, err
	}
	tx, err := s.db.BeginTx(ctx, s.d.txOptions())
	if err != nil {
		return Erasure{}, err
	}
	defer tx.Rollback()
	var seq int64
	if err := tx.QueryRowContext(ctx, s.qBumpErasures).Scan(&seq); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = errNoHead
		}
		return Erasure{}, err
	}
	now, err := s.cfg.now()
	if err != nil {
		return Erasure{}, err
	}
	rows, err := s.queryStored(ctx, tx, s.qLoad, stream.Kind.String(), stream.ID.String(), 0)
	if err != nil {
		return Erasure{}, err
	}
	rewritten := 0
	for _, r := range rows {
		data, v, err := rewriteEvent(s.codec, rewrite, r)
		if err != nil {
			return Erasure{}, err
		}
		if data == nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, s.qRewrite, string(data), v, r.position); err != nil {
			return Erasure{}, err
		}
		rewritten++
	}
	e := Erasure{
		Sequence: seq, Stream: stream, ThroughVersion: int64(len(rows)), Rewritten: rewritten,
		RecordedAt: now, Metadata: meta,
	}
	if _, err := tx.ExecContext(ctx, s.qInsertErasure, seq, stream.Kind.String(), stream.ID.String(), e.ThroughVersion,
		rewritten, formatTime(now), meta.Actor.String(), formatUUID(meta.Correlation), formatUUID(meta.Causation)); err != nil {
		return Erasure{}, err
	}
	if err := tx.Commit(); err != nil {
		return Erasure{}, err
	}
	return e, nil
}

// Erasures implements [Store.Erasures].
func (s *SQL) Erasures(ctx context.Context, from int64, limit int) ([]Erasure, error) {
	if err := checkPage(from, limit); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.qErasures, from, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Erasure
	for rows.Next() {
		var (
			e                                                   Erasure
			kind, id, recordedAt, actor, correlation, causation string
		)
		if err := rows.Scan(&e.Sequence, &kind, &id, &e.ThroughVersion, &e.Rewritten, &recordedAt, &actor, &correlation, &causation); err != nil {
			return nil, err
		}
		fail := func(what string, err error) ([]Erasure, error) {
			return nil, fmt.Errorf("%w: erasure %d: %s: %w", ErrCorrupt, e.Sequence, what, err)
		}
		if e.Stream, err = parseStreamColumns(kind, id); err != nil {
			return fail("stream", err)
		}
		if e.RecordedAt, err = parseTime(recordedAt); err != nil {
			return fail("record time", err)
		}
		if e.Metadata, err = parseMetadata(actor, correlation, causation); err != nil {
			return fail("metadata", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

var _ Store = (*SQL)(nil)

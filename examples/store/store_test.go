package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
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

// postgresEnv names the environment variable holding the DSN of a
// PostgreSQL database the tests may empty and fill. When it is unset the
// PostgreSQL tests skip, except in CI (CI=true), where they fail.
const postgresEnv = "LINKWORK_POSTGRES_DSN"

// database opens an empty database for the store, in its dialect.
type database func(t testing.TB) (*sql.DB, store.Dialect)

// sqliteDB opens a new SQLite file.
func sqliteDB(t testing.TB) (*sql.DB, store.Dialect) {
	t.Helper()
	db, err := sqlopen.SQLite(filepath.Join(t.TempDir(), "events.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, store.SQLite()
}

// postgresDB opens the test database, emptied of the store's tables, or
// skips (fails in CI) without one.
func postgresDB(t testing.TB) (*sql.DB, store.Dialect) {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must test against PostgreSQL", postgresEnv)
		}
		t.Skipf("%s is not set; set it to a PostgreSQL DSN to test against PostgreSQL", postgresEnv)
	}
	db, err := sqlopen.PostgreSQL(dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.PingContext(context.Background()), "PostgreSQL at %s", postgresEnv)
	_, err = db.Exec(`DROP TABLE IF EXISTS linkwork_events, linkwork_store_head, linkwork_erasures`)
	require.NoError(t, err)
	return db, store.PostgreSQL()
}

// factory returns the conformance suite's factory for a database.
func factory(open database) storetest.Factory {
	return func(t testing.TB, codec store.Codec, clock func() time.Time) store.Store {
		t.Helper()
		s, _ := newSQL(t, open, codec, clock)
		return s
	}
}

// newSQL returns a store with its schema on a database open gives.
func newSQL(t testing.TB, open database, codec store.Codec, clock func() time.Time) (*store.SQL, *sql.DB) {
	t.Helper()
	db, dialect := open(t)
	s, err := store.NewSQL(db, dialect, codec, store.WithClock(clock))
	require.NoError(t, err)
	require.NoError(t, s.CreateSchema(context.Background()))
	return s, db
}

var databases = []struct {
	name string
	open database
}{{"sqlite", sqliteDB}, {"postgresql", postgresDB}}

func TestSQLiteConformance(t *testing.T) {
	storetest.RunCore(t, factory(sqliteDB))
}

func TestPostgreSQLConformance(t *testing.T) {
	storetest.RunCore(t, factory(postgresDB))
}

// TestEV_3_SQLStreamsRebuildRecords runs the suite's tests of streams on
// both databases: records appended and rebuilt from their streams, events
// of another stream refused, older schema versions upcast on read and newer
// ones refused.
func TestEV_3_SQLStreamsRebuildRecords(t *testing.T) {
	for _, d := range databases {
		t.Run(d.name, func(t *testing.T) { storetest.RunStreams(t, factory(d.open)) })
	}
}

// TestPRIV_2_SQLErasureRewritesStoredEvents runs the suite's tests of
// erasure on both databases: the personal details rewritten out of the
// stored rows, versions, positions and other streams kept, the erasure
// logged.
func TestPRIV_2_SQLErasureRewritesStoredEvents(t *testing.T) {
	for _, d := range databases {
		t.Run(d.name, func(t *testing.T) { storetest.RunErasure(t, factory(d.open)) })
	}
}

// TestCreateSchemaTwice checks that the schema can be created again over
// an existing store without losing anything.
func TestCreateSchemaTwice(t *testing.T) {
	for _, d := range databases {
		t.Run(d.name, func(t *testing.T) {
			s, _ := newSQL(t, d.open, storetest.Codec(t), time.Now)
			envs := appendOne(t, s)
			require.NoError(t, s.CreateSchema(t.Context()))
			loaded, err := s.Load(t.Context(), envs[0].Stream, 0)
			require.NoError(t, err)
			assert.Equal(t, envs, loaded)
			more := appendOne(t, s)
			assert.Equal(t, int64(2), more[0].Position)
		})
	}
}

func appendOne(t testing.TB, s store.Store) []store.Envelope {
	t.Helper()
	p := prescribing.IDFromUUID[prescribing.Patient](uuid.New())
	stream := store.PatientStream(p)
	envs, err := s.Append(context.Background(), stream, store.ExpectNoStream, store.Metadata{},
		prescribing.RiskAssessed{Patient: p, At: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	return envs
}

// TestCorruptRowsAreReported tampers with stored rows behind the store's
// back and checks that reads report ErrCorrupt without quoting the row.
func TestCorruptRowsAreReported(t *testing.T) {
	for _, d := range databases {
		t.Run(d.name, func(t *testing.T) {
			tampers := map[string]string{
				"payload not JSON":            `UPDATE linkwork_events SET payload = 'Ada Lovelace'`,
				"payload of another type":     `UPDATE linkwork_events SET event_type = 'patient.anonymised'`,
				"schema version newer":        `UPDATE linkwork_events SET schema_version = 2`,
				"schema version zero":         `UPDATE linkwork_events SET schema_version = 0`,
				"payload in an envelope":      `UPDATE linkwork_events SET payload = '{"type":"patient.risk_assessed","version":1,"event":' || payload || '}'`,
				"stream of another kind":      `UPDATE linkwork_events SET stream_kind = 'consents'`,
				"event time disagrees":        `UPDATE linkwork_events SET event_time = '2025-01-01T00:00:01.000000000Z'`,
				"event time not a time":       `UPDATE linkwork_events SET event_time = 'Ada Lovelace'`,
				"record time in another zone": `UPDATE linkwork_events SET recorded_at = '2025-01-01T00:00:00.000000000+01:00'`,
				"stream kind invalid":         `UPDATE linkwork_events SET stream_kind = 'Ada Lovelace'`,
				"stream ID of another record": `UPDATE linkwork_events SET stream_id = '6f1c2a3e-0000-4000-8000-000000000009'`,
				"actor holds a name":          `UPDATE linkwork_events SET actor = 'Ada Lovelace'`,
				"correlation not a UUID":      `UPDATE linkwork_events SET correlation_id = 'Ada Lovelace'`,
			}
			for what, tamper := range tampers {
				t.Run(what, func(t *testing.T) {
					s, db := newSQL(t, d.open, storetest.Codec(t), time.Now)
					envs := appendOne(t, s)
					_, err := db.Exec(tamper)
					require.NoError(t, err)
					_, err = s.ReadAll(t.Context(), 1, 10)
					require.ErrorIs(t, err, store.ErrCorrupt)
					assert.NotContains(t, err.Error(), "Lovelace", "the error quotes nothing stored")
					if what == "schema version newer" {
						assert.ErrorIs(t, err, prescribing.ErrUnknownVersion)
					}
					if what != "stream kind invalid" && what != "stream ID of another record" && what != "stream of another kind" {
						_, err = s.Load(t.Context(), envs[0].Stream, 0)
						require.ErrorIs(t, err, store.ErrCorrupt)
					}
				})
			}
		})
	}
}

// TestUniqueStreamVersion checks the schema's last line of defence: a
// writer that bypasses the store's head row still cannot write a version
// of a stream twice.
func TestUniqueStreamVersion(t *testing.T) {
	for _, d := range databases {
		t.Run(d.name, func(t *testing.T) {
			s, db := newSQL(t, d.open, storetest.Codec(t), time.Now)
			envs := appendOne(t, s)
			e := envs[0]
			q := `INSERT INTO linkwork_events (position, stream_kind, stream_id, version, event_type, schema_version, event_time, recorded_at, actor, correlation_id, causation_id, payload)
				SELECT 2, stream_kind, stream_id, version, event_type, schema_version, event_time, recorded_at, actor, correlation_id, causation_id, payload FROM linkwork_events WHERE position = 1`
			_, err := db.Exec(q)
			require.Error(t, err, "a second version 1 of %s", e.Stream)
			loaded, err := s.Load(t.Context(), e.Stream, 0)
			require.NoError(t, err)
			assert.Len(t, loaded, 1)
		})
	}
}

// TestStoredRowForm checks the columns an append writes, on both
// databases: the stream's kind and ID apart, the event type, its schema
// version and its body as the codec's MarshalBody gives them (no envelope
// in the payload), and the times in the store's fixed-width form.
func TestStoredRowForm(t *testing.T) {
	for _, d := range databases {
		t.Run(d.name, func(t *testing.T) {
			clock := func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC) }
			s, db := newSQL(t, d.open, storetest.Codec(t), clock)
			p := prescribing.IDFromUUID[prescribing.Patient](uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000001"))
			by := prescribing.IDFromUUID[prescribing.LinkWorker](uuid.MustParse("6f1c2a3e-0000-4000-8000-000000000002"))
			actor, err := store.ParseStaffID("staff-0042")
			require.NoError(t, err)
			_, err = s.Append(t.Context(), store.PatientStream(p), store.ExpectNoStream, store.Metadata{Actor: actor},
				prescribing.RiskAssessed{Patient: p, By: by, At: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)})
			require.NoError(t, err)
			var (
				position, version, schemaVersion                                int64
				kind, id, typ, eventTime, recordedAt, who, corr, cause, payload string
			)
			require.NoError(t, db.QueryRow(`SELECT position, stream_kind, stream_id, version, event_type, schema_version, event_time, recorded_at, actor, correlation_id, causation_id, payload FROM linkwork_events`).
				Scan(&position, &kind, &id, &version, &typ, &schemaVersion, &eventTime, &recordedAt, &who, &corr, &cause, &payload))
			assert.Equal(t, []any{int64(1), "patient", "6f1c2a3e-0000-4000-8000-000000000001", int64(1), "patient.risk_assessed", int64(1),
				"2025-01-01T09:00:00.000000000Z", "2025-01-02T03:04:05.000000006Z", "staff-0042", "", ""},
				[]any{position, kind, id, version, typ, schemaVersion, eventTime, recordedAt, who, corr, cause})
			assert.JSONEq(t, `{"patient":"6f1c2a3e-0000-4000-8000-000000000001","by":"6f1c2a3e-0000-4000-8000-000000000002","at":"2025-01-01T09:00:00Z"}`, payload)
		})
	}
}

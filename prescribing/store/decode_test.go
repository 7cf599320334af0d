package store

import (
	"database/sql"
	"testing"
	"time"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testCodec(t testing.TB) *prescribing.EventCodec {
	c, err := prescribing.NewEventCodec(prescribing.EventKinds()...)
	require.NoError(t, err)
	return c
}

// goodColumns returns the columns of a well-formed stored event.
func goodColumns(t testing.TB) storedColumns {
	p, err := prescribing.ParseID[prescribing.Patient](aUUID)
	require.NoError(t, err)
	typ, version, data, err := testCodec(t).MarshalBody(prescribing.RiskAssessed{Patient: p, At: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)})
	require.NoError(t, err)
	require.Equal(t, "patient.risk_assessed", typ)
	require.Equal(t, 1, version)
	return storedColumns{
		position: 1, version: 1, schemaVersion: 1, kind: "patient", id: aUUID,
		typ: "patient.risk_assessed", eventTime: "2025-01-02T03:04:05.000000006Z",
		recordedAt: "2025-01-02T03:04:06.000000000Z", actor: "staff-1", payload: string(data),
	}
}

func TestStoredColumnsDecode(t *testing.T) {
	codec := testCodec(t)
	good := goodColumns(t)
	r, err := good.parse()
	require.NoError(t, err)
	env, err := r.decode(codec)
	require.NoError(t, err)
	assert.Equal(t, []byte(good.payload), env.Data)
	assert.Equal(t, "patient.risk_assessed", env.Event.EventType())

	for name, change := range map[string]func(*storedColumns){
		"position 0":               func(c *storedColumns) { c.position = 0 },
		"version 0":                func(c *storedColumns) { c.version = 0 },
		"another type":             func(c *storedColumns) { c.typ = "patient.anonymised" },
		"another event time":       func(c *storedColumns) { c.eventTime = "2025-01-02T03:04:05.000000007Z" },
		"event time not UTC":       func(c *storedColumns) { c.eventTime = "2025-01-02T04:04:05.000000006+01:00" },
		"event time short":         func(c *storedColumns) { c.eventTime = "2025-01-02T03:04:05Z" },
		"record time not a time":   func(c *storedColumns) { c.recordedAt = "yesterday" },
		"bad kind":                 func(c *storedColumns) { c.kind = "Patient" },
		"upper-case stream UUID":   func(c *storedColumns) { c.id = "1B4E28BA-2FA1-11D2-883F-0016D3CCA427" },
		"another record":           func(c *storedColumns) { c.id = "1b4e28ba-2fa1-11d2-883f-0016d3cca428" },
		"actor with a space":       func(c *storedColumns) { c.actor = "Ada Lovelace" },
		"nil correlation":          func(c *storedColumns) { c.correlation = "00000000-0000-0000-0000-000000000000" },
		"causation not a UUID":     func(c *storedColumns) { c.causation = "x" },
		"payload not JSON":         func(c *storedColumns) { c.payload = "Ada" },
		"payload with extra field": func(c *storedColumns) { c.payload = c.payload[:len(c.payload)-1] + `,"x":1}` },
		"payload in an envelope": func(c *storedColumns) {
			c.payload = `{"type":"patient.risk_assessed","version":1,"event":` + c.payload + `}`
		},
		"schema version 0": func(c *storedColumns) { c.schemaVersion = 0 },
		"unknown type":     func(c *storedColumns) { c.typ = "patient.unknown" },
	} {
		c := good
		change(&c)
		r, err := c.parse()
		if err == nil {
			_, err = r.decode(codec)
		}
		assert.ErrorIs(t, err, ErrCorrupt, name)
	}

	// A schema version newer than the codec's is corrupt for this program,
	// and says why.
	c := good
	c.schemaVersion = 2
	r, err = c.parse()
	require.NoError(t, err)
	_, err = r.decode(codec)
	require.ErrorIs(t, err, ErrCorrupt)
	assert.ErrorIs(t, err, prescribing.ErrUnknownVersion)
}

func FuzzStoredColumns(f *testing.F) {
	good := goodColumns(f)
	f.Add(good.kind, good.id, good.typ, good.eventTime, good.recordedAt, good.actor, good.correlation, good.payload, int64(1), 1)
	f.Add("patient", aUUID, "patient.anonymised", good.eventTime, good.recordedAt, "", "", `{"patient":"`+aUUID+`","at":"2025-01-02T03:04:05.000000006Z"}`, int64(2), 1)
	f.Add("patient", aUUID, "x", "", "", "", "", `{}`, int64(0), 0)
	codec := testCodec(f)
	f.Fuzz(func(t *testing.T, kind, id, typ, eventTime, recordedAt, actor, correlation, payload string, version int64, schemaVersion int) {
		c := storedColumns{position: 1, version: version, schemaVersion: schemaVersion, kind: kind, id: id, typ: typ,
			eventTime: eventTime, recordedAt: recordedAt, actor: actor, correlation: correlation, payload: payload}
		r, err := c.parse()
		if err != nil {
			require.ErrorIs(t, err, ErrCorrupt)
			return
		}
		env, err := r.decode(codec)
		if err != nil {
			require.ErrorIs(t, err, ErrCorrupt)
			return
		}
		// What decodes agrees with its columns and is stored as written.
		require.Equal(t, typ, env.Event.EventType())
		require.True(t, env.Event.EventTime().Equal(env.EventTime))
		require.Equal(t, env.Stream, env.Event.EventStream())
		require.Equal(t, schemaVersion, env.SchemaVersion)
		require.Equal(t, payload, string(env.Data))
		require.Equal(t, formatTime(env.EventTime), eventTime)
	})
}

func TestTimeForm(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2025, 6, 1, 12, 0, 0, 1, time.FixedZone("x", 3600)),
	} {
		s := formatTime(at)
		assert.Len(t, s, len("2006-01-02T15:04:05.000000000Z"), "fixed width")
		back, err := parseTime(s)
		require.NoError(t, err)
		assert.True(t, back.Equal(at))
		assert.Equal(t, time.UTC, back.Location())
	}
	assert.Less(t, formatTime(time.Date(999, 1, 1, 0, 0, 0, 0, time.UTC)), formatTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)), "text order is time order")
}

func TestDialect(t *testing.T) {
	assert.Equal(t, "INSERT INTO t VALUES ($1, $2, $3)", PostgreSQL().bind("INSERT INTO t VALUES (?, ?, ?)"))
	assert.Equal(t, "INSERT INTO t VALUES (?, ?)", SQLite().bind("INSERT INTO t VALUES (?, ?)"))
	assert.Equal(t, "sqlite", SQLite().Name())
	assert.Equal(t, "postgresql", PostgreSQL().Name())
	for _, d := range []Dialect{SQLite(), PostgreSQL()} {
		schema := d.Schema()
		require.Len(t, schema, 4)
		assert.Contains(t, schema[0], "UNIQUE (stream_kind, stream_id, version)")
		assert.NotContains(t, schema[0], "%[1]s")
		schema[0] = "changed"
		assert.NotEqual(t, "changed", d.Schema()[0], "Schema returns a copy")
	}
	assert.Contains(t, SQLite().Schema()[0], "position INTEGER PRIMARY KEY")
	assert.Contains(t, PostgreSQL().Schema()[0], "position BIGINT PRIMARY KEY")
}

func TestNewSQLRefuses(t *testing.T) {
	codec := testCodec(t)
	db := &sql.DB{}
	_, err := NewSQL(nil, SQLite(), codec)
	assert.Error(t, err, "nil database")
	_, err = NewSQL(db, Dialect{}, codec)
	assert.Error(t, err, "zero dialect")
	_, err = NewSQL(db, SQLite(), nil)
	assert.Error(t, err, "nil codec")
	s, err := NewSQL(db, PostgreSQL(), codec)
	require.NoError(t, err)
	assert.Contains(t, s.qInsert, "$12")
}

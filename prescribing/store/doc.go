// Package store keeps linkwork's events durably: each record's events in a
// stream of its own, appended with optimistic concurrency and read back in
// order, and every stream's events in one global order for projections and
// reports.
//
// # Streams and versions
//
// A stream ([prescribing.Stream]) is the history of one record: its kind
// and ID, "referral/1b4e28ba-...". Every event names its stream
// ([prescribing.Event.EventStream]), and the store refuses an event
// appended to another stream than its own. A stream's version is the
// number of events it holds, the first event being version 1, and it is
// the version of the record the stream rebuilds
// ([prescribing.StreamRecord]).
//
// A writer rebuilds a record from its stream into the record's zero value
// ([Rebuild], which is [Store.Load] and [prescribing.Replay]), makes
// changes with the record's live operations, and appends the events they
// returned with [AppendRecord], which expects the stream at the version
// the record had before them:
//
//	var p prescribing.Patient
//	err := store.Rebuild(ctx, s, stream, &p)
//	e, err := p.Anonymise(at)
//	_, err = store.AppendRecord(ctx, s, &p, meta, e)
//	// the same as s.Append(ctx, p.Stream(), store.ExpectedVersion(p.Version()-1), meta, e)
//
// If another writer appended first, the append fails with an error
// wrapping [ErrConflict] and writes nothing; the writer rebuilds again and
// retries or gives up. [ExpectNoStream] creates a stream; [ExpectAny]
// appends regardless. One append of several events is all or nothing.
//
// # Envelopes
//
// Every stored event comes back in an [Envelope]: its global position and
// stream version, the event type and the schema version of its stored
// form, the time of the change (the caller's, from the event) and the time
// the store recorded it (from the store's clock, [WithClock]), the actor
// ([StaffID], never personal data), correlation and causation IDs, and the
// event's body as stored and decoded again. The store keeps what
// [prescribing.EventCodec.MarshalBody] returns: the event type, the schema
// version and the body, each in a column of its own, beside the stream,
// version and the rest.
//
// # Schema versions
//
// An event type's stored form may change; its kind then has a newer
// schema version and upcasters from the older ones
// ([prescribing.EventKind.WithUpcaster]). Stored bodies are never
// rewritten on an upgrade: [Store.Load] and [Store.ReadAll] pass each body
// with its stored version to [prescribing.EventCodec.UnmarshalBody], which
// upcasts it, so [Envelope.Event] is always at the current version while
// [Envelope.SchemaVersion] and [Envelope.Data] say how it is stored. A
// stored version newer than the program's codec reads (or older without
// upcasters) is an error wrapping both [ErrCorrupt] and
// [prescribing.ErrUnknownVersion]: an old program refuses a newer one's
// events rather than guess at them.
//
// # Global order
//
// [Store.ReadAll] pages through every event in the order the store
// committed them. Positions have no gaps, and an event committed later
// never gets a position earlier than one already read, so a projection
// that remembers the last position it applied misses nothing.
//
// # Erasure
//
// Under the UK GDPR a person may ask for their personal data to be erased
// (rule PRIV-2). A patient's personal details are held only by the events
// of their patient stream ([PatientStream]). [Store.Erase] rewrites the
// stored events of a stream, clearing the personal details they hold
// ([ErasePatient] does what [prescribing.ErasePersonalDetails] does in
// memory), and keeps each event's type, time, stream, version and
// position, so the stream still replays, to the anonymised record. A
// rewritten body is stored at its type's current schema version; events
// the rewrite leaves alone keep their stored form. It records an [Erasure], which holds no
// personal data, in a log of its own ([Store.Erasures]), so that
// projections holding copies can erase theirs.
//
// # Implementations
//
// [Memory] keeps events in memory. [SQL] keeps them in a SQLite or
// PostgreSQL database through database/sql, with the schema
// [Dialect.Schema] gives; the program imports the driver. Both behave the
// same: package storetest holds the conformance suite they pass, and the
// examples/store module runs it against SQLite and PostgreSQL. Every store
// is safe for concurrent use.
package store

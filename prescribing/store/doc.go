// Package store keeps linkwork's events durably: each record's events in a
// stream of its own, appended with optimistic concurrency and read back in
// order, and every stream's events in one global order for projections and
// reports.
//
// # Streams and versions
//
// A stream ([StreamID]) is the history of one record: its kind and ID,
// "referral/1b4e28ba-...". Its version is the number of events it holds;
// the first event is version 1. A writer loads a stream, rebuilds the
// record ([prescribing.Replay]), makes a change, and appends the event it
// got, expecting the version it loaded ([ExpectedVersion]). If another
// writer appended first, the append fails with an error wrapping
// [ErrConflict] and writes nothing; the writer loads again and retries or
// gives up. [ExpectNoStream] creates a stream; [ExpectAny] appends
// regardless. One append of several events is all or nothing.
//
// # Envelopes
//
// Every stored event comes back in an [Envelope]: its global position and
// stream version, the event type and the schema version of its stored
// form, the time of the change (the caller's, from the event) and the time
// the store recorded it (from the store's clock, [WithClock]), the actor
// ([StaffID], never personal data), correlation and causation IDs, and the
// event as the codec wrote it and decoded again. The payload is the JSON
// that [prescribing.EventCodec.Marshal] writes; the stream, version and
// the rest are columns of their own.
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
// Under the UK GDPR a person may ask for their personal data to be erased.
// [Store.Erase] rewrites the stored events of a stream, clearing the
// personal details they hold ([ErasePatient] does what
// [prescribing.ErasePersonalDetails] does in memory), and keeps each
// event's type, time, version and position, so the stream still replays,
// to the anonymised record. It records an [Erasure], which holds no
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

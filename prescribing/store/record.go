package store

import (
	"context"
	"fmt"

	"github.com/socialprescribing/linkwork/prescribing"
)

// AppendRecord appends the events a record's live operations returned, in
// order, to the record's stream. Every live operation applies its event to
// the record, so the record's version already counts them: the stream is
// expected at the record's version less the number of events, the version
// the record was loaded or created at. It is
//
//	s.Append(ctx, rec.Stream(), ExpectedVersion(rec.Version()-len(events)), meta, events...)
//
// A record created by these events is appended with [ExpectNoStream]; a
// record someone else changed since it was loaded gives an error wrapping
// [ErrConflict] and nothing is written. A record whose version is lower
// than the number of events is refused with [ErrInvalidAppend].
func AppendRecord(ctx context.Context, s Store, rec prescribing.StreamRecord, meta Metadata, events ...prescribing.Event) ([]Envelope, error) {
	before := rec.Version() - len(events)
	if before < 0 {
		return nil, fmt.Errorf("%w: a record at version %d cannot have made %d events", ErrInvalidAppend, rec.Version(), len(events))
	}
	return s.Append(ctx, rec.Stream(), ExpectedVersion(before), meta, events...)
}

// Rebuild loads stream and replays its events into into, which must be a
// pointer to a record's zero value (the one way to rebuild a record, see
// [prescribing.StreamRecord]). Afterwards into's version is the stream's;
// its changes are appended with [AppendRecord]. A stream without events
// leaves into unchanged. Errors are the store's, or a
// [*prescribing.ReplayError] for an event the record refuses.
func Rebuild(ctx context.Context, s Store, stream prescribing.Stream, into prescribing.StreamRecord) error {
	envs, err := s.Load(ctx, stream, 0)
	if err != nil {
		return err
	}
	if err := prescribing.Replay(into, Events(envs)); err != nil {
		return err
	}
	if len(envs) > 0 && into.Stream() != stream {
		return fmt.Errorf("%w: stream %s rebuilt a record of stream %s", prescribing.ErrWrongSubject, stream, into.Stream())
	}
	return nil
}

// Events returns the events of envelopes, in order, for [prescribing.Replay].
func Events(envelopes []Envelope) []prescribing.Event {
	out := make([]prescribing.Event, len(envelopes))
	for i, e := range envelopes {
		out[i] = e.Event
	}
	return out
}

package store

import (
	"context"
	"fmt"
	"sync"

	"github.com/socialprescribing/linkwork/prescribing"
)

// Memory is a [Store] that keeps its events in memory, for tests and for
// programs that need no durability. Its zero value is not usable: make one
// with [NewMemory]. It is safe for concurrent use: one mutex guards the log,
// and readers share it.
type Memory struct {
	codec Codec
	cfg   config

	mu       sync.RWMutex
	log      []stored                       // global order: log[i].position == i+1
	streams  map[prescribing.Stream][]int64 // positions of each stream's events
	erasures []Erasure
}

// NewMemory returns an empty store that encodes and decodes events with
// codec.
func NewMemory(codec Codec, opts ...Option) (*Memory, error) {
	if codec == nil {
		return nil, fmt.Errorf("store: nil codec")
	}
	return &Memory{codec: codec, cfg: newConfig(opts), streams: make(map[prescribing.Stream][]int64)}, nil
}

// Append implements [Store.Append].
func (m *Memory) Append(ctx context.Context, stream prescribing.Stream, expected ExpectedVersion, meta Metadata, events ...prescribing.Event) ([]Envelope, error) {
	ps, err := encodeAppend(m.codec, stream, expected, events)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	current := int64(len(m.streams[stream]))
	if err := checkExpected(stream, expected, current); err != nil {
		return nil, err
	}
	now, err := m.cfg.now()
	if err != nil {
		return nil, err
	}
	out := make([]Envelope, len(ps))
	positions := m.streams[stream]
	for i, p := range ps {
		s := p.row(int64(len(m.log))+1, stream, current+int64(i)+1, now, meta)
		m.log = append(m.log, s)
		positions = append(positions, s.position)
		out[i] = envelopeOf(s, events[i])
	}
	m.streams[stream] = positions
	return out, nil
}

// Load implements [Store.Load].
func (m *Memory) Load(ctx context.Context, stream prescribing.Stream, from int64) ([]Envelope, error) {
	if err := checkLoad(stream, from); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	positions := m.streams[stream]
	if from > 1 {
		positions = positions[min(from-1, int64(len(positions))):]
	}
	rows := make([]stored, len(positions))
	for i, p := range positions {
		rows[i] = m.log[p-1]
	}
	m.mu.RUnlock()
	return decodeAll(m.codec, rows)
}

func decodeAll(codec Codec, rows []stored) ([]Envelope, error) {
	out := make([]Envelope, len(rows))
	for i, s := range rows {
		env, err := s.decode(codec)
		if err != nil {
			return nil, err
		}
		out[i] = env
	}
	return out, nil
}

// ReadAll implements [Store.ReadAll].
func (m *Memory) ReadAll(ctx context.Context, from int64, limit int) ([]Envelope, error) {
	if err := checkPage(from, limit); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	start := min(max(from-1, 0), int64(len(m.log)))
	end := min(start+int64(limit), int64(len(m.log)))
	rows := append([]stored(nil), m.log[start:end]...)
	m.mu.RUnlock()
	return decodeAll(m.codec, rows)
}

// Erase implements [Store.Erase].
func (m *Memory) Erase(ctx context.Context, stream prescribing.Stream, rewrite Rewrite, meta Metadata) (Erasure, error) {
	if err := checkErase(stream, rewrite); err != nil {
		return Erasure{}, err
	}
	if err := ctx.Err(); err != nil {
		return Erasure{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now, err := m.cfg.now()
	if err != nil {
		return Erasure{}, err
	}
	positions := m.streams[stream]
	type change struct {
		at            int64
		data          []byte
		schemaVersion int
	}
	var changes []change
	for _, p := range positions {
		data, v, err := rewriteEvent(m.codec, rewrite, m.log[p-1])
		if err != nil {
			return Erasure{}, err
		}
		if data != nil {
			changes = append(changes, change{p, data, v})
		}
	}
	// All rewrites succeeded: apply them together.
	for _, c := range changes {
		m.log[c.at-1].data = c.data
		m.log[c.at-1].schemaVersion = c.schemaVersion
	}
	e := Erasure{
		Sequence:       int64(len(m.erasures)) + 1,
		Stream:         stream,
		ThroughVersion: int64(len(positions)),
		Rewritten:      len(changes),
		RecordedAt:     now,
		Metadata:       meta,
	}
	m.erasures = append(m.erasures, e)
	return e, nil
}

// Erasures implements [Store.Erasures].
func (m *Memory) Erasures(ctx context.Context, from int64, limit int) ([]Erasure, error) {
	if err := checkPage(from, limit); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	start := min(max(from-1, 0), int64(len(m.erasures)))
	end := min(start+int64(limit), int64(len(m.erasures)))
	return append([]Erasure(nil), m.erasures[start:end]...), nil
}

var _ Store = (*Memory)(nil)

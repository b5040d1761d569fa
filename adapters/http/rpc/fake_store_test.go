package rpc_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
	"github.com/google/uuid"
)

// fakeStore is a small in-memory ports.Storage for the RPC tests. It is
// deliberately simple: one mutex, linear scans.
type fakeStore struct {
	clock ports.Clock

	mu         sync.Mutex
	namespaces map[string]*fakeNamespace
	down       bool  // every call fails with ports.ErrUnavailable
	broken     error // every call fails with this error
	readsLeft  int   // > 0: reads fail after this many succeeded
}

type fakeNamespace struct {
	rec  namespace.Record
	msgs []stream.Message
	gpos int64
}

var _ ports.Storage = (*fakeStore)(nil)

func newFakeStore(clock ports.Clock) *fakeStore {
	return &fakeStore{clock: clock, namespaces: map[string]*fakeNamespace{}}
}

func (s *fakeStore) setDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

func (s *fakeStore) failReadsAfter(n int) {
	s.mu.Lock()
	s.readsLeft = n
	s.mu.Unlock()
}

// ns locks the store and returns namespace id; the caller unlocks.
func (s *fakeStore) ns(id string) (*fakeNamespace, error) {
	s.mu.Lock()
	if err := s.failure(); err != nil {
		return nil, err
	}
	n, ok := s.namespaces[id]
	if !ok {
		return nil, namespace.NotFoundError(id)
	}
	return n, nil
}

func (s *fakeStore) failure() error {
	switch {
	case s.down:
		return fmt.Errorf("dial: connection refused: %w", ports.ErrUnavailable)
	case s.broken != nil:
		return s.broken
	}
	return nil
}

func (s *fakeStore) read() error {
	if s.readsLeft == 0 {
		return nil
	}
	if s.readsLeft == 1 {
		return errors.New("disk on fire")
	}
	s.readsLeft--
	return nil
}

func (s *fakeStore) Append(_ context.Context, id string, a stream.Append) (stream.Appended, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err != nil {
		return stream.Appended{}, err
	}
	for i, p := range a.Messages {
		for _, m := range n.msgs {
			if m.ID != p.ID {
				continue
			}
			if i == 0 && m.SameContent(a.Stream, p) {
				return stream.Appended{Position: m.Position, GlobalPosition: m.GlobalPosition, Count: len(a.Messages)}, nil
			}
			return stream.Appended{}, &stream.DuplicateIDError{ID: p.ID}
		}
	}
	version := n.version(a.Stream)
	if err := a.ExpectedVersion.Check(a.Stream, version); err != nil {
		return stream.Appended{}, err
	}
	res := stream.Appended{Position: version + 1, GlobalPosition: n.gpos + 1, Count: len(a.Messages)}
	for _, p := range a.Messages {
		version++
		n.gpos++
		n.msgs = append(n.msgs, stream.Message{
			ID: p.ID, Stream: a.Stream, Type: p.Type, Position: version, GlobalPosition: n.gpos,
			Data: p.Data, Metadata: p.Metadata, Time: s.clock.Now(),
		})
	}
	return res, nil
}

func (n *fakeNamespace) version(streamName string) int64 {
	v := stream.NoStream
	for _, m := range n.msgs {
		if m.Stream == streamName {
			v = m.Position
		}
	}
	return v
}

func (s *fakeStore) ReadStream(_ context.Context, id string, q ports.StreamQuery) ([]stream.Message, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err == nil {
		err = s.read()
	}
	if err != nil {
		return nil, err
	}
	var out []stream.Message
	for _, m := range n.msgs {
		if len(out) < q.Limit && m.Stream == q.Stream && m.Position >= q.Position && m.GlobalPosition >= q.GlobalPosition {
			out = append(out, m)
		}
	}
	return out, nil
}

func (s *fakeStore) ReadCategory(_ context.Context, id string, q ports.CategoryQuery) ([]stream.Message, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err == nil {
		err = s.read()
	}
	if err != nil {
		return nil, err
	}
	var out []stream.Message
	for _, m := range n.msgs {
		switch {
		case len(out) == q.Limit, stream.Category(m.Stream) != q.Category, m.GlobalPosition < q.GlobalPosition:
		case q.Correlation != "" && stream.CorrelationCategory(m.Metadata) != q.Correlation:
		case q.Group != nil && !q.Group.Contains(m.Stream):
		default:
			out = append(out, m)
		}
	}
	return out, nil
}

func (s *fakeStore) Last(_ context.Context, id, streamName, msgType string) (*stream.Message, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	for i := len(n.msgs) - 1; i >= 0; i-- {
		if m := n.msgs[i]; m.Stream == streamName && (msgType == "" || m.Type == msgType) {
			return &m, nil
		}
	}
	return nil, nil
}

func (s *fakeStore) Version(_ context.Context, id, streamName string) (int64, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return n.version(streamName), nil
}

func (s *fakeStore) ListStreams(_ context.Context, id string, q ports.StreamListQuery) ([]ports.StreamInfo, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	byName := map[string]ports.StreamInfo{}
	for _, m := range n.msgs {
		byName[m.Stream] = ports.StreamInfo{Stream: m.Stream, Version: m.Position, LastActivity: m.Time}
	}
	out := []ports.StreamInfo{}
	for name, info := range byName {
		if strings.HasPrefix(name, q.Prefix) && name > q.After {
			out = append(out, info)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Stream < out[j].Stream })
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (s *fakeStore) Categories(_ context.Context, id string) ([]ports.CategoryInfo, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	cats := map[string]*ports.CategoryInfo{}
	streams := map[string]bool{}
	for _, m := range n.msgs {
		c := stream.Category(m.Stream)
		if cats[c] == nil {
			cats[c] = &ports.CategoryInfo{Category: c}
		}
		cats[c].MessageCount++
		if !streams[m.Stream] {
			streams[m.Stream] = true
			cats[c].StreamCount++
		}
	}
	out := []ports.CategoryInfo{}
	for _, c := range cats {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Category < out[j].Category })
	return out, nil
}

func (s *fakeStore) Stats(_ context.Context, id string) (ports.NamespaceStats, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err != nil {
		return ports.NamespaceStats{}, err
	}
	streams := map[string]bool{}
	var st ports.NamespaceStats
	for _, m := range n.msgs {
		streams[m.Stream] = true
		t := m.Time
		st.LastActivity = &t
	}
	st.MessageCount, st.StreamCount = int64(len(n.msgs)), int64(len(streams))
	return st, nil
}

func (s *fakeStore) Create(_ context.Context, rec namespace.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.failure(); err != nil {
		return err
	}
	if _, ok := s.namespaces[rec.ID]; ok {
		return namespace.ExistsError(rec.ID)
	}
	s.namespaces[rec.ID] = &fakeNamespace{rec: rec}
	return nil
}

func (s *fakeStore) Delete(_ context.Context, id string) (int64, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err != nil {
		return 0, err
	}
	delete(s.namespaces, id)
	return int64(len(n.msgs)), nil
}

func (s *fakeStore) Get(_ context.Context, id string) (namespace.Record, error) {
	n, err := s.ns(id)
	defer s.mu.Unlock()
	if err != nil {
		return namespace.Record{}, err
	}
	return n.rec, nil
}

func (s *fakeStore) List(context.Context) ([]namespace.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.failure(); err != nil {
		return nil, err
	}
	var out []namespace.Record
	for _, n := range s.namespaces {
		out = append(out, n.rec)
	}
	return out, nil
}

func (s *fakeStore) Health(context.Context) (ports.Health, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.failure(); err != nil {
		return ports.Health{}, err
	}
	return ports.Health{Backend: "fake", Connections: 3, InUse: 1, Idle: 2, MaxOpen: 20, WaitCount: 7}, nil
}

// fixedClock always tells the same time.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// uuidGen makes and checks UUIDs.
type uuidGen struct{}

func (uuidGen) NewID() string { return uuid.NewString() }

func (uuidGen) Normalize(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

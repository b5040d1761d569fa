package service_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// fakeStore is an in-memory ports.MessageStore. Reads serve msgs, filtered
// and limited like a real store; Append records what it was given and answers
// with appendResult / appendErr.
type fakeStore struct {
	mu           sync.Mutex
	msgs         []stream.Message
	appends      []stream.Append
	appendResult stream.Appended
	appendErr    error
	readErr      error
	streamQs     []ports.StreamQuery
	categoryQs   []ports.CategoryQuery
	last         *stream.Message
	version      int64
}

var _ ports.MessageStore = (*fakeStore)(nil)

func (s *fakeStore) Append(_ context.Context, _ string, a stream.Append) (stream.Appended, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appends = append(s.appends, a)
	if s.appendErr != nil {
		return stream.Appended{}, s.appendErr
	}
	return s.appendResult, nil
}

func (s *fakeStore) ReadStream(_ context.Context, _ string, q ports.StreamQuery) ([]stream.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.streamQs = append(s.streamQs, q)
	if s.readErr != nil {
		return nil, s.readErr
	}
	if q.Limit <= 0 {
		return nil, fmt.Errorf("fake store: limit %d must be positive", q.Limit)
	}
	var out []stream.Message
	for _, m := range s.msgs {
		if m.Stream == q.Stream && m.Position >= q.Position && m.GlobalPosition >= q.GlobalPosition && !pageFull(out, q.Limit, q.ReadShape) {
			out = append(out, m)
		}
	}
	return out, nil
}

// pageFull applies a query's row limit and byte budget, as the stores do.
func pageFull(out []stream.Message, limit int, sh ports.ReadShape) bool {
	size := 0
	for i := range out {
		size += ports.PayloadBytes(&out[i])
	}
	return len(out) >= limit || (sh.MaxBytes > 0 && size >= sh.MaxBytes)
}

func (s *fakeStore) ReadCategory(_ context.Context, _ string, q ports.CategoryQuery) ([]stream.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.categoryQs = append(s.categoryQs, q)
	if s.readErr != nil {
		return nil, s.readErr
	}
	if q.Limit <= 0 {
		return nil, fmt.Errorf("fake store: limit %d must be positive", q.Limit)
	}
	var out []stream.Message
	for _, m := range s.msgs {
		if stream.Category(m.Stream) == q.Category && m.GlobalPosition >= q.GlobalPosition && !pageFull(out, q.Limit, q.ReadShape) &&
			(q.Group == nil || q.Group.Contains(m.Stream)) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (s *fakeStore) Last(_ context.Context, _, _, _ string) (*stream.Message, error) {
	return s.last, nil
}

func (s *fakeStore) Version(_ context.Context, _, _ string) (int64, error) {
	return s.version, nil
}

func (s *fakeStore) appendCalls() []stream.Append {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]stream.Append(nil), s.appends...)
}

// fakeIDs generates sequential UUIDs and normalizes by lowercasing.
type fakeIDs struct {
	mu sync.Mutex
	n  int
}

var _ ports.IDGenerator = (*fakeIDs)(nil)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func (g *fakeIDs) NewID() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", g.n)
}

func (g *fakeIDs) Normalize(id string) (string, error) {
	id = strings.ToLower(id)
	if !uuidPattern.MatchString(id) {
		return "", errors.New("not a uuid")
	}
	return id, nil
}

// fakeNotifier records what was published.
type fakeNotifier struct {
	mu        sync.Mutex
	published []string // "ns@globalPosition"
	err       error
}

var _ ports.Notifier = (*fakeNotifier)(nil)

func (n *fakeNotifier) Publish(_ context.Context, ns string, gpos int64) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.published = append(n.published, fmt.Sprintf("%s@%d", ns, gpos))
	return n.err
}

func (n *fakeNotifier) Subscribe(string) (<-chan struct{}, func()) {
	return make(chan struct{}), func() {}
}

func (n *fakeNotifier) calls() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.published...)
}

// fakeRegistry is an in-memory ports.NamespaceRegistry.
type fakeRegistry struct {
	mu      sync.Mutex
	recs    map[string]namespace.Record
	getErr  error // returned by Get when set
	creates int
}

var _ ports.NamespaceRegistry = (*fakeRegistry)(nil)

func newFakeRegistry() *fakeRegistry { return &fakeRegistry{recs: map[string]namespace.Record{}} }

func (r *fakeRegistry) Create(_ context.Context, rec namespace.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.recs[rec.ID]; ok {
		return namespace.ExistsError(rec.ID)
	}
	r.recs[rec.ID] = rec
	r.creates++
	return nil
}

func (r *fakeRegistry) Delete(_ context.Context, id string) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.recs[id]; !ok {
		return 0, namespace.NotFoundError(id)
	}
	delete(r.recs, id)
	return 42, nil
}

func (r *fakeRegistry) Get(_ context.Context, id string) (namespace.Record, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.getErr != nil {
		return namespace.Record{}, r.getErr
	}
	rec, ok := r.recs[id]
	if !ok {
		return namespace.Record{}, namespace.NotFoundError(id)
	}
	return rec, nil
}

func (r *fakeRegistry) List(context.Context) ([]namespace.Record, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]namespace.Record, 0, len(r.recs))
	for _, rec := range r.recs {
		out = append(out, rec)
	}
	return out, nil
}

func (r *fakeRegistry) createCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.creates
}

// fakeCatalog answers Stats from a map and records stream-list queries.
type fakeCatalog struct {
	mu      sync.Mutex
	stats   map[string]ports.NamespaceStats // missing: ErrNotFound
	listQs  []ports.StreamListQuery
	streams []ports.StreamInfo
	cats    []ports.CategoryInfo
}

var _ ports.Catalog = (*fakeCatalog)(nil)

func (c *fakeCatalog) ListStreams(_ context.Context, _ string, q ports.StreamListQuery) ([]ports.StreamInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listQs = append(c.listQs, q)
	return c.streams, nil
}

func (c *fakeCatalog) Categories(context.Context, string) ([]ports.CategoryInfo, error) {
	return c.cats, nil
}

func (c *fakeCatalog) Stats(_ context.Context, ns string) (ports.NamespaceStats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.stats[ns]
	if !ok {
		return ports.NamespaceStats{}, namespace.NotFoundError(ns)
	}
	return s, nil
}

// fixedClock always tells the same time.
type fixedClock struct{ t time.Time }

var _ ports.Clock = fixedClock{}

func (c fixedClock) Now() time.Time { return c.t }

func ptr[T any](v T) *T { return &v }

// streamMessages makes n messages of one stream, positions 0..n-1 and global
// positions starting at firstGlobal.
func streamMessages(name string, n int, firstGlobal int64) []stream.Message {
	out := make([]stream.Message, n)
	for i := range out {
		out[i] = stream.Message{
			ID:             fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1),
			Stream:         name,
			Type:           "T",
			Position:       int64(i),
			GlobalPosition: firstGlobal + int64(i),
			Data:           []byte(`{}`),
		}
	}
	return out
}

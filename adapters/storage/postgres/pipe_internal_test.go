package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap/zaptest"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/postgres/pgtest"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// gatedBackend hands every pipelined batch to the test instead of sending
// it; the test forwards it to the real pipe (gatedSend.forward) or answers
// it itself.
type gatedBackend struct {
	*backend
	sends chan *gatedSend
}

type gatedSend struct {
	pipe    bunstore.AppendPipe // the real one
	ns      *bunstore.Namespace
	cond    bunstore.AppendCondition
	rows    []planner.Row
	streams []*planner.StreamRow
	done    func(held bool, err error)
	once    sync.Once // forwarded or answered
}

func (s *gatedSend) forward() {
	s.once.Do(func() { s.pipe.Send(s.ns, s.cond, s.rows, s.streams, s.done) })
}

func (s *gatedSend) answer(held bool, err error) { s.once.Do(func() { s.done(held, err) }) }

func (g *gatedBackend) AcquirePipe(ctx context.Context) (bunstore.AppendPipe, error) {
	p, err := g.backend.AcquirePipe(ctx)
	if err != nil {
		return nil, err
	}
	return &gatedPipe{AppendPipe: p, sends: g.sends}, nil
}

type gatedPipe struct {
	bunstore.AppendPipe
	sends chan *gatedSend
}

func (p *gatedPipe) Send(ns *bunstore.Namespace, cond bunstore.AppendCondition, rows []planner.Row, streams []*planner.StreamRow, done func(bool, error)) {
	p.sends <- &gatedSend{pipe: p.AppendPipe, ns: ns, cond: cond, rows: rows, streams: streams, done: done}
}

// openStore opens a store on dsn, through b's wrapper (nil: b itself), and
// creates namespaces ids in it, each written to once: the first append of a
// namespace takes the long path and teaches the writer the namespace.
func openStore(t *testing.T, b *backend, wrapper bunstore.Backend, ids ...string) *bunstore.Store {
	t.Helper()
	if wrapper == nil {
		wrapper = b
	}
	s, err := bunstore.New(wrapper, nil, bunstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	ctx := context.Background()
	for _, id := range ids {
		if err := s.Create(ctx, namespace.Record{ID: id, TokenHash: "x", CreatedAt: time.Now().UTC()}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Append(ctx, id, oneMessage("doc-0")); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// newBackend opens a backend on dsn (a fresh database when "").
func newBackend(t *testing.T, dsn string) *backend {
	t.Helper()
	if dsn == "" {
		dsn = pgtest.FreshDatabase(t)
	}
	b, err := openBackend(context.Background(), Config{URL: dsn}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gatedStore opens a store on a fresh database whose pipelined batches go
// through the returned channel, with namespace "gated".
func gatedStore(t *testing.T) (*bunstore.Store, chan *gatedSend, *backend) {
	t.Helper()
	sends := make(chan *gatedSend, 8)
	b := newBackend(t, "")
	s := openStore(t, b, &gatedBackend{backend: b, sends: sends}, "gated")
	// After openStore, so it runs before the store's Close: a failed test
	// must not leave Close waiting for batches nobody answers.
	t.Cleanup(func() { answerAll(sends) })
	return s, sends, b
}

// answerAll fails every batch sent and not yet forwarded or answered, until
// none has come for a second.
func answerAll(sends chan *gatedSend) {
	for {
		select {
		case s := <-sends:
			s.answer(false, errors.New("the test ended"))
		case <-time.After(time.Second):
			return
		}
	}
}

func oneMessage(name string) stream.Append {
	return stream.Append{Stream: name, Messages: []stream.Proposed{{ID: uuid.NewString(), GeneratedID: true, Type: "T", Data: []byte(`{}`)}}}
}

type appended struct {
	res stream.Appended
	err error
}

func appendAsync(s *bunstore.Store, name string) <-chan appended {
	out := make(chan appended, 1)
	go func() {
		res, err := s.Append(context.Background(), "gated", oneMessage(name))
		out <- appended{res, err}
	}()
	return out
}

func nextSend(t *testing.T, sends <-chan *gatedSend, what string) *gatedSend {
	t.Helper()
	select {
	case s := <-sends:
		t.Cleanup(func() { s.answer(false, errors.New("the test ended")) })
		return s
	case <-time.After(10 * time.Second):
		t.Fatalf("%s was not sent", what)
		return nil
	}
}

// requireStored checks that every append was acknowledged with the
// positions it is stored at, and that global positions have no gap.
func requireStored(t *testing.T, s *bunstore.Store, results map[string]<-chan appended) {
	t.Helper()
	for name, ch := range results {
		a := <-ch
		if a.err != nil {
			t.Fatalf("append to %s: %v", name, a.err)
		}
		msgs, err := s.ReadStream(context.Background(), "gated", ports.StreamQuery{Stream: name, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].Position != a.res.Position || msgs[0].GlobalPosition != a.res.GlobalPosition {
			t.Fatalf("%s holds %+v; the append was acknowledged as %+v", name, msgs, a.res)
		}
	}
	all, err := s.ReadCategory(context.Background(), "gated", ports.CategoryQuery{Category: "doc", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range all {
		if m.GlobalPosition != int64(i+1) {
			t.Fatalf("global positions %v: not 1, 2, 3", all)
		}
	}
	if len(all) != len(results)+1 {
		t.Fatalf("%d messages stored, want %d", len(all), len(results)+1)
	}
}

// twoInFlight appends to doc-1, then to doc-2, on a gated store, and
// returns once both batches were sent, the first still unanswered.
func twoInFlight(t *testing.T) (s *bunstore.Store, appends map[string]<-chan appended, s1, s2 *gatedSend) {
	t.Helper()
	s, sends, _ := gatedStore(t)
	first := appendAsync(s, "doc-1")
	s1 = nextSend(t, sends, "the first batch")
	second := appendAsync(s, "doc-2")
	s2 = nextSend(t, sends, "the second batch, while the first is unanswered,")
	return s, map[string]<-chan appended{"doc-1": first, "doc-2": second}, s1, s2
}

// The next batch is sent while the previous one is still unanswered: it
// waits in PostgreSQL's queue instead of a round trip behind.
func TestNextBatchIsSentBeforeThePreviousIsAnswered(t *testing.T) {
	t.Parallel()
	s, appends, s1, s2 := twoInFlight(t)
	if s2.cond.Last != s1.cond.Last+1 {
		t.Fatalf("second batch planned after position %d, want %d (after the first batch)", s2.cond.Last, s1.cond.Last+1)
	}
	s1.forward()
	s2.forward()
	requireStored(t, s, appends)
}

// A batch that did not hold writes nothing, and neither does the one sent
// behind it (its condition assumed the first's rows): both appends go the
// long path, once what was in flight is answered, and are stored once each.
func TestBatchThatDidNotHoldTakesTheNextToTheLongPath(t *testing.T) {
	t.Parallel()
	s, appends, s1, s2 := twoInFlight(t)
	s1.answer(false, nil) // as if another node had appended meanwhile
	s2.forward()
	requireStored(t, s, appends)
}

// On one pipe, a batch that fails (here: an id already stored) ends only
// itself: the batch sent right behind it is committed, and the answers come
// in the order sent.
func TestPipeBatchFailsAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBackend(t, "")
	s := openStore(t, b, nil, "pipe")
	stored := stream.Proposed{ID: uuid.NewString(), Type: "T", Data: []byte(`{}`)}
	if _, err := s.Append(ctx, "pipe", stream.Append{Stream: "doc-0", Messages: []stream.Proposed{stored}}); err != nil {
		t.Fatal(err)
	}
	ns, err := b.OpenNamespace(ctx, "pipe")
	if err != nil {
		t.Fatal(err)
	}
	pipe, err := b.AcquirePipe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Both batches are planned after position 2; the first reuses the
	// stored id, so it cannot be written and the second can.
	plan := func(name string, m stream.Proposed) (bunstore.AppendCondition, *planner.Plan) {
		cond := bunstore.AppendCondition{Last: 2, Versions: map[string]int64{name: stream.NoStream}}
		p := planner.New(3, time.Now().UTC(), map[string]int64{name: stream.NoStream}, nil)
		if r := p.Add(stream.Append{Stream: name, Messages: []stream.Proposed{m}}); r.Err != nil {
			t.Fatal(r.Err)
		}
		return cond, p
	}
	type outcome struct {
		n    int
		held bool
		err  error
	}
	answers := make(chan outcome, 2)
	c1, p1 := plan("doc-1", stored)
	c2, p2 := plan("doc-2", stream.Proposed{ID: uuid.NewString(), Type: "T", Data: []byte(`{}`)})
	pipe.Send(ns, c1, p1.Rows, p1.Streams, func(held bool, err error) { answers <- outcome{1, held, err} })
	pipe.Send(ns, c2, p2.Rows, p2.Streams, func(held bool, err error) { answers <- outcome{2, held, err} })
	for i, want := range []outcome{{1, false, nil}, {2, true, nil}} {
		select {
		case got := <-answers:
			if got.n != want.n || got.held != want.held || got.err != nil {
				t.Fatalf("answer %d = batch %d held %v (%v); want batch %d held %v", i+1, got.n, got.held, got.err, want.n, want.held)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("answer %d did not come", i+1)
		}
	}
	pipe.Release()
	msgs, err := s.ReadStream(ctx, "pipe", ports.StreamQuery{Stream: "doc-2", Limit: 10})
	if err != nil || len(msgs) != 1 || msgs[0].GlobalPosition != 3 {
		t.Fatalf("doc-2 = %+v, %v; want its message at global position 3", msgs, err)
	}
	if msgs, _ := s.ReadStream(ctx, "pipe", ports.StreamQuery{Stream: "doc-1", Limit: 10}); len(msgs) != 0 {
		t.Fatalf("doc-1 = %+v; the failed batch wrote", msgs)
	}
}

// A namespace under steady load keeps its pipe busy, one batch always in
// flight: when another namespace waits for a pipe, it sends no more on it
// and lets it go once answered, so the other is served next.
func TestBusyNamespaceYieldsItsPipe(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBackend(t, "")
	b.pipes = newPipePool(1, 0, b.connectPipe)
	sends := make(chan *gatedSend, 8)
	s := openStore(t, b, &gatedBackend{backend: b, sends: sends}, "busy", "other")
	t.Cleanup(func() { answerAll(sends) })
	appendTo := func(ns, name string) <-chan appended {
		out := make(chan appended, 1)
		go func() {
			res, err := s.Append(ctx, ns, oneMessage(name))
			out <- appended{res, err}
		}()
		return out
	}
	busy1 := appendTo("busy", "doc-1")
	first := nextSend(t, sends, "busy's first batch")
	other := appendTo("other", "doc-1")
	for deadline := time.Now().Add(10 * time.Second); b.pipes.waiting.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("other never waited for the pipe")
		}
	}
	busy2 := appendTo("busy", "doc-2")
	select {
	case s := <-sends:
		t.Cleanup(func() { s.answer(false, errors.New("the test ended")) })
		t.Fatalf("%s sent a batch on the pipe another namespace waits for", s.ns.ID)
	case <-time.After(200 * time.Millisecond):
	}
	first.forward()
	next := nextSend(t, sends, "a batch after the pipe was released")
	if next.ns.ID != "other" {
		t.Fatalf("after the release %s sent first; want the namespace that waited", next.ns.ID)
	}
	next.forward()
	nextSend(t, sends, "busy's second batch").forward()
	for _, ch := range []<-chan appended{busy1, other, busy2} {
		if a := <-ch; a.err != nil {
			t.Fatal(a.err)
		}
	}
}

// An idle pipe whose connection PostgreSQL closed (a restart, a terminated
// backend) is not used again: its reader notices, and the next append
// connects anew instead of failing.
func TestIdlePipeClosedByTheServerIsNotUsed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.FreshDatabase(t)
	b := newBackend(t, dsn)
	s := openStore(t, b, nil, "idle")
	if _, err := s.Append(ctx, "idle", oneMessage("doc-1")); err != nil { // on a pipe
		t.Fatal(err)
	}
	pipe := <-b.pipes.idle
	b.pipes.idle <- pipe
	terminateAll(t, dsn)
	waitUnusable(t, pipe)
	if _, err := s.Append(ctx, "idle", oneMessage("doc-2")); err != nil {
		t.Fatalf("append after the idle pipe's connection closed: %v", err)
	}
	select {
	case taken := <-b.pipes.idle:
		if taken == pipe {
			t.Fatal("the closed pipe went back to the pool")
		}
		b.pipes.idle <- taken
	case <-time.After(10 * time.Second):
		t.Fatal("no idle pipe after the append")
	}
}

// A pipe whose connection PostgreSQL ends while no batch is in flight (here
// pg_terminate_backend while its namespace holds it) fails the next batch
// with ErrUnavailable: the caller may retry, as after any lost connection.
// It failed with a bare error before, as "a batch that was not sent".
func TestPipeEndedBetweenBatchesFailsAsUnavailable(t *testing.T) {
	t.Parallel()
	s, sends, b := gatedStore(t)
	res := appendAsync(s, "doc-1")
	send := nextSend(t, sends, "the batch")
	terminateAll(t, b.cfg.URL)
	waitUnusable(t, send.pipe.(*pipe))
	send.forward()
	a := <-res
	if !errors.Is(a.err, ports.ErrUnavailable) {
		t.Fatalf("append on a pipe whose connection ended: %v, want ports.ErrUnavailable", a.err)
	}
}

// terminateAll ends every other connection to dsn's database.
func terminateAll(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
}

// waitUnusable waits until p has seen its connection end.
func waitUnusable(t *testing.T, p *pipe) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); p.usable(0); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the pipe's connection is still open after its backend was terminated")
		}
	}
}

// A pipe keeps a bounded number of namespaces' statements prepared: the
// least recently used is closed (in the batch that needs the room) and
// prepared again when its namespace appends once more.
func TestPipeClosesTheStatementsItLeastUses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBackend(t, "")
	b.pipes = newPipePool(1, 0, b.connectPipe)
	s := openStore(t, b, nil, "a", "b")
	p, err := b.pipes.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.maxStatements = 1
	p.Release()
	for i, ns := range []string{"a", "b", "a"} {
		if _, err := s.Append(ctx, ns, oneMessage(fmt.Sprintf("doc-%d", i+1))); err != nil {
			t.Fatalf("append %d to %s: %v", i+1, ns, err)
		}
	}
	p.mu.Lock()
	prepared, kept := p.named, len(p.statements)
	p.mu.Unlock()
	if prepared != 3 || kept != 1 {
		t.Fatalf("%d statements prepared, %d kept; want 3 (a's twice, as b's closed it) and 1", prepared, kept)
	}

	// The room is made with a Close of the least recently used statement.
	p.statements = map[string]*pipeStatement{"x": {name: "old", used: 1}, "y": {name: "new", used: 2}}
	p.maxStatements = 2
	out, err := p.evict(nil)
	if err != nil {
		t.Fatal(err)
	}
	var close pgproto3.Close
	if len(out) < 5 || out[0] != 'C' || close.Decode(out[5:]) != nil || close.ObjectType != 'S' || close.Name != "old" {
		t.Fatalf("evict wrote %q; want the Close of statement old", out)
	}
	if _, ok := p.statements["x"]; ok || len(p.statements) != 1 {
		t.Fatalf("statements after evict: %v", p.statements)
	}
}

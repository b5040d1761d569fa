package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// patience bounds every wait of the fault tests; reaching it fails the test.
const patience = 30 * time.Second

// load writes to category "load" of one namespace from several goroutines, as
// clients do: an append that fails is retried with the same message ids until
// it is acknowledged, so after the load every append it made is acknowledged
// and, idempotency working, stored exactly once.
type load struct {
	t     *testing.T
	store ports.MessageStore
	ns    string
	stop  chan struct{}
	wg    sync.WaitGroup

	mu       sync.Mutex
	acked    map[string]ackedMessage // by message id
	appends  int                     // acknowledged appends
	failures int                     // failed attempts, each wrapping ports.ErrUnavailable
	progress chan struct{}           // signalled after each attempt
}

type ackedMessage struct {
	stream           string
	position, global int64
}

func startLoad(t *testing.T, store ports.MessageStore, ns string, writers int) *load {
	l := &load{t: t, store: store, ns: ns, stop: make(chan struct{}),
		acked: map[string]ackedMessage{}, progress: make(chan struct{}, 1)}
	for w := range writers {
		l.wg.Add(1)
		go l.write(w)
	}
	return l
}

func (l *load) write(w int) {
	defer l.wg.Done()
	for i := 0; ; i++ {
		select {
		case <-l.stop:
			return
		default:
		}
		a := stream.Append{Stream: fmt.Sprintf("load-%d", w)}
		for range 1 + i%3 {
			a.Messages = append(a.Messages, stream.Proposed{ID: uuid.NewString(), Type: "Loaded", Data: []byte(fmt.Sprintf(`{"w":%d,"i":%d}`, w, i))})
		}
		res, ok := l.appendUntilAcknowledged(a)
		if !ok {
			return
		}
		l.mu.Lock()
		l.appends++
		for k, m := range a.Messages {
			l.acked[m.ID] = ackedMessage{stream: a.Stream, position: res.Position + int64(k), global: res.GlobalPosition + int64(k)}
		}
		l.mu.Unlock()
		l.signal()
	}
}

func (l *load) appendUntilAcknowledged(a stream.Append) (stream.Appended, bool) {
	deadline := time.Now().Add(patience)
	for {
		res, err := l.store.Append(context.Background(), l.ns, a)
		if err == nil {
			return res, true
		}
		if !errors.Is(err, ports.ErrUnavailable) {
			l.t.Errorf("append failed with %v, which does not wrap ports.ErrUnavailable", err)
			return res, false
		}
		l.mu.Lock()
		l.failures++
		l.mu.Unlock()
		l.signal()
		if time.Now().After(deadline) {
			l.t.Errorf("append not acknowledged within %s: %v", patience, err)
			return res, false
		}
		time.Sleep(10 * time.Millisecond) // a client's pause before retrying
	}
}

func (l *load) signal() {
	select {
	case l.progress <- struct{}{}:
	default:
	}
}

// counts returns how many appends were acknowledged and attempts failed.
func (l *load) counts() (appends, failures int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.appends, l.failures
}

// waitUntil waits for cond on the counts, failing the test after patience.
func (l *load) waitUntil(what string, cond func(appends, failures int) bool) {
	l.t.Helper()
	timeout := time.After(patience)
	for !cond(l.counts()) {
		select {
		case <-l.progress:
		case <-timeout:
			a, f := l.counts()
			l.t.Fatalf("waited %s for %s: %d appends acknowledged, %d attempts failed", patience, what, a, f)
		}
	}
}

// finish stops the writers once their current appends are acknowledged.
func (l *load) finish() {
	close(l.stop)
	l.wg.Wait()
}

// verify reads the category back: every acknowledged message is stored once,
// where its acknowledgement said, nothing else is stored, and global and
// stream positions are gap-free.
func (l *load) verify(store ports.MessageStore) {
	l.t.Helper()
	msgs, err := store.ReadCategory(context.Background(), l.ns, ports.CategoryQuery{Category: "load", GlobalPosition: 1, Limit: 1 << 20})
	if err != nil {
		l.t.Fatalf("read back: %v", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := map[string]bool{}
	next := map[string]int64{}
	for i, m := range msgs {
		if seen[m.ID] {
			l.t.Fatalf("message %s is stored twice", m.ID)
		}
		seen[m.ID] = true
		want, ok := l.acked[m.ID]
		if !ok {
			l.t.Fatalf("message %s (global position %d) is stored but was never acknowledged", m.ID, m.GlobalPosition)
		}
		if m.Stream != want.stream || m.Position != want.position || m.GlobalPosition != want.global {
			l.t.Fatalf("message %s is stored at %s/%d (global %d), acknowledged at %s/%d (global %d)",
				m.ID, m.Stream, m.Position, m.GlobalPosition, want.stream, want.position, want.global)
		}
		if m.GlobalPosition != int64(i)+1 {
			l.t.Fatalf("global position %d at index %d: global positions have a gap", m.GlobalPosition, i)
		}
		if m.Position != next[m.Stream] {
			l.t.Fatalf("%s has position %d after %d: stream positions have a gap", m.Stream, m.Position, next[m.Stream]-1)
		}
		next[m.Stream]++
	}
	if len(msgs) != len(l.acked) {
		l.t.Fatalf("%d messages stored, %d acknowledged", len(msgs), len(l.acked))
	}
}

package pgnotify_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap/zaptest"

	"github.com/eventodb/eventodb/adapters/notify/pgnotify"
)

// patience bounds every wait; reaching it fails the test.
const patience = 10 * time.Second

// pingInterval is short so the tests exercise the listener's idle ping.
const pingInterval = 200 * time.Millisecond

func testURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("EVENTODB_TEST_PG_URL")
	if u == "" {
		t.Skip("EVENTODB_TEST_PG_URL not set: skipping PostgreSQL tests")
	}
	return u
}

// withAppName returns dsn with application_name set, so a test can find (and
// terminate) exactly one notifier's connections.
func withAppName(t *testing.T, dsn, name string) string {
	t.Helper()
	if !strings.Contains(dsn, "://") {
		return dsn + " application_name=" + name
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("EVENTODB_TEST_PG_URL does not parse: %v", err)
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// node starts a notifier under application name app on channel and stops it
// when the test ends, checking that its goroutines exit.
func node(t *testing.T, channel, app string) *pgnotify.Notifier {
	t.Helper()
	n := newNode(t, channel, app)
	start(t, n)
	return n
}

// newNode is node without Start.
func newNode(t *testing.T, channel, app string) *pgnotify.Notifier {
	t.Helper()
	n, err := pgnotify.New(pgnotify.Config{
		URL:          withAppName(t, testURL(t), app),
		Channel:      channel,
		MinBackoff:   20 * time.Millisecond,
		MaxBackoff:   200 * time.Millisecond,
		PingInterval: pingInterval,
	}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	return n
}

// start starts n and stops it when the test ends, checking that its
// goroutines exit.
func start(t *testing.T, n *pgnotify.Notifier) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := n.Start(ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		if err := n.Stop(ctx); err != nil {
			t.Errorf("stop: %v (goroutines did not exit)", err)
		}
	})
}

func awaitSignal(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(patience):
		t.Fatalf("no signal within %s: %s", patience, what)
	}
}

func drain(ch <-chan struct{}) {
	select {
	case <-ch:
	default:
	}
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// terminate ends every session whose application_name is app and returns how many.
func terminate(t *testing.T, app string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testURL(t))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx,
		"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", app).Scan(&n)
	if err != nil {
		t.Fatalf("terminate %s: %v", app, err)
	}
	return n
}

func TestPublishReachesOtherNode(t *testing.T) {
	t.Parallel()
	channel := randomName("evt_")
	a := node(t, channel, randomName("a-"))
	b := node(t, channel, randomName("b-"))
	onB, cancel := b.Subscribe("orders")
	defer cancel()
	otherNS, cancelOther := b.Subscribe("billing")
	defer cancelOther()
	onA, cancelA := a.Subscribe("orders")
	defer cancelA()

	if err := a.Publish(context.Background(), "orders", 42); err != nil {
		t.Fatalf("publish: %v", err)
	}
	awaitSignal(t, onA, "a subscriber on the publishing node")
	awaitSignal(t, onB, "a subscriber on another node")
	// Namespaces are kept apart across nodes.
	if err := a.Publish(context.Background(), "billing", 1); err != nil {
		t.Fatalf("publish: %v", err)
	}
	awaitSignal(t, otherNS, "the second namespace")
	select {
	case <-onB:
		t.Fatal("a subscriber of orders was signalled for billing")
	default:
	}
	// Idle for a few ping intervals: the listener's wait times out and it
	// pings; the connection keeps delivering afterwards.
	time.Sleep(3 * pingInterval)
	if err := a.Publish(context.Background(), "orders", 43); err != nil {
		t.Fatalf("publish: %v", err)
	}
	awaitSignal(t, onB, "a publish after the listener idled")
}

func TestListenerReconnects(t *testing.T) {
	t.Parallel()
	channel := randomName("evt_")
	appA, appB := randomName("a-"), randomName("b-")
	a := node(t, channel, appA)
	b := node(t, channel, appB)
	onB, cancel := b.Subscribe("orders")
	defer cancel()
	publish := func() {
		t.Helper()
		if err := a.Publish(context.Background(), "orders", 1); err != nil {
			t.Fatalf("publish: %v", err)
		}
	}

	publish()
	awaitSignal(t, onB, "before any fault")

	// B's listener is terminated: it reconnects and signals every subscriber.
	if n := terminate(t, appB); n == 0 {
		t.Fatal("no session of node b to terminate")
	}
	awaitSignal(t, onB, "after node b's listener reconnected")
	drain(onB)
	publish()
	awaitSignal(t, onB, "a publish after node b reconnected")

	// A's connections (listener and publisher) are terminated: its next
	// publish is retried on a new connection and still arrives.
	if n := terminate(t, appA); n == 0 {
		t.Fatal("no session of node a to terminate")
	}
	drain(onB)
	publish()
	awaitSignal(t, onB, "a publish after node a's publisher lost its connection")
}

func TestStartFailsWhenUnreachable(t *testing.T) {
	t.Parallel()
	testURL(t)
	n, err := pgnotify.New(pgnotify.Config{URL: "postgres://nobody@127.0.0.1:1/none?sslmode=disable"}, nil)
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := n.Start(ctx); err == nil {
		t.Fatal("start against an unreachable server succeeded")
	}
	if err := n.Stop(ctx); err != nil {
		t.Fatalf("stop of a notifier that never started: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     pgnotify.Config
		wantErr bool
	}{
		{"defaults", pgnotify.Config{URL: "postgres://localhost/eventodb"}, false},
		{"no url", pgnotify.Config{}, true},
		{"negative backoff", pgnotify.Config{URL: "postgres://localhost/x", MinBackoff: -1}, true},
		{"negative ping interval", pgnotify.Config{URL: "postgres://localhost/x", PingInterval: -time.Second}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := pgnotify.New(tt.cfg, nil); (err != nil) != tt.wantErr {
				t.Fatalf("New() error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

package pgnotify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// bus is a plain LISTEN connection on a channel: what the nodes send there.
type bus struct {
	t    *testing.T
	conn *pgx.Conn
}

func listenBus(t *testing.T, channel string) *bus {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testURL(t))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		t.Fatalf("listen: %v", err)
	}
	return &bus{t: t, conn: conn}
}

// next is the next payload on the bus, "" when none comes within wait.
func (b *bus) next(wait time.Duration) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	note, err := b.conn.WaitForNotification(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ""
		}
		b.t.Fatalf("wait for a notification: %v", err)
	}
	return note.Payload
}

// expect requires the next payloads to end with the given suffixes, in order.
func (b *bus) expect(suffixes ...string) []string {
	b.t.Helper()
	var got []string
	for _, suffix := range suffixes {
		p := b.next(patience)
		if !strings.HasSuffix(p, suffix) {
			b.t.Fatalf("bus: got %q after %q, want a payload ending in %q", p, got, suffix)
		}
		got = append(got, p)
	}
	return got
}

// A lone node does not notify the bus of its commits: nobody would hear
// them. A node that starts says hello; the first answers, and because it
// wrote while alone it answers "all", which sends the newcomer's
// subscribers to the store; from then on its commits are published.
func TestNodesPublishOnlyWhileAnotherListens(t *testing.T) {
	t.Parallel()
	channel := randomName("evt_")
	onBus := listenBus(t, channel)
	a := node(t, channel, randomName("a-"))
	helloA := onBus.expect(":?hello")[0]
	nodeA, _, _ := strings.Cut(helloA, ":")

	if err := a.Publish(context.Background(), "orders", 1); err != nil {
		t.Fatal(err)
	}
	if p := onBus.next(500 * time.Millisecond); p != "" {
		t.Fatalf("a lone node published %q", p)
	}

	b := newNode(t, channel, randomName("b-"))
	onB, cancel := b.Subscribe("orders")
	defer cancel()
	start(t, b)
	got := onBus.expect(":?hello", ":?all")
	if strings.HasPrefix(got[0], nodeA+":") || !strings.HasPrefix(got[1], nodeA+":") {
		t.Fatalf("bus: %q; want the new node's hello, then %s's answer", got, nodeA)
	}
	awaitSignal(t, onB, "the new node's subscriber, for what the first wrote alone")

	if err := a.Publish(context.Background(), "orders", 2); err != nil {
		t.Fatal(err)
	}
	onBus.expect(nodeA + ":orders")
	awaitSignal(t, onB, "a subscriber on another node")
}

// A node that knows of a peer and wrote nothing alone answers a hello with
// "here", which sends nobody back to the store.
func TestHelloIsAnsweredHere(t *testing.T) {
	t.Parallel()
	channel := randomName("evt_")
	onBus := listenBus(t, channel)
	node(t, channel, randomName("a-"))
	onBus.expect(":?hello")
	node(t, channel, randomName("b-"))
	onBus.expect(":?hello", ":?here")
	node(t, channel, randomName("c-"))
	got := onBus.expect(":?hello", ":?here", ":?here")
	if got[1] == got[2] {
		t.Fatalf("bus: %q; want an answer from each of the two other nodes", got)
	}
}

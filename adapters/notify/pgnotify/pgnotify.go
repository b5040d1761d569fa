// Package pgnotify is the ports.Notifier of several server nodes sharing one
// PostgreSQL database: a write on one node wakes subscribers on every node.
//
// Publish signals this node's subscribers at once and queues the namespace for
// a publisher goroutine, which sends pg_notify for every queued namespace in
// one statement (bursts coalesce, and a writer never waits for the bus). A
// listener goroutine holds a dedicated connection that LISTENs on the channel
// and fans notifications from other nodes out to local subscribers. When that
// connection drops, the listener reconnects with exponential backoff by itself
// and then signals every subscriber, which re-read the store: notifications
// lost meanwhile cost latency, never data. Nodes greet each other on the
// channel, and a node that knows of no other publishes nothing (peers.go).
package pgnotify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/notify/hub"
	"github.com/eventodb/eventodb/ports"
)

var _ ports.Notifier = (*Notifier)(nil)

// Notifier is safe for concurrent use. Start it before relying on other
// nodes' notifications; Stop it to end its goroutines and connections.
type Notifier struct {
	cfg     Config
	connCfg *pgx.ConnConfig
	log     *zap.Logger
	node    string // this notifier's id, to skip its own notifications
	hub     *hub.Hub

	peerMu      sync.Mutex
	peers       bool // another node listens (peers.go)
	unannounced bool // a commit was not published while none did

	mu      sync.Mutex
	pending map[string]struct{} // namespaces to announce to other nodes
	wake    chan struct{}       // one slot: the publisher has work
	state   runState
	stop    chan struct{} // closed by Stop: the publisher flushes and exits

	cancelListen, cancelPublish context.CancelFunc
	wg                          sync.WaitGroup
}

type runState int

const (
	idle runState = iota
	running
	stopped
)

// ErrStarted is returned by a second Start.
var ErrStarted = errors.New("pgnotify: already started")

// New returns a notifier for cfg; it connects in Start.
func New(cfg Config, log *zap.Logger) (*Notifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.defaults()
	connCfg, err := pgx.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("pgnotify: %w", err) // pgx redacts the password
	}
	if connCfg.ConnectTimeout == 0 || connCfg.ConnectTimeout > cfg.ConnectTimeout {
		connCfg.ConnectTimeout = cfg.ConnectTimeout
	}
	if connCfg.RuntimeParams["application_name"] == "" {
		connCfg.RuntimeParams["application_name"] = "eventodb-notify"
	}
	if log == nil {
		log = zap.NewNop()
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	return &Notifier{
		cfg: cfg, connCfg: connCfg, log: log.Named("pgnotify"),
		node: hex.EncodeToString(id), hub: hub.New(),
		pending: map[string]struct{}{}, wake: make(chan struct{}, 1), stop: make(chan struct{}),
	}, nil
}

// Start connects the listener (failing if the database cannot be reached
// within ctx) and starts the listener and publisher goroutines.
func (n *Notifier) Start(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.state != idle {
		return ErrStarted
	}
	conn, err := n.listenConn(ctx)
	if err != nil {
		return fmt.Errorf("pgnotify: start listener: %w", err)
	}
	listenCtx, cancelListen := context.WithCancel(context.Background())
	publishCtx, cancelPublish := context.WithCancel(context.Background())
	n.cancelListen, n.cancelPublish = cancelListen, cancelPublish
	n.state = running
	n.wg.Add(2)
	go func() { defer n.wg.Done(); n.listen(listenCtx, conn) }()
	go func() { defer n.wg.Done(); n.publish(publishCtx) }()
	return nil
}

// Stop ends the listener, lets the publisher make one last attempt to send
// what is queued, and closes the connections. It waits for the goroutines;
// when ctx ends first, it interrupts the last attempt and returns ctx.Err().
func (n *Notifier) Stop(ctx context.Context) error {
	n.mu.Lock()
	if n.state != running {
		n.state = stopped
		n.mu.Unlock()
		return nil
	}
	n.state = stopped
	close(n.stop)
	n.mu.Unlock()
	n.cancelListen()
	defer n.cancelPublish()
	done := make(chan struct{})
	go func() { n.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		n.cancelPublish()
		<-done
		return ctx.Err()
	}
}

// Publish signals this node's subscribers of ns and queues ns for the other
// nodes. It does not wait for the database and never fails.
func (n *Notifier) Publish(_ context.Context, ns string, _ int64) error {
	n.hub.Signal(ns)
	n.queue(ns)
	return nil
}

// queue hands a payload's namespace part to the publisher goroutine, unless
// no other node listens: then there is nothing to send, and waking the
// goroutine would cost a lone writer a goroutine switch per commit.
func (n *Notifier) queue(ns string) {
	if !n.publishing() {
		return
	}
	n.mu.Lock()
	n.pending[ns] = struct{}{}
	n.mu.Unlock()
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// Subscribe returns a channel that receives a value after commits in ns on
// any node (several may yield one value), and after the listener reconnected;
// the function ends the subscription.
func (n *Notifier) Subscribe(ns string) (<-chan struct{}, func()) {
	return n.hub.Subscribe(ns)
}

// payload is what this node sends for ns: its id, a colon, the namespace
// (namespace ids contain no colon).
func (n *Notifier) payload(ns string) string { return n.node + ":" + ns }

// deliver signals the subscribers of the namespace a notification names,
// unless this node sent it (its subscribers were signalled by Publish). It
// returns the control payload to send back, if any (peers.go).
func (n *Notifier) deliver(payload string) (reply string) {
	node, ns, ok := strings.Cut(payload, ":")
	switch {
	case !ok:
		ns = payload // a bare namespace, e.g. NOTIFY by hand
	case node == n.node:
		return ""
	case ns == helloMark:
		return n.heardPeer(hereMark)
	default:
		reply = n.heardPeer("")
	}
	switch {
	case ns == hereMark:
	case ns == allMark:
		n.hub.SignalAll()
		n.hub.SignalAllEnded()
	case strings.HasPrefix(ns, endedMark):
		n.hub.SignalEnded(ns[len(endedMark):])
	default:
		// Another node wrote: this node's recent commits no longer hold
		// everything, and its subscribers read the store (Unsure signals them).
		n.hub.Unsure(ns)
	}
	return reply
}

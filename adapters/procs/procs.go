// Package procs sizes the Go scheduler to the server's load.
//
// While requests arrive one at a time, a second P (the scheduler's processor)
// has nothing to run in parallel and still costs CPU: every goroutine
// hand-off of a request (the socket becoming readable, a database answer, a
// commit's waiter woken) wakes an idle P's thread, which spins looking for
// work, finds none and sleeps again. Measured on a 2-core VM, one client
// writing one message at a time: with one P the server spent 146 µs of CPU per
// write on PostgreSQL instead of 256 µs, and answered 10 % more writes per
// second; SQLite writes +4 %, reads of 100 messages +7 to +17 %. With ten
// clients one P is too few (SQLite writes -10 %, one stream -20 % and more).
//
// The Governor therefore runs the scheduler with one P while requests come
// one at a time over one connection, and with the runtime's default (all
// CPUs, or the container's quota) from the moment they overlap or come over
// more connections, until a second has passed without.
// It stays out of the way when GOMAXPROCS is set in the environment or the
// default is one P already.
package procs

import (
	"context"
	"hash/maphash"
	"net/http"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// tick is how often the Governor, running every P, looks at the load to
// count the quiet second (with one P, the first overlap wakes it at once).
const tick = 10 * time.Millisecond

// settle is how many ticks in a row without overlap go down to one P: a
// second, so a load with occasional overlap does not switch back and forth
// (each switch stops the world for a few microseconds).
const settle = 100

// Governor watches the requests and sets GOMAXPROCS from them.
type Governor struct {
	inFlight atomic.Int32
	overlap  atomic.Bool   // since the last tick: requests overlapped or came over two connections
	lastConn atomic.Uint64 // hash of the latest request's connection (remote address)
	seed     maphash.Seed
	wake     chan struct{} // overlap seen: run, idle with one P, steps at once

	// Touched by Step only.
	single bool // running with one P
	serial int  // ticks in a row without overlap
	one    func()
	all    func()
}

// New returns a Governor that calls one to run with one P and all to run
// with every P; the scheduler starts with every P.
func New(one, all func()) *Governor {
	return &Governor{one: one, all: all, seed: maphash.MakeSeed(), wake: make(chan struct{}, 1)}
}

// NewRuntime returns a Governor of the Go runtime's GOMAXPROCS, or nil (no
// governing) when GOMAXPROCS is set in the environment or one already.
func NewRuntime() *Governor {
	if os.Getenv("GOMAXPROCS") != "" || runtime.GOMAXPROCS(0) == 1 {
		return nil
	}
	return New(func() { runtime.GOMAXPROCS(1) }, func() { runtime.SetDefaultGOMAXPROCS() })
}

// Wrap watches next's requests. Two requests in flight at once are
// overlap, and so are two in a row over different connections: with one P
// busy in a long call (SQLite's commit runs in C and holds its thread) the
// other clients' requests wait unread, so those of ten clients could look
// one at a time.
func (g *Governor) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := g.inFlight.Add(1)
		defer g.inFlight.Add(-1)
		conn := maphash.String(g.seed, r.RemoteAddr)
		if prev := g.lastConn.Swap(conn); (n > 1 || prev != conn && prev != 0) && !g.overlap.Load() {
			g.overlap.Store(true)
			select {
			case g.wake <- struct{}{}:
			default:
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Step looks at the requests since the last step and switches when the
// load asks for it. It reports whether it switched.
func (g *Governor) Step() bool {
	overlap := g.overlap.Swap(false) || g.inFlight.Load() > 1
	switch {
	case overlap:
		g.serial = 0
		if g.single {
			g.single = false
			g.all()
			return true
		}
	case !g.single:
		g.serial++
		if g.serial >= settle {
			g.single = true
			g.one()
			return true
		}
	}
	return false
}

// Single reports whether the last Step left the scheduler with one P.
func (g *Governor) Single() bool { return g.single }

// run steps every tick while every P runs, and at the first overlap while
// one does (an idle server is not woken), until ctx ends; then it gives the
// runtime its default back.
func (g *Governor) run(ctx context.Context, log *zap.Logger) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		next, wake := t.C, g.wake // under load the ticks alone: a wake-up per overlap would cost more
		if g.single {
			next = nil
		} else {
			wake = nil
		}
		select {
		case <-ctx.Done():
			if g.single {
				g.all()
			}
			return
		case <-next:
		case <-wake:
		}
		if g.Step() {
			log.Debug("scheduler resized", zap.Bool("one_p", g.single))
		}
	}
}

// Module governs the runtime's GOMAXPROCS for the application's lifetime,
// counting the requests of the HTTP server (as its outermost middleware).
var Module = fx.Module("procs",
	fx.Provide(httpapi.AsMiddleware(newMiddleware)),
)

func newMiddleware(lc fx.Lifecycle, log *zap.Logger) httpapi.Middleware {
	g := NewRuntime()
	if g == nil {
		return httpapi.Middleware{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			log.Info("sizing the scheduler to the load: one P while requests come one at a time, every P when they overlap (GOMAXPROCS fixes it)",
				zap.Int("cpus", runtime.GOMAXPROCS(0)))
			go func() { defer close(done); g.run(ctx, log.Named("procs")) }()
			return nil
		},
		OnStop: func(context.Context) error { cancel(); <-done; return nil },
	})
	return httpapi.Middleware{Order: -1, Wrap: g.Wrap}
}

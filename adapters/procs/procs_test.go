package procs_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/eventodb/eventodb/adapters/procs"
)

// governor is a Governor under test: it records its switches, and start
// serves a request through it that stays in flight until its finish is
// called.
type governor struct {
	*procs.Governor
	switches []string
}

func newGovernor() *governor {
	g := &governor{}
	g.Governor = procs.New(func() { g.switches = append(g.switches, "one") }, func() { g.switches = append(g.switches, "all") })
	return g
}

func (g *governor) start() (finish func()) { return g.startFrom("192.0.2.1:1234") }

// startFrom is start over the connection from remote.
func (g *governor) startFrom(remote string) (finish func()) {
	entered, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	h := g.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		close(entered)
		<-release
	}))
	go func() {
		defer close(done)
		r := httptest.NewRequest(http.MethodPost, "/rpc", nil)
		r.RemoteAddr = remote
		h.ServeHTTP(httptest.NewRecorder(), r)
	}()
	<-entered
	return func() { close(release); <-done }
}

// steps steps n times and returns how many of them switched.
func (g *governor) steps(n int) int {
	switched := 0
	for range n {
		if g.Step() {
			switched++
		}
	}
	return switched
}

func TestOneRequestAtATimeRunsOnOneP(t *testing.T) {
	g := newGovernor()
	for range 150 {
		g.start()()
		if g.Step() {
			break
		}
	}
	if !slices.Equal(g.switches, []string{"one"}) || !g.Single() {
		t.Fatalf("requests one at a time: switches %v, want one switch to one P", g.switches)
	}
	if n := g.steps(500); n != 0 {
		t.Fatalf("switched %d more times without overlap", n)
	}
}

func TestOneSwitchDownAfterASecondWithoutOverlap(t *testing.T) {
	g := newGovernor()
	if n := g.steps(99); n != 0 || g.Single() {
		t.Fatalf("switched %d times within 99 ticks: the load must settle first", n)
	}
	if !g.Step() || !g.Single() {
		t.Fatalf("switches %v after 100 quiet ticks, want one P", g.switches)
	}
}

func TestOverlappingRequestsGetEveryP(t *testing.T) {
	g := newGovernor()
	g.steps(100) // one P
	finishFirst := g.start()
	if g.Step() {
		t.Fatal("one request in flight switched to every P")
	}
	finishSecond := g.start()
	if !g.Step() || g.Single() {
		t.Fatalf("two requests in flight: switches %v, want every P", g.switches)
	}
	finishFirst()
	finishSecond()
	if n := g.steps(99); n != 0 {
		t.Fatalf("switched %d times within 99 ticks of the overlap ending", n)
	}
	if !g.Step() || !slices.Equal(g.switches, []string{"one", "all", "one"}) {
		t.Fatalf("switches %v, want one P, every P, then one P a second after the overlap", g.switches)
	}
}

// Two requests that overlap between two ticks count, though neither is in
// flight at the tick.
func TestOverlapBetweenTicksCounts(t *testing.T) {
	g := newGovernor()
	g.steps(100)
	finishFirst := g.start()
	finishSecond := g.start()
	finishFirst()
	finishSecond()
	if !g.Step() || g.Single() {
		t.Fatalf("switches %v: an overlap between ticks did not give every P", g.switches)
	}
}

// Overlap now and then keeps every P: each one starts the quiet second anew.
func TestOccasionalOverlapDoesNotFlap(t *testing.T) {
	g := newGovernor()
	for range 10 {
		g.steps(60)
		finishFirst := g.start()
		finishSecond := g.start()
		finishFirst()
		finishSecond()
	}
	if n := g.steps(60); n != 0 || len(g.switches) != 0 {
		t.Fatalf("switches %v with overlap every 60 ticks, want none", g.switches)
	}
}

// Requests one at a time over different connections are clients taking
// turns for one P, each waiting unread while another's runs: every P.
func TestRequestsOverTwoConnectionsGetEveryP(t *testing.T) {
	g := newGovernor()
	g.steps(100)
	g.startFrom("192.0.2.1:1234")()
	if g.Step() {
		t.Fatal("one connection's request switched")
	}
	g.startFrom("192.0.2.1:1234")()
	g.startFrom("192.0.2.2:1234")()
	if !g.Step() || g.Single() {
		t.Fatalf("switches %v after requests over two connections, want every P", g.switches)
	}
}

// Setting GOMAXPROCS in the environment leaves the scheduler alone.
func TestGOMAXPROCSInTheEnvironmentTurnsItOff(t *testing.T) {
	t.Setenv("GOMAXPROCS", "2")
	if g := procs.NewRuntime(); g != nil {
		t.Fatal("a Governor with GOMAXPROCS set in the environment")
	}
}

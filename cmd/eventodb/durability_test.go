package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/adapters/storage/postgres/pgtest"
	"github.com/eventodb/eventodb/client"
	"github.com/eventodb/eventodb/domain/namespace"
)

// The durability tests run the server as a child process: this test binary,
// re-executed with serverArgsEnv set, runs the command line it holds.
const serverArgsEnv = "EVENTODB_TEST_SERVE_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(serverArgsEnv); args != "" {
		var argv []string
		if err := json.Unmarshal([]byte(args), &argv); err != nil {
			fmt.Fprintln(os.Stderr, "bad", serverArgsEnv, err)
			os.Exit(2)
		}
		os.Exit(execute(argv, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// childServer is a server process started by startChild.
type childServer struct {
	cmd  *exec.Cmd
	url  string
	done chan error // the process's exit
}

// startChild runs `eventodb serve args… --port 0 --log-format json` and waits
// until it listens.
func startChild(t *testing.T, args ...string) *childServer {
	t.Helper()
	argv, _ := json.Marshal(append([]string{"serve", "--port", "0", "--log-format", "json", "--log-level", "info"}, args...))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serverArgsEnv+"="+string(argv), "EVENTODB_RATE_LIMIT=0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &childServer{cmd: cmd, done: make(chan error, 1)}
	t.Cleanup(func() { s.kill() })
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
				listening <- line.Addr
			}
		}
		s.done <- cmd.Wait()
	}()
	select {
	case addr := <-listening:
		s.url = "http://" + addr
	case err := <-s.done:
		t.Fatalf("the server exited before listening: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not listen within 30 s")
	}
	return s
}

// kill ends the process with SIGKILL: no shutdown, no flush.
func (s *childServer) kill() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
		}
	}
}

// acked is an append the server acknowledged.
type acked struct {
	stream         string
	position, gpos int64
	id             string
}

// loader runs writers against a server, each on streams of its own (every
// other append with expectedVersion), and records every acknowledged append.
// Failures are expected while the server or its database is down: writers
// pause and go on.
type loader struct {
	stop func()
	wg   sync.WaitGroup
	mu   sync.Mutex
	acks []acked
}

func startLoad(c *client.Client, writers int) *loader {
	ctx, stop := context.WithCancel(context.Background())
	l := &loader{stop: stop}
	for w := range writers {
		l.wg.Go(func() { l.write(ctx, c, w) })
	}
	return l
}

func (l *loader) write(ctx context.Context, c *client.Client, w int) {
	next := int64(0) // the next position of this writer's expectedVersion stream
	for i := 0; ctx.Err() == nil; i++ {
		name := fmt.Sprintf("load-w%d", w)
		var opts *client.WriteOptions
		if i%2 == 0 {
			name = fmt.Sprintf("loadev-w%d", w)
			opts = &client.WriteOptions{ExpectedVersion: client.ExpectVersion(next - 1)}
		}
		msg := client.MessageData{ID: uuid.NewString(), Type: "Loaded", Data: json.RawMessage(fmt.Sprintf(`{"w":%d,"i":%d}`, w, i))}
		res, err := c.Write(ctx, name, msg, opts)
		if err != nil {
			if errors.Is(err, client.ErrVersionConflict) {
				// An earlier append was committed but its answer lost.
				if v, verr := c.StreamVersion(ctx, name); verr == nil {
					next = v + 1
				}
			}
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if opts != nil {
			next = res.Position + 1
		}
		l.mu.Lock()
		l.acks = append(l.acks, acked{stream: name, position: res.Position, gpos: res.GlobalPosition, id: msg.ID})
		l.mu.Unlock()
	}
}

// count is how many appends were acknowledged so far.
func (l *loader) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acks)
}

// finish stops the writers and returns every acknowledged append.
func (l *loader) finish() []acked {
	l.stop()
	l.wg.Wait()
	return l.acks
}

// verify reads every stream the acknowledged appends went to and requires
// each of them at its acknowledged positions, in streams without gaps.
func verify(t *testing.T, c *client.Client, acks []acked) {
	t.Helper()
	ctx := context.Background()
	stored := map[string][]client.Message{}
	for _, a := range acks {
		if _, ok := stored[a.stream]; ok {
			continue
		}
		msgs, err := c.Read(ctx, a.stream, &client.ReadOptions{BatchSize: client.Unlimited})
		if err != nil {
			t.Fatalf("read %s: %v", a.stream, err)
		}
		for i, m := range msgs {
			if m.Position != int64(i) {
				t.Fatalf("%s: message %d is at position %d: a gap", a.stream, i, m.Position)
			}
		}
		stored[a.stream] = msgs
	}
	for _, a := range acks {
		msgs := stored[a.stream]
		if a.position >= int64(len(msgs)) {
			t.Fatalf("acknowledged %s@%d (global %d, id %s) is lost: the stream holds %d messages", a.stream, a.position, a.gpos, a.id, len(msgs))
		}
		if m := msgs[a.position]; m.ID != a.id || m.GlobalPosition != a.gpos {
			t.Fatalf("acknowledged %s@%d is id %s at global %d, but %s at global %d is stored there", a.stream, a.position, a.id, a.gpos, m.ID, m.GlobalPosition)
		}
	}
}

func adminToken(t *testing.T) string {
	t.Helper()
	tok, err := namespace.NewToken(namespace.Default)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// SIGKILL in the middle of 16 writers loses no acknowledged write: an append
// is answered only once it is durable in the SQLite file.
func TestSIGKILLLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	dir, token := t.TempDir(), adminToken(t)
	first := startChild(t, "--data-dir", dir, "--token", token)
	c, err := client.New(first.url, client.WithToken(token), client.WithRetry(client.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	l := startLoad(c, 16)
	waitFor(t, "200 acknowledged appends", func() bool { return l.count() >= 200 })
	first.kill()
	acks := l.finish()
	second := startChild(t, "--data-dir", dir, "--token", token)
	c2, err := client.New(second.url, client.WithToken(token))
	if err != nil {
		t.Fatal(err)
	}
	verify(t, c2, acks)
	t.Logf("%d acknowledged appends, all stored after SIGKILL and a restart", len(acks))
}

// A PostgreSQL restart under load loses no acknowledged write, and writes go
// on afterwards. It restarts the database server, so it runs only when
// EVENTODB_TEST_PG_RESTART holds the command that does it: the
// test:durability task sets it and runs nothing else meanwhile.
func TestPostgresRestartLosesNoAcknowledgedWrite(t *testing.T) {
	restart := os.Getenv("EVENTODB_TEST_PG_RESTART")
	if restart == "" {
		t.Skip("EVENTODB_TEST_PG_RESTART (a command restarting the PostgreSQL of EVENTODB_TEST_PG_URL) is not set: skipping")
	}
	token := adminToken(t)
	srv := startChild(t, "--db-url", pgtest.FreshDatabase(t), "--token", token)
	c, err := client.New(srv.url, client.WithToken(token))
	if err != nil {
		t.Fatal(err)
	}
	l := startLoad(c, 16)
	waitFor(t, "200 acknowledged appends", func() bool { return l.count() >= 200 })
	argv := strings.Fields(restart)
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		l.finish()
		t.Fatalf("%s: %v\n%s", restart, err, out)
	}
	before := l.count()
	waitFor(t, "200 more acknowledged appends after the restart", func() bool { return l.count() >= before+200 })
	acks := l.finish()
	verify(t, c, acks)
	t.Logf("%d acknowledged appends (%d before the restart finished), all stored", len(acks), before)
}

// waitFor polls cond for up to a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within a minute", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

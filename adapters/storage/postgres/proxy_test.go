package postgres_test

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// proxy is a TCP proxy in front of the test server that can cut every
// connection and refuse new ones, as a stopped server would, then let
// connections through again: a database outage without stopping the server
// other tests share.
type proxy struct {
	ln     net.Listener
	target func() (net.Conn, error)

	mu    sync.Mutex
	up    bool
	armed []byte // lose the reply to the next message holding these bytes
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// commitQuery is COMMIT as pgx sends it: a simple-protocol Query message.
var commitQuery = []byte("Q\x00\x00\x00\x0bcommit\x00")

// startProxy proxies the server of dsn and returns the proxy and a DSN for the
// same database through it.
func startProxy(t *testing.T, dsn string) (*proxy, string) {
	t.Helper()
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", dsn, err)
	}
	network, addr := "tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	if strings.HasPrefix(cfg.Host, "/") {
		network, addr = "unix", fmt.Sprintf("%s/.s.PGSQL.%d", cfg.Host, cfg.Port)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	p := &proxy{ln: ln, up: true, conns: map[net.Conn]bool{},
		target: func() (net.Conn, error) { return net.Dial(network, addr) }}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	u := url.URL{Scheme: "postgres", Host: ln.Addr().String(), Path: "/" + cfg.Database,
		User: url.UserPassword(cfg.User, cfg.Password), RawQuery: "sslmode=prefer"}
	if cfg.Password == "" {
		u.User = url.User(cfg.User)
	}
	return p, u.String()
}

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := p.target()
		if err != nil {
			_ = client.Close()
			continue
		}
		p.mu.Lock()
		if !p.up {
			p.mu.Unlock()
			_ = client.Close()
			_ = server.Close()
			continue
		}
		p.conns[client], p.conns[server] = true, true
		p.wg.Add(2)
		p.mu.Unlock()
		lose := new(atomic.Bool)
		go p.upstream(client, server, lose)
		go p.downstream(server, client, lose)
	}
}

// upstream copies client to server, noting when a COMMIT's reply is to be lost.
func (p *proxy) upstream(client, server net.Conn, lose *atomic.Bool) {
	defer p.wg.Done()
	defer p.drop(client, server)
	buf := make([]byte, 64<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			p.mu.Lock()
			if p.armed != nil && bytes.Contains(buf[:n], p.armed) {
				p.armed = nil
				lose.Store(true)
			}
			p.mu.Unlock()
			if _, err := server.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// downstream copies server to client; a reply to be lost cuts the connection
// instead, after the server has done the work.
func (p *proxy) downstream(server, client net.Conn, lose *atomic.Bool) {
	defer p.wg.Done()
	defer p.drop(client, server)
	buf := make([]byte, 64<<10)
	for {
		n, err := server.Read(buf)
		if n > 0 {
			if lose.Load() {
				return
			}
			if _, err := client.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *proxy) drop(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}

// loseNextReply makes the next message holding marker reach the server and
// commit, and its reply never reach the client: the connection is cut
// instead, so the client cannot know the outcome.
func (p *proxy) loseNextReply(marker []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armed = marker
}

// cut closes every proxied connection and refuses new ones until restore.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = false
	for c := range p.conns {
		_ = c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// restore lets connections through again.
func (p *proxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = true
}

func (p *proxy) close() {
	_ = p.ln.Close()
	p.cut()
	p.wg.Wait()
}

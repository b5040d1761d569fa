package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"

	"github.com/gorilla/mux"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

var _ httpapi.Listener = (*Server)(nil)

// Server is an http.Server serving a fixed set of routes. Start and Stop may
// be called from different goroutines; each takes effect once.
type Server struct {
	cfg     Config
	handler http.Handler
	http    *http.Server

	// draining is cancelled when Stop begins, ending streaming requests.
	draining  context.Context
	stopDrain context.CancelFunc
	mu        sync.Mutex
	listener  net.Listener   // the first of listeners: Addr reports it
	listeners []net.Listener // one, or IPv4 and IPv6 loopback for "localhost"
	serveDone chan struct{}
	serveErr  error
	started   bool
	stopped   bool
}

// New builds a server for routes. mw wraps every request, matched or not; the
// first middleware is the outermost. New does not listen: call Start.
func New(cfg Config, routes []httpapi.Route, mw ...mux.MiddlewareFunc) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	draining, stopDrain := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, draining: draining, stopDrain: stopDrain}
	router, err := buildRouter(routes, s.wrapRoute)
	if err != nil {
		stopDrain()
		return nil, err
	}
	var h http.Handler = router
	for i := len(mw) - 1; i >= 0; i-- {
		if mw[i] != nil {
			h = mw[i](h)
		}
	}
	s.handler = httpapi.RecordRequests(h)
	s.http = &http.Server{
		Addr:              net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
		Handler:           s.handler,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
	}
	s.http.RegisterOnShutdown(stopDrain)
	return s, nil
}

// Handler is the complete handler (middleware and routes), for tests that
// serve it without a listener.
func (s *Server) Handler() http.Handler { return s.handler }

// SetErrorLog directs net/http's own error messages (TLS handshakes, broken
// connections) to l. Call it before Start.
func (s *Server) SetErrorLog(l *log.Logger) { s.http.ErrorLog = l }

// Start listens on the configured address and serves in a goroutine. It
// returns the listen error (e.g. port in use) synchronously. The host
// "localhost" listens on both loopback addresses, 127.0.0.1 and ::1 (when the
// machine has IPv6), since clients resolve localhost to either.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("http server: already started")
	}
	listeners, err := listen(ctx, s.cfg.Host, s.http.Addr)
	if err != nil {
		return err
	}
	s.started = true
	s.listener, s.listeners = listeners[0], listeners
	s.serveDone = make(chan struct{})
	var wg sync.WaitGroup
	for _, ln := range listeners {
		wg.Add(1)
		go func() { defer wg.Done(); s.serve(ln) }()
	}
	go func() { wg.Wait(); close(s.serveDone) }()
	return nil
}

// listen opens addr, or for host "localhost" both loopback addresses on one
// port (the port the first got, when addr's is 0).
func listen(ctx context.Context, host, addr string) ([]net.Listener, error) {
	var lc net.ListenConfig
	if host != "localhost" {
		ln, err := lc.Listen(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("http server: listen on %s: %w", addr, err)
		}
		return []net.Listener{ln}, nil
	}
	_, port, _ := net.SplitHostPort(addr)
	v4, err := lc.Listen(ctx, "tcp4", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		return nil, fmt.Errorf("http server: listen on 127.0.0.1:%s: %w", port, err)
	}
	_, port, _ = net.SplitHostPort(v4.Addr().String())
	v6, err := lc.Listen(ctx, "tcp6", net.JoinHostPort("::1", port))
	if err != nil {
		return []net.Listener{v4}, nil // no IPv6 loopback here: 127.0.0.1 alone
	}
	return []net.Listener{v4, v6}, nil
}

func (s *Server) serve(ln net.Listener) {
	if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.mu.Lock()
		s.serveErr = errors.Join(s.serveErr, err)
		s.mu.Unlock()
	}
}

// Addr is the address the server listens on (with the actual port when
// Config.Port is 0), or "" before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return ""
	}
	return s.listener.Addr().String()
}

// Stop drains the server: it stops accepting connections, cancels streaming
// requests, and waits for in-flight requests to finish until ctx ends or
// Config.ShutdownTimeout passes, whichever is first; then it closes what is
// left. It returns the error that ended serving, if any other than a stop.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	if !s.started || s.stopped {
		s.mu.Unlock()
		s.stopDrain()
		return nil
	}
	s.stopped = true
	s.mu.Unlock()

	if s.cfg.ShutdownTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.ShutdownTimeout)
		defer cancel()
	}
	err := s.http.Shutdown(ctx)
	if err != nil {
		// Out of patience: drop the connections still open.
		err = errors.Join(fmt.Errorf("http server: graceful shutdown: %w", err), s.http.Close())
	}
	<-s.serveDone
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(err, s.serveErr)
}

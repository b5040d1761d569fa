package importer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/service"
)

// Handler serves POST /import for the namespace of the request's principal,
// which the auth middleware puts in the context. Safe for concurrent use.
//
// The body is NDJSON, one interchange.Record a line (blank lines are
// skipped), read and imported by the import use case (service.Imports) as it
// arrives. Once the namespace is known to exist the response is an SSE
// stream: a progress event after each batch, then Done, or the failure that
// stopped the import. Failures before the stream starts
// (authentication, a missing namespace) are ordinary JSON error responses.
// With ?force=true the namespace is emptied first (a restore over old data);
// with ?groups=true the lines of durable consumer groups are restored (they
// are skipped otherwise).
type Handler struct {
	imports Imports
	opts    Options
}

// Imports is the import use case the handler serves; *service.Imports
// implements it. Safe for concurrent use.
type Imports interface {
	// CheckNamespace fails as an import into ns would before its first record.
	CheckNamespace(ctx context.Context, ns string) error
	// Clear empties ns (?force=true).
	Clear(ctx context.Context, ns string) (int64, error)
	// Load imports the records of body into ns, reporting each committed
	// batch to progress; it stops at a bad record with an *interchange.Failure.
	Load(ctx context.Context, ns string, body io.Reader, progress func(interchange.Progress) error) (int64, error)
	// LoadWithGroups is Load that also restores group lines (?groups=true).
	LoadWithGroups(ctx context.Context, ns string, body io.Reader, progress func(interchange.Progress) error) (int64, error)
}

var _ Imports = (*service.Imports)(nil)

// Options bound what one client's imports may hold.
type Options struct {
	// Sessions binds each import to the namespace registration its token was
	// granted for, ending it when the namespace is deleted; nil: no binding.
	Sessions SessionHolder
	// IdleTimeout ends an import whose client sends nothing (or reads no
	// progress) for this long; default 30s.
	IdleTimeout time.Duration
	// Expensive caps the imports (and streamed reads) each token runs at
	// once; the zero value: no limit.
	Expensive httpapi.ExpensiveRequests
}

// SessionHolder binds an import to its principal's namespace registration;
// *service.Sessions implements it.
type SessionHolder interface {
	Hold(ctx context.Context, p service.Principal) (context.Context, func(), error)
}

// DefaultIdleTimeout is Options.IdleTimeout's default.
const DefaultIdleTimeout = 30 * time.Second

// New returns the handler of imports.
func New(imports Imports, opts Options) (*Handler, error) {
	if imports == nil {
		return nil, errors.New("importer: handler needs the import use case")
	}
	if opts.IdleTimeout < 0 {
		return nil, errors.New("importer: the idle timeout must not be negative")
	}
	if opts.IdleTimeout == 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	return &Handler{imports: imports, opts: opts}, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	httpapi.RequestInfoFrom(r.Context()).SetLongLived() // an import takes as long as its body
	p, ok := httpapi.PrincipalFrom(r.Context())
	if !ok {
		httpapi.WriteError(w, r, service.ErrAuthRequired)
		return
	}
	rc := http.NewResponseController(w)
	// Progress goes out while the body is still being read; without this an
	// HTTP/1 server would drain the body first. Test recorders need not.
	_ = rc.EnableFullDuplex()
	// A full-duplex handler that stops before the body's end must close it,
	// or the server reads the rest as the next request and panics
	// (golang/go#68560).
	defer r.Body.Close()
	force, err := forceParam(r)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	load, err := h.loadFor(r) // with ?groups=true, group lines are restored
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	if err := h.imports.CheckNamespace(r.Context(), p.Namespace); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	release, ok := h.opts.Expensive.Acquire(p.Token)
	if !ok {
		e := httpapi.NewError(httpapi.CodeRateLimited, fmt.Sprintf(
			"this token already runs %d imports or streamed reads, the limit; retry when one has finished", h.opts.Expensive.Max()))
		e.RetryAfter = time.Second
		httpapi.WriteError(w, r, e)
		return
	}
	defer release()
	ctx, endHold, err := h.hold(r.Context(), p)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	defer endHold()
	if force {
		if _, err := h.imports.Clear(r.Context(), p.Namespace); err != nil {
			httpapi.WriteError(w, r, err)
			return
		}
	}
	// Authenticated and admitted: from here the import lives as long as data
	// keeps coming, each read and write moving the deadlines on.
	idle := h.opts.IdleTimeout
	// Reading before answering sends "100 Continue" to a client that asked
	// for it; answering first would tell it not to send the body at all.
	reader := &idleReader{r: r.Body, w: w, idle: idle, ctx: ctx}
	stop := context.AfterFunc(ctx, reader.interrupt)
	defer stop()
	body := bufio.NewReaderSize(reader, 64<<10)
	_, _ = body.Peek(1) // an error comes back to the loader's next read
	ev := &eventWriter{w: w, rc: rc, idle: idle}
	if ev.start() != nil {
		return
	}
	imported, err := load(ctx, p.Namespace, body, func(pr interchange.Progress) error {
		ev.send(progressEvent{Imported: pr.Imported, GPos: pr.GPos})
		return ev.err
	})
	var fail *failureEvent
	var f *interchange.Failure
	switch {
	case errors.Is(context.Cause(ctx), service.ErrNamespaceEnded):
		fail = &failureEvent{Code: httpapi.CodeNSNotFound, Message: "the namespace was deleted during the import; nothing after the last progress event was imported", Line: lineOf(err)}
	case errors.As(err, &f):
		fail = newFailureEvent(f)
	}
	switch {
	case fail != nil:
		info := httpapi.RequestInfoFrom(r.Context())
		info.SetErrorCode(fail.Code)
		if fail.Code == httpapi.CodeImportFailed {
			info.SetCause(fail.cause)
		}
		ev.send(fail)
		// Read the rest of the body (the client has its answer and may hang
		// up): a server that closes while the client still uploads makes
		// many clients report a broken connection instead of the response.
		if ev.err == nil {
			_, _ = io.Copy(io.Discard, body)
		}
	case err == nil:
		ev.send(Done{Done: true, Imported: imported, Elapsed: elapsed(time.Since(start))})
	}
	// Otherwise the client went away: there is nobody to tell.
	if ctx.Err() != nil {
		// The client stalled or left, the namespace was deleted or the server
		// drains: the rest of the body will not be read, so the connection
		// cannot serve another request. Close it rather than wait on it,
		// after giving back what the import held (the client may retry the
		// moment it sees the close).
		endHold()
		release()
		closeConn(rc)
	}
}

// closeConn closes the connection under rc once what was written is flushed.
// Only HTTP/1 connections can be taken over; others end with the handler.
func closeConn(rc *http.ResponseController) {
	_ = rc.Flush()
	if conn, _, err := rc.Hijack(); err == nil {
		_ = conn.Close()
	}
}

// idleReader moves the connection's deadlines on before every read of the
// body, so an import that keeps sending lives on and one that stalls for idle
// is cut off. When ctx ends (the namespace was deleted, the server drains) it
// interrupts a read waiting for the client at once.
type idleReader struct {
	r    io.Reader
	w    http.ResponseWriter
	idle time.Duration
	ctx  context.Context

	mu sync.Mutex // orders interrupt after any deadline a Read moved on
}

func (i *idleReader) Read(p []byte) (int, error) {
	i.mu.Lock()
	if i.ctx.Err() != nil {
		i.mu.Unlock()
		return 0, context.Cause(i.ctx)
	}
	httpapi.ExtendDeadlines(i.w, i.idle)
	i.mu.Unlock()
	return i.r.Read(p)
}

// interrupt makes a read blocked on the client return now.
func (i *idleReader) interrupt() {
	i.mu.Lock()
	defer i.mu.Unlock()
	_ = http.NewResponseController(i.w).SetReadDeadline(time.Now())
}

// hold binds the import to p's namespace registration.
func (h *Handler) hold(ctx context.Context, p service.Principal) (context.Context, func(), error) {
	if h.opts.Sessions == nil {
		return ctx, func() {}, nil
	}
	return h.opts.Sessions.Hold(ctx, p)
}

// lineOf is the line a load stopped at, 0 when it does not say.
func lineOf(err error) int64 {
	var f *interchange.Failure
	if errors.As(err, &f) {
		return f.Line
	}
	return 0
}

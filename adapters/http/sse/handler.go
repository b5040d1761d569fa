package sse

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/rpc"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// Gauge counts open subscriptions; a prometheus.Gauge satisfies it.
type Gauge interface {
	Inc()
	Dec()
}

// SessionHolder binds a subscription to the namespace registration its
// token was granted for; *service.Sessions implements it.
type SessionHolder interface {
	Hold(ctx context.Context, p service.Principal) (context.Context, func(), error)
}

// Deps are what the handler reads from and reports to.
type Deps struct {
	Streams    StreamReader    // required; *service.Streams
	Categories CategoryReader  // required; *service.Categories
	All        ports.AllReader // nil: all=true subscriptions are refused
	Notifier   ports.Notifier  // required
	Sessions   SessionHolder   // nil: subscriptions outlive a deleted namespace
	Groups     GroupResolver   // nil: group=NAME subscriptions are refused
	Gauge      Gauge           // nil: not counted
	Logger     *zap.Logger     // nil: no logs
}

// Handler serves GET /subscribe. It must run behind the RPC auth middleware
// (rpc.AuthMiddleware.WrapAllowQuery), which puts the principal in the
// request context; use Route. Safe for concurrent use.
type Handler struct {
	cfg   Config
	deps  Deps
	slots *httpapi.TokenLimiter
	log   *zap.Logger
}

// NewHandler validates cfg and deps and returns the handler.
func NewHandler(cfg Config, deps Deps) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	switch {
	case deps.Streams == nil:
		return nil, errors.New("sse: a stream reader is required")
	case deps.Categories == nil:
		return nil, errors.New("sse: a category reader is required")
	case deps.Notifier == nil:
		return nil, errors.New("sse: a notifier is required")
	}
	log := deps.Logger
	if log == nil {
		log = zap.NewNop()
	}
	return &Handler{cfg: cfg, deps: deps, slots: httpapi.NewTokenLimiter(cfg.MaxPerToken), log: log.Named("sse")}, nil
}

// ServeHTTP validates the request (answering failures in the RPC error
// envelope, before any event) and then streams pokes until the client leaves
// or the server drains.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := rpc.PrincipalFrom(r.Context())
	if !ok {
		rpc.WriteError(w, r, service.ErrAuthRequired)
		return
	}
	src, err := h.resolve(r, p.Namespace) // a stream, category, all or group subscription
	if err != nil {
		rpc.WriteError(w, r, err)
		return
	}
	release, ok := h.slots.Acquire(p.Token)
	if !ok {
		rpc.WriteError(w, r, rpc.NewError(rpc.CodeRateLimited,
			fmt.Sprintf("this token already holds %d subscriptions, the limit; close one first", h.cfg.MaxPerToken)))
		return
	}
	ctx, endHold, err := h.hold(r.Context(), p)
	if err != nil {
		release()
		rpc.WriteError(w, r, err)
		return
	}
	defer endHold()
	server.RequestInfoFrom(r.Context()).SetLongLived()
	server.KeepStreaming(w) // authenticated and valid: it may now live on
	h.gaugeAdd(1)
	defer func() {
		// The slot is free before the gauge drops, so whoever sees the
		// gauge fall can open a subscription again.
		release()
		h.gaugeAdd(-1)
	}()

	// Subscribe before reading anything, so a write that lands while the
	// backlog is read still wakes the subscription afterwards.
	signal, unsubscribe := h.deps.Notifier.Subscribe(p.Namespace)
	defer unsubscribe()

	out := newEventWriter(w, h.cfg.StallTimeout)
	stop := context.AfterFunc(r.Context(), out.close) // the client left, or the server drains
	defer stop()
	sub := &subscription{src: src, out: out, signal: signal, heartbeat: h.cfg.Heartbeat, pageSize: h.cfg.PageSize}
	err = sub.run(ctx)
	if errors.Is(context.Cause(ctx), service.ErrNamespaceEnded) {
		err = &readError{err: namespace.NotFoundError(p.Namespace + ": " + service.ErrNamespaceEnded.Error())}
	}
	h.finish(r, out, err)
}

// hold binds the subscription to p's namespace registration: its context
// ends when the namespace is deleted, on any node.
func (h *Handler) hold(ctx context.Context, p service.Principal) (context.Context, func(), error) {
	if h.deps.Sessions == nil {
		return ctx, func() {}, nil
	}
	return h.deps.Sessions.Hold(ctx, p)
}

// finish reports how a subscription ended: a failed store read is told to
// the client as an "error" event and logged; a failed write means the client
// is gone.
func (h *Handler) finish(r *http.Request, out *eventWriter, err error) {
	defer out.done()
	var rerr *readError
	if !errors.As(err, &rerr) {
		if err != nil && r.Context().Err() == nil {
			h.log.Debug("subscriber gone", zap.Error(err))
		}
		return
	}
	wire := rpc.ToError(rerr.err)
	info := server.RequestInfoFrom(r.Context())
	info.SetErrorCode(wire.Code)
	info.SetCause(rerr.err)
	if wire.Status >= 500 {
		h.log.Warn("subscription ended by a failed read", zap.String("code", wire.Code), zap.Error(rerr.err))
	} else {
		h.log.Info("subscription ended", zap.String("code", wire.Code), zap.Error(rerr.err))
	}
	if out.failure(wire.Code, wire.Message) == nil {
		_ = out.flush()
	}
}

func (h *Handler) gaugeAdd(delta int) {
	switch {
	case h.deps.Gauge == nil:
	case delta > 0:
		h.deps.Gauge.Inc()
	default:
		h.deps.Gauge.Dec()
	}
}

// source returns the reader that follows what req subscribes to.
func (h *Handler) source(ns string, req request) (source, error) {
	switch req.kind {
	case kindStream:
		return &streamSource{reader: h.deps.Streams, ns: ns, name: req.name, position: req.position, minGlobal: req.minGlobal}, nil
	case kindCategory:
		return &categorySource{reader: h.deps.Categories, head: h.deps.All, ns: ns, name: req.name, group: req.group, global: req.position}, nil
	default:
		if h.deps.All == nil {
			return nil, rpc.NewError(rpc.CodeInvalidRequest, "all=true is not supported by this storage backend")
		}
		return &allSource{reader: h.deps.All, ns: ns, global: req.position}, nil
	}
}

package sse

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
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

// Follower runs subscriptions; *service.Subscriptions implements it.
type Follower interface {
	// Check validates a selector before anything is sent.
	Check(sel service.Selector) error
	// Follow pokes out until ctx ends or a delivery (*service.OutputError)
	// or a read fails.
	Follow(ctx context.Context, ns string, sel service.Selector, out service.Output) error
}

// Deps are what the handler uses and reports to.
type Deps struct {
	Subscriptions Follower      // required
	Sessions      SessionHolder // nil: subscriptions outlive a deleted namespace
	Groups        GroupResolver // nil: group=NAME subscriptions are refused
	Gauge         Gauge         // nil: not counted
	Logger        *zap.Logger   // nil: no logs
}

// Handler serves GET /subscribe. It must run behind the auth middleware
// (httpapi.AuthMiddleware.WrapAllowQuery), which puts the principal in the
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
	if deps.Subscriptions == nil {
		return nil, errors.New("sse: a subscription service is required")
	}
	log := deps.Logger
	if log == nil {
		log = zap.NewNop()
	}
	return &Handler{cfg: cfg, deps: deps, slots: httpapi.NewTokenLimiter(cfg.MaxPerToken), log: log.Named("sse")}, nil
}

// ServeHTTP validates the request (answering failures in the RPC error
// envelope, before any event) and then streams pokes until the client leaves,
// the namespace is deleted or the server drains.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := httpapi.PrincipalFrom(r.Context())
	if !ok {
		httpapi.WriteError(w, r, service.ErrAuthRequired)
		return
	}
	sel, err := h.resolve(r, p.Namespace) // a stream, category, all or group subscription
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	if err := h.deps.Subscriptions.Check(sel); err != nil {
		if errors.Is(err, service.ErrNoAll) {
			err = httpapi.NewError(httpapi.CodeInvalidRequest, "all=true is not supported by this storage backend")
		}
		httpapi.WriteError(w, r, err)
		return
	}
	release, ok := h.slots.Acquire(p.Token)
	if !ok {
		httpapi.WriteError(w, r, httpapi.NewError(httpapi.CodeRateLimited,
			fmt.Sprintf("this token already holds %d subscriptions, the limit; close one first", h.cfg.MaxPerToken)))
		return
	}
	ctx, endHold, err := h.hold(r.Context(), p)
	if err != nil {
		release()
		httpapi.WriteError(w, r, err)
		return
	}
	defer endHold()
	httpapi.RequestInfoFrom(r.Context()).SetLongLived()
	httpapi.KeepStreaming(w) // authenticated and valid: it may now live on
	h.gaugeAdd(1)
	defer func() {
		// The slot is free before the gauge drops, so whoever sees the
		// gauge fall can open a subscription again.
		release()
		h.gaugeAdd(-1)
	}()

	out := newEventWriter(w, h.cfg.StallTimeout)
	stop := context.AfterFunc(r.Context(), out.close) // the client left, or the server drains
	defer stop()
	if err := out.start(); err != nil {
		out.done()
		return
	}
	err = h.deps.Subscriptions.Follow(ctx, p.Namespace, sel, out)
	if errors.Is(context.Cause(ctx), service.ErrNamespaceEnded) {
		err = namespace.NotFoundError(p.Namespace + ": " + service.ErrNamespaceEnded.Error())
	}
	h.finish(r, out, err)
}

// finish reports how a subscription ended: a failed store read (or the end
// of its namespace) is told to the client as an "error" event and logged; a
// failed delivery means the client is gone.
func (h *Handler) finish(r *http.Request, out *eventWriter, err error) {
	defer out.done()
	var gone *service.OutputError
	if err == nil || errors.As(err, &gone) {
		if err != nil && r.Context().Err() == nil {
			h.log.Debug("subscriber gone", zap.Error(err))
		}
		return
	}
	wire := httpapi.ToError(err)
	info := httpapi.RequestInfoFrom(r.Context())
	info.SetErrorCode(wire.Code)
	info.SetCause(err)
	if wire.Status >= 500 {
		h.log.Warn("subscription ended by a failed read", zap.String("code", wire.Code), zap.Error(err))
	} else {
		h.log.Info("subscription ended", zap.String("code", wire.Code), zap.Error(err))
	}
	if out.failure(wire.Code, wire.Message) == nil {
		_ = out.flush()
	}
}

// hold binds the subscription to p's namespace registration: its context
// ends when the namespace is deleted, on any node.
func (h *Handler) hold(ctx context.Context, p service.Principal) (context.Context, func(), error) {
	if h.deps.Sessions == nil {
		return ctx, func() {}, nil
	}
	return h.deps.Sessions.Hold(ctx, p)
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

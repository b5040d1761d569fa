package rpc

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
)

// Handler serves POST /rpc. It expects the auth middleware to have put a
// principal in the request context. It is safe for concurrent use.
type Handler struct {
	maxBody int64
	methods methodTable
	recheck Rechecker // nil: errors are answered as they are
}

// SetRechecker has the handler pass every method's error through rc before
// answering it.
func (h *Handler) SetRechecker(rc Rechecker) { h.recheck = rc }

// failure is what to answer for err, a failure serving p.
func (h *Handler) failure(r *http.Request, p service.Principal, err error) error {
	if h.recheck == nil {
		return err
	}
	return h.recheck.Recheck(r.Context(), p, err)
}

// NewHandler returns the /rpc handler for methods.
func NewHandler(cfg Config, methods []Method) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	table, err := newMethodTable(methods)
	if err != nil {
		return nil, err
	}
	return &Handler{maxBody: cfg.MaxBodyBytes, methods: table}, nil
}

// ServeHTTP parses the envelope, calls the method and writes its result.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := httpapi.PrincipalFrom(r.Context())
	if !ok {
		httpapi.WriteError(w, r, service.ErrAuthRequired)
		return
	}
	env, err := readEnvelope(w, r, h.maxBody)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	m, ok := h.methods[env.method]
	if !ok {
		httpapi.WriteError(w, r, httpapi.NewError(httpapi.CodeMethodNotFound, fmt.Sprintf("unknown method %q", env.method)))
		return
	}
	httpapi.RequestInfoFrom(r.Context()).SetMethod(m.Name)
	if err := m.checkArgCount(len(env.args)); err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	result, err := m.Handle(r.Context(), p, env.args)
	if err != nil {
		httpapi.WriteError(w, r, h.failure(r, p, err))
		return
	}
	switch v := result.(type) {
	case Streamed:
		writeStreamed(w, r, v, func(err error) error { return h.failure(r, p, err) })
	case json.RawMessage:
		writeBody(w, http.StatusOK, v)
	default:
		writeJSON(w, r, http.StatusOK, v)
	}
}

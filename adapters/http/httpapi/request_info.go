package httpapi

import (
	"context"
	"net/http"
	"sync"
)

// RequestInfo collects what handlers learn about a request (route, RPC
// method, namespace, error code and cause) and what the response was, so
// logging and metrics middleware can report it once the handler returns. The
// server puts one in every request's context (RecordRequests); all methods
// are safe for concurrent use and do nothing on a nil receiver, so handlers
// work without a server too.
type RequestInfo struct {
	mu        sync.Mutex
	route     string
	method    string
	namespace string
	errorCode string
	cause     error
	status    int
	bytes     int64
	longLived bool
}

// RequestSnapshot is a copy of a RequestInfo's fields.
type RequestSnapshot struct {
	Route     string // matched path template, "" when no route matched
	Method    string // RPC method, "" when not an RPC call or unknown
	Namespace string // namespace the request acted in, "" before authentication
	ErrorCode string // wire error code of a failed request
	Cause     error  // internal error behind a failure, for logs only
	Status    int    // HTTP status sent; 0 when nothing was written yet
	Bytes     int64  // response body bytes written
	LongLived bool   // a subscription or stream that lasts as long as its client wants
}

type requestInfoKey struct{}

// WithRequestInfo returns ctx carrying a new RequestInfo.
func WithRequestInfo(ctx context.Context) (context.Context, *RequestInfo) {
	info := &RequestInfo{}
	return context.WithValue(ctx, requestInfoKey{}, info), info
}

// RequestInfoFrom returns the RequestInfo in ctx, or nil.
func RequestInfoFrom(ctx context.Context) *RequestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*RequestInfo)
	return info
}

// SetRoute records the matched path template.
func (i *RequestInfo) SetRoute(route string) { i.set(func() { i.route = route }) }

// SetMethod records the RPC method being served.
func (i *RequestInfo) SetMethod(method string) { i.set(func() { i.method = method }) }

// SetNamespace records the namespace the request acts in.
func (i *RequestInfo) SetNamespace(ns string) { i.set(func() { i.namespace = ns }) }

// SetErrorCode records the wire error code of a failed request.
func (i *RequestInfo) SetErrorCode(code string) { i.set(func() { i.errorCode = code }) }

// SetCause records the internal error behind a failed request, so the request
// log can show what the client is not told.
func (i *RequestInfo) SetCause(err error) { i.set(func() { i.cause = err }) }

// SetLongLived marks a request that may last as long as its client wants (a
// subscription, an import), so its duration is no sign of a slow server.
func (i *RequestInfo) SetLongLived() { i.set(func() { i.longLived = true }) }

// Snapshot returns the collected fields.
func (i *RequestInfo) Snapshot() RequestSnapshot {
	if i == nil {
		return RequestSnapshot{}
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return RequestSnapshot{
		Route: i.route, Method: i.method, Namespace: i.namespace,
		ErrorCode: i.errorCode, Cause: i.cause, Status: i.status, Bytes: i.bytes,
		LongLived: i.longLived,
	}
}

func (i *RequestInfo) set(f func()) {
	if i == nil {
		return
	}
	i.mu.Lock()
	f()
	i.mu.Unlock()
}

// recordingWriter notes the status and size of a response in a RequestInfo.
// It unwraps for http.ResponseController and passes Flush through, so
// streaming handlers keep working.
type recordingWriter struct {
	http.ResponseWriter
	info *RequestInfo
}

func (w *recordingWriter) WriteHeader(status int) {
	w.info.set(func() {
		if w.info.status == 0 || w.info.status < 200 {
			w.info.status = status
		}
	})
	w.ResponseWriter.WriteHeader(status)
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.info.set(func() {
		if w.info.status == 0 {
			w.info.status = http.StatusOK
		}
		w.info.bytes += int64(n)
	})
	return n, err
}

func (w *recordingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// RecordRequests gives every request a RequestInfo and records its response
// there: the server wraps its whole handler with it.
func RecordRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, info := WithRequestInfo(r.Context())
		next.ServeHTTP(&recordingWriter{ResponseWriter: w, info: info}, r.WithContext(ctx))
	})
}

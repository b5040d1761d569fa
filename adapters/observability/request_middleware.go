package observability

import (
	"net/http"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/gorilla/mux"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// RequestLogConfig tunes request logs.
type RequestLogConfig struct {
	// SlowRequest is the duration above which a request is logged at warn
	// (subscriptions and imports excepted: they last as long as their client
	// wants); 0 turns the warning off. Default 1s.
	SlowRequest time.Duration
}

// DefaultRequestLogConfig warns about requests slower than a second.
func DefaultRequestLogConfig() RequestLogConfig { return RequestLogConfig{SlowRequest: time.Second} }

// NewRequestMiddleware logs every request once and records it in metrics
// (either may be nil). It reads what the handlers reported through the
// request's httpapi.RequestInfo, so it must run inside a server.Server.
//
// The log entry's message is the RPC method (or the route, or "unmatched"),
// with fields http_method, path, method, status, namespace, code, error and,
// last, duration in milliseconds. Levels follow what an operator must look
// at: a 4xx answer (a version conflict, a missing namespace, bad input) is an
// ordinary outcome, logged at info like a success; a request slower than
// cfg.SlowRequest is a warning; a 5xx answer or an aborted response is an
// error.
func NewRequestMiddleware(logger *zap.Logger, metrics *Metrics, cfg RequestLogConfig) mux.MiddlewareFunc {
	if logger == nil {
		logger = zap.NewNop()
	}
	logger = logger.Named("http")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			finished := false
			defer func() {
				aborted := !finished
				var p any
				if aborted {
					p = recover()
				}
				record(logger, metrics, cfg, r, time.Since(start), aborted)
				if p != nil {
					panic(p) // let net/http handle the abort as usual
				}
			}()
			next.ServeHTTP(w, r)
			finished = true
		})
	}
}

func record(logger *zap.Logger, metrics *Metrics, cfg RequestLogConfig, r *http.Request, d time.Duration, aborted bool) {
	info := httpapi.RequestInfoFrom(r.Context()).Snapshot()
	status := info.Status
	if status == 0 && !aborted {
		status = http.StatusOK // nothing written: net/http sends 200
	}
	failed := aborted || status >= 400
	label := methodLabel(info)
	metrics.ObserveRequest(label, !failed, d)

	level := zapcore.InfoLevel
	slow := cfg.SlowRequest > 0 && d > cfg.SlowRequest && !info.LongLived
	switch {
	case aborted || status >= 500:
		level = zapcore.ErrorLevel
	case slow:
		level = zapcore.WarnLevel
	}
	ce := logger.Check(level, label)
	if ce == nil {
		return
	}
	fields := make([]zap.Field, 0, 9)
	fields = append(fields,
		zap.String("http_method", r.Method),
		zap.String("path", r.URL.Path),
	)
	if info.Method != "" {
		fields = append(fields, zap.String("method", info.Method))
	}
	fields = append(fields, zap.Int("status", status))
	if info.Namespace != "" {
		fields = append(fields, zap.String("namespace", info.Namespace))
	}
	if info.ErrorCode != "" {
		fields = append(fields, zap.String("code", info.ErrorCode))
	}
	if info.Cause != nil {
		fields = append(fields, zap.Error(info.Cause))
	}
	if aborted {
		fields = append(fields, zap.Bool("aborted", true))
	}
	if slow {
		fields = append(fields, zap.Bool("slow", true))
	}
	fields = append(fields, zap.Float64("duration", float64(d)/float64(time.Millisecond)))
	ce.Write(fields...)
}

// methodLabel names a request for logs and metrics with a bounded set of
// values: the RPC method, else the route template, else "unmatched".
func methodLabel(info httpapi.RequestSnapshot) string {
	switch {
	case info.Method != "":
		return info.Method
	case info.Route != "":
		return info.Route
	default:
		return "unmatched"
	}
}

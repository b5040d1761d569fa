package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"time"
)

// RetryPolicy says how often and how patiently a call is repeated after a
// failure that may be temporary. Only calls that are safe to repeat are
// retried: reads (network failures; 502, 503 and 504 answers), writes whose
// messages all carry ids (see WithAutoIDs), the group calls whose repeat
// changes nothing more (CreateGroup, FetchGroup, AckGroup, ResetGroup), and
// any call whose connection could not even be opened. 4xx answers are never retried, except 429
// RATE_LIMITED when RateLimited is set.
type RetryPolicy struct {
	// MaxAttempts is the most attempts of one call, the first included; 1
	// or less turns retries off.
	MaxAttempts int
	// MinBackoff is the wait before the first retry; it doubles (with
	// jitter) for each further one, up to MaxBackoff.
	MinBackoff time.Duration
	// MaxBackoff bounds one wait.
	MaxBackoff time.Duration
	// RateLimited also retries 429 RATE_LIMITED answers, after the wait
	// their Retry-After header asks for (even beyond MaxBackoff). Off by
	// default: a rate limit is the operator's, and waiting it out is the
	// caller's decision.
	RateLimited bool
}

// DefaultRetryPolicy is what a client uses without WithRetry: 4 attempts,
// waits from 50 ms up to 2 s, no rate-limit retries.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, MinBackoff: 50 * time.Millisecond, MaxBackoff: 2 * time.Second}
}

// NoRetry makes every call a single attempt.
var NoRetry = RetryPolicy{MaxAttempts: 1}

// backoff is the wait before retry number n (1 for the first): the
// doubled MinBackoff, capped, with the upper half randomized so clients that
// failed together do not retry together.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.MinBackoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}

// retryWait decides whether attempt number attempt of a call, which failed
// with err, is repeated, and after how long. idempotent says whether the
// call may have had an effect that must not happen twice.
func (p RetryPolicy) retryWait(ctx context.Context, attempt int, idempotent bool, err error) (time.Duration, bool) {
	if attempt >= p.MaxAttempts || ctx.Err() != nil {
		return 0, false
	}
	var e *Error
	var bad *protocolError
	switch {
	case errors.As(err, &bad):
		return 0, false
	case errors.As(err, &e):
		switch {
		case e.Status == http.StatusTooManyRequests && p.RateLimited:
			// The rate limiter refuses before the call runs: safe for any call.
			if e.RetryAfter > 0 {
				return e.RetryAfter, true
			}
			return p.backoff(attempt), true
		case idempotent && (e.Status == http.StatusBadGateway || e.Status == http.StatusServiceUnavailable || e.Status == http.StatusGatewayTimeout):
			return p.backoff(attempt), true
		}
		return 0, false
	case idempotent || notSent(err):
		return p.backoff(attempt), true
	}
	return 0, false
}

// notSent reports whether err happened before the request could reach the
// server (no connection), so even a call with effects may be repeated.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

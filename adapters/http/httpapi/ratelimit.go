package httpapi

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimiter allows each token a sustained rate of requests with a burst.
// A nil *RateLimiter allows everything. It is safe for concurrent use.
type RateLimiter struct {
	limit rate.Limit
	burst int

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	calls    int
}

// sweepEvery is how many Allow calls pass between sweeps of idle limiters.
const sweepEvery = 4096

// NewRateLimiter returns a limiter of perSecond requests per token with the
// given burst (0: one second's worth), or nil when perSecond is 0 (off).
func NewRateLimiter(perSecond float64, burst int) *RateLimiter {
	if perSecond <= 0 {
		return nil
	}
	if burst <= 0 {
		burst = int(math.Max(1, math.Ceil(perSecond)))
	}
	return &RateLimiter{limit: rate.Limit(perSecond), burst: burst, limiters: map[string]*rate.Limiter{}}
}

// Allow reports whether token may make a request now and, when it may not,
// how long it should wait before it will be allowed one.
func (l *RateLimiter) Allow(token string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	lim, ok := l.limiters[token]
	if !ok {
		lim = rate.NewLimiter(l.limit, l.burst)
		l.limiters[token] = lim
	}
	l.calls++
	if l.calls >= sweepEvery {
		l.calls = 0
		l.sweep()
	}
	l.mu.Unlock()
	now := time.Now()
	res := lim.ReserveN(now, 1)
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now) // a refused request spends nothing
		return false, wait
	}
	return true, 0
}

// sweep drops limiters whose bucket has refilled: a new limiter starts full,
// so forgetting them changes nothing but the memory they hold.
func (l *RateLimiter) sweep() {
	for token, lim := range l.limiters {
		if lim.Tokens() >= float64(l.burst) {
			delete(l.limiters, token)
		}
	}
}

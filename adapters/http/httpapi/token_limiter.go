package httpapi

import "sync"

// TokenLimiter caps how many requests of one kind a token runs at once: a
// client that opens more than its share is refused (429) instead of holding
// the server's memory and connections. Safe for concurrent use; a nil
// *TokenLimiter allows everything.
type TokenLimiter struct {
	max int // 0: no limit

	mu   sync.Mutex
	held map[string]int // token -> requests running; absent when 0
}

// NewTokenLimiter returns a limiter of max concurrent requests per token
// (0: no limit).
func NewTokenLimiter(max int) *TokenLimiter {
	return &TokenLimiter{max: max, held: map[string]int{}}
}

// Max is the per-token limit, 0 when there is none.
func (l *TokenLimiter) Max() int {
	if l == nil {
		return 0
	}
	return l.max
}

// Acquire takes a slot for token and returns the function that gives it
// back (safe to call more than once), or reports false when token holds max
// slots already.
func (l *TokenLimiter) Acquire(token string) (release func(), ok bool) {
	if l == nil {
		return func() {}, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.held[token] >= l.max {
		return nil, false
	}
	l.held[token]++
	var once sync.Once
	return func() { once.Do(func() { l.release(token) }) }, true
}

func (l *TokenLimiter) release(token string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held[token] <= 1 {
		delete(l.held, token)
		return
	}
	l.held[token]--
}

// Held is how many slots token holds now.
func (l *TokenLimiter) Held(token string) int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.held[token]
}

// ExpensiveRequests caps, per token, the requests whose cost is set by the
// data rather than by the request: streamed reads (unlimited or larger than
// one page) and imports. Its own type, so it is wired apart from other
// limiters.
type ExpensiveRequests struct{ *TokenLimiter }

// NewExpensiveRequests returns the limiter of max such requests per token
// (0: no limit).
func NewExpensiveRequests(max int) ExpensiveRequests {
	return ExpensiveRequests{NewTokenLimiter(max)}
}

package sse

import "sync"

// slots counts the subscriptions each token holds, up to a maximum. Safe for
// concurrent use.
type slots struct {
	max int // 0: no limit

	mu   sync.Mutex
	held map[string]int // token -> open subscriptions; absent when 0
}

func newSlots(max int) *slots {
	return &slots{max: max, held: map[string]int{}}
}

// acquire takes a slot for token, or reports false when it holds max already.
func (s *slots) acquire(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.max > 0 && s.held[token] >= s.max {
		return false
	}
	s.held[token]++
	return true
}

// release gives back a slot acquire took.
func (s *slots) release(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held[token] <= 1 {
		delete(s.held, token)
		return
	}
	s.held[token]--
}

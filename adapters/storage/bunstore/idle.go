package bunstore

import (
	"time"

	"go.uber.org/zap"
)

// closeIdle closes, every half timeout, the namespaces nobody has used for
// timeout, until Close. A closed namespace opens again on its next request.
func (s *Store) closeIdle(timeout time.Duration) {
	tick := time.NewTicker(max(timeout/2, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-s.janitor:
			return
		case <-tick.C:
			for _, h := range s.takeIdle(timeout) {
				<-h.writer.done // it had nothing to do: no call held a reference
				if h.ns.Close != nil {
					if err := h.ns.Close(); err != nil {
						s.log.Warn("closing an idle namespace", zap.String("namespace", h.ns.ID), zap.Error(err))
					}
				}
			}
		}
	}
}

// takeIdle removes the handles unused for timeout from the open set and stops
// their writers. Under the write lock no call can take a new reference.
func (s *Store) takeIdle(timeout time.Duration) []*handle {
	cutoff := time.Now().Add(-timeout).UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	var idle []*handle
	for id, h := range s.open {
		if h.refs.Load() == 0 && h.lastUsed.Load() < cutoff {
			idle = append(idle, s.forget(id))
		}
	}
	return idle
}

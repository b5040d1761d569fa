package service

import (
	"context"
	"errors"
	"sync"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/ports"
)

// ErrNamespaceEnded ends a session whose namespace was deleted (perhaps
// re-created since: the session belonged to the registration that ended).
var ErrNamespaceEnded = errors.New("the namespace was deleted")

// Sessions binds long-lived requests (subscriptions, imports) to the
// namespace registration their token was granted for, and ends them when it
// ends. Safe for concurrent use.
type Sessions struct {
	registry ports.NamespaceRegistry

	mu   sync.Mutex
	open map[string]map[*session]struct{} // namespace -> sessions
}

type session struct {
	reg    namespace.Registration
	cancel context.CancelCauseFunc
}

// NewSessions returns a session tracker over registry.
func NewSessions(registry ports.NamespaceRegistry) *Sessions {
	return &Sessions{registry: registry, open: map[string]map[*session]struct{}{}}
}

// Hold returns a context for a long-lived request of p that ends, with cause
// ErrNamespaceEnded, when p's namespace registration ends on any node; and
// the function that ends the hold. It fails with ErrAuthInvalid when the
// registration has ended already.
func (s *Sessions) Hold(ctx context.Context, p Principal) (context.Context, func(), error) {
	ctx, cancel := context.WithCancelCause(ctx)
	sess := &session{reg: p.Registration, cancel: cancel}
	s.mu.Lock()
	if s.open[p.Namespace] == nil {
		s.open[p.Namespace] = map[*session]struct{}{}
	}
	s.open[p.Namespace][sess] = struct{}{}
	s.mu.Unlock()
	release := func() {
		s.drop(p.Namespace, sess)
		cancel(context.Canceled)
	}
	// Checked after registering: a delete between the authentication and
	// now would otherwise end nothing.
	current, err := s.current(ctx, p.Namespace)
	switch {
	case err != nil && !errors.Is(err, namespace.ErrNotFound):
		release()
		return nil, nil, err
	case err != nil || current != p.Registration:
		release()
		return nil, nil, ErrAuthInvalid
	}
	return ctx, release, nil
}

// End ends every session of namespace ns (it was deleted).
func (s *Sessions) End(ns string) {
	s.mu.Lock()
	sessions := s.open[ns]
	delete(s.open, ns)
	s.mu.Unlock()
	for sess := range sessions {
		sess.cancel(ErrNamespaceEnded)
	}
}

// Recheck ends the sessions whose registration is not current any more, for
// when namespace ends may have been missed.
func (s *Sessions) Recheck(ctx context.Context) error {
	s.mu.Lock()
	names := make([]string, 0, len(s.open))
	for ns := range s.open {
		names = append(names, ns)
	}
	s.mu.Unlock()
	var errs []error
	for _, ns := range names {
		current, err := s.current(ctx, ns)
		if err != nil && !errors.Is(err, namespace.ErrNotFound) {
			errs = append(errs, err)
			continue
		}
		s.mu.Lock()
		for sess := range s.open[ns] {
			if err != nil || sess.reg != current {
				delete(s.open[ns], sess)
				sess.cancel(ErrNamespaceEnded)
			}
		}
		if len(s.open[ns]) == 0 {
			delete(s.open, ns)
		}
		s.mu.Unlock()
	}
	return errors.Join(errs...)
}

// Held is how many sessions namespace ns holds.
func (s *Sessions) Held(ns string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.open[ns])
}

func (s *Sessions) current(ctx context.Context, ns string) (namespace.Registration, error) {
	rec, err := s.registry.Get(ctx, ns)
	if err != nil {
		return namespace.Registration{}, err
	}
	return rec.Registration(), nil
}

func (s *Sessions) drop(ns string, sess *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.open[ns], sess)
	if len(s.open[ns]) == 0 {
		delete(s.open, ns)
	}
}

package service

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
)

// ErrTooManyNamespaces refuses a test-mode token that would create a
// namespace beyond the configured cap.
var ErrTooManyNamespaces = errors.New("test mode holds its limit of namespaces created on first use")

// TestModeLimits bound the namespaces test mode creates on first use of a
// token, so a client cannot grow the server's memory without end.
type TestModeLimits struct {
	// MaxNamespaces is the most such namespaces at once; 0: no cap.
	MaxNamespaces int
	// IdleTTL deletes such a namespace unused for this long (ExpireIdle);
	// 0: never.
	IdleTTL time.Duration
}

// autoNamespaces tracks the namespaces test mode created and their last use.
type autoNamespaces struct {
	limits TestModeLimits
	mu     sync.Mutex
	used   map[string]time.Time
}

// SetTestModeLimits bounds the namespaces test mode creates on first use.
func (a *Auth) SetTestModeLimits(l TestModeLimits) {
	a.auto.mu.Lock()
	a.auto.limits = l
	a.auto.mu.Unlock()
}

// reserve admits creating one more namespace, or refuses beyond the cap.
func (t *autoNamespaces) reserve() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.limits.MaxNamespaces > 0 && len(t.used) >= t.limits.MaxNamespaces {
		return fmt.Errorf("%w (%d); unused ones are deleted after %s idle", ErrTooManyNamespaces, t.limits.MaxNamespaces, t.limits.IdleTTL)
	}
	return nil
}

// add records ns as created on first use, used at now.
func (t *autoNamespaces) add(ns string, now time.Time) {
	t.mu.Lock()
	t.used[ns] = now
	t.mu.Unlock()
}

// touch records a use of ns if test mode created it.
func (t *autoNamespaces) touch(ns string, now time.Time) {
	t.mu.Lock()
	if _, ok := t.used[ns]; ok {
		t.used[ns] = now
	}
	t.mu.Unlock()
}

func (t *autoNamespaces) remove(ns string) {
	t.mu.Lock()
	delete(t.used, ns)
	t.mu.Unlock()
}

// idle returns the namespaces unused since before cutoff, sorted.
func (t *autoNamespaces) idle(now time.Time) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.limits.IdleTTL <= 0 {
		return nil
	}
	var out []string
	for ns, at := range t.used {
		if now.Sub(at) >= t.limits.IdleTTL {
			out = append(out, ns)
		}
	}
	sort.Strings(out)
	return out
}

// ExpireIdle deletes the namespaces test mode created that went unused for
// the idle TTL, ending what their tokens were granted, and returns their ids.
// Call it now and then (the application does, every minute or sooner).
func (a *Auth) ExpireIdle(ctx context.Context) ([]string, error) {
	var done []string
	var errs []error
	for _, ns := range a.auto.idle(a.namespaces.clock.Now()) {
		_, err := a.namespaces.Delete(ctx, ns)
		if err != nil && !errors.Is(err, namespace.ErrNotFound) {
			errs = append(errs, err)
			continue
		}
		a.auto.remove(ns)
		a.Forget(ns)
		done = append(done, ns)
	}
	return done, errors.Join(errs...)
}

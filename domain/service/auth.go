package service

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/ports"
)

// Authentication and authorization failures.
var (
	ErrAuthRequired  = errors.New("a token is required: send Authorization: Bearer <token>")
	ErrAuthInvalid   = errors.New("the token is malformed or not known")
	ErrAuthForbidden = errors.New("the token is valid but not allowed to do this")
)

// Principal is who a request acts as: the namespace its token reaches, and
// the registration of that namespace the token was checked against.
type Principal struct {
	Namespace    string
	Token        string // the presented (or, in test mode, implied) token
	Registration namespace.Registration
}

// Admin reports whether the principal may manage namespaces.
func (p Principal) Admin() bool { return p.Namespace == namespace.Default }

// Auth turns tokens into principals, and ends what a token was granted when
// its namespace is deleted: cached checks are dropped and its sessions end.
type Auth struct {
	registry   ports.NamespaceRegistry
	namespaces *Namespaces
	sessions   *Sessions
	testMode   bool
	auto       autoNamespaces // test mode: namespaces created on first use

	mu           sync.Mutex
	defaultToken string              // known in test mode, where requests may omit tokens
	verified     map[string]verified // tokens checked against the registry lately
	epoch        uint64              // bumped by every Forget: a check begun before it is not cached
}

// verifiedTTL bounds how long a checked token is trusted without asking the
// registry again. Deletes drop cached checks at once on every node that hears
// of them (ports.NamespaceEvents); the TTL bounds the damage of one not heard.
const verifiedTTL = time.Second

type verified struct {
	namespace string
	reg       namespace.Registration
	until     time.Time
}

// NewAuth returns the authenticator. In test mode a missing token acts as the
// default namespace and a well-formed token of an unknown namespace creates it.
func NewAuth(registry ports.NamespaceRegistry, namespaces *Namespaces, testMode bool) *Auth {
	return &Auth{
		registry: registry, namespaces: namespaces, sessions: NewSessions(registry),
		testMode: testMode, verified: map[string]verified{}, auto: autoNamespaces{used: map[string]time.Time{}},
	}
}

// Sessions is the tracker that ends long-lived requests of deleted namespaces.
func (a *Auth) Sessions() *Sessions { return a.sessions }

// SetDefaultToken tells test mode which token stands for requests without one.
func (a *Auth) SetDefaultToken(token string) {
	a.mu.Lock()
	a.defaultToken = token
	a.mu.Unlock()
}

// Authenticate resolves a bearer token ("" when none was sent).
func (a *Auth) Authenticate(ctx context.Context, token string) (Principal, error) {
	if token == "" {
		if !a.testMode {
			return Principal{}, ErrAuthRequired
		}
		a.mu.Lock()
		token = a.defaultToken
		a.mu.Unlock()
		if token == "" {
			return Principal{Namespace: namespace.Default}, nil
		}
	}
	now := a.namespaces.clock.Now()
	a.mu.Lock()
	v, ok := a.verified[token]
	epoch := a.epoch
	a.mu.Unlock()
	if ok && now.Before(v.until) {
		if a.testMode {
			a.auto.touch(v.namespace, now)
		}
		return Principal{Namespace: v.namespace, Token: token, Registration: v.reg}, nil
	}
	ns, err := namespace.ParseToken(token)
	if err != nil {
		return Principal{}, ErrAuthInvalid
	}
	rec, err := a.registry.Get(ctx, ns)
	if errors.Is(err, namespace.ErrNotFound) && a.testMode {
		if err := a.auto.reserve(); err != nil {
			return Principal{}, err
		}
		_, err = a.namespaces.Create(ctx, ns, "", token)
		if err == nil {
			a.auto.add(ns, now)
		}
		if err == nil || errors.Is(err, namespace.ErrExists) {
			rec, err = a.registry.Get(ctx, ns)
		}
	} else if err == nil && a.testMode {
		a.auto.touch(ns, now)
	}
	if errors.Is(err, namespace.ErrNotFound) {
		return Principal{}, ErrAuthInvalid
	}
	if err != nil {
		return Principal{}, err
	}
	if !namespace.TokenMatches(token, rec.TokenHash) {
		return Principal{}, ErrAuthInvalid
	}
	reg := rec.Registration()
	a.mu.Lock()
	if a.epoch == epoch { // no delete was forgotten meanwhile: the check is current
		a.verified[token] = verified{namespace: ns, reg: reg, until: now.Add(verifiedTTL)}
	}
	a.mu.Unlock()
	return Principal{Namespace: ns, Token: token, Registration: reg}, nil
}

// Recheck is for a request of p that failed with err. When p's own
// namespace was not found, it may have been deleted since p's token was
// checked and cached (on another node, before this one heard of it): the
// registry decides, and a token whose registration is gone is refused with
// ErrAuthInvalid, as it would have been a moment later. Other errors pass.
func (a *Auth) Recheck(ctx context.Context, p Principal, err error) error {
	if p.Token == "" || p.Admin() || !errors.Is(err, namespace.ErrNotFound) {
		return err
	}
	rec, gerr := a.registry.Get(ctx, p.Namespace)
	if gerr == nil && rec.Registration() == p.Registration {
		return err // the namespace is there: the error is about something else
	}
	if gerr != nil && !errors.Is(gerr, namespace.ErrNotFound) {
		return err
	}
	a.mu.Lock()
	a.epoch++
	delete(a.verified, p.Token)
	a.mu.Unlock()
	return ErrAuthInvalid
}

// Forget ends what tokens of namespace id were granted on this node, after
// it was deleted: cached checks are dropped and its sessions end.
func (a *Auth) Forget(id string) {
	a.mu.Lock()
	a.epoch++
	for tok, v := range a.verified {
		if v.namespace == id {
			delete(a.verified, tok)
		}
	}
	a.mu.Unlock()
	a.auto.remove(id)
	a.sessions.End(id)
}

// forgetAll drops every cached check and rechecks every session, for when
// namespace deletes may have gone unheard.
func (a *Auth) forgetAll(ctx context.Context) error {
	a.mu.Lock()
	a.epoch++
	clear(a.verified)
	a.mu.Unlock()
	return a.sessions.Recheck(ctx)
}

// Follow applies the namespace deletes watch reports (from this node and
// every other one sharing the database) until ctx ends. Run it for the life
// of the server; errors rechecking sessions are handed to onError.
func (a *Auth) Follow(ctx context.Context, watch ports.EndedWatch, onError func(error)) {
	defer watch.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case <-watch.Ready():
		}
		ids, all := watch.Take()
		for _, id := range ids {
			a.Forget(id)
		}
		if all {
			if err := a.forgetAll(ctx); err != nil && onError != nil {
				onError(err)
			}
		}
	}
}

// RequireAdmin allows only the admin (default namespace) token.
func RequireAdmin(p Principal) error {
	if !p.Admin() {
		return ErrAuthForbidden
	}
	return nil
}

// RequireAccess allows the namespace's own token and the admin token.
func RequireAccess(p Principal, ns string) error {
	if p.Namespace != ns && !p.Admin() {
		return ErrAuthForbidden
	}
	return nil
}

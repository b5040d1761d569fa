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

// Principal is who a request acts as: the namespace its token reaches.
type Principal struct {
	Namespace string
	Token     string // the presented (or, in test mode, implied) token
}

// Admin reports whether the principal may manage namespaces.
func (p Principal) Admin() bool { return p.Namespace == namespace.Default }

// Auth turns tokens into principals.
type Auth struct {
	registry   ports.NamespaceRegistry
	namespaces *Namespaces
	testMode   bool

	mu           sync.Mutex
	defaultToken string              // known in test mode, where requests may omit tokens
	verified     map[string]verified // tokens checked against the registry lately
}

// verifiedTTL bounds how long a checked token is trusted without asking the
// registry again: another node sharing the database may delete or re-create
// its namespace, and this node must notice.
const verifiedTTL = 5 * time.Second

type verified struct {
	namespace string
	until     time.Time
}

// NewAuth returns the authenticator. In test mode a missing token acts as the
// default namespace and a well-formed token of an unknown namespace creates it.
func NewAuth(registry ports.NamespaceRegistry, namespaces *Namespaces, testMode bool) *Auth {
	return &Auth{registry: registry, namespaces: namespaces, testMode: testMode, verified: map[string]verified{}}
}

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
		defer a.mu.Unlock()
		return Principal{Namespace: namespace.Default, Token: a.defaultToken}, nil
	}
	now := a.namespaces.clock.Now()
	a.mu.Lock()
	v, ok := a.verified[token]
	a.mu.Unlock()
	if ok && now.Before(v.until) {
		return Principal{Namespace: v.namespace, Token: token}, nil
	}
	ns, err := namespace.ParseToken(token)
	if err != nil {
		return Principal{}, ErrAuthInvalid
	}
	rec, err := a.registry.Get(ctx, ns)
	if errors.Is(err, namespace.ErrNotFound) && a.testMode {
		if _, err = a.namespaces.Create(ctx, ns, "", token); err == nil || errors.Is(err, namespace.ErrExists) {
			rec, err = a.registry.Get(ctx, ns)
		}
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
	a.mu.Lock()
	a.verified[token] = verified{namespace: ns, until: now.Add(verifiedTTL)}
	a.mu.Unlock()
	return Principal{Namespace: ns, Token: token}, nil
}

// Forget drops cached verifications for namespace id, after it was deleted.
func (a *Auth) Forget(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for tok, v := range a.verified {
		if v.namespace == id {
			delete(a.verified, tok)
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

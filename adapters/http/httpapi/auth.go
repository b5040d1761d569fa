package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/eventodb/eventodb/domain/service"
)

// TokenHeader carries, in test mode, the token of the namespace that served
// the request, so clients learn the token of an auto-created namespace.
const TokenHeader = "X-EventoDB-Token"

// AuthMiddleware authenticates the bearer token of a request, rate-limits it
// per token and puts the principal in the request context (PrincipalFrom).
// Failures are answered in the error envelope (WriteError). Safe for concurrent use.
type AuthMiddleware struct {
	auth     Authenticator
	limiter  *RateLimiter
	testMode bool
}

// NewAuthMiddleware returns the middleware. limiter may be nil (no limit);
// testMode adds the TokenHeader to responses.
func NewAuthMiddleware(auth Authenticator, limiter *RateLimiter, testMode bool) (*AuthMiddleware, error) {
	if auth == nil {
		return nil, errors.New("httpapi: auth middleware needs an authenticator")
	}
	return &AuthMiddleware{auth: auth, limiter: limiter, testMode: testMode}, nil
}

// Wrap authenticates with the Authorization: Bearer header.
func (m *AuthMiddleware) Wrap(next http.Handler) http.Handler {
	return m.wrap(next, false)
}

// WrapAllowQuery also accepts a ?token= query parameter when the header is
// absent (EventSource clients cannot set headers).
func (m *AuthMiddleware) WrapAllowQuery(next http.Handler) http.Handler {
	return m.wrap(next, true)
}

func (m *AuthMiddleware) wrap(next http.Handler, allowQuery bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, err := requestToken(r, allowQuery)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		p, err := m.auth.Authenticate(r.Context(), token)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		RequestInfoFrom(r.Context()).SetNamespace(p.Namespace)
		if m.testMode && p.Token != "" {
			w.Header().Set(TokenHeader, p.Token)
		}
		if ok, wait := m.limiter.Allow(p.Token); !ok {
			e := NewError(CodeRateLimited, "too many requests for this token; retry after "+wait.Round(time.Millisecond).String())
			e.RetryAfter = wait
			WriteError(w, r, e)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

// Authenticator resolves a bearer token ("" when none was sent) to a
// principal, failing with service.ErrAuthRequired or service.ErrAuthInvalid;
// *service.Auth implements it. Safe for concurrent use.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (service.Principal, error)
}

var _ Authenticator = (*service.Auth)(nil)

// requestToken extracts the presented token: "" when there is none, an
// AUTH_INVALID error for an Authorization header that is not a bearer token.
func requestToken(r *http.Request, allowQuery bool) (string, error) {
	header := strings.TrimSpace(r.Header.Get("Authorization"))
	if header == "" {
		if allowQuery {
			return strings.TrimSpace(r.URL.Query().Get("token")), nil
		}
		return "", nil
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", NewError(CodeAuthInvalid, "the Authorization header must be: Bearer <token>")
	}
	return strings.TrimSpace(token), nil
}

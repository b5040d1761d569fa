package httpapi

import (
	"context"

	"github.com/eventodb/eventodb/domain/service"
)

type principalKey struct{}

// WithPrincipal returns ctx carrying the authenticated principal.
func WithPrincipal(ctx context.Context, p service.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal the auth middleware put in ctx.
func PrincipalFrom(ctx context.Context) (service.Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(service.Principal)
	return p, ok
}

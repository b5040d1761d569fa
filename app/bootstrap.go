package app

import (
	"context"
	"fmt"
	"io"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/domain/service"
)

// bootstrap makes sure the default namespace exists before the server takes
// requests. A generated admin token is printed once: only its hash is kept.
func bootstrap(ctx context.Context, cfg config.Config, ns *service.Namespaces, auth *service.Auth, log *zap.Logger, out io.Writer) error {
	token, err := ns.EnsureDefault(ctx, cfg.Token)
	if err != nil {
		return fmt.Errorf("prepare the default namespace: %w", err)
	}
	if cfg.TestMode {
		if token == "" {
			token = cfg.Token
		}
		auth.SetDefaultToken(token)
	}
	switch {
	case token == "":
		log.Info("default namespace ready; the admin token was set at its creation")
	case cfg.Token != "":
		log.Info("created the default namespace with the configured admin token")
	default:
		log.Info("created the default namespace with a generated admin token (printed once on stdout)")
		fmt.Fprintf(out, "\n"+
			"  EventoDB admin token (default namespace) — shown only this once:\n\n"+
			"      %s\n\n"+
			"  Save it now: the server keeps only its hash. Use it as\n"+
			"  Authorization: Bearer <token>, or set it with --token / EVENTODB_TOKEN.\n\n", token)
	}
	return nil
}

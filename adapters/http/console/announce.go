package console

import (
	"context"
	"net"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// URL is where a browser on this machine reaches the console of a server
// listening on addr ("[::]:8080" → http://localhost:8080/console/).
func URL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + Prefix + "/"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + Prefix + "/"
}

// announceParams are what announce needs; without a logger it says nothing.
type announceParams struct {
	fx.In

	Lifecycle fx.Lifecycle
	Server    httpapi.Listener
	Logger    *zap.Logger `optional:"true"`
}

// announce logs the console's address once the server listens, so the
// person who just started it knows where to point a browser.
func announce(p announceParams) {
	if p.Logger == nil {
		return
	}
	p.Lifecycle.Append(fx.Hook{OnStart: func(context.Context) error {
		p.Logger.Info("web console", zap.String("url", URL(p.Server.Addr())))
		return nil
	}})
}

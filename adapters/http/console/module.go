package console

import "go.uber.org/fx"

// Module serves the embedded console (into the server's "routes" group) and
// logs its address once the server listens. It needs the httpapi.Listener
// (server.Module provides it) and optionally a *zap.Logger; leaving the
// module out switches the console off.
var Module = fx.Module("http.console",
	fx.Provide(
		func() (*Handler, error) {
			fsys, err := Static()
			if err != nil {
				return nil, err
			}
			return New(fsys)
		},
		fx.Annotate(Routes, fx.ResultTags(`group:"routes,flatten"`)),
	),
	fx.Invoke(announce),
)

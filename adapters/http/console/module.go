package console

import "go.uber.org/fx"

// Module serves the embedded console (into the server's "routes" group). It
// needs nothing: leaving the module out switches the console off.
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
)

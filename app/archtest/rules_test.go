package archtest_test

import (
	"slices"
	"testing"

	"github.com/eventodb/eventodb/app/archtest"
)

const mod = "example.com/evento"

func TestCheckFindsWrongArrows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pkg     archtest.Package
		wantBad []string // imports reported, in order; none: clean
	}{
		{
			name: "domain value package importing std and another value package",
			pkg:  archtest.Package{ImportPath: mod + "/domain/namespace", Imports: []string{"errors", mod + "/domain/stream"}, Deps: []string{"errors", mod + "/domain/stream"}},
		},
		{
			name: "domain service importing ports",
			pkg:  archtest.Package{ImportPath: mod + "/domain/service", Imports: []string{"context", mod + "/ports"}},
		},
		{
			name:    "domain value package importing ports",
			pkg:     archtest.Package{ImportPath: mod + "/domain/stream", Imports: []string{mod + "/ports"}},
			wantBad: []string{mod + "/ports"},
		},
		{
			name:    "domain value package importing the service",
			pkg:     archtest.Package{ImportPath: mod + "/domain/partition", Imports: []string{mod + "/domain/service"}},
			wantBad: []string{mod + "/domain/service"},
		},
		{
			name: "domain importing a third-party module and an adapter",
			pkg: archtest.Package{ImportPath: mod + "/domain/service",
				Imports: []string{"github.com/google/uuid", mod + "/adapters/storage/sqlite"}},
			wantBad: []string{"github.com/google/uuid", mod + "/adapters/storage/sqlite"},
		},
		{
			name: "domain importing net/http directly breaks two rules",
			pkg: archtest.Package{ImportPath: mod + "/domain/service",
				Imports: []string{"net/http"}, Deps: []string{"net/http"}},
			wantBad: []string{"net/http"}, // net/http is std, so only the framework rule fires
		},
		{
			name:    "ports depending on database/sql through the standard library",
			pkg:     archtest.Package{ImportPath: mod + "/ports", Imports: []string{"context"}, Deps: []string{"context", "database/sql", "database/sql/driver"}},
			wantBad: []string{"database/sql", "database/sql/driver"},
		},
		{
			name:    "ports importing an adapter",
			pkg:     archtest.Package{ImportPath: mod + "/ports", Imports: []string{mod + "/adapters/http/rpc"}},
			wantBad: []string{mod + "/adapters/http/rpc"},
		},
		{
			name:    "domain depending on fx transitively",
			pkg:     archtest.Package{ImportPath: mod + "/domain/stream", Deps: []string{"go.uber.org/fx", "github.com/gorilla/mux", "github.com/uptrace/bun"}},
			wantBad: []string{"go.uber.org/fx", "github.com/gorilla/mux", "github.com/uptrace/bun"},
		},
		{
			name:    "adapter importing app and cmd",
			pkg:     archtest.Package{ImportPath: mod + "/adapters/observability", Imports: []string{mod + "/app/config", mod + "/cmd/eventodb"}},
			wantBad: []string{mod + "/app/config", mod + "/cmd/eventodb", mod + "/cmd/eventodb"},
		},
		{
			name:    "HTTP adapter importing a storage adapter",
			pkg:     archtest.Package{ImportPath: mod + "/adapters/http/rpc", Imports: []string{mod + "/adapters/http/httpapi", mod + "/adapters/storage/bunstore"}},
			wantBad: []string{mod + "/adapters/storage/bunstore", mod + "/adapters/storage/bunstore"},
		},
		{
			name: "adapters importing the shared packages",
			pkg: archtest.Package{ImportPath: mod + "/adapters/http/sse", Imports: []string{mod + "/adapters/http/httpapi",
				mod + "/domain/service", "go.uber.org/fx"}},
		},
		{
			name: "a command-line adapter importing httpapi for the wire's error codes",
			pkg:  archtest.Package{ImportPath: mod + "/adapters/cli/transfer", Imports: []string{mod + "/adapters/http/httpapi", mod + "/client"}},
		},
		{
			name:    "HTTP adapters importing one another",
			pkg:     archtest.Package{ImportPath: mod + "/adapters/http/sse", Imports: []string{mod + "/adapters/http/rpc", mod + "/adapters/http/server", mod + "/adapters/http/httpapi"}},
			wantBad: []string{mod + "/adapters/http/rpc", mod + "/adapters/http/server"},
		},
		{
			name:    "a command-line adapter importing an HTTP adapter",
			pkg:     archtest.Package{ImportPath: mod + "/adapters/cli/transfer", Imports: []string{mod + "/adapters/http/importer"}},
			wantBad: []string{mod + "/adapters/http/importer"},
		},
		{
			name: "SQL backends importing their engine",
			pkg:  archtest.Package{ImportPath: mod + "/adapters/storage/sqlite", Imports: []string{mod + "/adapters/storage/bunstore"}},
		},
		{
			name:    "another adapter importing the SQL engine",
			pkg:     archtest.Package{ImportPath: mod + "/adapters/observability", Imports: []string{mod + "/adapters/storage/bunstore"}},
			wantBad: []string{mod + "/adapters/storage/bunstore"},
		},
		{
			name: "a notifier importing the shared hub",
			pkg:  archtest.Package{ImportPath: mod + "/adapters/notify/pgnotify", Imports: []string{mod + "/adapters/notify/hub"}},
		},
		{
			name:    "a notifier importing another notifier",
			pkg:     archtest.Package{ImportPath: mod + "/adapters/notify/pgnotify", Imports: []string{mod + "/adapters/notify/local"}},
			wantBad: []string{mod + "/adapters/notify/local"},
		},
		{
			name: "a test helper importing the adapter it belongs to, and the adapter its subpackage",
			pkg: archtest.Package{ImportPath: mod + "/adapters/cli/messagedb/mdbtest", Imports: []string{mod + "/adapters/cli/messagedb",
				mod + "/adapters/cli/messagedb/mdbtest/internal"}},
		},
		{
			name:    "a package whose name merely starts like another adapter's",
			pkg:     archtest.Package{ImportPath: mod + "/adapters/http/rpcx", Imports: []string{mod + "/adapters/http/rpc"}},
			wantBad: []string{mod + "/adapters/http/rpc"},
		},
		{
			name:    "storage adapter importing an HTTP adapter",
			pkg:     archtest.Package{ImportPath: mod + "/adapters/storage/postgres", Imports: []string{mod + "/adapters/storage/bunstore", mod + "/adapters/http/sse"}},
			wantBad: []string{mod + "/adapters/http/sse", mod + "/adapters/http/sse"},
		},
		{
			name: "memory store depending on fx and the domain",
			pkg: archtest.Package{ImportPath: mod + "/adapters/storage/memory", Imports: []string{"go.uber.org/fx", mod + "/ports"},
				Deps: []string{"go.uber.org/fx", mod + "/ports", mod + "/domain/stream"}},
		},
		{
			name: "memory store depending on SQL through bunstore",
			pkg: archtest.Package{ImportPath: mod + "/adapters/storage/memory", Imports: []string{mod + "/adapters/storage/bunstore"},
				Deps: []string{mod + "/adapters/storage/bunstore", "database/sql", "github.com/uptrace/bun", "github.com/mattn/go-sqlite3"}},
			wantBad: []string{mod + "/adapters/storage/bunstore", mod + "/adapters/storage/bunstore", "database/sql", "github.com/uptrace/bun", "github.com/mattn/go-sqlite3"},
		},
		{
			name: "console importing fx and httpapi",
			pkg:  archtest.Package{ImportPath: mod + "/adapters/http/console", Imports: []string{"embed", "go.uber.org/fx", mod + "/adapters/http/httpapi"}},
		},
		{
			name: "console reaching into the RPC adapter and the domain",
			pkg:  archtest.Package{ImportPath: mod + "/adapters/http/console", Imports: []string{mod + "/adapters/http/rpc", mod + "/adapters/http/server", mod + "/domain/service"}},
			// rpc and server break both the console's rule and the siblings' one.
			wantBad: []string{mod + "/adapters/http/rpc", mod + "/adapters/http/server", mod + "/adapters/http/rpc", mod + "/adapters/http/server", mod + "/domain/service"},
		},
		{
			name: "app importing adapters, cmd importing app",
			pkg:  archtest.Package{ImportPath: mod + "/cmd/eventodb", Imports: []string{mod + "/app", mod + "/cmd/eventodb/internal"}},
		},
		{
			name:    "app importing cmd",
			pkg:     archtest.Package{ImportPath: mod + "/app", Imports: []string{mod + "/adapters/http/server", mod + "/cmd/eventodb"}},
			wantBad: []string{mod + "/cmd/eventodb"},
		},
		{
			name: "the client on the standard library and the domain",
			pkg: archtest.Package{ImportPath: mod + "/client", Imports: []string{"net/http", mod + "/domain/stream"},
				Deps: []string{"net/http", "vendor/golang.org/x/net/http2/hpack", mod + "/domain/stream"}},
		},
		{
			name: "the client depending on an adapter, app and a third-party module",
			pkg: archtest.Package{ImportPath: mod + "/client", Imports: []string{mod + "/adapters/http/rpc"},
				Deps: []string{mod + "/adapters/http/rpc", mod + "/app/config", "github.com/google/uuid", "github.com/spf13/cobra"}},
			wantBad: []string{mod + "/adapters/http/rpc", mod + "/app/config", "github.com/spf13/cobra"},
		},
		{
			name: "a package outside the module's layers is not constrained",
			pkg:  archtest.Package{ImportPath: "example.com/other/domain/stream", Imports: []string{"net/http", mod + "/ports"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, v := range archtest.Check([]archtest.Package{tt.pkg}, archtest.Rules(mod)) {
				got = append(got, v.Import)
				if v.Package != tt.pkg.ImportPath || v.Rule == "" || v.String() == "" {
					t.Errorf("malformed violation %+v", v)
				}
			}
			if !slices.Equal(got, tt.wantBad) {
				t.Errorf("violations %v, want %v", got, tt.wantBad)
			}
		})
	}
}

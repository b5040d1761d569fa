package rpc

import (
	"errors"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/ports"
)

// Deps are what the built-in methods need.
type Deps struct {
	Streams    StreamService
	Categories CategoryService
	Namespaces NamespaceService
	Tokens     TokenCache          // forgets a deleted namespace's tokens
	Health     ports.HealthChecker // sys.health
	Clock      ports.Clock         // deletedAt of ns.delete; nil: the wall clock
	Version    string              // sys.version
	// Expensive caps the streamed reads each token runs at once; the zero
	// value: no limit.
	Expensive httpapi.ExpensiveRequests
	// Groups serves the group.* methods (PROTOCOL.md §8); nil: none.
	Groups GroupService
}

// Methods returns the methods of PROTOCOL.md §2.
func Methods(d Deps) ([]Method, error) {
	if d.Streams == nil || d.Categories == nil || d.Namespaces == nil || d.Tokens == nil || d.Health == nil {
		return nil, errors.New("rpc: methods need the stream, category and namespace services, a token cache and a health checker")
	}
	if d.Clock == nil {
		d.Clock = systemClock{}
	}
	methods := []Method{
		streamWrite(d.Streams),
		streamGet(d.Streams, d.Expensive),
		streamLast(d.Streams),
		streamVersion(d.Streams),
		categoryGet(d.Categories, d.Expensive),
		nsCreate(d.Namespaces),
		nsDelete(d.Namespaces, d.Tokens, d.Clock),
		nsList(d.Namespaces),
		nsInfo(d.Namespaces),
		nsStreams(d.Namespaces),
		nsCategories(d.Namespaces),
		sysVersion(d.Version),
		sysHealth(d.Health),
	}
	if d.Groups != nil {
		methods = append(methods, groupMethods(d)...)
	}
	return methods, nil
}

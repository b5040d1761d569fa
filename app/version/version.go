// Package version holds the EventoDB release number reported by `eventodb
// version`, the sys.version RPC method and GET /version.
package version

// Version is the release this source tree builds. Release builds may stamp
// another value with
//
//	go build -ldflags "-X github.com/eventodb/eventodb/app/version.stamp=1.2.3" ./cmd/eventodb
const Version = "0.1.0"

// stamp is set by the linker (-ldflags -X) to override Version; a constant
// cannot be overridden that way, so this is the one package-level variable.
var stamp string

// Current returns the version this binary reports: the linker stamp when one
// was given, Version otherwise.
func Current() string {
	if stamp != "" {
		return stamp
	}
	return Version
}

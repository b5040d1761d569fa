// Package configs embeds the YAML configuration profiles of the EventoDB
// server, so `eventodb serve --config production` works without the source
// tree. The keys are those of app/config.Config; each file documents them.
package configs

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.yaml
var profiles embed.FS

// Names lists the embedded profiles, sorted: default, production, test.
func Names() []string {
	entries, err := fs.ReadDir(profiles, ".")
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
	}
	sort.Strings(names)
	return names
}

// Profile returns the YAML text of the named profile.
func Profile(name string) ([]byte, error) {
	b, err := profiles.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no configuration profile %q (profiles: %s)", name, strings.Join(Names(), ", "))
	}
	return b, nil
}

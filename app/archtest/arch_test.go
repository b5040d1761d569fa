package archtest_test

import (
	"strings"
	"testing"

	"github.com/eventodb/eventodb/app/archtest"
)

// TestModuleArrowsPointInward checks the real module.
func TestModuleArrowsPointInward(t *testing.T) {
	t.Parallel()
	module, pkgs, err := archtest.Load(".")
	if err != nil {
		t.Fatal(err)
	}
	// Guard against a vacuous pass: the core packages must have been seen.
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[strings.TrimPrefix(p.ImportPath, module+"/")] = true
	}
	for _, rel := range []string{"domain/stream", "domain/service", "ports", "adapters/storage/memory", "app/archtest", "client"} {
		if !seen[rel] {
			t.Fatalf("go list did not report %s/%s; listed %d packages", module, rel, len(pkgs))
		}
	}
	for _, v := range archtest.Check(pkgs, archtest.Rules(module)) {
		t.Errorf("%s", strings.ReplaceAll(v.String(), module+"/", ""))
	}
}

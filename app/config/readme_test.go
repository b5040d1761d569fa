package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/app/config"
)

// TestREADMEDocumentsEveryKey keeps the README's configuration tables in step
// with Config.
func TestREADMEDocumentsEveryKey(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range config.Keys() {
		if !strings.Contains(string(readme), "`"+config.EnvVar(key)+"`") {
			t.Errorf("README.md does not document %s (key %s)", config.EnvVar(key), key)
		}
	}
}

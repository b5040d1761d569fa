package consoletest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// The console is on by default and gone when the configuration says
// console: false; the rest of the server is the same either way.
func TestConsoleSwitch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		console bool
		want    int
	}{
		{"on by default", config.Default().Console, http.StatusOK},
		{"off", false, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.TestMode = true
			cfg.Console = tt.console
			srv := apptest.Start(t, cfg)
			for _, path := range []string{"/console", "/console/", "/console/js/main.js"} {
				resp, err := http.Get(srv.URL + path) // follows /console → /console/
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.want {
					t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, tt.want)
				}
				if tt.want == http.StatusOK && !strings.Contains(string(body), "import") && !strings.Contains(string(body), "<!doctype html>") {
					t.Errorf("GET %s served %.80q", path, body)
				}
			}
			resp, err := http.Get(srv.URL + "/health")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET /health = %d with the console %v", resp.StatusCode, tt.console)
			}
		})
	}
}

package archtest_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// notForImporters are module path prefixes that a program importing this
// module must not get in its module graph: the development tools (Task,
// staticcheck) and what they drag in (cloud SDKs, telemetry, terminal UIs).
// They belong to tools/go.mod.
var notForImporters = []string{
	"github.com/go-task/",
	"honnef.co/go/tools",
	"github.com/aws/",
	"cloud.google.com/",
	"google.golang.org/api",
	"github.com/GoogleCloudPlatform/",
	"go.opentelemetry.io/",
	"github.com/hashicorp/",
	"charm.land/",
	"github.com/charmbracelet/",
	"mvdan.cc/sh/",
}

// maxImporterModules bounds the module graph of a program importing this
// module (`go list -m all` in it, the program's own module included).
const maxImporterModules = 100

// TestImporterModule is the promise to other Go programs: a separate module
// that imports the client, the domain services and the memory store (the
// program in testdata/importer) has a small module graph, builds without
// cgo, and works: it writes, reads and subscribes through the client against
// a running server, and uses the domain services with no server at all.
//
// It runs from the module cache where it can: the scratch module's packages
// come from this module's dependencies, already there once this module's
// tests are built; only a few go.mod files of versions this module's graph
// does not select may have to be downloaded once. Without a network to
// download them from, the test is skipped, saying so.
func TestImporterModule(t *testing.T) {
	t.Parallel()
	root := goOut(t, ".", "list", "-m", "-f", "{{.Dir}}")
	var mod struct {
		Module struct{ Path string }
		Go     string
		Tool   []struct{ Path string }
	}
	if err := json.Unmarshal([]byte(goOut(t, root, "mod", "edit", "-json")), &mod); err != nil {
		t.Fatal(err)
	}
	for _, tool := range mod.Tool {
		t.Errorf("go.mod has the tool %s: development tools belong to tools/go.mod, out of importers' module graphs", tool.Path)
	}

	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("testdata", "importer", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	goMod := "module example.com/importer\n\ngo " + mod.Go + "\n\n" +
		"require " + mod.Module.Path + " v0.0.0\n\n" +
		"replace " + mod.Module.Path + " => " + root + "\n"
	for name, data := range map[string][]byte{"go.mod": []byte(goMod), "go.sum": sum, "main.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"GOFLAGS=-mod=mod", "GOWORK=off", "CGO_ENABLED=0"}
	bin := filepath.Join(dir, "importer")
	goModule(t, dir, env, "build", "-o", bin, ".")
	modules := strings.Fields(goModule(t, dir, env, "list", "-m", "-f", "{{.Path}}", "all"))
	for _, m := range modules {
		for _, bad := range notForImporters {
			if strings.HasPrefix(m, bad) {
				t.Errorf("the importer's module graph holds %s: a development tool's dependency leaked into %s's requirements", m, mod.Module.Path)
			}
		}
	}
	// It was 173 modules while go.mod required the tools, 57 without them.
	if len(modules) > maxImporterModules {
		t.Errorf("the importer's module graph holds %d modules, more than %d: keep what only development or tests need out of go.mod", len(modules), maxImporterModules)
	}
	t.Logf("the importer's module graph: %d modules", len(modules))

	cfg := config.Default()
	cfg.TestMode = true
	srv := apptest.Start(t, cfg)
	cmd := exec.Command(bin, srv.URL)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the importer program: %v\n%s%s", err, out, stderr.String())
	}
	want := `client wrote at position 0
client read 0 Opened {"owner":"Ada"}
client poked account-1 0
service read 0 Opened {"owner":"Ada"}
`
	if string(out) != want {
		t.Errorf("the importer program printed\n%s\nwant\n%s", out, want)
	}
}

// goModule runs the go command in the scratch module and returns its
// standard output: from the module cache alone first, then, when that lacks
// something (a go.mod of a version this module's graph does not select),
// through the configured GOPROXY. Without a network it skips the test.
func goModule(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	out, errOut, err := goRun(dir, append(env, "GOPROXY=off"), args...)
	if err == nil {
		return out
	}
	if strings.Contains(errOut, "GOPROXY=off") {
		out, errOut, err = goRun(dir, env, args...)
		if err == nil {
			return out
		}
		if offline(errOut) {
			t.Skipf("go %s needs modules missing from the module cache, and none can be downloaded:\n%s", strings.Join(args, " "), errOut)
		}
	}
	t.Fatalf("go %s in the importer module: %v\n%s", strings.Join(args, " "), err, errOut)
	return ""
}

// offline reports whether the go command's errors say it could not reach
// the module proxy.
func offline(errOut string) bool {
	for _, s := range []string{"GOPROXY=off", "dial tcp", "no such host", "connection refused", "network is unreachable",
		"i/o timeout", "proxyconnect", "TLS handshake timeout", "server misbehaving"} {
		if strings.Contains(errOut, s) {
			return true
		}
	}
	return false
}

// goRun runs the go command in dir with extra environment variables.
func goRun(dir string, env []string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), errBuf.String(), err
}

// goOut runs the go command in dir and returns its standard output; it fails
// the test when the command fails.
func goOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut, err := goRun(dir, nil, args...)
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

package main

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/cli/messagedb/mdbtest"
	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/domain/namespace"
)

// Straight into an EventoDB PostgreSQL database, only some categories; then
// out into another schema of a fresh database, whose sequence continues.
func TestMessageDBImportIntoDatabaseByCategory(t *testing.T) {
	t.Parallel()
	srcURL, src := messageDB(t, 20_000)
	dbURL := mdbtest.Database(t, config.TestPostgresURL())
	pg, err := postgres.Open(postgres.Config{URL: dbURL, MaxConns: 4}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if err := pg.Create(context.Background(), namespace.Record{ID: "shop", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "import", "--from-message-db", srcURL, "--db-url", dbURL, "--namespace", "shop",
		"--categories", "account, user:command")
	where := "message_store.category(stream_name) IN ('account', 'user:command')"
	want := mdbtest.Rows(t, src, mdb, where)
	wantLine := fmt.Sprintf("read %d rows, imported %d messages (global positions %d to %d)",
		len(want), len(want), want[0].GlobalPosition, want[len(want)-1].GlobalPosition)
	if code != exitOK || stdout != "" || !strings.HasPrefix(stderr, wantLine) {
		t.Fatalf("import: exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, wantLine)
	}
	got, _ := everything(t, pg, "shop")
	if len(got) != len(want) {
		t.Fatalf("%d messages, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if g.ID != w.ID || g.Stream != w.Stream || g.Type != w.Type || g.Position != w.Position ||
			g.GlobalPosition != w.GlobalPosition || !g.Time.Equal(w.Time) || !sameJSONValue(t, g.Data, w.Data) ||
			!sameJSONValue(t, g.Metadata, w.Metadata) {
			t.Fatalf("message %d = %+v, want %+v", i, g, w)
		}
	}

	outURL := mdbtest.Database(t, config.TestPostgresURL())
	code, _, stderr = run(t, "export", "--db-url", dbURL, "--namespace", "shop", "--to-message-db", outURL, "--schema", "copy")
	if code != exitOK {
		t.Fatalf("export: exit %d, stderr %q", code, stderr)
	}
	out := mdbtest.Connect(t, outURL)
	sameTables(t, src, where, out, "copy", "true")
	next := mdbtest.GlobalPositions(t, out, `INSERT INTO copy.messages (position, stream_name, type, data)
		VALUES (0, 'new-1', 'T', '{}') RETURNING global_position`)
	if next[0] != want[len(want)-1].GlobalPosition+1 {
		t.Fatalf("Message DB's next write takes global position %d, want %d", next[0], want[len(want)-1].GlobalPosition+1)
	}
	// Again into the same table: every position is taken, nothing is written.
	code, _, stderr = run(t, "export", "--db-url", dbURL, "--namespace", "shop", "--to-message-db", outURL, "--schema", "copy")
	if code != exitFailed || !strings.Contains(stderr, "already holds a message this export would write") {
		t.Fatalf("second export: exit %d, stderr %q", code, stderr)
	}
}

// sameJSONValue compares stored JSON with a source jsonb text as values.
func sameJSONValue(t *testing.T, got, want []byte) bool {
	t.Helper()
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	var g, w any
	if unmarshalNumber(got, &g) != nil || unmarshalNumber(want, &w) != nil {
		return false
	}
	return reflect.DeepEqual(g, w)
}

func TestMessageDBUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"schema without source", []string{"import", "--schema", "x"}, exitUsage, "--schema needs --from-message-db"},
		{"skip-invalid without source", []string{"import", "--skip-invalid"}, exitUsage, "--skip-invalid needs --from-message-db"},
		{"json without source", []string{"import", "--json"}, exitUsage, "--json needs --from-message-db"},
		{"input and source", []string{"import", "--from-message-db", "postgres://x/y", "--input", "f"}, exitUsage, "--input and --from-message-db exclude each other"},
		{"negative from-gpos", []string{"import", "--from-message-db", "postgres://x/y", "--from-gpos", "-3"}, exitUsage, "--from-gpos must not be negative"},
		{"output and target", []string{"export", "--to-message-db", "postgres://x/y", "--output", "f"}, exitUsage, "--output and --to-message-db exclude each other"},
		{"schema without target", []string{"export", "--schema", "x"}, exitUsage, "--schema needs --to-message-db"},
		{"unreachable source", []string{"import", "--from-message-db", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2",
			"--url", "http://127.0.0.1:1", "--token", "t"}, exitFailed, "--from-message-db:"},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit %d and %q", tt.name, code, stderr, stdout, tt.code, tt.stderr)
		}
	}
	_, help, _ := run(t, "import", "--help")
	_, exportHelp, _ := run(t, "export", "--help")
	if !strings.Contains(help, "Coming from Message DB") || !strings.Contains(help, "--from-message-db url") ||
		!strings.Contains(exportHelp, "--to-message-db url") {
		t.Fatalf("help lacks the Message DB flags:\n%s\n%s", help, exportHelp)
	}
}

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/domain/namespace"
)

// export --gzip writes gzip that import reads back, with --gzip or by its
// magic bytes, through servers and on databases.
func TestGzipBackupRoundTrip(t *testing.T) {
	t.Parallel()
	from, to := t.TempDir(), t.TempDir()
	src := openData(t, from, "shop")
	populate(t, src, "shop")
	wantMsgs, wantStreams := everything(t, src, "shop")
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "shop.ndjson.gz")
	mustRun(t, "export", "--data-dir", from, "--namespace", "shop", "--gzip", "--output", file)
	plain := gunzip(t, file)
	if n := bytes.Count(plain, []byte("\n")); n != len(wantMsgs) {
		t.Fatalf("the gzip export holds %d lines, want %d", n, len(wantMsgs))
	}

	for _, flags := range [][]string{{"--gzip"}, nil} { // nil: recognised by its magic bytes
		dir := t.TempDir()
		if err := openData(t, dir, "shop").Close(); err != nil {
			t.Fatal(err)
		}
		mustRun(t, append([]string{"import", "--data-dir", dir, "--namespace", "shop", "--input", file}, flags...)...)
		dst := openData(t, dir, "shop")
		gotMsgs, gotStreams := everything(t, dst, "shop")
		_ = dst.Close()
		sameHistory(t, gotMsgs, wantMsgs, gotStreams, wantStreams)
	}

	// Through two servers, the file on stdin.
	fromURL, fromToken, remote := testServer(t)
	populate(t, remote, "tenant")
	want, wantS := everything(t, remote, "tenant")
	out := mustRun(t, "export", "--url", fromURL, "--token", fromToken, "--gzip")
	toURL, toToken, dst := testServer(t)
	var stdout, stderr bytes.Buffer
	cmd := newRootCmd()
	cmd.SetArgs([]string{"import", "--url", toURL, "--token", toToken, "--gzip"})
	cmd.SetIn(strings.NewReader(out))
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("import from stdin: %v (%s)", err, stderr.String())
	}
	got, gotS := everything(t, dst, "tenant")
	sameHistory(t, got, want, gotS, wantS)

	// Plain input with --gzip is refused before anything is imported.
	plainFile := filepath.Join(t.TempDir(), "plain.ndjson")
	if err := os.WriteFile(plainFile, plain, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errText := run(t, "import", "--data-dir", to, "--namespace", "shop", "--gzip", "--input", plainFile)
	if code != exitFailed || !strings.Contains(errText, "not gzip") {
		t.Fatalf("plain input with --gzip: exit %d, stderr %q", code, errText)
	}
}

// SQLite and PostgreSQL exchange gzip backups both ways.
func TestGzipBackupAcrossBackends(t *testing.T) {
	t.Parallel()
	pgURL := os.Getenv("EVENTODB_TEST_PG_URL")
	if pgURL == "" {
		t.Skip("EVENTODB_TEST_PG_URL is not set: skipping the SQLite ⇄ PostgreSQL backup test")
	}
	dir := t.TempDir()
	src := openData(t, dir, "shop")
	populate(t, src, "shop")
	wantMsgs, wantStreams := everything(t, src, "shop")
	_ = src.Close()

	pg, err := postgres.Open(postgres.Config{URL: pgURL, MaxConns: 4}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	ns := "bk" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	if err := pg.Create(context.Background(), namespace.Record{ID: ns, TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = pg.Delete(context.Background(), ns) })

	toPG := filepath.Join(t.TempDir(), "sqlite.ndjson.gz")
	mustRun(t, "export", "--data-dir", dir, "--namespace", "shop", "--gzip", "--output", toPG)
	mustRun(t, "import", "--db-url", pgURL, "--namespace", ns, "--input", toPG)
	gotMsgs, gotStreams := everything(t, pg, ns)
	sameHistory(t, gotMsgs, wantMsgs, gotStreams, wantStreams)

	back := t.TempDir()
	if err := openData(t, back, "shop").Close(); err != nil {
		t.Fatal(err)
	}
	toSQLite := filepath.Join(t.TempDir(), "pg.ndjson.gz")
	mustRun(t, "export", "--db-url", pgURL, "--namespace", ns, "--gzip", "--output", toSQLite)
	mustRun(t, "import", "--data-dir", back, "--namespace", "shop", "--gzip", "--input", toSQLite)
	dst := openData(t, back, "shop")
	defer dst.Close()
	gotMsgs, gotStreams = everything(t, dst, "shop")
	sameHistory(t, gotMsgs, wantMsgs, gotStreams, wantStreams)
}

// import --force empties the namespace first; without a terminal to ask on
// it needs --yes, and without it nothing changes.
func TestImportForce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openData(t, dir, "shop")
	populate(t, s, "shop")
	before, _ := everything(t, s, "shop")
	_ = s.Close()
	backup := filepath.Join(t.TempDir(), "small.ndjson")
	if err := os.WriteFile(backup, []byte(strings.Join([]string{
		`{"id":"00000000-0000-4000-8000-000000000001","stream":"restored-1","type":"T","pos":0,"gpos":1,"data":{},"meta":null,"time":"2026-01-15T10:30:00Z"}`,
		`{"id":"00000000-0000-4000-8000-000000000002","stream":"restored-1","type":"T","pos":1,"gpos":2,"data":{},"meta":null,"time":"2026-01-15T10:30:01Z"}`,
	}, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// stdin here is not a terminal: refused, nothing changed.
	code, _, stderr := run(t, "import", "--data-dir", dir, "--namespace", "shop", "--force", "--input", backup)
	if code == exitOK || !strings.Contains(stderr, "confirm with --yes") {
		t.Fatalf("--force without --yes: exit %d, stderr %q; want a refusal asking for --yes", code, stderr)
	}
	s = openData(t, dir, "shop")
	after, _ := everything(t, s, "shop")
	_ = s.Close()
	if len(after) != len(before) {
		t.Fatalf("a refused --force changed the namespace: %d messages, want %d", len(after), len(before))
	}
	if code, _, stderr := run(t, "import", "--data-dir", dir, "--namespace", "shop", "--yes", "--input", backup); code != exitUsage || !strings.Contains(stderr, "--yes only confirms --force") {
		t.Fatalf("--yes alone: exit %d, stderr %q", code, stderr)
	}

	mustRun(t, "import", "--data-dir", dir, "--namespace", "shop", "--force", "--yes", "--input", backup)
	s = openData(t, dir, "shop")
	after, _ = everything(t, s, "shop")
	_ = s.Close()
	if len(after) != 2 || after[0].Stream != "restored-1" || after[1].GlobalPosition != 2 {
		t.Fatalf("after --force --yes the namespace holds %+v, want only the backup", after)
	}

	// Through a server: the same, with POST /import?force=true.
	url, token, remote := testServer(t)
	populate(t, remote, "tenant")
	code, _, stderr = run(t, "import", "--url", url, "--token", token, "--force", "--input", backup)
	if code == exitOK || !strings.Contains(stderr, `namespace "tenant"`) {
		t.Fatalf("--force through a server without --yes: exit %d, stderr %q", code, stderr)
	}
	mustRun(t, "import", "--url", url, "--token", token, "--force", "-y", "--input", backup)
	got, _ := everything(t, remote, "tenant")
	if len(got) != 2 || got[0].Stream != "restored-1" {
		t.Fatalf("after a forced import through the server the namespace holds %d messages, want the backup's 2", len(got))
	}
}

// NDJSON moves both ways between this server and the existing EventoDB
// server: a file in its format (times in whole seconds, keys sorted, meta
// null) imports with every field, and this server's export has exactly its
// field set, in a time format its importer parses (RFC 3339).
func TestExistingServerNDJSON(t *testing.T) {
	t.Parallel()
	url, token, store := testServer(t)
	mustRun(t, "import", "--url", url, "--token", token, "--input", filepath.Join("testdata", "existing-server-export.ndjson"))
	got, _ := everything(t, store, "tenant")
	want := []struct {
		id, stream, typ string
		pos, gpos       int64
		data, meta      string
		at              time.Time
	}{
		{"2f1b6a0e-8c3d-4e5f-9a1b-0c2d3e4f5a6b", "account-123", "Deposited", 0, 1, `{"amount":100,"currency":"EUR"}`, "", time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)},
		{"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", "account-123", "Withdrawn", 1, 2, `{"amount":40}`, `{"correlationStreamName":"transfer-9","userId":"u-1"}`, time.Date(2026, 1, 15, 10, 30, 1, 0, time.UTC)},
		{"c0ffee00-0000-4000-8000-000000000005", "account-456+retry", "Opened", 0, 5, `{"name":"Ada Lovelace","tags":["a","b"],"nested":{"k":true}}`, "", time.Date(2026, 1, 16, 0, 0, 0, 0, time.UTC)},
		{"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "transfer-9", "Requested", 0, 9, `{}`, `{"note":"ünïcode ✓"}`, time.Date(2026, 2, 1, 23, 59, 59, 0, time.UTC)},
	}
	if len(got) != len(want) {
		t.Fatalf("imported %d messages, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.id || g.Stream != w.stream || g.Type != w.typ || g.Position != w.pos || g.GlobalPosition != w.gpos ||
			!g.Time.Equal(w.at) || !jsonSame(g.Data, w.data) || !jsonSame(g.Metadata, w.meta) {
			t.Fatalf("message %d = %+v (data %s, meta %s), want %+v", i, g, g.Data, g.Metadata, w)
		}
	}
	if v, err := store.Version(context.Background(), "tenant", "account-123"); err != nil || v != 1 {
		t.Fatalf("account-123 version = %d, %v; want 1", v, err)
	}

	// The export, read as the existing server's importer reads it.
	out := mustRun(t, "export", "--url", url, "--token", token)
	sc := bufio.NewScanner(strings.NewReader(out))
	lines := 0
	for sc.Scan() {
		lines++
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &keys); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		if len(keys) != 8 {
			t.Fatalf("line %d has keys %v, want exactly id, stream, type, pos, gpos, data, meta, time", lines, keys)
		}
		var rec struct {
			ID     string         `json:"id"`
			Stream string         `json:"stream"`
			Type   string         `json:"type"`
			Pos    int64          `json:"pos"`
			GPos   int64          `json:"gpos"`
			Data   map[string]any `json:"data"`
			Meta   map[string]any `json:"meta"`
			Time   string         `json:"time"`
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			t.Fatalf("line %d does not decode into the existing record: %v", lines, err)
		}
		if _, err := time.Parse(time.RFC3339, rec.Time); err != nil || rec.ID == "" || rec.Data == nil {
			t.Fatalf("line %d: %+v (time parse %v)", lines, rec, err)
		}
	}
	if lines != len(want) {
		t.Fatalf("export has %d lines, want %d", lines, len(want))
	}
}

func gunzip(t *testing.T, file string) []byte {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s is not gzip: %v", file, err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// jsonSame compares stored JSON with want; "" stands for no metadata.
func jsonSame(got []byte, want string) bool {
	if want == "" {
		return len(got) == 0
	}
	var g, w any
	if json.Unmarshal(got, &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
		return false
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return bytes.Equal(gb, wb)
}

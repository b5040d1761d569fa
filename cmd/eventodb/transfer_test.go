package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// day0 is the first day of the generated history.
var day0 = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// populate fills namespace ns of s: 2500 imported messages over five days
// (global positions with gaps, out of order within batches), then appends.
func populate(t *testing.T, s *bunstore.Store, ns string) {
	t.Helper()
	ctx := context.Background()
	var batch []stream.Message
	pos := map[string]int64{}
	for i := range 2500 {
		name := fmt.Sprintf("%s-%d", []string{"account", "order", "payment"}[i%3], i%11)
		m := stream.Message{
			ID: uuid.NewString(), Stream: name, Type: "Happened", Position: pos[name], GlobalPosition: int64(3*i + 2),
			Data: []byte(fmt.Sprintf(`{"i":%d,"note":"<ünï & code>"}`, i)),
			Time: day0.Add(time.Duration(i) * 3 * time.Minute).Add(time.Duration(i) * time.Microsecond),
		}
		if i%5 == 0 {
			m.Metadata = []byte(`{"correlationStreamName":"flow-1","n":1}`)
		}
		pos[name]++
		batch = append(batch, m)
	}
	for start := 0; start < len(batch); start += 700 {
		part := batch[start:min(start+700, len(batch))]
		part[0], part[len(part)-1] = part[len(part)-1], part[0]
		if err := s.Import(ctx, ns, part); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		_, err := s.Append(ctx, ns, stream.Append{Stream: "order-1", Messages: []stream.Proposed{
			{ID: uuid.NewString(), Type: "Appended", Data: []byte(fmt.Sprintf(`{"after":%d}`, i))},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// openData opens (creating) SQLite data in dir with namespace ns.
func openData(t *testing.T, dir, ns string) *bunstore.Store {
	t.Helper()
	s, err := sqlite.Open(sqlite.Config{DataDir: dir}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(context.Background(), ns); err != nil {
		if err := s.Create(context.Background(), namespace.Record{ID: ns, TokenHash: "x", CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// everything exports namespace ns of s and its stream versions.
func everything(t *testing.T, s *bunstore.Store, ns string) ([]stream.Message, []ports.StreamInfo) {
	t.Helper()
	var msgs []stream.Message
	err := s.Export(context.Background(), ns, ports.ExportQuery{}, func(page []stream.Message) error {
		msgs = append(msgs, page...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	streams, err := s.ListStreams(context.Background(), ns, ports.StreamListQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return msgs, streams
}

func sameHistory(t *testing.T, gotMsgs, wantMsgs []stream.Message, gotStreams, wantStreams []ports.StreamInfo) {
	t.Helper()
	if len(gotMsgs) != len(wantMsgs) {
		t.Fatalf("%d messages, want %d", len(gotMsgs), len(wantMsgs))
	}
	for i := range wantMsgs {
		g, w := gotMsgs[i], wantMsgs[i]
		if g.ID != w.ID || g.Stream != w.Stream || g.Type != w.Type || g.Position != w.Position ||
			g.GlobalPosition != w.GlobalPosition || !bytes.Equal(g.Data, w.Data) || !bytes.Equal(g.Metadata, w.Metadata) ||
			!g.Time.Equal(w.Time) {
			t.Fatalf("message %d = %+v\nwant %+v", i, g, w)
		}
	}
	if !reflect.DeepEqual(gotStreams, wantStreams) {
		t.Fatalf("streams = %+v\nwant %+v", gotStreams, wantStreams)
	}
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := run(t, args...)
	if code != exitOK || stderr != "" {
		t.Fatalf("eventodb %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// The whole history goes through a file from one data directory to another
// and arrives identical: ids, positions, global positions, data, metadata,
// times and stream versions.
func TestExportImportRoundTripOnDatabases(t *testing.T) {
	t.Parallel()
	from, to := t.TempDir(), t.TempDir()
	src := openData(t, from, "shop")
	populate(t, src, "shop")
	wantMsgs, wantStreams := everything(t, src, "shop")
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if err := openData(t, to, "shop").Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "shop.ndjson")
	if out := mustRun(t, "export", "--data-dir", from, "--namespace", "shop", "--output", file); out != "" {
		t.Fatalf("export with --output wrote %d bytes to stdout", len(out))
	}
	checkExportFile(t, file, len(wantMsgs))
	mustRun(t, "import", "--data-dir", to, "--namespace", "shop", "--input", file)

	dst := openData(t, to, "shop")
	gotMsgs, gotStreams := everything(t, dst, "shop")
	sameHistory(t, gotMsgs, wantMsgs, gotStreams, wantStreams)
	// Appends continue after the imported history.
	res, err := dst.Append(context.Background(), "shop", stream.Append{Stream: "order-1",
		Messages: []stream.Proposed{{ID: uuid.NewString(), Type: "T", Data: []byte(`{}`)}}})
	last := wantMsgs[len(wantMsgs)-1]
	if err != nil || res.GlobalPosition != last.GlobalPosition+1 || res.Position != last.Position+1 {
		t.Fatalf("append after import = %+v, %v; want after %+v", res, err, last)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}

	// Importing the same file again is refused at its first line.
	code, _, stderr := run(t, "import", "--data-dir", to, "--namespace", "shop", "--input", file)
	if code != exitFailed || !strings.Contains(stderr, "line 1 after 0 messages: POSITION_EXISTS") {
		t.Fatalf("second import: exit %d, stderr %q", code, stderr)
	}
}

// checkExportFile checks that file holds n records in ascending global order.
func checkExportFile(t *testing.T, file string, n int) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	count, prev := 0, int64(0)
	for sc.Scan() {
		var rec interchange.Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", count+1, err)
		}
		if rec.GPos <= prev {
			t.Fatalf("line %d: global position %d after %d", count+1, rec.GPos, prev)
		}
		if _, err := time.Parse("2006-01-02T15:04:05.000000Z", rec.Time); err != nil {
			t.Fatalf("line %d: time %q", count+1, rec.Time)
		}
		prev = rec.GPos
		count++
	}
	if count != n {
		t.Fatalf("export file has %d records, want %d", count, n)
	}
}

// testServer runs the whole server in test mode (in memory) with a "tenant"
// namespace, and returns its URL, the tenant's token and its store.
func testServer(t *testing.T) (url, token string, store *bunstore.Store) {
	t.Helper()
	cfg := config.Default()
	cfg.TestMode, cfg.RateLimit = true, 0
	var namespaces *service.Namespaces
	srv := apptest.Start(t, cfg, fx.Populate(&store, &namespaces))
	tenant, err := namespaces.Create(context.Background(), "tenant", "", "")
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, tenant.Token, store
}

func TestExportImportRoundTripThroughServers(t *testing.T) {
	t.Parallel()
	fromURL, fromToken, src := testServer(t)
	toURL, toToken, dst := testServer(t)
	populate(t, src, "tenant")
	wantMsgs, wantStreams := everything(t, src, "tenant")

	file := filepath.Join(t.TempDir(), "tenant.ndjson")
	mustRun(t, "export", "--url", fromURL, "--token", fromToken, "--output", file)
	checkExportFile(t, file, len(wantMsgs))
	mustRun(t, "import", "--url", toURL, "--token", toToken, "--input", file)
	gotMsgs, gotStreams := everything(t, dst, "tenant")
	sameHistory(t, gotMsgs, wantMsgs, gotStreams, wantStreams)

	code, _, stderr := run(t, "import", "--url", toURL, "--token", toToken, "--input", file)
	if code != exitFailed || !strings.Contains(stderr, "line 1 after 0 messages: POSITION_EXISTS") {
		t.Fatalf("second import: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, "import", "--url", toURL, "--token", "ns_dGVuYW50_"+strings.Repeat("0", 64), "--input", file)
	if code != exitFailed || !strings.Contains(stderr, "AUTH_INVALID") {
		t.Fatalf("import with a wrong token: exit %d, stderr %q", code, stderr)
	}
}

// The filters select the same messages through a server and on a database.
func TestExportFilters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := openData(t, dir, "shop")
	populate(t, s, "shop")
	all, _ := everything(t, s, "shop")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	url, token, remote := testServer(t)
	populate(t, remote, "tenant")

	tests := []struct {
		name  string
		flags []string
		keep  func(m stream.Message) bool
	}{
		{"categories", []string{"--categories", "order,payment"}, func(m stream.Message) bool {
			return stream.Category(m.Stream) != "account"
		}},
		{"one day by date", []string{"--since", "2025-03-02", "--until", "2025-03-02"}, func(m stream.Message) bool {
			return !m.Time.Before(day0.AddDate(0, 0, 1)) && m.Time.Before(day0.AddDate(0, 0, 2))
		}},
		{"RFC 3339 bounds", []string{"--since", "2025-03-01T12:00:00Z", "--until", "2025-03-03T00:00:00+01:00"}, func(m stream.Message) bool {
			return !m.Time.Before(day0.Add(12*time.Hour)) && m.Time.Before(day0.Add(47*time.Hour))
		}},
		{"from a global position", []string{"--from-gpos", "7000"}, func(m stream.Message) bool { return m.GlobalPosition >= 7000 }},
		{"combined", []string{"--categories", "account", "--since", "2025-03-03", "--from-gpos", "10"}, func(m stream.Message) bool {
			return stream.Category(m.Stream) == "account" && !m.Time.Before(day0.AddDate(0, 0, 2))
		}},
	}
	for _, tt := range tests {
		var want []int64
		for _, m := range all {
			if tt.keep(m) {
				want = append(want, m.GlobalPosition)
			}
		}
		if len(want) == 0 || len(want) == len(all) {
			t.Fatalf("%s: the filter keeps %d of %d messages; pick a better one", tt.name, len(want), len(all))
		}
		for _, where := range [][]string{{"--data-dir", dir, "--namespace", "shop"}, {"--url", url, "--token", token}} {
			out := mustRun(t, append(append([]string{"export"}, where...), tt.flags...)...)
			var got []int64
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				var rec interchange.Record
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("%s: line %q: %v", tt.name, line, err)
				}
				got = append(got, rec.GPos)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s (%s): exported %d messages, want %d", tt.name, where[0], len(got), len(want))
			}
		}
	}
}

func TestTransferUsageErrors(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "nowhere")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"url and db-url", []string{"export", "--url", "http://x", "--db-url", "sqlite://m.db"}, exitUsage, "--db-url and --url exclude each other"},
		{"url and namespace", []string{"import", "--url", "http://x", "--namespace", "a"}, exitUsage, "--namespace and --url exclude each other"},
		{"token without url", []string{"import", "--token", "t"}, exitUsage, "--token needs --url"},
		{"bad since", []string{"export", "--since", "last week"}, exitUsage, `--since "last week" is neither`},
		{"since after until", []string{"export", "--since", "2025-03-02", "--until", "2025-03-01"}, exitUsage, "--since must be before --until"},
		{"negative from-gpos", []string{"export", "--from-gpos", "-1"}, exitUsage, "--from-gpos must not be negative"},
		{"stray argument", []string{"import", "file.ndjson"}, exitUsage, `"file.ndjson"`},
		{"no data", []string{"export", "--data-dir", missing}, exitFailed, "no EventoDB SQLite data"},
		{"memory database", []string{"export", "--db-url", "memory://"}, exitFailed, "--db-url memory:// names no data outside a running server"},
		{"bad URL", []string{"export", "--url", "localhost:8080"}, exitFailed, "must look like http://host:8080"},
		{"missing input", []string{"import", "--data-dir", missing, "--input", filepath.Join(missing, "x")}, exitFailed, "no such file"},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit %d and %q", tt.name, code, stderr, stdout, tt.code, tt.stderr)
		}
	}
}

func TestImportMissingNamespaceOnDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := openData(t, dir, "shop").Close(); err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(dir, "empty.ndjson")
	if err := os.WriteFile(input, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "import", "--data-dir", dir, "--namespace", "other", "--input", input)
	if code != exitFailed || !strings.Contains(stderr, "other") {
		t.Fatalf("import into a missing namespace: exit %d, stderr %q", code, stderr)
	}
	mustRun(t, "import", "--data-dir", dir, "--namespace", "shop", "--input", input)
}

// export --data-dir on the files of a running server is refused with a way
// out, instead of reading (or, for import, writing) under the server.
func TestTransferOnFilesInUse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	server := openData(t, dir, "shop")
	defer server.Close()
	code, _, stderr := run(t, "export", "--data-dir", dir, "--namespace", "shop", "--output", filepath.Join(t.TempDir(), "x.ndjson"))
	if code == exitOK || !strings.Contains(stderr, "already open in this process") || !strings.Contains(stderr, "go through it with --url and --token") {
		t.Fatalf("export on files in use: exit %d, stderr %q", code, stderr)
	}
}

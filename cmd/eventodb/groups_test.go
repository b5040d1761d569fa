package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/domain/group"
)

// addGroups gives namespace ns of s two groups with moved checkpoints.
func addGroups(t *testing.T, s *bunstore.Store, ns string) {
	t.Helper()
	ctx := context.Background()
	head, err := s.LastGlobalPosition(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	created := day0.Add(72 * time.Hour)
	for _, g := range []group.Group{
		{Name: "billing", Definition: group.Definition{Category: "account", Size: 2, StartAt: group.StartAt{Kind: group.End}}, Start: head - 100, CreatedAt: created},
		{Name: "flow", Definition: group.Definition{Category: "order", Size: 1, Correlation: "flow"}, CreatedAt: created},
	} {
		if _, _, err := s.CreateGroup(ctx, ns, g); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Ack(ctx, ns, "billing", group.Ack{Member: 1, Position: head - 40, At: day0.Add(96 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ack(ctx, ns, "flow", group.Ack{Member: 0, Position: 600, At: day0.Add(97 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
}

// groupsOf reads the groups of ns with their members.
func groupsOf(t *testing.T, s *bunstore.Store, ns string) []group.Status {
	t.Helper()
	ctx := context.Background()
	list, err := s.Groups(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	var out []group.Status
	for _, g := range list {
		members, err := s.Members(ctx, ns, g.Name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, group.Status{Group: g, Members: members})
	}
	return out
}

// groupLines counts the lines of file with a top-level "group" key.
func groupLines(t *testing.T, file string) (groups, other int) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var top map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &top); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if _, ok := top["group"]; ok {
			groups++
		} else {
			if groups > 0 {
				t.Fatal("a message line follows a group line")
			}
			other++
		}
	}
	return groups, other
}

// export --groups writes groups and checkpoints after the messages and
// import --groups restores them, through servers and on databases; without
// the flags files hold messages only and imports skip group lines.
func TestExportImportGroups(t *testing.T) {
	t.Parallel()
	fromURL, fromToken, src := testServer(t)
	populate(t, src, "tenant")
	addGroups(t, src, "tenant")
	want := groupsOf(t, src, "tenant")
	wantMsgs, _ := everything(t, src, "tenant")

	plain := filepath.Join(t.TempDir(), "plain.ndjson")
	mustRun(t, "export", "--url", fromURL, "--token", fromToken, "--output", plain)
	if g, m := groupLines(t, plain); g != 0 || m != len(wantMsgs) {
		t.Fatalf("export without --groups: %d group lines, %d messages", g, m)
	}
	withGroups := filepath.Join(t.TempDir(), "groups.ndjson")
	mustRun(t, "export", "--url", fromURL, "--token", fromToken, "--groups", "--output", withGroups)
	if g, m := groupLines(t, withGroups); g != 2+3 || m != len(wantMsgs) {
		t.Fatalf("export --groups: %d group lines (want 5), %d messages", g, m)
	}

	toURL, toToken, dst := testServer(t)
	mustRun(t, "import", "--url", toURL, "--token", toToken, "--groups", "--input", withGroups)
	if got := groupsOf(t, dst, "tenant"); !reflect.DeepEqual(got, want) {
		t.Fatalf("groups through servers = %+v\nwant %+v", got, want)
	}

	// Without --groups, group lines are skipped.
	skipURL, skipToken, skipped := testServer(t)
	mustRun(t, "import", "--url", skipURL, "--token", skipToken, "--input", withGroups)
	if got := groupsOf(t, skipped, "tenant"); len(got) != 0 {
		t.Fatalf("an import without --groups restored %d groups", len(got))
	}
	if got, _ := everything(t, skipped, "tenant"); len(got) != len(wantMsgs) {
		t.Fatalf("an import without --groups stored %d messages, want %d", len(got), len(wantMsgs))
	}

	// Straight on databases.
	from, to := t.TempDir(), t.TempDir()
	if err := openData(t, to, "shop").Close(); err != nil {
		t.Fatal(err)
	}
	s := openData(t, from, "shop")
	populate(t, s, "shop")
	addGroups(t, s, "shop")
	wantDB := groupsOf(t, s, "shop")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "shop.ndjson")
	mustRun(t, "export", "--data-dir", from, "--namespace", "shop", "--groups", "--categories", "account", "--output", file)
	if g, _ := groupLines(t, file); g != 1+2 {
		t.Fatalf("export --groups --categories account: %d group lines, want billing's 3", g)
	}
	mustRun(t, "export", "--data-dir", from, "--namespace", "shop", "--groups", "--output", file)
	mustRun(t, "import", "--data-dir", to, "--namespace", "shop", "--groups", "--input", file)
	d := openData(t, to, "shop")
	got := groupsOf(t, d, "shop")
	_ = d.Close()
	if !reflect.DeepEqual(got, wantDB) {
		t.Fatalf("groups on databases = %+v\nwant %+v", got, wantDB)
	}

	// A group of the same name and another definition stops the import.
	conflictURL, conflictToken, conflict := testServer(t)
	if _, _, err := conflict.CreateGroup(context.Background(), "tenant", group.Group{
		Name: "flow", Definition: group.Definition{Category: "order", Size: 3}, CreatedAt: time.Now(),
	}); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "import", "--url", conflictURL, "--token", conflictToken, "--groups", "--input", withGroups)
	if code != exitFailed || !strings.Contains(stderr, "GROUP_EXISTS") {
		t.Fatalf("import over a conflicting group: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, "export", "--url", fromURL, "--token", fromToken, "--groups", "--to-message-db", "postgres://nowhere/db")
	if code != exitUsage || !strings.Contains(stderr, "--groups") {
		t.Fatalf("export --groups --to-message-db: exit %d, stderr %q", code, stderr)
	}
}

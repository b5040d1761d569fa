package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/client"
)

// history writes n messages over categories of different sizes, some with
// metadata, in batches, and returns them as read back.
func history(t *testing.T, c *client.Client, n int) []client.Message {
	t.Helper()
	ctx := context.Background()
	for start := 0; start < n; start += 250 {
		for _, cat := range []string{"account", "order", "payment"} {
			var batch []client.MessageData
			for i := start; i < min(start+250, n); i++ {
				if pick := []string{"account", "account", "order", "payment"}[i%4]; pick != cat {
					continue
				}
				m := msg("Happened", fmt.Sprintf(`{"i":%d,"note":"<ünï & code>"}`, i))
				if i%5 == 0 {
					m.Metadata = json.RawMessage(`{"correlationStreamName":"flow-1"}`)
				}
				batch = append(batch, m)
			}
			if _, err := c.WriteBatch(ctx, fmt.Sprintf("%s-%d", cat, start/250%3), batch, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	var all []client.Message
	for _, cat := range []string{"account", "order", "payment"} {
		for m, err := range c.ReadCategoryAll(ctx, cat, nil) {
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, m)
		}
	}
	slices.SortFunc(all, func(a, b client.Message) int { return int(a.GlobalPosition - b.GlobalPosition) })
	if len(all) != n {
		t.Fatalf("wrote %d messages, read %d", n, len(all))
	}
	return all
}

func exportAll(t *testing.T, c *client.Client, opts *client.ExportOptions) []client.Message {
	t.Helper()
	var out []client.Message
	err := c.Export(context.Background(), opts, func(page []client.Message) error {
		out = append(out, page...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameMessages(t *testing.T, what string, got, want []client.Message) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d messages, want %d", what, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Stream != w.Stream || g.Type != w.Type || g.Position != w.Position || g.GlobalPosition != w.GlobalPosition ||
			!bytes.Equal(g.Data, w.Data) || !bytes.Equal(g.Metadata, w.Metadata) || !g.Time.Equal(w.Time) {
			t.Fatalf("%s: message %d = %+v\nwant %+v", what, i, g, w)
		}
	}
}

func TestExport(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		all := history(t, c, 600)
		since, until := all[100].Time, all[400].Time
		tests := []struct {
			name string
			opts *client.ExportOptions
			keep func(client.Message) bool
		}{
			{"everything", nil, func(client.Message) bool { return true }},
			{"two categories", &client.ExportOptions{Categories: []string{"payment", "order", "payment"}}, func(m client.Message) bool {
				return !strings.HasPrefix(m.Stream, "account-")
			}},
			{"a missing category", &client.ExportOptions{Categories: []string{"none"}}, func(client.Message) bool { return false }},
			{"a time range", &client.ExportOptions{Since: since, Until: until}, func(m client.Message) bool {
				return !m.Time.Before(since) && m.Time.Before(until)
			}},
			{"from a global position", &client.ExportOptions{FromGlobal: all[333].GlobalPosition}, func(m client.Message) bool {
				return m.GlobalPosition >= all[333].GlobalPosition
			}},
		}
		for _, tt := range tests {
			var want []client.Message
			for _, m := range all {
				if tt.keep(m) {
					want = append(want, m)
				}
			}
			for _, size := range []int{0, 1, 7} {
				opts := client.ExportOptions{}
				if tt.opts != nil {
					opts = *tt.opts
				}
				opts.PageSize = size
				sameMessages(t, fmt.Sprintf("%s, pages of %d", tt.name, size), exportAll(t, c, &opts), want)
			}
		}
		stop := errors.New("enough")
		if err := c.Export(context.Background(), nil, func([]client.Message) error { return stop }); err != stop {
			t.Fatalf("an export stopped by its callback returned %v", err)
		}
	})
}

func TestExportToThenImport(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		ctx := context.Background()
		from, _ := s.namespace(t)
		to, _ := s.namespace(t)
		all := history(t, from, 2500)
		var file bytes.Buffer
		n, err := from.ExportTo(ctx, nil, &file)
		if err != nil || n != 2500 || bytes.Count(file.Bytes(), []byte("\n")) != 2500 {
			t.Fatalf("ExportTo = %d, %v", n, err)
		}
		var progress []client.ImportProgress
		res, err := to.Import(ctx, bytes.NewReader(file.Bytes()), nil, func(p client.ImportProgress) { progress = append(progress, p) })
		if err != nil || res.Imported != 2500 || res.Elapsed <= 0 {
			t.Fatalf("Import = %+v, %v", res, err)
		}
		if len(progress) < 2 || progress[len(progress)-1] != (client.ImportProgress{Imported: 2500, GlobalPosition: all[2499].GlobalPosition}) {
			t.Fatalf("progress %+v", progress)
		}
		sameMessages(t, "imported", exportAll(t, to, nil), all)

		// Again: the first record is refused, with its line, and nothing is added.
		_, err = to.Import(ctx, bytes.NewReader(file.Bytes()), nil, nil)
		var ie *client.ImportError
		if !errors.As(err, &ie) || !errors.Is(err, client.ErrPositionExists) || ie.Line != 1 || ie.Imported != 0 {
			t.Fatalf("a second import: %v", err)
		}
		// A bad line stops an import there; the lines before it are stored.
		lines := strings.SplitAfter(file.String(), "\n")
		partial := lines[0] + lines[1] + "{not json\n" + lines[2]
		_, err = to.Import(ctx, strings.NewReader(partial), &client.ImportOptions{Force: true}, nil)
		if !errors.As(err, &ie) || !errors.Is(err, client.ErrInvalidJSON) || ie.Line != 3 {
			t.Fatalf("an import with a bad third line: %v", err)
		}
		sameMessages(t, "after the forced import", exportAll(t, to, nil), all[:2])
	})
}

func TestImportRefusedBeforeUpload(t *testing.T) {
	t.Parallel()
	stranger := newClient(t, sqliteServer.url, client.WithToken("ns_bm9ib2R5_"+strings.Repeat("cd", 32)))
	start := time.Now()
	_, err := stranger.Import(context.Background(), strings.NewReader(strings.Repeat("{}\n", 200000)), nil, nil)
	var e *client.Error
	if !errors.Is(err, client.ErrAuthInvalid) || !errors.As(err, &e) || e.Status != 401 {
		t.Fatalf("an import with an unknown token: %v (after %s)", err, time.Since(start))
	}
}

// A broken input is reported as itself.
func TestImportInputError(t *testing.T) {
	t.Parallel()
	c, _ := sqliteServer.namespace(t)
	broken := errors.New("disk on fire")
	_, err := c.Import(context.Background(), &failingReader{after: "", err: broken}, nil, nil)
	if !errors.Is(err, broken) {
		t.Fatalf("an import of a failing input: %v", err)
	}
}

type failingReader struct {
	after string
	err   error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.after != "" {
		n := copy(p, r.after)
		r.after = r.after[n:]
		return n, nil
	}
	return 0, r.err
}

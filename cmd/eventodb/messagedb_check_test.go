package main

import (
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
	"github.com/eventodb/eventodb/adapters/cli/messagedb/mdbtest"
	"github.com/eventodb/eventodb/domain/stream"
)

// checkServed compares what category.get and stream.get return with the
// source rows that where selects.
func checkServed(t *testing.T, url, token string, src *pgx.Conn, where string) {
	t.Helper()
	want := mdbtest.Rows(t, src, mdb, where)
	var categories []struct{ Category string }
	rpc(t, url, token, &categories, "ns.categories")
	var all []served
	for _, c := range categories {
		all = append(all, categoryGet(t, url, token, c.Category, map[string]any{})...)
	}
	slices.SortFunc(all, func(a, b served) int { return int(a.GPos - b.GPos) })
	if err := sameServed("category.get", all, want); err != nil {
		t.Fatal(err)
	}

	byStream := map[string][]messagedb.Row{}
	for _, r := range want {
		byStream[r.Stream] = append(byStream[r.Stream], r)
	}
	if len(byStream) < 2000 {
		t.Fatalf("only %d streams: the fixture should have thousands", len(byStream))
	}
	// Thousands of calls: a few at a time.
	var g errgroup.Group
	g.SetLimit(4)
	for name, rows := range byStream {
		g.Go(func() error {
			got, err := streamGet(url, token, name)
			if err == nil {
				err = sameServed("stream.get "+name, got, rows)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ category, correlation string }{{"order", "workflow"}, {"account", "saga:step"}} {
		got := categoryGet(t, url, token, c.category, map[string]any{"correlation": c.correlation})
		wantCorr := mdbtest.Rows(t, src, mdb, where+` AND message_store.category(stream_name) = $1
			AND message_store.category(metadata->>'correlationStreamName') = $2`, c.category, c.correlation)
		if len(wantCorr) == 0 {
			t.Fatalf("no %s rows correlated with %s", c.category, c.correlation)
		}
		if err := sameServed("category.get "+c.category+" correlation "+c.correlation, got, wantCorr); err != nil {
			t.Fatal(err)
		}
	}
}

// checkConsumerGroups compares each member's category.get with Message DB's
// split, computed with its hash in PostgreSQL. Streams without an id are in
// no member in Message DB; here each is in the member its whole name hashes
// to (a documented difference), so they are compared apart.
func checkConsumerGroups(t *testing.T, url, token string, src *pgx.Conn, where string) {
	t.Helper()
	for _, category := range []string{"account", "user:command", "stock"} {
		for _, size := range []int64{1, 2, 3, 5} {
			var union []int64
			for member := range size {
				got := categoryGet(t, url, token, category, map[string]any{"consumerGroup": map[string]any{"member": member, "size": size}})
				var withID, withoutID []int64
				for _, m := range got {
					if stream.IsCategory(m.Stream) {
						withoutID = append(withoutID, m.GPos)
					} else {
						withID = append(withID, m.GPos)
					}
				}
				wantWithID := mdbtest.GlobalPositions(t, src, `SELECT global_position FROM message_store.messages
					WHERE `+where+` AND message_store.category(stream_name) = $1
					AND message_store.is_member(stream_name, $2, $3) ORDER BY global_position`, category, member, size)
				wantWithoutID := mdbtest.GlobalPositions(t, src, `SELECT global_position FROM message_store.messages
					WHERE `+where+` AND stream_name = $1
					AND @message_store.hash_64(stream_name) % $3 = $2 ORDER BY global_position`, category, member, size)
				if !slices.Equal(withID, wantWithID) || !slices.Equal(withoutID, wantWithoutID) {
					t.Fatalf("%s member %d of %d: %d+%d messages, want Message DB's %d (+%d without id)",
						category, member, size, len(withID), len(withoutID), len(wantWithID), len(wantWithoutID))
				}
				union = append(union, globalPositions(got)...)
			}
			// Every message in exactly one member, and Message DB's split
			// leaves the streams without an id out.
			slices.Sort(union)
			all := mdbtest.GlobalPositions(t, src, `SELECT global_position FROM message_store.messages
				WHERE `+where+` AND message_store.category(stream_name) = $1 ORDER BY global_position`, category)
			inNone := mdbtest.GlobalPositions(t, src, `SELECT count(*) FROM message_store.messages
				WHERE `+where+` AND message_store.category(stream_name) = $1
				AND NOT EXISTS (SELECT FROM generate_series(0, $2 - 1) AS m WHERE message_store.is_member(stream_name, m, $2))`, category, size)
			noID := mdbtest.GlobalPositions(t, src, `SELECT count(*) FROM message_store.messages WHERE `+where+` AND stream_name = $1`, category)
			if !slices.Equal(union, all) || inNone[0] != noID[0] || noID[0] == 0 {
				t.Fatalf("%s in %d members: %d of %d messages; Message DB leaves %d out, the streams without id hold %d",
					category, size, len(union), len(all), inNone[0], noID[0])
			}
		}
	}
}

package messagedb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
	"github.com/eventodb/eventodb/adapters/cli/messagedb/mdbtest"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
)

func TestImportEveryRowWithEveryField(t *testing.T) {
	t.Parallel()
	conn := source(t, 5000)
	store, sink := target(t, 700)
	var progress int
	opts := options(messagedb.Query{})
	opts.Progress = func(interchange.Progress) { progress++ }
	sum, err := messagedb.Import(context.Background(), conn, sink, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := mdbtest.Rows(t, conn, messagedb.DefaultSchema, "true")
	sameMessages(t, stored(t, store), want)
	if sum.Read != 5000 || sum.Imported != 5000 || sum.Skipped != 0 || sum.StoppedAt != nil ||
		sum.FirstGPos != want[0].GlobalPosition || sum.LastGPos != want[len(want)-1].GlobalPosition {
		t.Fatalf("summary %+v", sum)
	}
	if progress != 8 {
		t.Fatalf("%d progress reports, want one per batch of 700 (8)", progress)
	}
}

func TestImportSelects(t *testing.T) {
	t.Parallel()
	conn := source(t, 3000)
	tests := []struct {
		name  string
		q     messagedb.Query
		where string
	}{
		{"categories", messagedb.Query{Categories: []string{"account", "user:command"}},
			"message_store.category(stream_name) IN ('account', 'user:command')"},
		{"from a global position", messagedb.Query{FromGPos: 1234}, "global_position >= 1234"},
		{"both", messagedb.Query{Categories: []string{"order"}, FromGPos: 2000},
			"message_store.category(stream_name) = 'order' AND global_position >= 2000"},
		{"a category without messages", messagedb.Query{Categories: []string{"nothing"}}, "false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, sink := target(t, 1000)
			sum, err := messagedb.Import(context.Background(), conn, sink, options(tt.q))
			if err != nil {
				t.Fatal(err)
			}
			want := mdbtest.Rows(t, conn, messagedb.DefaultSchema, tt.where)
			sameMessages(t, stored(t, store), want)
			if sum.Read != int64(len(want)) || sum.Imported != int64(len(want)) {
				t.Fatalf("summary %+v, want %d read and imported", sum, len(want))
			}
		})
	}
}

// An invalid row stops the import after everything before it is stored; the
// rerun from the position it names, skipping invalid rows, stores the rest:
// no gap, no duplicate.
func TestImportInvalidRowStopsThenResumes(t *testing.T) {
	t.Parallel()
	conn := source(t, 4000)
	mdbtest.Exec(t, conn, `UPDATE message_store.messages SET data = '[1, 2]' WHERE global_position = 1500`)
	mdbtest.Exec(t, conn, `UPDATE message_store.messages SET stream_name = E'bad\x01-' || global_position WHERE global_position = 2500`)
	mdbtest.Exec(t, conn, `UPDATE message_store.messages SET data = NULL WHERE global_position = 3000`)
	store, sink := target(t, 1000)

	sum, err := messagedb.Import(context.Background(), conn, sink, options(messagedb.Query{}))
	var stop *messagedb.StopError
	if !errors.As(err, &stop) || stop.ResumeFrom != 1500 || stop.At.Reason != "data must be a JSON object" {
		t.Fatalf("first run: %v, want a stop at 1500", err)
	}
	if !strings.Contains(err.Error(), "resume with --from-gpos 1500") || sum.ResumeFrom != 1500 || sum.StoppedAt.GlobalPosition != 1500 {
		t.Fatalf("first run: %v, summary %+v", err, sum)
	}
	sameMessages(t, stored(t, store), mdbtest.Rows(t, conn, messagedb.DefaultSchema, "global_position < 1500"))

	opts := options(messagedb.Query{FromGPos: stop.ResumeFrom})
	opts.SkipInvalid = true
	var reported []messagedb.Skip
	opts.Skipped = func(k messagedb.Skip) { reported = append(reported, k) }
	sum, err = messagedb.Import(context.Background(), conn, sink, opts)
	if err != nil {
		t.Fatal(err)
	}
	wantSkips := []messagedb.Skip{
		{GlobalPosition: 1500, Reason: "data must be a JSON object"},
		{GlobalPosition: 2500, Reason: "stream_name must not contain control characters"},
		{GlobalPosition: 3000, Reason: "data must be a JSON object"},
	}
	if fmt.Sprint(reported) != fmt.Sprint(wantSkips) || fmt.Sprint(sum.SkippedRows) != fmt.Sprint(wantSkips) || sum.Skipped != 3 {
		t.Fatalf("skipped %v (summary %+v), want %v", reported, sum, wantSkips)
	}
	sameMessages(t, stored(t, store), mdbtest.Rows(t, conn, messagedb.DefaultSchema, "global_position NOT IN (1500, 2500, 3000)"))
}

// A message the target refuses (its global position is taken) stops the
// import at that message's global position.
func TestImportRefusedByTheTarget(t *testing.T) {
	t.Parallel()
	conn := source(t, 3000)
	store, sink := target(t, 500)
	taken := stream.Message{ID: "00000000-0000-4000-8000-000000000001", Stream: "other-1", Type: "T",
		GlobalPosition: 1777, Data: []byte(`{}`)}
	if err := store.Import(context.Background(), "shop", []stream.Message{taken}); err != nil {
		t.Fatal(err)
	}
	_, err := messagedb.Import(context.Background(), conn, sink, options(messagedb.Query{}))
	var stop *messagedb.StopError
	if !errors.As(err, &stop) || stop.ResumeFrom != 1777 || !strings.HasPrefix(stop.At.Reason, "POSITION_EXISTS") {
		t.Fatalf("import: %v, want a stop at 1777 with POSITION_EXISTS", err)
	}
	got := stored(t, store)
	sameMessages(t, got[:len(got)-1], mdbtest.Rows(t, conn, messagedb.DefaultSchema, "global_position < 1777"))
}

// A sink that stops after some batches: the import names the position after
// the last stored message, and resuming there completes it without gap or
// duplicate.
func TestImportInterruptedThenResumed(t *testing.T) {
	t.Parallel()
	conn := source(t, 3000)
	store, sink := target(t, 400)
	_, err := messagedb.Import(context.Background(), conn, stopAfter{inner: sink, batches: 3}, options(messagedb.Query{}))
	var stop *messagedb.StopError
	if !errors.As(err, &stop) || !errors.Is(err, errInterrupted) {
		t.Fatalf("import: %v, want an interrupted stop", err)
	}
	got := stored(t, store)
	if len(got) != 1200 || stop.ResumeFrom != got[len(got)-1].GlobalPosition+1 || stop.Imported != 1200 {
		t.Fatalf("stored %d, stop %+v", len(got), stop)
	}
	if _, err := messagedb.Import(context.Background(), conn, sink, options(messagedb.Query{FromGPos: stop.ResumeFrom})); err != nil {
		t.Fatal(err)
	}
	sameMessages(t, stored(t, store), mdbtest.Rows(t, conn, messagedb.DefaultSchema, "true"))
}

// Cancelling the context stops reading at a row boundary; the sink stores
// everything it was handed, so the resume position is exact.
func TestImportCancelledStopsGracefully(t *testing.T) {
	t.Parallel()
	conn := source(t, 6000)
	store, sink := target(t, 500)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := options(messagedb.Query{FromGPos: 100})
	batches := 0
	opts.Progress = func(interchange.Progress) {
		if batches++; batches == 2 {
			cancel()
		}
	}
	sum, err := messagedb.Import(ctx, conn, sink, opts)
	var stop *messagedb.StopError
	if !errors.As(err, &stop) || !errors.Is(err, context.Canceled) || stop.At.Reason != "interrupted" {
		t.Fatalf("import: %v, want an interrupted stop", err)
	}
	got := stored(t, store)
	if len(got) < 1000 || len(got) == 6000-99 || stop.ResumeFrom != got[len(got)-1].GlobalPosition+1 ||
		sum.Imported != int64(len(got)) || sum.ResumeFrom != stop.ResumeFrom {
		t.Fatalf("stored %d, last %d; stop %+v, summary %+v", len(got), got[len(got)-1].GlobalPosition, stop, sum)
	}
	if _, err := messagedb.Import(context.Background(), conn, sink, options(messagedb.Query{FromGPos: stop.ResumeFrom})); err != nil {
		t.Fatal(err)
	}
	sameMessages(t, stored(t, store), mdbtest.Rows(t, conn, messagedb.DefaultSchema, "global_position >= 100"))
}

func TestImportWithoutTable(t *testing.T) {
	t.Parallel()
	conn := source(t, 1)
	_, sink := target(t, 10)
	_, err := messagedb.Import(context.Background(), conn, sink, options(messagedb.Query{Table: messagedb.Table{Schema: "elsewhere"}}))
	if err == nil || !strings.Contains(err.Error(), "no table elsewhere.messages") {
		t.Fatalf("import from a missing schema: %v", err)
	}
}

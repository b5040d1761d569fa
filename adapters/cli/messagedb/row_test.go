package messagedb_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/interchange"
)

func validRow() messagedb.Row {
	return messagedb.Row{
		GlobalPosition: 42, Position: 3,
		Time:   time.Date(2019, 1, 2, 3, 4, 5, 123456000, time.UTC),
		Stream: "account-12+retry", Type: "Deposited",
		Data: []byte(`{"amount": 10, "note": "<ü>"}`), Metadata: []byte(`{"correlationStreamName": "workflow-1"}`),
		ID: "0b6cd1ec-3e2f-4b8a-9f3c-1d2e3f4a5b6c",
	}
}

func TestCheckerLineKeepsEveryField(t *testing.T) {
	t.Parallel()
	line, err := messagedb.Checker{IDs: system.UUIDs{}}.Line(validRow())
	if err != nil {
		t.Fatal(err)
	}
	var rec interchange.Record
	if err := json.Unmarshal(line, &rec); err != nil {
		t.Fatal(err)
	}
	want := interchange.Record{ID: "0b6cd1ec-3e2f-4b8a-9f3c-1d2e3f4a5b6c", Stream: "account-12+retry", Type: "Deposited",
		Pos: 3, GPos: 42, Time: "2019-01-02T03:04:05.123456Z"}
	if rec.ID != want.ID || rec.Stream != want.Stream || rec.Type != want.Type || rec.Pos != want.Pos ||
		rec.GPos != want.GPos || rec.Time != want.Time {
		t.Fatalf("record %+v, want %+v", rec, want)
	}
	if string(rec.Data) != `{"amount":10,"note":"<ü>"}` || string(rec.Meta) != `{"correlationStreamName":"workflow-1"}` {
		t.Fatalf("data %s, meta %s", rec.Data, rec.Meta)
	}
	null := validRow()
	null.Metadata = nil
	line, err = messagedb.Checker{IDs: system.UUIDs{}}.Line(null)
	if err != nil || !strings.Contains(string(line), `"meta":null`) {
		t.Fatalf("NULL metadata: %s, %v", line, err)
	}
}

func TestCheckerRefusesWhatTheServerRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(r *messagedb.Row)
		reason string
	}{
		{"NULL data", func(r *messagedb.Row) { r.Data = nil }, "data must be a JSON object"},
		{"array data", func(r *messagedb.Row) { r.Data = []byte(`[1, 2]`) }, "data must be a JSON object"},
		{"string data", func(r *messagedb.Row) { r.Data = []byte(`"text"`) }, "data must be a JSON object"},
		{"array metadata", func(r *messagedb.Row) { r.Metadata = []byte(`[]`) }, "metadata must be a JSON object or null"},
		{"number metadata", func(r *messagedb.Row) { r.Metadata = []byte(`7`) }, "metadata must be a JSON object or null"},
		{"empty type", func(r *messagedb.Row) { r.Type = "" }, "type is required"},
		{"empty stream name", func(r *messagedb.Row) { r.Stream = "" }, "stream_name must not be empty"},
		{"control character", func(r *messagedb.Row) { r.Stream = "account\x01-1" }, "stream_name must not contain control characters"},
		{"long stream name", func(r *messagedb.Row) { r.Stream = strings.Repeat("a", 256) }, "stream_name is 256 bytes"},
		{"invalid UTF-8", func(r *messagedb.Row) { r.Stream = "account-\xff" }, "stream_name is not valid UTF-8"},
		{"negative position", func(r *messagedb.Row) { r.Position = -1 }, "position must not be negative"},
		{"global position 0", func(r *messagedb.Row) { r.GlobalPosition = 0 }, "global_position must be at least 1"},
		{"not a UUID", func(r *messagedb.Row) { r.ID = "msg-1" }, `id must be a UUID, got "msg-1"`},
		{"too large", func(r *messagedb.Row) { r.Data = []byte(`{"x":"` + strings.Repeat("y", 1<<20) + `"}`) }, "the limit is 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := validRow()
			tt.change(&r)
			line, err := messagedb.Checker{IDs: system.UUIDs{}}.Line(r)
			if err == nil {
				t.Fatalf("accepted %s", line)
			}
			if got := messagedb.Reason(err); !strings.Contains(got, tt.reason) {
				t.Fatalf("reason %q, want %q", got, tt.reason)
			}
		})
	}
	// JSON null metadata is no metadata, as SQL NULL is.
	r := validRow()
	r.Metadata = []byte(`null`)
	if _, err := (messagedb.Checker{IDs: system.UUIDs{}}).Line(r); err != nil {
		t.Fatalf("JSON null metadata: %v", err)
	}
}

package interchange_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
)

// A message written by the Encoder parses back to itself.
func TestRecordRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []stream.Message{
		{ID: uuidFor(1), Stream: "account-1+retry", Type: "Opened", Position: 0, GlobalPosition: 1,
			Data: []byte(`{"a":"<&>","n":1.5e3,"u":"ünï"}`), Metadata: []byte(`{"correlationStreamName":"flow-1"}`), Time: testTime},
		{ID: uuidFor(2), Stream: "account", Type: "T", Position: 7, GlobalPosition: 9000000000,
			Data: []byte(`{}`), Time: time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)},
	}
	for _, m := range tests {
		var buf bytes.Buffer
		if err := interchange.NewEncoder(&buf).Encode(m); err != nil {
			t.Fatal(err)
		}
		line := buf.String()
		if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
			t.Fatalf("record %q is not one line", line)
		}
		if m.Metadata == nil && !strings.Contains(line, `"meta":null`) {
			t.Fatalf("record %q lacks meta null", line)
		}
		if !strings.Contains(line, `"time":"`+m.Time.Format(interchange.TimeLayout)+`"`) {
			t.Fatalf("record %q does not carry the fixed-width time", line)
		}
		got, err := interchange.ParseRecord([]byte(line), system.UUIDs{}, 0)
		if err != nil {
			t.Fatalf("parse %q: %v", line, err)
		}
		if got.ID != m.ID || got.Stream != m.Stream || got.Type != m.Type || got.Position != m.Position ||
			got.GlobalPosition != m.GlobalPosition || !bytes.Equal(got.Data, m.Data) ||
			!bytes.Equal(got.Metadata, m.Metadata) || !got.Time.Equal(m.Time) {
			t.Fatalf("parsed %+v, want %+v", got, m)
		}
	}
}

func TestParseRecordNormalizesIDs(t *testing.T) {
	t.Parallel()
	line := strings.Replace(record("s-1", 0, 1), uuidFor(1), strings.ToUpper(uuidFor(1)), 1)
	m, err := interchange.ParseRecord([]byte(line), system.UUIDs{}, 0)
	if err != nil || m.ID != uuidFor(1) {
		t.Fatalf("id %q, %v; want the lowercase form", m.ID, err)
	}
	var tooLarge *stream.TooLargeError
	if _, err := interchange.ParseRecord([]byte(record("s-1", 0, 1)), system.UUIDs{}, 10); !errors.As(err, &tooLarge) {
		t.Fatalf("a record over the size limit: %v", err)
	}
}

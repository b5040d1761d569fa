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

// A record's time is RFC 3339, strictly, kept to the microsecond: an
// import stores what its export writes back (found by FuzzParseRecord: a
// one-digit hour and a comma before a 100 ns fraction were taken, and the
// fraction lost on the way back).
func TestParseRecordTime(t *testing.T) {
	t.Parallel()
	withTime := func(s string) []byte {
		return []byte(strings.Replace(record("s-1", 0, 1), "2026-01-15T10:30:00.123456Z", s, 1))
	}
	for _, tt := range []struct {
		in   string
		want time.Time // zero: refused
	}{
		{"2026-01-15T10:30:00.123456Z", time.Date(2026, 1, 15, 10, 30, 0, 123456000, time.UTC)},
		{"2026-01-15T10:30:00.123456789Z", time.Date(2026, 1, 15, 10, 30, 0, 123456000, time.UTC)},
		{"2026-01-15T11:30:00+01:00", time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)},
		{"2026-01-15T1:30:00Z", time.Time{}},
		{"2026-01-15T10:30:00,5Z", time.Time{}},
		{"2026-01-15 10:30:00Z", time.Time{}},
	} {
		m, err := interchange.ParseRecord(withTime(tt.in), system.UUIDs{}, 0)
		switch {
		case tt.want.IsZero() && err == nil:
			t.Errorf("time %q was taken as %v; want it refused", tt.in, m.Time)
		case !tt.want.IsZero() && (err != nil || !m.Time.Equal(tt.want)):
			t.Errorf("time %q = %v, %v; want %v", tt.in, m.Time, err, tt.want)
		}
	}
}

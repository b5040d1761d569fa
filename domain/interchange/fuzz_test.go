package interchange_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
)

// FuzzParseRecord feeds arbitrary lines to the NDJSON record parser: it never
// panics, its errors are validation errors (answered INVALID_JSON with the
// line) that never show Go type names, and what it accepts survives a round
// trip through the export encoder unchanged.
func FuzzParseRecord(f *testing.F) {
	for _, seed := range []string{
		record("s-1", 0, 1),
		`{"id":"2f1b6a0e-8c3d-4e5f-9a1b-0c2d3e4f5a6b","stream":"a-1","type":"T","pos":0,"gpos":1,"data":{},"meta":{"correlationStreamName":"w-1"},"time":"2026-01-15T10:30:00Z"}`,
		`{"id":"x","stream":"","type":"","pos":-1,"gpos":0,"data":[],"meta":"m","time":"yesterday"}`,
		`{"pos":"1"}`, `{"gpos":1.5}`, `[1,2]`, `{"id":`, "{\"stream\":\"a\xff\"}", `{"pos":99999999999999999999}`,
	} {
		f.Add(seed)
	}
	ids := system.UUIDs{}
	f.Fuzz(func(t *testing.T, line string) {
		m, err := interchange.ParseRecord([]byte(line), ids, 1<<20)
		if err != nil {
			var invalid *stream.ValidationError
			var tooLarge *stream.TooLargeError
			if !errors.As(err, &invalid) && !errors.As(err, &tooLarge) {
				t.Fatalf("ParseRecord(%q) = %T %v, want a validation error", line, err, err)
			}
			for _, goName := range []string{"wireRecord", "int64", "Go struct", "*string"} {
				if strings.Contains(err.Error(), goName) {
					t.Fatalf("ParseRecord(%q) error %q shows Go internals", line, err)
				}
			}
			return
		}
		var buf bytes.Buffer
		if err := interchange.NewEncoder(&buf).Encode(m); err != nil {
			t.Fatalf("an accepted record does not encode: %v", err)
		}
		again, err := interchange.ParseRecord(bytes.TrimSpace(buf.Bytes()), ids, 1<<20)
		if err != nil {
			t.Fatalf("the export of %q does not parse back: %v", line, err)
		}
		if again.ID != m.ID || again.Stream != m.Stream || again.Type != m.Type || again.Position != m.Position ||
			again.GlobalPosition != m.GlobalPosition || !again.Time.Equal(m.Time) || !sameJSON(again.Data, m.Data) ||
			!sameJSON(again.Metadata, m.Metadata) {
			t.Fatalf("round trip changed %+v into %+v", m, again)
		}
	})
}

func sameJSON(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// Import errors speak of the record's fields, never of Go types (they used
// to show "cannot unmarshal … wireRecord.pos of type int64").
func TestParseRecordErrorsNameTheField(t *testing.T) {
	t.Parallel()
	tests := []struct{ line, want string }{
		{`{"pos":"1"}`, `pos must be an integer between 0 and 9007199254740991, got a JSON string`},
		{`{"gpos":1.5}`, `gpos must be an integer`},
		{`{"gpos":99999999999999999999}`, `gpos must be an integer`},
		{`{"stream":5}`, `stream must be a string, got a JSON number`},
		{`[1,2]`, `line must be a JSON object, got a JSON array`},
		{`{"id":`, `line is not a JSON record`},
		{"{\"stream\":\"a\xff\"}", `line is not valid UTF-8`},
	}
	for _, tt := range tests {
		_, err := interchange.ParseRecord([]byte(tt.line), system.UUIDs{}, 0)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseRecord(%q) = %v, want %q", tt.line, err, tt.want)
		}
	}
}

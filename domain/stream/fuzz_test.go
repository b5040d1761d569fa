package stream_test

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/eventodb/eventodb/domain/stream"
)

// FuzzValidateName checks the stream-name grammar against its definition and
// the name parts against each other.
func FuzzValidateName(f *testing.F) {
	for _, seed := range []string{"account-123", "account-123+retry", "account:command-9", "test-stream_123.abc",
		"account", "-1", "a-", "konto-日本語", "a\x00b", "a\xffb", strings.Repeat("x", 256), "a\u0085-1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := stream.ValidateName("streamName", name)
		valid := name != "" && len(name) <= stream.MaxNameBytes && utf8.ValidString(name) &&
			strings.IndexFunc(name, unicode.IsControl) < 0
		if (err == nil) != valid {
			t.Fatalf("ValidateName(%q) = %v, the grammar says valid=%v", name, err, valid)
		}
		category, id, cardinal := stream.Category(name), stream.ID(name), stream.CardinalID(name)
		if stream.IsCategory(name) {
			if category != name || id != "" {
				t.Fatalf("%q has no id but Category %q, ID %q", name, category, id)
			}
		} else if category+"-"+id != name {
			t.Fatalf("Category %q + ID %q do not make %q", category, id, name)
		}
		if !strings.HasPrefix(id, cardinal) || strings.Contains(cardinal, "+") {
			t.Fatalf("CardinalID %q is not the id %q up to its first +", cardinal, id)
		}
	})
}

// FuzzProposedValidate checks that a message Validate accepts is what the
// store may keep: a JSON object of data, metadata an object or none, a type
// without NUL, and that Validate never panics on anything.
func FuzzProposedValidate(f *testing.F) {
	f.Add("Opened", `{"a":1}`, `{"correlationStreamName":"flow-1"}`)
	f.Add("", `{}`, `null`)
	f.Add("T", `[1]`, ``)
	f.Add("T\x00", `{"a":`, `"x"`)
	f.Add("T", `{}`, `{"correlationStreamName":"`+strings.Repeat("w", 300)+`-1"}`)
	f.Fuzz(func(t *testing.T, typ, data, metadata string) {
		p := stream.Proposed{Type: typ, Data: []byte(data), Metadata: []byte(metadata)}
		if err := p.Validate("message", 1<<20); err != nil {
			return
		}
		if typ == "" || strings.IndexByte(typ, 0) >= 0 {
			t.Fatalf("type %q accepted", typ)
		}
		if !isObject(p.Data) {
			t.Fatalf("data %q accepted but is not a JSON object", data)
		}
		if p.Metadata != nil && !isObject(p.Metadata) {
			t.Fatalf("metadata %q accepted but is not a JSON object", metadata)
		}
		if c := stream.CorrelationCategory(p.Metadata); len(c) > stream.MaxNameBytes {
			t.Fatalf("a correlation category of %d bytes was accepted", len(c))
		}
	})
}

// isObject reports whether b is one JSON object. Numbers are kept as
// written: JSON does not bound them, and a float64 would refuse 1e400.
func isObject(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var obj map[string]any
	if dec.Decode(&obj) != nil || obj == nil {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}

package stream_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

func TestProposedValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		p        stream.Proposed
		errField string // "" means valid
	}{
		{"minimal", stream.Proposed{Type: "Opened", Data: []byte(`{}`)}, ""},
		{"data with spaces", stream.Proposed{Type: "Opened", Data: []byte(" \n{\"a\": [1, 2]} \t")}, ""},
		{"metadata object", stream.Proposed{Type: "Opened", Data: []byte(`{}`), Metadata: []byte(`{"k":"v"}`)}, ""},
		{"metadata null", stream.Proposed{Type: "Opened", Data: []byte(`{}`), Metadata: []byte(`null`)}, ""},
		{"metadata null with spaces", stream.Proposed{Type: "Opened", Data: []byte(`{}`), Metadata: []byte(" null ")}, ""},
		{"metadata empty", stream.Proposed{Type: "Opened", Data: []byte(`{}`), Metadata: []byte{}}, ""},
		{"missing type", stream.Proposed{Data: []byte(`{}`)}, "message.type"},
		{"NUL in type", stream.Proposed{Type: "T\x00", Data: []byte(`{}`)}, "message.type"},
		{"data missing", stream.Proposed{Type: "Opened"}, "message.data"},
		{"data null", stream.Proposed{Type: "Opened", Data: []byte(`null`)}, "message.data"},
		{"data array", stream.Proposed{Type: "Opened", Data: []byte(`[{"a":1}]`)}, "message.data"},
		{"data string", stream.Proposed{Type: "Opened", Data: []byte(`"{}"`)}, "message.data"},
		{"data number", stream.Proposed{Type: "Opened", Data: []byte(`1`)}, "message.data"},
		{"data broken JSON", stream.Proposed{Type: "Opened", Data: []byte(`{"a":`)}, "message.data"},
		{"data two objects", stream.Proposed{Type: "Opened", Data: []byte(`{}{}`)}, "message.data"},
		{"data trailing garbage", stream.Proposed{Type: "Opened", Data: []byte(`{} x`)}, "message.data"},
		{"metadata array", stream.Proposed{Type: "Opened", Data: []byte(`{}`), Metadata: []byte(`[]`)}, "message.metadata"},
		{"metadata string", stream.Proposed{Type: "Opened", Data: []byte(`{}`), Metadata: []byte(`"x"`)}, "message.metadata"},
		{"metadata number", stream.Proposed{Type: "Opened", Data: []byte(`{}`), Metadata: []byte(`0`)}, "message.metadata"},
		{"metadata broken JSON", stream.Proposed{Type: "Opened", Data: []byte(`{}`), Metadata: []byte(`{`)}, "message.metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := tt.p
			err := p.Validate("message", 0)
			if tt.errField == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ve *stream.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v (%T), want *ValidationError", err, err)
			}
			if ve.Field != tt.errField {
				t.Errorf("Field = %q, want %q", ve.Field, tt.errField)
			}
		})
	}
}

func TestProposedValidateNormalizesNullMetadata(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"null", " null\n", ""} {
		p := stream.Proposed{Type: "T", Data: []byte(`{}`), Metadata: []byte(raw)}
		if err := p.Validate("message", 0); err != nil {
			t.Fatalf("Validate(metadata %q) = %v", raw, err)
		}
		if p.Metadata != nil {
			t.Errorf("metadata %q kept as %q, want nil", raw, p.Metadata)
		}
	}
	p := stream.Proposed{Type: "T", Data: []byte(`{}`), Metadata: []byte(`{"a":1}`)}
	if err := p.Validate("message", 0); err != nil {
		t.Fatal(err)
	}
	if string(p.Metadata) != `{"a":1}` {
		t.Errorf("object metadata changed to %q", p.Metadata)
	}
}

func TestProposedValidateSize(t *testing.T) {
	t.Parallel()
	data := []byte(`{"k":"` + strings.Repeat("x", 90) + `"}`) // 98 bytes
	meta := []byte(`{"m":1}`)                                 // 7 bytes
	size := len("Type") + len(data) + len(meta)               // 109 bytes
	tests := []struct {
		name     string
		metadata []byte
		limit    int
		tooLarge bool
	}{
		{"no limit", meta, 0, false},
		{"exactly at the limit", meta, size, false},
		{"one byte over", meta, size - 1, true},
		{"null metadata does not count", []byte(`null`), size - len(meta), false},
		{"data alone over", nil, 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := stream.Proposed{Type: "Type", Data: data, Metadata: tt.metadata}
			err := p.Validate("messages[3]", tt.limit)
			if !tt.tooLarge {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var tl *stream.TooLargeError
			if !errors.As(err, &tl) {
				t.Fatalf("Validate = %v (%T), want *TooLargeError", err, err)
			}
			wantSize := len("Type") + len(data) + len(tt.metadata)
			if tl.What != "messages[3]" || tl.Size != wantSize || tl.Limit != tt.limit {
				t.Errorf("TooLargeError = %+v, want What messages[3] Size %d Limit %d", *tl, wantSize, tt.limit)
			}
			if !strings.Contains(tl.Error(), "messages[3]") {
				t.Errorf("Error() = %q, want it to name the message", tl.Error())
			}
		})
	}
}

func TestIsJSONObject(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		`{}`:              true,
		` {"a":{"b":[]}}`: true,
		`[]`:              false,
		`null`:            false,
		`""`:              false,
		``:                false,
		`   `:             false,
		`{`:               false,
		`{}{}`:            false,
		" \t\r\n{} \n":    true,  // JSON's whitespace
		"\v{}":            false, // not JSON whitespace: stored, it would break the JSON of every read
		"\u00a0{}":        false,
		"{}\f":            false,
	}
	for raw, want := range tests {
		if got := stream.IsJSONObject([]byte(raw)); got != want {
			t.Errorf("IsJSONObject(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestProposedValidateCorrelationLength(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		length  int
		invalid bool
	}{{"a stream name's length", 255, false}, {"one byte more", 256, true}, {"PostgreSQL's index limit", 3000, true}} {
		meta := `{"correlationStreamName":"` + strings.Repeat("w", tt.length) + `"}`
		p := stream.Proposed{Type: "T", Data: []byte(`{}`), Metadata: []byte(meta)}
		err := p.Validate("message", 0)
		var ve *stream.ValidationError
		if tt.invalid != (err != nil) || (err != nil && (!errors.As(err, &ve) || ve.Field != "message.metadata.correlationStreamName")) {
			t.Errorf("%s: Validate = %v, want invalid %v naming message.metadata.correlationStreamName", tt.name, err, tt.invalid)
		}
	}
}

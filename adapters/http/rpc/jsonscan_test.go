package rpc

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"unicode/utf8"
)

// The scanner must cut valid JSON exactly as encoding/json decodes it:
// the same elements and members (last duplicate key wins), byte for byte
// as sent, and refuse what encoding/json refuses.
func FuzzJSONScan(f *testing.F) {
	for _, seed := range []string{
		`[]`, `[ ]`, `["stream.write","a-1",{"type":"T","data":{"x":[1,2,{"y":"]"}]}}]`,
		`["m", "a\"b\\\\", {"k\u0041":1, "k\\"z":[], "k":null, "k": "last"}, -1.5e3, true, false, null]`,
		`[{"a":{"b":{"c":[[],[{}]]}}}, "}", "]", "{", "[", "\\"]`,
		`{}`, `{"a":1}`, `{ "a" : [ 1 , 2 ] , "b" : { } }`, `{"a":1,"a":2}`,
		`[1,]`, `[,1]`, `{"a":1,}`, `{"a"}`, `[1 2]`, `["a"]]`, `"x"`, `12`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		doc = bytes.TrimSpace(doc)
		if !utf8.Valid(doc) {
			return // refused before parsing (parseEnvelope); encoding/json would replace it
		}
		var wantItems []json.RawMessage
		arrayErr := json.Unmarshal(doc, &wantItems)
		items, ok := splitArray(doc)
		if json.Valid(doc) && len(doc) > 0 && doc[0] == '[' {
			if arrayErr != nil || !ok || !slices.EqualFunc(items, wantItems, sameRaw) {
				t.Fatalf("splitArray(%q) = %q, %v; encoding/json: %q, %v", doc, items, ok, wantItems, arrayErr)
			}
		}
		var wantFields map[string]json.RawMessage
		objectErr := json.Unmarshal(doc, &wantFields)
		fields, ok := objectFields(doc)
		if json.Valid(doc) && len(doc) > 0 && doc[0] == '{' {
			got := map[string]json.RawMessage{}
			for _, m := range fields {
				got[m.key] = m.value // later members overwrite, as get answers
			}
			for key, value := range got {
				if v, _ := fields.get(key); !sameRaw(v, value) {
					t.Fatalf("objectFields(%q).get(%q) = %q, want the last value %q", doc, key, v, value)
				}
			}
			if objectErr != nil || !ok || !maps.EqualFunc(got, wantFields, sameRaw) {
				t.Fatalf("objectFields(%q) = %q, %v; encoding/json: %q, %v", doc, fields, ok, wantFields, objectErr)
			}
		}
		if s, ok := stringValue(doc); ok {
			var want string
			if err := json.Unmarshal(doc, &want); err != nil || s != want {
				t.Fatalf("stringValue(%q) = %q; encoding/json: %q, %v", doc, s, want, err)
			}
		}
	})
}

func sameRaw(a, b json.RawMessage) bool { return bytes.Equal(a, b) }

package httpapi

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The hand-written error body is what encoding/json writes: byte for byte
// (details keys sorted) where no string needs HTML escaping, which
// encoding/json adds and JSON does not need; the same value everywhere.
func TestErrorBodyMatchesEncodingJSON(t *testing.T) {
	for _, tc := range []struct {
		f         ErrorFields
		sameBytes bool
	}{
		{ErrorFields{Code: CodeVersionConflict, Message: `stream "a-1" is at version 3, expected 1`, Details: map[string]any{"expected": int64(1), "actual": int64(3)}}, true},
		{ErrorFields{Code: CodeDuplicateID, Message: "id taken", Details: map[string]any{"id": "7d6d6c1e-6d4c-4a52-9d0e-9e3c9a1f1b11"}}, true},
		{ErrorFields{Code: CodeBackend, Message: "internal backend error", Details: map[string]any{}}, true},
		{ErrorFields{Code: CodeInvalidRequest, Message: "tab\t, quote \", back\\slash, <html> & ünïcode, \x01"}, false},
		{ErrorFields{Code: CodeInvalidRequest, Message: "nested", Details: map[string]any{"z": []int{1, 2}, "a": map[string]bool{"ok": true}, "m": nil, "n": 1.5}}, true},
	} {
		got, err := appendErrorBody(nil, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(ErrorBody{Error: tc.f})
		if err != nil {
			t.Fatal(err)
		}
		if tc.sameBytes && string(got) != string(want) {
			t.Errorf("error body\n got %s\nwant %s", got, want)
		}
		var gotValue, wantValue any
		if err := json.Unmarshal(got, &gotValue); err != nil {
			t.Fatalf("%s: not JSON: %v", got, err)
		}
		if err := json.Unmarshal(want, &wantValue); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotValue, wantValue) {
			t.Errorf("error body value\n got %s\nwant %s", got, want)
		}
	}
}

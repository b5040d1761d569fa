package rpc_test

import (
	"strings"
	"testing"
)

// Invalid UTF-8 anywhere in a request is refused and stores nothing:
// encoding/json would replace it with U+FFFD, so the data read back would not
// be the data written.
func TestInvalidUTF8IsRefusedAndStoresNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	tests := []struct {
		name string
		body string
	}{
		{"stream name", "[\"stream.write\",\"s-\xff\",{\"type\":\"T\",\"data\":{}}]"},
		{"type", "[\"stream.write\",\"s-1\",{\"type\":\"T\xc3\",\"data\":{}}]"},
		{"data", "[\"stream.write\",\"s-1\",{\"type\":\"T\",\"data\":{\"k\":\"\xed\xa0\x80\"}}]"},
		{"data key", "[\"stream.write\",\"s-1\",{\"type\":\"T\",\"data\":{\"\xfe\":1}}]"},
		{"metadata", "[\"stream.write\",\"s-1\",{\"type\":\"T\",\"data\":{},\"metadata\":{\"m\":\"\x80\"}}]"},
		{"options", "[\"stream.write\",\"s-1\",{\"type\":\"T\",\"data\":{}},{\"unknown\":\"\xff\"}]"},
		{"a message of a batch", "[\"stream.write\",\"s-1\",[{\"type\":\"T\",\"data\":{}},{\"type\":\"T\",\"data\":{\"x\":\"\xc0\xaf\"}}]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.post(t, e.tenant, tt.body), 400, "INVALID_REQUEST", "UTF-8")
		})
	}
	if got := e.ok(t, e.tenant, "stream.get", "s-1"); len(got.([]any)) != 0 {
		t.Fatalf("stream s-1 holds %v after refused writes, want nothing", got)
	}
	if got := e.ok(t, e.tenant, "category.get", "s"); len(got.([]any)) != 0 {
		t.Fatalf("category s holds %v after refused writes, want nothing", got)
	}
}

// Valid multi-byte UTF-8 and JSON escapes are stored and read back unchanged.
func TestValidUTF8RoundTrips(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	data := `{"k":"日本語 \u00e9 🙂","esc":"\ud83d\ude42"}`
	r := e.post(t, e.tenant, `["stream.write","konto-日本",{"type":"Tüp","data":`+data+`}]`)
	if r.status != 200 {
		t.Fatalf("write: %d %s", r.status, r.body)
	}
	got := e.call(t, e.tenant, "stream.get", "konto-日本")
	if want := data; !strings.Contains(string(got.body), want) || !strings.Contains(string(got.body), `"Tüp"`) {
		t.Fatalf("stream.get = %s, want the data %s and type Tüp as written", got.body, want)
	}
}

package rpc_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode"
)

func TestStreamWriteAndReadShapes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	const id = "7d6d6c1e-6d4c-4a52-9d0e-9e3c9a1f1b11"

	got := e.ok(t, e.tenant, "stream.write", "account-1", msg("Opened", map[string]any{"a": 1}), map[string]any{"id": id, "expectedVersion": -1})
	if s := canon(t, got); s != `{"globalPosition":1,"position":0}` {
		t.Fatalf("write result = %s", s)
	}
	withMeta := msg("Deposited", map[string]any{"amount": 5})
	withMeta["metadata"] = map[string]any{"correlationStreamName": "workflow-9"}
	got = e.ok(t, e.tenant, "stream.write", "account-1", withMeta, map[string]any{"expectedVersion": 0})
	if s := canon(t, got); s != `{"globalPosition":2,"position":1}` {
		t.Fatalf("second write result = %s", s)
	}

	r := e.call(t, e.tenant, "stream.get", "account-1")
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("stream.get: %d %s", r.status, r.body)
	}
	msgs := decode(t, r.body).([]any)
	if len(msgs) != 2 {
		t.Fatalf("stream.get returned %d messages: %s", len(msgs), r.body)
	}
	first := canon(t, msgs[0])
	if want := fmt.Sprintf(`[%q,"Opened",0,1,{"a":1},null,%q]`, id, wireTime); first != want {
		t.Fatalf("first message = %s, want %s", first, want)
	}
	second := msgs[1].([]any)
	if len(second) != 7 || second[1] != "Deposited" || canon(t, second[5]) != `{"correlationStreamName":"workflow-9"}` {
		t.Fatalf("second message = %s", canon(t, second))
	}

	last := e.ok(t, e.tenant, "stream.last", "account-1")
	if canon(t, last) != canon(t, msgs[1]) {
		t.Fatalf("stream.last = %s, want %s", canon(t, last), canon(t, msgs[1]))
	}
	last = e.ok(t, e.tenant, "stream.last", "account-1", map[string]any{"type": "Opened"})
	if canon(t, last) != first {
		t.Fatalf("stream.last of type Opened = %s", canon(t, last))
	}
	if r := e.call(t, e.tenant, "stream.last", "account-2"); r.status != 200 || string(r.body) != "null" {
		t.Fatalf("stream.last of a missing stream = %d %s", r.status, r.body)
	}

	if v := e.ok(t, e.tenant, "stream.version", "account-1"); v != 1.0 {
		t.Fatalf("stream.version = %v, want 1", v)
	}
	if r := e.call(t, e.tenant, "stream.version", "account-2"); r.status != 200 || string(r.body) != "null" {
		t.Fatalf("stream.version of a missing stream = %d %s", r.status, r.body)
	}
	if r := e.call(t, e.tenant, "stream.get", "account-2"); r.status != 200 || string(r.body) != "[]" {
		t.Fatalf("stream.get of a missing stream = %d %s", r.status, r.body)
	}
}

func TestStreamGetOptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	for i := range 5 {
		e.ok(t, e.tenant, "stream.write", "s-1", msg("T", map[string]any{"i": i}))
		e.ok(t, e.tenant, "stream.write", "other-1", msg("T", map[string]any{"i": i}))
	}
	positions := func(opts map[string]any) string {
		t.Helper()
		var out []any
		for _, m := range e.ok(t, e.tenant, "stream.get", "s-1", opts).([]any) {
			out = append(out, m.([]any)[2])
		}
		return canon(t, out)
	}
	tests := []struct {
		opts map[string]any
		want string
	}{
		{map[string]any{}, "[0,1,2,3,4]"},
		{map[string]any{"position": 3}, "[3,4]"},
		{map[string]any{"batchSize": 2}, "[0,1]"},
		{map[string]any{"position": 1, "batchSize": 2}, "[1,2]"},
		{map[string]any{"globalPosition": 6}, "[3,4]"}, // s-1 has the odd global positions
		{map[string]any{"batchSize": -1}, "[0,1,2,3,4]"},
	}
	for _, tt := range tests {
		if got := positions(tt.opts); got != tt.want {
			t.Errorf("stream.get %v = %s, want %s", tt.opts, got, tt.want)
		}
	}
}

func TestStreamWriteArrayForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	const id = "0b8e2f2a-6a43-4c55-8f4e-2a8d25f3f1aa"
	e.ok(t, e.tenant, "stream.write", "other-1", msg("T", map[string]any{}))
	second := msg("B", map[string]any{"n": 2})
	second["id"] = id
	got := e.ok(t, e.tenant, "stream.write", "batch-1", []any{msg("A", map[string]any{"n": 1}), second}, map[string]any{"expectedVersion": -1})
	if s := canon(t, got); s != `{"count":2,"globalPosition":2,"position":0}` {
		t.Fatalf("array write result = %s", s)
	}
	msgs := e.ok(t, e.tenant, "stream.get", "batch-1").([]any)
	if len(msgs) != 2 || msgs[1].([]any)[0] != id || msgs[0].([]any)[1] != "A" {
		t.Fatalf("stream.get after array write = %s", canon(t, msgs))
	}
	wantError(t, e.call(t, e.tenant, "stream.write", "batch-1", []any{msg("C", map[string]any{})}, map[string]any{"expectedVersion": 0}),
		409, "STREAM_VERSION_CONFLICT", "expected 0")
}

func TestStreamWriteConcurrencyAndIdempotency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	const id = "3f0c1d7e-2a5b-4c8d-9e1f-0a1b2c3d4e5f"
	opts := map[string]any{"id": id}
	first := canon(t, e.ok(t, e.tenant, "stream.write", "acct-1", msg("Opened", map[string]any{"a": 1, "b": 2}), opts))
	e.ok(t, e.tenant, "stream.write", "acct-1", msg("Other", map[string]any{}))

	// Same id, same content (keys reordered): the original positions.
	retry := canon(t, e.ok(t, e.tenant, "stream.write", "acct-1", msg("Opened", map[string]any{"b": 2, "a": 1}), opts))
	if retry != first {
		t.Fatalf("retry = %s, want %s", retry, first)
	}
	// The id may also travel in the message itself.
	withID := msg("Opened", map[string]any{"a": 1, "b": 2})
	withID["id"] = id
	if got := canon(t, e.ok(t, e.tenant, "stream.write", "acct-1", withID)); got != first {
		t.Fatalf("retry with message.id = %s, want %s", got, first)
	}
	// Same id, other content: refused, nothing stored.
	for _, m := range []struct {
		stream string
		typ    string
		data   map[string]any
	}{
		{"acct-1", "Opened", map[string]any{"a": 9}},
		{"acct-1", "Closed", map[string]any{"a": 1, "b": 2}},
		{"acct-2", "Opened", map[string]any{"a": 1, "b": 2}},
	} {
		e2 := wantError(t, e.call(t, e.tenant, "stream.write", m.stream, msg(m.typ, m.data), opts), 409, "DUPLICATE_MESSAGE_ID", id)
		if e2.Error.Details["id"] != id {
			t.Fatalf("duplicate details = %v", e2.Error.Details)
		}
	}
	if v := e.ok(t, e.tenant, "stream.version", "acct-1"); v != 1.0 {
		t.Fatalf("version after refused duplicates = %v, want 1", v)
	}
	if r := e.call(t, e.tenant, "stream.version", "acct-2"); string(r.body) != "null" {
		t.Fatalf("acct-2 exists after a refused duplicate: %s", r.body)
	}

	tests := []struct {
		stream   string
		expected int64
		actual   float64
	}{
		{"acct-1", 0, 1},
		{"acct-1", -1, 1},
		{"acct-9", 0, -1},
	}
	for _, tt := range tests {
		r := e.call(t, e.tenant, "stream.write", tt.stream, msg("T", map[string]any{}), map[string]any{"expectedVersion": tt.expected})
		got := wantError(t, r, http.StatusConflict, "STREAM_VERSION_CONFLICT", tt.stream)
		if got.Error.Details["expected"] != float64(tt.expected) || got.Error.Details["actual"] != tt.actual {
			t.Errorf("conflict details = %v, want expected %d actual %v", got.Error.Details, tt.expected, tt.actual)
		}
	}
}

func TestStringsSurviveEncoding(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	for i, typ := range []string{"plain", `quo"te\back`, "tab\tnew\nline\r", "ctl\u0001\u001f", "é ü 漢字 🎉", "sep\u2028\u2029", "<html>&"} {
		name := fmt.Sprintf("enc-%d+%s", i, strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return '_'
			}
			return r
		}, typ))
		e.ok(t, e.tenant, "stream.write", name, msg(typ, map[string]any{"s": typ}))
		m := e.ok(t, e.tenant, "stream.get", name).([]any)[0].([]any)
		if m[1] != typ {
			t.Errorf("type %q came back as %q", typ, m[1])
		}
		c := e.ok(t, e.tenant, "category.get", "enc").([]any)
		found := false
		for _, cm := range c {
			if cm.([]any)[1] == name && cm.([]any)[2] == typ {
				found = true
			}
		}
		if !found {
			t.Errorf("category.get lost stream %q", name)
		}
	}
}

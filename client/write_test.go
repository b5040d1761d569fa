package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"testing"

	"github.com/eventodb/eventodb/client"
)

var uuidV7 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func msg(typ, data string) client.MessageData {
	return client.MessageData{Type: typ, Data: json.RawMessage(data)}
}

func TestWriteAndWriteBatch(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		ctx := context.Background()
		one, err := c.Write(ctx, "account-1", client.MessageData{Type: "Opened", Data: json.RawMessage(`{"name": "Ada"}`),
			Metadata: json.RawMessage(`{"user":"u-1"}`)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if one.Position != 0 || one.GlobalPosition < 1 || one.Count != 1 || len(one.IDs) != 1 || !uuidV7.MatchString(one.IDs[0]) {
			t.Fatalf("Write = %+v, want position 0, one generated id", one)
		}
		batch, err := c.WriteBatch(ctx, "account-1", []client.MessageData{msg("Deposited", `{"amount":10}`), msg("Deposited", `{"amount":5}`),
			{ID: "00000000-0000-4000-8000-00000000000a", Type: "Withdrawn"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if batch.Position != 1 || batch.GlobalPosition != one.GlobalPosition+1 || batch.Count != 3 || len(batch.IDs) != 3 ||
			batch.IDs[2] != "00000000-0000-4000-8000-00000000000a" {
			t.Fatalf("WriteBatch = %+v, want positions 1-3 after %+v", batch, one)
		}
		got, err := c.Read(ctx, "account-1", nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ id, typ, data, meta string }{
			{one.IDs[0], "Opened", `{"name":"Ada"}`, `{"user":"u-1"}`},
			{batch.IDs[0], "Deposited", `{"amount":10}`, ""},
			{batch.IDs[1], "Deposited", `{"amount":5}`, ""},
			{batch.IDs[2], "Withdrawn", `{}`, ""},
		}
		if len(got) != len(want) {
			t.Fatalf("read %d messages, want %d", len(got), len(want))
		}
		for i, w := range want {
			m := got[i]
			if m.ID != w.id || m.Stream != "account-1" || m.Type != w.typ || m.Position != int64(i) ||
				m.GlobalPosition != one.GlobalPosition+int64(i) || !sameJSON(m.Data, w.data) || !sameJSON(m.Metadata, w.meta) ||
				m.Time.Location().String() != "UTC" || m.Time.IsZero() {
				t.Errorf("message %d = %+v (data %s, meta %s), want %+v", i, m, m.Data, m.Metadata, w)
			}
		}
	})
}

func TestExpectedVersion(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		ctx := context.Background()
		steps := []struct {
			name           string
			batch          int // messages; 1 uses Write
			expect         *int64
			wantPos        int64
			wantConflict   bool
			wantExp, wantA int64
		}{
			{"a new stream must not exist", 1, ptr(client.NoStream), 0, false, 0, 0},
			{"it exists now", 1, ptr(client.NoStream), 0, true, -1, 0},
			{"at version 0", 1, ptr(0), 1, false, 0, 0},
			{"a stale version", 2, ptr(0), 0, true, 0, 1},
			{"a batch at the right version", 2, ptr(1), 2, false, 0, 0},
			{"no condition", 1, nil, 4, false, 0, 0},
		}
		for _, st := range steps {
			opts := &client.WriteOptions{}
			if st.expect != nil {
				opts.ExpectedVersion = client.ExpectVersion(*st.expect)
			}
			var res client.WriteResult
			var err error
			if st.batch == 1 {
				res, err = c.Write(ctx, "order-7", msg("T", `{}`), opts)
			} else {
				res, err = c.WriteBatch(ctx, "order-7", []client.MessageData{msg("T", `{}`), msg("T", `{}`)}, opts)
			}
			if st.wantConflict {
				exp, act, ok := client.VersionConflict(err)
				var e *client.Error
				if !errors.Is(err, client.ErrVersionConflict) || !ok || exp != st.wantExp || act != st.wantA ||
					!errors.As(err, &e) || e.Status != 409 {
					t.Fatalf("%s: %v (expected %d, actual %d, %v), want a conflict %d/%d", st.name, err, exp, act, ok, st.wantExp, st.wantA)
				}
				continue
			}
			if err != nil || res.Position != st.wantPos {
				t.Fatalf("%s: %+v, %v; want position %d", st.name, res, err, st.wantPos)
			}
		}
		if v, err := c.StreamVersion(ctx, "order-7"); err != nil || v != 4 {
			t.Fatalf("version %d, %v; want 4", v, err)
		}
	})
}

func TestMessageIDs(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		_, token := s.newNamespace(t)
		c := newClient(t, s.url, client.WithToken(token))
		ctx := context.Background()
		const id = "5b0b6a0e-8c3d-4e5f-9a1b-0c2d3e4f5a6b"
		first, err := c.Write(ctx, "cart-1", client.MessageData{ID: id, Type: "Added", Data: json.RawMessage(`{"sku":"a","n":1}`)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The same id and content again: a retry, answered with the original.
		again, err := c.Write(ctx, "cart-1", client.MessageData{ID: id, Type: "Added", Data: json.RawMessage(`{"n":1, "sku":"a"}`)}, nil)
		if err != nil || again.Position != first.Position || again.GlobalPosition != first.GlobalPosition {
			t.Fatalf("repeated write = %+v, %v; want %+v", again, err, first)
		}
		// The same id with other data: refused, naming the id.
		_, err = c.Write(ctx, "cart-1", client.MessageData{ID: id, Type: "Added", Data: json.RawMessage(`{"sku":"b"}`)}, nil)
		if got, ok := client.DuplicateID(err); !errors.Is(err, client.ErrDuplicateID) || !ok || got != id {
			t.Fatalf("conflicting write: %v (id %q)", err, got)
		}
		// Without automatic ids the server picks one, and the result names none.
		plain := newClient(t, s.url, client.WithAutoIDs(false), client.WithToken(token))
		res, err := plain.Write(ctx, "cart-1", msg("Removed", `{}`), nil)
		if err != nil || res.IDs != nil || res.Position != 1 {
			t.Fatalf("write without an id = %+v, %v", res, err)
		}
		last, err := c.Last(ctx, "cart-1", nil)
		if err != nil || last == nil || len(last.ID) != 36 || last.Type != "Removed" {
			t.Fatalf("last = %+v, %v; want a server id", last, err)
		}
		if msgs, err := c.Read(ctx, "cart-1", nil); err != nil || len(msgs) != 2 {
			t.Fatalf("cart-1 holds %d messages (%v), want 2", len(msgs), err)
		}
	})
}

func ptr(v int64) *int64 { return &v }

// sameJSON compares JSON values; "" stands for nil.
func sameJSON(got json.RawMessage, want string) bool {
	if want == "" {
		return got == nil
	}
	var g, w any
	if json.Unmarshal(got, &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
		return false
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}

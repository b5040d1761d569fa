package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/eventodb/eventodb/client"
)

// fillStream writes n messages of types A, B, A, B… to stream and returns
// the global position of the first.
func fillStream(t *testing.T, c *client.Client, stream string, n int) int64 {
	t.Helper()
	batch := make([]client.MessageData, n)
	for i := range batch {
		batch[i] = msg([]string{"A", "B"}[i%2], fmt.Sprintf(`{"i":%d}`, i))
	}
	res, err := c.WriteBatch(context.Background(), stream, batch, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.GlobalPosition
}

func positions(msgs []client.Message) []int64 {
	out := make([]int64, len(msgs))
	for i, m := range msgs {
		out[i] = m.Position
	}
	return out
}

func TestRead(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		ctx := context.Background()
		g0 := fillStream(t, c, "ledger-1", 12)
		tests := []struct {
			name string
			opts *client.ReadOptions
			want []int64
		}{
			{"defaults", nil, []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
			{"from a position", &client.ReadOptions{Position: 9}, []int64{9, 10, 11}},
			{"a batch", &client.ReadOptions{Position: 2, BatchSize: 3}, []int64{2, 3, 4}},
			{"unlimited", &client.ReadOptions{Position: 10, BatchSize: client.Unlimited}, []int64{10, 11}},
			{"from a global position", &client.ReadOptions{GlobalPosition: g0 + 10}, []int64{10, 11}},
			{"past the end", &client.ReadOptions{Position: 12}, []int64{}},
			{"a negative position reads from the start", &client.ReadOptions{Position: -3, BatchSize: 2}, []int64{0, 1}},
		}
		for _, tt := range tests {
			got, err := c.Read(ctx, "ledger-1", tt.opts)
			if err != nil || fmt.Sprint(positions(got)) != fmt.Sprint(tt.want) {
				t.Errorf("%s: %v, %v; want %v", tt.name, positions(got), err, tt.want)
			}
		}
		if got, err := c.Read(ctx, "ledger-none", nil); err != nil || got == nil || len(got) != 0 {
			t.Errorf("a missing stream reads as %v, %v; want an empty slice", got, err)
		}

		for _, tt := range []struct {
			typ     string
			wantPos int64
		}{{"", 11}, {"A", 10}, {"B", 11}} {
			last, err := c.Last(ctx, "ledger-1", &client.LastOptions{Type: tt.typ})
			if err != nil || last == nil || last.Position != tt.wantPos || last.Stream != "ledger-1" || !sameJSON(last.Data, fmt.Sprintf(`{"i":%d}`, tt.wantPos)) {
				t.Errorf("Last(type %q) = %+v, %v; want position %d", tt.typ, last, err, tt.wantPos)
			}
		}
		for _, tt := range []struct {
			stream, typ string
		}{{"ledger-none", ""}, {"ledger-1", "C"}} {
			if last, err := c.Last(ctx, tt.stream, &client.LastOptions{Type: tt.typ}); err != nil || last != nil {
				t.Errorf("Last(%s, %q) = %+v, %v; want nil", tt.stream, tt.typ, last, err)
			}
		}
		for stream, want := range map[string]int64{"ledger-1": 11, "ledger-none": client.NoStream} {
			if v, err := c.StreamVersion(ctx, stream); err != nil || v != want {
				t.Errorf("StreamVersion(%s) = %d, %v; want %d", stream, v, err, want)
			}
		}
	})
}

func TestReadAllPages(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		fillStream(t, c, "ledger-2", 7)
		tests := []struct {
			opts *client.ReadOptions
			want int
		}{
			{nil, 7},
			{&client.ReadOptions{BatchSize: 2}, 7},
			{&client.ReadOptions{BatchSize: 7}, 7},
			{&client.ReadOptions{BatchSize: 1, Position: 4}, 3},
			{&client.ReadOptions{BatchSize: client.Unlimited}, 7},
		}
		for _, tt := range tests {
			var got []client.Message
			for m, err := range c.ReadAll(context.Background(), "ledger-2", tt.opts) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, m)
			}
			for i, m := range got {
				if m.Position != int64(7-tt.want+i) {
					t.Fatalf("%+v: message %d at position %d", tt.opts, i, m.Position)
				}
			}
			if len(got) != tt.want {
				t.Errorf("%+v: %d messages, want %d", tt.opts, len(got), tt.want)
			}
		}
		// Stopping early stops the reads.
		n := 0
		for range c.ReadAll(context.Background(), "ledger-2", &client.ReadOptions{BatchSize: 2}) {
			if n++; n == 3 {
				break
			}
		}
		// An error ends the iteration with it.
		for m, err := range c.ReadAll(context.Background(), "", nil) {
			if err == nil || m.ID != "" {
				t.Fatalf("reading stream \"\": %+v, %v", m, err)
			}
		}
	})
}

func TestReadCategory(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		ctx := context.Background()
		var all []int64 // global positions of category "account"
		for i := range 20 {
			stream := fmt.Sprintf("account-%d", i%5)
			m := msg("Happened", fmt.Sprintf(`{"i":%d}`, i))
			if i%3 == 0 {
				m.Metadata = json.RawMessage(`{"correlationStreamName":"workflow-9"}`)
			}
			res, err := c.Write(ctx, stream, m, nil)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, res.GlobalPosition)
			if _, err := c.Write(ctx, "other-1", msg("Noise", `{}`), nil); err != nil {
				t.Fatal(err)
			}
		}
		got, err := c.ReadCategory(ctx, "account", nil)
		if err != nil || len(got) != 20 {
			t.Fatalf("ReadCategory = %d messages, %v", len(got), err)
		}
		for i, m := range got {
			if m.GlobalPosition != all[i] || m.Stream != fmt.Sprintf("account-%d", i%5) || m.Position != int64(i/5) {
				t.Fatalf("message %d = %+v", i, m)
			}
		}
		page, err := c.ReadCategory(ctx, "account", &client.CategoryOptions{GlobalPosition: all[4], BatchSize: 3})
		if err != nil || len(page) != 3 || page[0].GlobalPosition != all[4] || page[2].GlobalPosition != all[6] {
			t.Fatalf("a page from %d: %+v, %v", all[4], page, err)
		}
		correlated, err := c.ReadCategory(ctx, "account", &client.CategoryOptions{Correlation: "workflow"})
		if err != nil || len(correlated) != 7 {
			t.Fatalf("correlated: %d messages, %v; want 7", len(correlated), err)
		}

		// The members of a group share the category: every message once,
		// every stream with one member.
		owner := map[string]int64{}
		seen := 0
		for member := range int64(3) {
			var part []client.Message
			for m, err := range c.ReadCategoryAll(ctx, "account", &client.CategoryOptions{BatchSize: 2,
				ConsumerGroup: &client.ConsumerGroup{Member: member, Size: 3}}) {
				if err != nil {
					t.Fatal(err)
				}
				part = append(part, m)
			}
			for _, m := range part {
				if o, ok := owner[m.Stream]; ok && o != member {
					t.Fatalf("%s read by members %d and %d", m.Stream, o, member)
				}
				owner[m.Stream] = member
			}
			seen += len(part)
		}
		if seen != 20 || len(owner) != 5 {
			t.Fatalf("the group read %d messages of %d streams, want 20 of 5", seen, len(owner))
		}
	})
}

// Names, types and documents with quotes, escapes, brackets and non-ASCII
// text come back byte for byte from every kind of read.
func TestReadAwkwardJSON(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		ctx := context.Background()
		const stream = `weird"cat\-1+ü`
		written := []client.MessageData{
			{Type: `T"\ ]`, Data: json.RawMessage(`{"a":"x],[\"y","b":[1,{"c":"}"},-2.5e3,null,true],"ü":"\u2028<&>"}`),
				Metadata: json.RawMessage(`{"correlationStreamName":"flow-1","n":[[]]}`)},
			{Type: "Plain", Data: json.RawMessage(`{}`)},
		}
		if _, err := c.WriteBatch(ctx, stream, written, nil); err != nil {
			t.Fatal(err)
		}
		check := func(what string, got []client.Message) {
			t.Helper()
			if len(got) != len(written) {
				t.Fatalf("%s: %d messages", what, len(got))
			}
			for i, w := range written {
				m := got[i]
				if m.Stream != stream || m.Type != w.Type || !sameJSON(m.Data, string(w.Data)) || !sameJSON(m.Metadata, string(w.Metadata)) {
					t.Errorf("%s: message %d = %q %q %s %s", what, i, m.Stream, m.Type, m.Data, m.Metadata)
				}
			}
		}
		got, err := c.Read(ctx, stream, nil)
		if err != nil {
			t.Fatal(err)
		}
		check("Read", got)
		got, err = c.ReadCategory(ctx, `weird"cat\`, nil)
		if err != nil {
			t.Fatal(err)
		}
		check("ReadCategory", got)
		last, err := c.Last(ctx, stream, &client.LastOptions{Type: written[0].Type})
		if err != nil || last == nil {
			t.Fatalf("Last = %v, %v", last, err)
		}
		check("Last", []client.Message{*last, got[1]})
	})
}

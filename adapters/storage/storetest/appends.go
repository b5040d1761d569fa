package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func testAppendRead(t *testing.T, e *env) {
	ns := e.namespace(t)
	before := time.Now().Add(-time.Second)
	first := msg("Opened", map[string]any{"amount": 10, "note": "ünïcode ✓"})
	first.Metadata = []byte(`{"correlationStreamName":"workflow-1","n":1}`)
	second := msg("Deposited", map[string]any{"amount": 5})
	r1 := appendOne(t, e.store, ns, "account-1", first)
	r2 := appendOne(t, e.store, ns, "account-1", second)
	if r1.Position != 0 || r2.Position != 1 {
		t.Fatalf("positions = %d, %d; want 0, 1", r1.Position, r2.Position)
	}
	if r1.GlobalPosition != 1 || r2.GlobalPosition != 2 {
		t.Fatalf("global positions = %d, %d; want 1, 2 in a fresh namespace", r1.GlobalPosition, r2.GlobalPosition)
	}
	msgs := readAll(t, e.store, ns, "account-1")
	if len(msgs) != 2 {
		t.Fatalf("read %d messages, want 2", len(msgs))
	}
	m := msgs[0]
	if m.ID != first.ID || m.Type != "Opened" || m.Stream != "account-1" || m.Position != 0 || m.GlobalPosition != 1 {
		t.Fatalf("first message = %+v", m)
	}
	jsonEqual(t, m.Data, `{"amount":10,"note":"ünïcode ✓"}`)
	jsonEqual(t, m.Metadata, `{"correlationStreamName":"workflow-1","n":1}`)
	if msgs[1].Metadata != nil {
		t.Fatalf("metadata of a message written without = %q, want nil", msgs[1].Metadata)
	}
	if m.Time.Before(before) || m.Time.After(time.Now().Add(time.Second)) || m.Time.Location() != time.UTC {
		t.Fatalf("time = %v, want about now in UTC", m.Time)
	}
	v, err := e.store.Version(context.Background(), ns, "account-1")
	if err != nil || v != 1 {
		t.Fatalf("version = %d, %v; want 1", v, err)
	}
	v, err = e.store.Version(context.Background(), ns, "account-404")
	if err != nil || v != stream.NoStream {
		t.Fatalf("version of missing stream = %d, %v; want -1", v, err)
	}
}

func testExpectedVersion(t *testing.T, e *env) {
	ns := e.namespace(t)
	ctx := context.Background()
	write := func(ev stream.ExpectedVersion) error {
		_, err := e.store.Append(ctx, ns, stream.Append{Stream: "order-1", Messages: []stream.Proposed{msg("T", map[string]int{})}, ExpectedVersion: ev})
		return err
	}
	if err := write(stream.ExactVersion(stream.NoStream)); err != nil {
		t.Fatalf("expectedVersion -1 on a new stream: %v", err)
	}
	var conflict *stream.VersionConflictError
	if err := write(stream.ExactVersion(stream.NoStream)); !errors.As(err, &conflict) || conflict.Expected != -1 || conflict.Actual != 0 {
		t.Fatalf("expectedVersion -1 on an existing stream: %v, want conflict expected -1 actual 0", err)
	}
	if err := write(stream.ExactVersion(0)); err != nil {
		t.Fatalf("expectedVersion 0 at version 0: %v", err)
	}
	if err := write(stream.ExactVersion(5)); !errors.As(err, &conflict) || conflict.Expected != 5 || conflict.Actual != 1 {
		t.Fatalf("expectedVersion 5 at version 1: %v, want conflict expected 5 actual 1", err)
	}
	_, err := e.store.Append(ctx, ns, stream.Append{Stream: "order-404", Messages: []stream.Proposed{msg("T", map[string]int{})}, ExpectedVersion: stream.ExactVersion(0)})
	if !errors.As(err, &conflict) || conflict.Actual != -1 {
		t.Fatalf("expectedVersion 0 on a missing stream: %v, want conflict with actual -1", err)
	}
	if n := len(readAll(t, e.store, ns, "order-1")); n != 2 {
		t.Fatalf("stream has %d messages after two conflicts, want 2", n)
	}
	// Ids the server generated cannot be stored already, so a backend may
	// answer a conflict on them from what it remembers, without writing.
	generated := msg("T", map[string]int{})
	generated.GeneratedID = true
	_, err = e.store.Append(ctx, ns, stream.Append{Stream: "order-1", Messages: []stream.Proposed{generated}, ExpectedVersion: stream.ExactVersion(0)})
	if !errors.As(err, &conflict) || conflict.Expected != 0 || conflict.Actual != 1 {
		t.Fatalf("expectedVersion 0 at version 1 with a generated id: %v, want conflict expected 0 actual 1", err)
	}
	if n := len(readAll(t, e.store, ns, "order-1")); n != 2 {
		t.Fatalf("stream has %d messages after three conflicts, want 2", n)
	}
}

func testIdempotentIDs(t *testing.T, e *env) {
	ns := e.namespace(t)
	ctx := context.Background()
	m := msg("Paid", map[string]any{"a": 1, "b": 2})
	orig := appendOne(t, e.store, ns, "payment-1", m)
	appendOne(t, e.store, ns, "payment-1", msg("Other", map[string]int{}))

	retry := m
	retry.Data = []byte(`{ "b": 2, "a": 1 }`) // same JSON value, other text
	res, err := e.store.Append(ctx, ns, stream.Append{Stream: "payment-1", Messages: []stream.Proposed{retry}, ExpectedVersion: stream.ExactVersion(stream.NoStream)})
	if err != nil || res.Position != orig.Position || res.GlobalPosition != orig.GlobalPosition {
		t.Fatalf("retry = %+v, %v; want the original %+v", res, err, orig)
	}
	for name, changed := range map[string]stream.Append{
		"other data":   {Stream: "payment-1", Messages: []stream.Proposed{{ID: m.ID, Type: m.Type, Data: []byte(`{"a":2}`)}}},
		"other type":   {Stream: "payment-1", Messages: []stream.Proposed{{ID: m.ID, Type: "Refunded", Data: m.Data}}},
		"other stream": {Stream: "payment-2", Messages: []stream.Proposed{m}},
		"partly known": {Stream: "payment-1", Messages: []stream.Proposed{m, msg("New", map[string]int{})}},
	} {
		var dup *stream.DuplicateIDError
		if _, err := e.store.Append(ctx, ns, changed); !errors.As(err, &dup) || dup.ID != m.ID {
			t.Fatalf("%s: err = %v, want DuplicateIDError for %s", name, err, m.ID)
		}
	}
	if n := len(readAll(t, e.store, ns, "payment-1")); n != 2 {
		t.Fatalf("payment-1 has %d messages, want 2", n)
	}
	if n := len(readAll(t, e.store, ns, "payment-2")); n != 0 {
		t.Fatalf("payment-2 has %d messages, want 0", n)
	}
}

func testAtomicBatch(t *testing.T, e *env) {
	ns := e.namespace(t)
	ctx := context.Background()
	batch := []stream.Proposed{msg("A", map[string]int{"i": 0}), msg("B", map[string]int{"i": 1}), msg("C", map[string]int{"i": 2})}
	res, err := e.store.Append(ctx, ns, stream.Append{Stream: "cart-1", Messages: batch, ExpectedVersion: stream.ExactVersion(-1)})
	if err != nil || res.Position != 0 || res.Count != 3 {
		t.Fatalf("batch append = %+v, %v", res, err)
	}
	msgs := readAll(t, e.store, ns, "cart-1")
	for i, m := range msgs {
		if m.Position != int64(i) || m.GlobalPosition != res.GlobalPosition+int64(i) || m.ID != batch[i].ID {
			t.Fatalf("message %d = %+v", i, m)
		}
	}
	_, err = e.store.Append(ctx, ns, stream.Append{Stream: "cart-1", Messages: []stream.Proposed{msg("D", map[string]int{}), msg("E", map[string]int{})}, ExpectedVersion: stream.ExactVersion(0)})
	var conflict *stream.VersionConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("batch with a stale version: %v, want conflict", err)
	}
	if n := len(readAll(t, e.store, ns, "cart-1")); n != 3 {
		t.Fatalf("stream has %d messages after a refused batch, want 3", n)
	}
	// The same id twice in one batch would violate the id index: the store
	// must fail that append alone and leave nothing behind.
	id := uuid.NewString()
	twice := []stream.Proposed{{ID: id, Type: "X", Data: []byte(`{}`)}, {ID: id, Type: "X", Data: []byte(`{"other":1}`)}}
	if _, err := e.store.Append(ctx, ns, stream.Append{Stream: "cart-2", Messages: twice}); err == nil {
		t.Fatal("a batch repeating one id with different data was accepted")
	}
	if n := len(readAll(t, e.store, ns, "cart-2")); n != 0 {
		t.Fatalf("cart-2 has %d messages after a refused batch, want 0", n)
	}
}

func testReadOptions(t *testing.T, e *env) {
	ns := e.namespace(t)
	ctx := context.Background()
	var gpos []int64
	for i := range 10 {
		typ := "Even"
		if i%2 == 1 {
			typ = "Odd"
		}
		gpos = append(gpos, appendOne(t, e.store, ns, "item-1", msg(typ, map[string]int{"i": i})).GlobalPosition)
		appendOne(t, e.store, ns, "item-2", msg("Noise", map[string]int{"i": i}))
	}
	msgs, err := e.store.ReadStream(ctx, ns, ports.StreamQuery{Stream: "item-1", Position: 3, Limit: 4})
	if err != nil || len(msgs) != 4 || msgs[0].Position != 3 || msgs[3].Position != 6 {
		t.Fatalf("position 3 limit 4 = %d messages, %v", len(msgs), err)
	}
	msgs, err = e.store.ReadStream(ctx, ns, ports.StreamQuery{Stream: "item-1", GlobalPosition: gpos[7], Limit: 100})
	if err != nil || len(msgs) != 3 || msgs[0].Position != 7 {
		t.Fatalf("globalPosition %d = %d messages, %v; want positions 7..9", gpos[7], len(msgs), err)
	}
	last, err := e.store.Last(ctx, ns, "item-1", "")
	if err != nil || last == nil || last.Position != 9 {
		t.Fatalf("last = %+v, %v", last, err)
	}
	last, err = e.store.Last(ctx, ns, "item-1", "Even")
	if err != nil || last == nil || last.Position != 8 {
		t.Fatalf("last Even = %+v, %v", last, err)
	}
	if last, err = e.store.Last(ctx, ns, "item-1", "Missing"); err != nil || last != nil {
		t.Fatalf("last of a missing type = %+v, %v; want nil", last, err)
	}
	if last, err = e.store.Last(ctx, ns, "item-404", ""); err != nil || last != nil {
		t.Fatalf("last of a missing stream = %+v, %v; want nil", last, err)
	}
	cat := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "item", GlobalPosition: gpos[5], Limit: 3})
	if len(cat) != 3 || cat[0].GlobalPosition != gpos[5] || cat[1].Stream != "item-2" {
		t.Fatalf("category from %d = %+v", gpos[5], cat)
	}
	for i := 1; i < len(cat); i++ {
		if cat[i].GlobalPosition <= cat[i-1].GlobalPosition {
			t.Fatalf("category read not ascending: %d after %d", cat[i].GlobalPosition, cat[i-1].GlobalPosition)
		}
	}
	if got := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "ite"}); len(got) != 0 {
		t.Fatalf("category 'ite' returned %d messages of 'item'", len(got))
	}
}

package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// The namespace RunScale fills: ScaleMessages messages over ScaleStreams
// streams of ScaleMessages/ScaleStreams messages each, the streams spread
// evenly over the categories in scaleCategories (so each category holds a
// tenth of the messages, interleaved in global order with the others), and
// one message in 20 of every category correlated with a "workflow" stream.
const (
	ScaleMessages = 1_000_000
	ScaleStreams  = 10_000
	// scaleImportBatch is how many messages one Import stores.
	scaleImportBatch = 10_000
)

var scaleCategories = []string{"account", "cart", "customer", "invoice", "order", "payment", "product", "review", "shipment", "ticket"}

// ScaleHarness is what RunScale needs of an adapter.
type ScaleHarness struct {
	// Store is an empty store (no namespace "scale"); it must implement
	// ports.Importer.
	Store ports.Storage
	// Filled, when set, runs once the namespace holds every message, before
	// anything is measured: for what a database that has been running would
	// have done by itself (PostgreSQL: ANALYZE, which autovacuum runs after
	// bulk inserts).
	Filled func(b *testing.B, ns string)
	// Compact, when set, runs after every other sub-benchmark: it rewrites
	// the namespace's tables compactly (PostgreSQL: VACUUM FULL), and the
	// catalog sub-benchmarks run again after it, named "compacted …", to
	// show what the tables' dead rows cost them.
	Compact func(b *testing.B, ns string)
}

// RunScale measures the reads that must not slow down as a namespace grows,
// on a namespace of ScaleMessages messages, one sub-benchmark each:
//
//   - category.get of 100 messages from the middle of a category (of 100,000
//     messages), plain, as member 1 of a consumer group of 4, and with a
//     correlation filter;
//   - ns.categories (over ScaleStreams streams), ns.streams (a page of 100:
//     the first, one after a cursor in the middle, one with a prefix) and
//     ns.info.
//
// The namespace is filled through ports.Importer, batches of 10,000 messages
// in one transaction each, when the benchmark runs (a fill takes tens of
// seconds); sub-benchmarks share it, so -count repeats the measurements, not
// the fill. Every read checks what it got.
func RunScale(b *testing.B, h ScaleHarness) {
	ctx := context.Background()
	imp, ok := h.Store.(ports.Importer)
	if !ok {
		b.Fatalf("%T does not implement ports.Importer", h.Store)
	}
	const ns = "scale"
	if err := h.Store.Create(ctx, namespace.Record{ID: ns, TokenHash: randomHex(32), CreatedAt: time.Now().UTC()}); err != nil {
		b.Fatalf("create namespace: %v", err)
	}
	start := time.Now()
	batch := make([]stream.Message, scaleImportBatch)
	for first := int64(1); first <= ScaleMessages; first += scaleImportBatch {
		for i := range batch {
			batch[i] = ScaleMessage(first + int64(i))
		}
		if err := imp.Import(ctx, ns, batch); err != nil {
			b.Fatalf("import from global position %d: %v", first, err)
		}
	}
	took := time.Since(start)
	b.Logf("imported %d messages (%d streams) in %s: %.0f messages/s", ScaleMessages, ScaleStreams,
		took.Round(time.Millisecond), ScaleMessages/took.Seconds())
	if h.Filled != nil {
		h.Filled(b, ns)
	}

	scanner, _ := h.Store.(ports.Scanner)
	// category reads each read 100 messages of category "order" from a global
	// position in the middle 10 % of the namespace, a different one each time
	// (so the benchmark is not one cached page), the way a consumer catching up
	// pages through it.
	category := func(b *testing.B, q ports.CategoryQuery, want func(*stream.Message) bool) {
		b.ReportAllocs()
		q.Category, q.Limit = "order", 100
		read := func(from int64, visit func(*stream.Message) error) {
			q.GlobalPosition = from
			n := 0
			count := func(m *stream.Message) error { n++; return visit(m) }
			var err error
			if scanner != nil {
				_, err = scanner.ScanCategory(ctx, ns, q, count)
			} else {
				var msgs []stream.Message
				if msgs, err = h.Store.ReadCategory(ctx, ns, q); err == nil {
					for i := range msgs {
						if err = count(&msgs[i]); err != nil {
							break
						}
					}
				}
			}
			if err != nil || n != 100 {
				b.Fatalf("category.get from %d: %d messages, %v; want 100", from, n, err)
			}
		}
		from := func(i int) int64 { return ScaleMessages*45/100 + int64(i*7919)%(ScaleMessages/10) }
		// What a read returns is checked once, untimed: the checks cost
		// more than some of the reads.
		last := int64(0)
		read(from(0), func(m *stream.Message) error {
			if stream.Category(m.Stream) != "order" || m.GlobalPosition < from(0) || m.GlobalPosition <= last || !want(m) {
				return fmt.Errorf("returned %s at global position %d after %d", m.Stream, m.GlobalPosition, last)
			}
			last = m.GlobalPosition
			return nil
		})
		none := func(*stream.Message) error { return nil }
		for i := 0; b.Loop(); i++ {
			read(from(i), none)
		}
	}
	b.Run("category.get 100 from the middle", func(b *testing.B) {
		category(b, ports.CategoryQuery{}, func(*stream.Message) bool { return true })
	})
	b.Run("category.get 100 consumer group member 1 of 4", func(b *testing.B) {
		g := partition.Group{Member: 1, Size: 4}
		category(b, ports.CategoryQuery{Group: &g}, func(m *stream.Message) bool { return g.Contains(m.Stream) })
	})
	b.Run("category.get 100 correlation", func(b *testing.B) {
		category(b, ports.CategoryQuery{Correlation: "workflow"}, func(m *stream.Message) bool {
			return stream.CorrelationCategory(m.Metadata) == "workflow"
		})
	})

	catalog := func(prefix string) {
		b.Run(prefix+"ns.categories", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cats, err := h.Store.Categories(ctx, ns)
				if err != nil || len(cats) != len(scaleCategories) {
					b.Fatalf("ns.categories: %d categories, %v; want %d", len(cats), err, len(scaleCategories))
				}
				for _, c := range cats {
					if c.StreamCount != ScaleStreams/int64(len(scaleCategories)) || c.MessageCount != ScaleMessages/int64(len(scaleCategories)) {
						b.Fatalf("ns.categories: %+v", c)
					}
				}
			}
		})
		streams := func(b *testing.B, q ports.StreamListQuery) {
			b.ReportAllocs()
			q.Limit = 100
			for b.Loop() {
				list, err := h.Store.ListStreams(ctx, ns, q)
				if err != nil || len(list) != 100 || list[0].Stream <= q.After || list[99].Version != ScaleMessages/ScaleStreams-1 {
					b.Fatalf("ns.streams %+v: %d streams, %v; want 100 after %q", q, len(list), err, q.After)
				}
			}
		}
		b.Run(prefix+"ns.streams first page", func(b *testing.B) { streams(b, ports.StreamListQuery{}) })
		b.Run(prefix+"ns.streams page after a cursor in the middle", func(b *testing.B) {
			streams(b, ports.StreamListQuery{After: scaleStream(ScaleStreams/2 + 5)})
		})
		b.Run(prefix+"ns.streams page with a prefix", func(b *testing.B) {
			streams(b, ports.StreamListQuery{Prefix: "payment-"})
		})
		b.Run(prefix+"ns.info", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, err := h.Store.Stats(ctx, ns)
				if err != nil || st.MessageCount != ScaleMessages || st.StreamCount != ScaleStreams {
					b.Fatalf("ns.info: %+v, %v", st, err)
				}
			}
		})
	}
	catalog("")
	if h.Compact != nil {
		h.Compact(b, ns)
		catalog("compacted ")
	}
}

// ScaleMessage is the message of the scale namespace at global position g
// (1-based): in stream g-1 mod ScaleStreams, at the position the streams
// before it leave it, its category the stream's number mod 10 (so a
// category's messages are every tenth global position), correlated with a
// workflow stream when (g-1)/10 is a multiple of 20.
func ScaleMessage(g int64) stream.Message {
	s := (g - 1) % ScaleStreams
	m := stream.Message{
		ID:             fmt.Sprintf("00000000-0000-4000-8000-%012x", g),
		Stream:         scaleStream(s),
		Type:           "Recorded",
		Position:       (g - 1) / ScaleStreams,
		GlobalPosition: g,
		Data:           fmt.Appendf(nil, `{"amount":%d,"currency":"EUR","note":"a message of the scale benchmark"}`, g%1000),
		Time:           time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(g) * time.Millisecond),
	}
	if (g-1)/10%20 == 0 {
		m.Metadata = fmt.Appendf(nil, `{"correlationStreamName":"workflow-%d"}`, g%1000)
	}
	return m
}

// scaleStream names stream number s of the scale namespace.
func scaleStream(s int64) string {
	return fmt.Sprintf("%s-%05d", scaleCategories[s%int64(len(scaleCategories))], s)
}

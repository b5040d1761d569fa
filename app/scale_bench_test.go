package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/eventodb/eventodb/adapters/storage/postgres/pgtest"
	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// unlimitedMessages is the length of the stream BenchmarkHTTPStreamGetUnlimited reads.
const unlimitedMessages = 1_000_000

// BenchmarkHTTPStreamGetUnlimited reads a stream of 1,000,000 messages
// (about 165 MB of JSON) with one stream.get of batchSize -1 through the
// whole server, on SQLite files and, when EVENTODB_TEST_PG_URL is set, on
// PostgreSQL, and reports how far the process's Go heap rose above what it
// was before the read:
//
//   - peak-heap-MB: the most the heap's objects (live or not yet swept)
//     exceeded the baseline, sampled every millisecond: what the read costs
//     in memory, garbage included;
//   - peak-live-MB: the most the live heap (as the last collection found it)
//     exceeded the baseline: what the server holds on to while streaming.
//
// The client, in the same process, reads the answer through a 64 KiB
// buffer, counting messages; server and client share the figures, which
// would be of the order of the whole answer if the server collected it.
// Filling the stream through ports.Importer takes about 10 s on SQLite, a
// minute on PostgreSQL, once per -count:
//
//	go test ./app -run '^$' -bench StreamGetUnlimited -count 5
func BenchmarkHTTPStreamGetUnlimited(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchUnlimited(b, func(*config.Config) {}) })
	b.Run("postgres", func(b *testing.B) {
		url := pgtest.FreshDatabase(b) // skips without EVENTODB_TEST_PG_URL
		benchUnlimited(b, func(c *config.Config) { c.DBURL = url })
	})
}

func benchUnlimited(b *testing.B, backend func(*config.Config)) {
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.RateLimit = 0
	cfg.LogLevel = "error"
	cfg.Token = "ns_ZGVmYXVsdA_" + strings.Repeat("ab", 32)
	backend(&cfg)
	var imp ports.Importer
	srv := apptest.Start(b, cfg, fx.Populate(&imp))

	start := time.Now()
	fillLongStream(b, imp, unlimitedMessages)
	b.Logf("imported %d messages into one stream in %s", unlimitedMessages, time.Since(start).Round(time.Millisecond))

	client := &http.Client{}
	var peakHeap, peakLive, bytesRead uint64
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		base := settledHeap()
		stop := sampleHeap()
		b.StartTimer()
		t0 := time.Now()
		n := readUnlimited(b, client, srv.URL, cfg.Token, unlimitedMessages)
		took += time.Since(t0)
		b.StopTimer()
		heap, live := stop()
		heap, live = heap-min(heap, base.objects), live-min(live, base.live)
		b.Logf("read %.1f MB in %s: heap objects +%.1f MB, live heap +%.1f MB", float64(n)/(1<<20), time.Since(t0).Round(time.Millisecond),
			float64(heap)/(1<<20), float64(live)/(1<<20))
		peakHeap, peakLive = max(peakHeap, heap), max(peakLive, live)
		bytesRead += n
		b.StartTimer()
	}
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peakLive)/(1<<20), "peak-live-MB")
	b.ReportMetric(float64(bytesRead)/(1<<20)/float64(b.N), "answer-MB")
	b.ReportMetric(float64(unlimitedMessages*b.N)/took.Seconds(), "msgs/s")
}

// unlimitedMessage is message pos of stream big-1.
func unlimitedMessage(pos int64) stream.Message {
	return stream.Message{
		ID:             fmt.Sprintf("00000000-0000-4000-8000-%012x", pos+1),
		Stream:         "big-1",
		Type:           "Recorded",
		Position:       pos,
		GlobalPosition: pos + 1,
		Data:           fmt.Appendf(nil, `{"amount":%d,"currency":"EUR","note":"a message of a very long stream"}`, pos%1000),
		Time:           time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(pos) * time.Millisecond),
	}
}

// fillLongStream imports messages 0 to n-1 of stream big-1 into namespace
// default, 10,000 to a transaction.
func fillLongStream(t testing.TB, imp ports.Importer, n int) {
	t.Helper()
	batch := make([]stream.Message, 0, 10_000)
	for first := int64(0); first < int64(n); first += int64(cap(batch)) {
		batch = batch[:0]
		for pos := first; pos < min(first+int64(cap(batch)), int64(n)); pos++ {
			batch = append(batch, unlimitedMessage(pos))
		}
		if err := imp.Import(context.Background(), "default", batch); err != nil {
			t.Fatalf("import from position %d: %v", first, err)
		}
	}
}

// readUnlimited reads all of big-1 with batchSize -1, checks that the answer
// holds its n messages and ends with the last one, and returns its size.
func readUnlimited(b testing.TB, client *http.Client, base, token string, n int) uint64 {
	b.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/rpc", strings.NewReader(`["stream.get","big-1",{"batchSize":-1}]`))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		b.Fatalf("stream.get batchSize -1: HTTP %d %s", resp.StatusCode, body)
	}
	// Every message starts with its id, and only there does this text occur.
	mark := []byte(`["00000000-0000-4000-8000-`)
	buf := make([]byte, len(mark)-1, 64<<10)
	var total uint64
	count := 0
	var tail []byte
	for {
		k, err := resp.Body.Read(buf[len(mark)-1 : cap(buf)])
		window := buf[:len(mark)-1+k]
		count += bytes.Count(window, mark)
		total += uint64(k)
		if k > 0 {
			tail = append(tail[:0], window[max(0, len(window)-200):]...)
			// Carry the last bytes over: a mark split between two reads
			// is counted in the next window, none twice (it is longer).
			copy(buf, window[len(window)-(len(mark)-1):])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatalf("reading the answer after %d bytes: %v", total, err)
		}
	}
	last := fmt.Sprintf(`,%d,%d,`, n-1, n)
	if count != n || !bytes.HasSuffix(tail, []byte("]]")) || !bytes.Contains(tail, []byte(last)) {
		b.Fatalf("stream.get batchSize -1: %d messages in %d bytes, ending %q; want %d ending with position %d", count, total, tail, n, n-1)
	}
	return total
}

type heapFigures struct{ objects, live uint64 }

var heapSamples = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}

// readHeap reads the heap's objects (live or not yet swept) and the live
// heap the last collection marked.
func readHeap() heapFigures {
	s := make([]metrics.Sample, len(heapSamples))
	copy(s, heapSamples)
	metrics.Read(s)
	return heapFigures{objects: s[0].Value.Uint64(), live: s[1].Value.Uint64()}
}

// settledHeap collects twice, so the baseline holds what is live and no
// garbage of the set-up.
func settledHeap() heapFigures {
	runtime.GC()
	runtime.GC()
	return readHeap()
}

// sampleHeap samples the heap every millisecond until the returned function
// is called, which returns the largest figures seen.
func sampleHeap() func() (objects, live uint64) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var peak heapFigures
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			f := readHeap()
			peak.objects, peak.live = max(peak.objects, f.objects), max(peak.live, f.live)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		f := readHeap()
		return max(peak.objects, f.objects), max(peak.live, f.live)
	}
}

// A stream.get of batchSize -1 streams its answer: the server holds a page
// at a time, not the answer. The figure checked is the live heap each
// garbage collection finds during the read (collections happen throughout:
// the read makes garbage of several times the answer's size), whose rise
// over the baseline stays near 1 MB; an answer collected in memory instead
// would show most of its 50 MB at the collections while it grows. Not
// parallel: the heap is the whole test process's, and a sequential test
// runs alone in it.
func TestStreamGetUnlimitedHoldsLittleMemory(t *testing.T) {
	const n = 300_000 // about 50 MB of JSON
	const bound = 16 << 20
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.RateLimit = 0
	cfg.LogLevel = "error"
	cfg.Token = "ns_ZGVmYXVsdA_" + strings.Repeat("ab", 32)
	var imp ports.Importer
	srv := apptest.Start(t, cfg, fx.Populate(&imp))
	fillLongStream(t, imp, n)

	base := settledHeap()
	stop := sampleHeap()
	size := readUnlimited(t, &http.Client{}, srv.URL, cfg.Token, n)
	heap, live := stop()
	growth := live - min(live, base.live)
	t.Logf("answer %.1f MB; live heap rose by at most %.1f MB, the heap's objects by %.1f MB",
		float64(size)/(1<<20), float64(growth)/(1<<20), float64(heap-min(heap, base.objects))/(1<<20))
	if growth > bound {
		t.Fatalf("while streaming a %.1f MB answer the live heap rose by %.1f MB, more than %d MB: is the answer collected in memory?",
			float64(size)/(1<<20), float64(growth)/(1<<20), bound>>20)
	}
}

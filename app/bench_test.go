package app_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/app/config"
)

// benchServer starts the whole server on embedded SQLite files with rate
// limiting off, as the benchmark rows of the performance guide measure it.
func benchServer(b *testing.B) (string, string) {
	b.Helper()
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.RateLimit = 0
	cfg.LogLevel = "error"
	cfg.Token = "ns_ZGVmYXVsdA_" + strings.Repeat("ab", 32)
	base, _, _ := startServer(b, cfg)
	return base, cfg.Token
}

func post(b *testing.B, client *http.Client, base, token, body string) {
	req, _ := http.NewRequest(http.MethodPost, base+"/rpc", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("%s: HTTP %d", body, resp.StatusCode)
	}
}

func BenchmarkHTTPStreamWrite(b *testing.B) {
	base, token := benchServer(b)
	client := &http.Client{}
	for i := 0; b.Loop(); i++ {
		post(b, client, base, token, fmt.Sprintf(`["stream.write","bench-%d",{"type":"Test","data":{"i":%d}}]`, i%100, i))
	}
}

func BenchmarkHTTPStreamGet100(b *testing.B) {
	base, token := benchServer(b)
	client := &http.Client{}
	for i := range 100 {
		post(b, client, base, token, fmt.Sprintf(`["stream.write","read-1",{"type":"Test","data":{"i":%d,"note":"a benchmark message"}}]`, i))
	}
	for b.Loop() {
		post(b, client, base, token, `["stream.get","read-1",{"batchSize":100}]`)
	}
}

func BenchmarkHTTPCategoryGet100(b *testing.B) {
	base, token := benchServer(b)
	client := &http.Client{}
	for i := range 100 {
		post(b, client, base, token, fmt.Sprintf(`["stream.write","read-%d",{"type":"Test","data":{"i":%d,"note":"a benchmark message"}}]`, i%10, i))
	}
	for b.Loop() {
		post(b, client, base, token, `["category.get","read",{"batchSize":100}]`)
	}
}

// BenchmarkHTTPPoke is the latency of the performance guide's SSE row: from
// a write sent to its poke read on a category subscription.
func BenchmarkHTTPPoke(b *testing.B) {
	benchPokes(b, 1)
}

// BenchmarkHTTPFanout100 is one write poked to 100 subscribers of its
// category: each op ends when the last of them has read its poke.
func BenchmarkHTTPFanout100(b *testing.B) {
	benchPokes(b, 100)
}

func benchPokes(b *testing.B, subscribers int) {
	base, token := benchServer(b)
	client := &http.Client{}
	pokes := make(chan struct{}, subscribers*4)
	for range subscribers {
		req, _ := http.NewRequest(http.MethodGet, base+"/subscribe?category=poke", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("subscribe: %v", err)
		}
		b.Cleanup(func() { resp.Body.Close() })
		go func() {
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				if sc.Text() == "event: poke" {
					pokes <- struct{}{}
				}
			}
		}()
	}
	for i := 0; b.Loop(); i++ {
		post(b, client, base, token, fmt.Sprintf(`["stream.write","poke-%d",{"type":"Test","data":{}}]`, i%10))
		for range subscribers {
			<-pokes
		}
	}
}

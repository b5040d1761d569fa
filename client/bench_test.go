package client_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/eventodb/eventodb/client"
)

// The client's own cost per call shows in allocs/op and in the time beyond
// the server's; compare with a raw net/http loop when changing the hot path.
func BenchmarkCalls(b *testing.B) {
	ctx := context.Background()
	c, err := client.New(testModeServer.url, client.WithAutoIDs(false))
	if err != nil {
		b.Fatal(err)
	}
	stream := "bench-" + randomHex(4)
	batch := make([]client.MessageData, 100)
	for i := range batch {
		batch[i] = msg("T", `{"a":1}`)
	}
	if _, err := c.WriteBatch(ctx, stream, batch, nil); err != nil {
		b.Fatal(err)
	}
	// The same call without the client: a pre-built body, the answer
	// dropped.
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	rawBody := []byte(`["stream.get","` + stream + `",{"batchSize":100}]`)
	benchmarks := []struct {
		name string
		call func() error
	}{
		{"Write", func() error { _, err := c.Write(ctx, stream, msg("T", `{"a":1}`), nil); return err }},
		{"CallDiscard", func() error { return c.Call(ctx, nil, "stream.get", stream, map[string]int{"batchSize": 100}) }},
		{"RawHTTPDiscard", func() error { return rawPost(ctx, hc, testModeServer.url+"/rpc", rawBody) }},
		{"Read100", func() error { _, err := c.Read(ctx, stream, &client.ReadOptions{BatchSize: 100}); return err }},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := bm.call(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func rawPost(ctx context.Context, hc *http.Client, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

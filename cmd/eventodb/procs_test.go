package main

import (
	"bufio"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The server process runs the scheduler with one P while requests come one
// at a time over one connection, and with every P while clients overlap
// (adapters/procs); /metrics shows which.
func TestServerSizesTheSchedulerToItsClients(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	if runtime.NumCPU() < 2 || runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one CPU: nothing to size")
	}
	t.Parallel()
	s := startChild(t, "--data-dir", t.TempDir(), "--token", adminToken(t))
	watcher := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}} // one connection
	procs := func() int {
		resp, err := watcher.Get(s.url + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "go_sched_gomaxprocs_threads "); ok {
				n, _ := strconv.Atoi(v)
				return n
			}
		}
		t.Fatal("no go_sched_gomaxprocs_threads on /metrics")
		return 0
	}
	waitFor(t, "one P with one client", func() bool { return procs() == 1 })

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: &http.Transport{}} // a connection of its own
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := c.Get(s.url + "/health")
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	waitFor(t, "every P with two clients", func() bool { return procs() > 1 })
	close(stop)
	wg.Wait()
	waitFor(t, "one P once the clients stopped", func() bool { return procs() == 1 })
}

package sse_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// frame is one SSE event, or one comment line.
type frame struct {
	comment          string
	id, event, data  string
	isComment, isEOF bool
}

// client parses an SSE response in a goroutine.
type client struct {
	frames chan frame
	cancel context.CancelFunc
}

func newClient(ctx context.Context, resp *http.Response, cancel context.CancelFunc) *client {
	c := &client{frames: make(chan frame, 64), cancel: cancel}
	send := func(f frame) {
		select {
		case c.frames <- f:
		case <-ctx.Done():
		}
	}
	go func() {
		defer close(c.frames)
		r := bufio.NewReader(resp.Body)
		var f frame
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				if err == io.EOF && line == "" {
					send(frame{isEOF: true})
				}
				return
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case line == "":
				if f != (frame{}) {
					send(f)
				}
				f = frame{}
			case strings.HasPrefix(line, ":"):
				send(frame{isComment: true, comment: strings.TrimPrefix(line[1:], " ")})
			default:
				field, value, _ := strings.Cut(line, ":")
				value = strings.TrimPrefix(value, " ")
				switch field {
				case "id":
					f.id = value
				case "event":
					f.event = value
				case "data":
					f.data = value
				}
			}
		}
	}()
	return c
}

// close disconnects the client.
func (c *client) close() { c.cancel() }

// next returns the next frame, failing after wait.
func (c *client) next(t *testing.T) frame {
	t.Helper()
	select {
	case f, ok := <-c.frames:
		if !ok {
			t.Fatal("the subscription ended (connection closed)")
		}
		return f
	case <-time.After(wait):
		t.Fatalf("no SSE frame within %s", wait)
	}
	return frame{}
}

type poke struct {
	Stream         string `json:"stream"`
	Position       int64  `json:"position"`
	GlobalPosition int64  `json:"globalPosition"`
}

// pokes returns the next n pokes, skipping comments, and checks each one's
// shape and that its id is its global position.
func (c *client) pokes(t *testing.T, n int) []poke {
	t.Helper()
	out := make([]poke, 0, n)
	for len(out) < n {
		f := c.next(t)
		if f.isComment {
			continue
		}
		if f.isEOF {
			t.Fatalf("the subscription ended after %d of %d pokes", len(out), n)
		}
		if f.event != "poke" {
			t.Fatalf("event %q (data %s), want poke", f.event, f.data)
		}
		out = append(out, decodePoke(t, f))
	}
	return out
}

func decodePoke(t *testing.T, f frame) poke {
	t.Helper()
	var p poke
	dec := json.NewDecoder(strings.NewReader(f.data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("poke data %q: %v", f.data, err)
	}
	if f.id != fmt.Sprint(p.GlobalPosition) {
		t.Fatalf("poke id %q, want its global position %d", f.id, p.GlobalPosition)
	}
	return p
}

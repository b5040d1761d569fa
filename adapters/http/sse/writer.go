package sse

import (
	"bufio"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
)

// errClosed is a write after the subscription's context ended.
var errClosed = errors.New("sse: subscription closed")

// bufferSize is the write buffer of one subscription, bytes: pokes are about
// 100 bytes, so a few hundred go to the client per write.
const bufferSize = 16 << 10

// closeGrace is how long writes may still take once a subscription's context
// ended, so a client that still reads sees the response end cleanly while a
// stuck write cannot hold up a server shutdown.
const closeGrace = time.Second

// eventWriter writes SSE frames through a buffer; nothing reaches the client
// before flush. Not safe for concurrent use, except close.
type eventWriter struct {
	w     http.ResponseWriter
	conn  *conn
	bw    *bufio.Writer
	frame []byte // scratch for one frame
}

func newEventWriter(w http.ResponseWriter, stall time.Duration) *eventWriter {
	c := &conn{w: w, rc: http.NewResponseController(w), stall: stall}
	return &eventWriter{w: w, conn: c, bw: bufio.NewWriterSize(c, bufferSize), frame: make([]byte, 0, 512)}
}

// start sends the SSE response headers and the ": ready" comment.
func (e *eventWriter) start() error {
	h := e.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	e.w.WriteHeader(http.StatusOK)
	if err := e.comment("ready"); err != nil {
		return err
	}
	return e.flush()
}

// comment buffers a comment line, which clients ignore.
func (e *eventWriter) comment(text string) error {
	e.frame = append(append(append(e.frame[:0], ": "...), text...), "\n\n"...)
	_, err := e.bw.Write(e.frame)
	return err
}

// poke buffers the event that announces m:
//
//	id: <globalPosition>
//	event: poke
//	data: {"stream":"account-123","position":5,"globalPosition":1234}
func (e *eventWriter) poke(m *service.Poke) error {
	b := append(e.frame[:0], "id: "...)
	b = strconv.AppendInt(b, m.GlobalPosition, 10)
	b = append(b, "\nevent: poke\ndata: {\"stream\":"...)
	b = httpapi.AppendJSONString(b, m.Stream)
	b = append(b, `,"position":`...)
	b = strconv.AppendInt(b, m.Position, 10)
	b = append(b, `,"globalPosition":`...)
	b = strconv.AppendInt(b, m.GlobalPosition, 10)
	b = append(b, "}\n\n"...)
	e.frame = b
	_, err := e.bw.Write(b)
	return err
}

// Pokes writes pokes and flushes them to the client: a service.Output.
func (e *eventWriter) Pokes(pokes []service.Poke) error {
	for i := range pokes {
		if err := e.poke(&pokes[i]); err != nil {
			return err
		}
	}
	return e.flush()
}

// Idle sends a heartbeat comment: a service.Output.
func (e *eventWriter) Idle() error {
	if err := e.comment("heartbeat"); err != nil {
		return err
	}
	return e.flush()
}

// failure buffers an "error" event (which poke handlers ignore) telling the
// client why the server ends the subscription.
func (e *eventWriter) failure(code, message string) error {
	data, err := json.Marshal(struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{code, message})
	if err != nil {
		return err
	}
	e.frame = append(append(append(e.frame[:0], "event: error\ndata: "...), data...), "\n\n"...)
	_, err = e.bw.Write(e.frame)
	return err
}

// flush sends everything buffered to the client now.
func (e *eventWriter) flush() error {
	if err := e.bw.Flush(); err != nil {
		return err
	}
	return e.conn.flush()
}

// close stops further writes once the subscription's context ended and makes
// a write blocked on a client that reads nothing return soon. Safe to call
// from another goroutine.
func (e *eventWriter) close() { e.conn.close() }

// done lifts the write deadline a subscription that ended by itself may have
// left, so the connection can serve another request.
func (e *eventWriter) done() { e.conn.done() }

// conn is the response under the buffer. Its writes run under a write
// deadline of stall, so a client that stops reading is dropped instead of
// blocking its subscription forever.
type conn struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	stall time.Duration

	mu       sync.Mutex
	closed   bool
	deadline time.Time // the write deadline set last; zero: none
}

func (c *conn) Write(p []byte) (int, error) {
	if err := c.arm(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

func (c *conn) flush() error {
	if err := c.arm(); err != nil {
		return err
	}
	return c.rc.Flush()
}

func (c *conn) arm() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errClosed
	}
	if c.stall <= 0 {
		return nil
	}
	// Moving the deadline updates a runtime timer, a fifth of the CPU a
	// poke costs when one write fans out to a thousand subscribers: it is
	// moved only once half of it has passed, so a write blocked for between
	// stall/2 and stall drops the client, a merely slow one is kept.
	now := time.Now()
	if c.deadline.Sub(now) < c.stall/2 {
		c.deadline = now.Add(c.stall)
		// Unsupported by some writers (httptest's recorder): they cannot block.
		_ = c.rc.SetWriteDeadline(c.deadline)
	}
	return nil
}

func (c *conn) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	c.deadline = time.Now().Add(closeGrace)
	_ = c.rc.SetWriteDeadline(c.deadline)
}

func (c *conn) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed && c.stall > 0 {
		c.deadline = time.Time{}
		_ = c.rc.SetWriteDeadline(time.Time{})
	}
}

package client

import (
	"bytes"
	"sync"
	"sync/atomic"
)

// Buffers of requests and answers are pooled: a busy client then allocates
// little per call. Buffers that grew past maxPooled are left to the GC, so
// one huge read does not pin its memory.
const maxPooled = 1 << 20

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooled {
		return
	}
	b.Reset()
	buffers.Put(b)
}

// sharedBody is an encoded request that every attempt of a call sends. The
// transport may still read an attempt's body after Do returned (when the
// server answered early) and closes it when done, so the buffer returns to
// the pool only once the call and every attempt's body let go of it.
type sharedBody struct {
	buf  *bytes.Buffer
	refs atomic.Int32
}

func newSharedBody(buf *bytes.Buffer) *sharedBody {
	b := &sharedBody{buf: buf}
	b.refs.Store(1) // the call's own reference
	return b
}

// reader returns a fresh body for one attempt.
func (b *sharedBody) reader() *attemptBody {
	b.refs.Add(1)
	return &attemptBody{Reader: bytes.NewReader(b.buf.Bytes()), owner: b}
}

// release drops one reference.
func (b *sharedBody) release() {
	if b.refs.Add(-1) == 0 {
		putBuffer(b.buf)
	}
}

// attemptBody is one attempt's view of a sharedBody.
type attemptBody struct {
	*bytes.Reader
	owner *sharedBody
	once  sync.Once
}

// Close releases the attempt's reference; the transport calls it.
func (a *attemptBody) Close() error {
	a.once.Do(a.owner.release)
	return nil
}

package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
)

// Scratch buffers (encoding calls, reading answers) are pooled, so a busy
// client allocates little per call. Buffers that grew past maxPooled are
// left to the GC: one huge read must not pin its memory.
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

// callEncoder encodes calls into its buffer; pooled with it, so the encoder
// is not allocated per call either.
type callEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := &callEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false) // strings go to the server byte for byte
	return e
}}

// encodeCall returns [method, args...] as a new slice.
func encodeCall(method string, args []any) ([]byte, error) {
	e := encoders.Get().(*callEncoder)
	defer func() {
		if e.buf.Cap() <= maxPooled {
			e.buf.Reset()
			encoders.Put(e)
		}
	}()
	// Encode ends each value with a newline; dropping them keeps the body
	// as compact as a hand-written one.
	e.buf.WriteByte('[')
	if err := e.enc.Encode(method); err != nil {
		return nil, err
	}
	for _, a := range args {
		e.buf.Truncate(e.buf.Len() - 1)
		e.buf.WriteByte(',')
		if err := e.enc.Encode(a); err != nil {
			return nil, fmt.Errorf("encode an argument: %w", err)
		}
	}
	e.buf.Truncate(e.buf.Len() - 1)
	e.buf.WriteByte(']')
	// A copy: the transport may read a request body after Do returned
	// (when the server answered early), so it must never be reused.
	return bytes.Clone(e.buf.Bytes()), nil
}

package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Reads decode their answers by hand: a page of messages is an array of
// fixed-shape arrays, and splitting it once beats json.Unmarshal's
// reflection and repeated scans by an order of magnitude. The answer is
// checked with json.Valid first, so the splitting below may assume valid
// JSON.

// bodyDecoder is a result that decodes a whole answer itself. The bytes
// belong to a pooled buffer: copy what is kept.
type bodyDecoder interface {
	decodeBody(body []byte) error
}

// errShortRow is a message array with fields missing.
var errShortRow = errors.New("a message is not [id, (stream,) type, position, globalPosition, data, metadata, time]")

// messagePage decodes a read's answer: category.get rows carry their
// stream's name, stream.get rows do not (it is stream).
type messagePage struct {
	category bool
	stream   string
	msgs     []Message
}

func (p *messagePage) decodeBody(body []byte) error {
	if !json.Valid(body) {
		return errors.New("the answer is not valid JSON")
	}
	rows, err := splitArray(body, nil)
	if err != nil {
		return err
	}
	p.msgs = make([]Message, len(rows))
	var fields [10][]byte
	var last strings2 // repeated types and stream names share one string
	for i, row := range rows {
		f, err := splitArray(row, fields[:0])
		if err != nil {
			return err
		}
		m := &p.msgs[i]
		if !p.category {
			m.Stream = p.stream
		} else {
			if len(f) < 8 {
				return errShortRow
			}
			if m.Stream, err = last.stream.of(f[1]); err != nil {
				return err
			}
			f = append(f[:1], f[2:]...)
		}
		if err := decodeRow(m, f, &last); err != nil {
			return err
		}
	}
	return nil
}

// oneMessage decodes stream.last's answer: a stream message, or null.
type oneMessage struct {
	stream string
	msg    *Message
}

func (o *oneMessage) decodeBody(body []byte) error {
	if !json.Valid(body) {
		return errors.New("the answer is not valid JSON")
	}
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return nil
	}
	var fields [10][]byte
	f, err := splitArray(body, fields[:0])
	if err != nil {
		return err
	}
	o.msg = &Message{Stream: o.stream}
	return decodeRow(o.msg, f, &strings2{})
}

// decodeRow fills m from [id, type, position, globalPosition, data,
// metadata, time]; fields a newer server may add at the end are ignored.
func decodeRow(m *Message, f [][]byte, last *strings2) error {
	if len(f) < 7 {
		return errShortRow
	}
	var err error
	if m.ID, err = jsonString(f[0]); err != nil {
		return err
	}
	if m.Type, err = last.typ.of(f[1]); err != nil {
		return err
	}
	if m.Position, err = strconv.ParseInt(string(f[2]), 10, 64); err != nil {
		return errShortRow
	}
	if m.GlobalPosition, err = strconv.ParseInt(string(f[3]), 10, 64); err != nil {
		return errShortRow
	}
	at, err := jsonString(f[6])
	if err != nil {
		return err
	}
	if m.Time, err = time.Parse(time.RFC3339Nano, at); err != nil {
		return fmt.Errorf("message %s has time %q: %w", m.ID, at, err)
	}
	m.Time = m.Time.UTC()
	// One allocation holds both JSON documents, copied out of the buffer.
	data, meta := f[4], f[5]
	if bytes.Equal(meta, []byte("null")) {
		meta = nil
	}
	both := make([]byte, len(data)+len(meta))
	copy(both, data)
	copy(both[len(data):], meta)
	m.Data = both[:len(data):len(data)]
	if meta != nil {
		m.Metadata = both[len(data):]
	}
	return nil
}

// strings2 remembers the last type and stream name decoded.
type strings2 struct{ typ, stream lastString }

// lastString returns the previous string again when the same JSON string
// repeats, as types and stream names do along a page.
type lastString struct {
	raw []byte
	s   string
}

func (l *lastString) of(raw []byte) (string, error) {
	if l.raw != nil && bytes.Equal(raw, l.raw) {
		return l.s, nil
	}
	s, err := jsonString(raw)
	l.raw, l.s = raw, s
	return s, err
}

// jsonString decodes a JSON string; one without escapes is just copied.
func jsonString(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", errShortRow
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errShortRow
	}
	return s, nil
}

// splitArray appends the elements of the JSON array b (valid JSON) to dst
// as sub-slices of b.
func splitArray(b []byte, dst [][]byte) ([][]byte, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, errors.New("the answer is not an array")
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return dst, nil
	}
	for i < len(b) {
		end := skipValue(b, i)
		dst = append(dst, b[i:end])
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ']' {
			return dst, nil
		}
		i = skipSpace(b, i+1) // past the comma
	}
	return nil, errors.New("the answer ends inside an array")
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value starting at b[i].
func skipValue(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the end of a scalar inside the enclosing array
			}
			if depth--; depth == 0 {
				return i + 1
			}
		case ',', ' ', '\n', '\r', '\t':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

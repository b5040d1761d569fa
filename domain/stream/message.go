package stream

import (
	"bytes"
	"encoding/json"
	"io"
	"time"
)

// Message is a stored message. Data is a JSON object; Metadata is a JSON object
// or nil. Both are kept as the raw JSON text the writer sent.
type Message struct {
	ID             string
	Stream         string
	Type           string
	Position       int64
	GlobalPosition int64
	Data           []byte
	Metadata       []byte
	Time           time.Time
}

// Proposed is a message about to be appended. ID is empty until the service
// assigns one.
type Proposed struct {
	ID       string
	Type     string
	Data     []byte
	Metadata []byte
	// GeneratedID marks an id the server made (a random UUID), which no
	// stored message can have: a store need not look it up.
	GeneratedID bool
}

// Append is one logical write: one or more messages appended to one stream
// atomically, in order, under a single expectedVersion check.
type Append struct {
	Stream          string
	Messages        []Proposed
	ExpectedVersion ExpectedVersion
}

// Appended is the outcome of an Append: the position and global position of
// its first message and how many messages it wrote.
type Appended struct {
	Position       int64
	GlobalPosition int64
	Count          int
}

// Committed is what subscribers hear of one committed message: where it is,
// and what subscriptions select it by (its category, its consumer-group hash
// and the category of its metadata.correlationStreamName, "" when none).
type Committed struct {
	Stream         string
	Category       string
	Hash           int64
	Correlation    string
	Position       int64
	GlobalPosition int64
}

// SameContent reports whether a stored message is the one p describes, so a
// retried write with the same id can be answered instead of refused. Data is
// compared as JSON values, not bytes, so key order and spacing do not matter.
func (m *Message) SameContent(stream string, p Proposed) bool {
	return m.Stream == stream && m.Type == p.Type && jsonEqual(m.Data, p.Data)
}

func jsonEqual(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	va, okA := decodeJSON(a)
	vb, okB := decodeJSON(b)
	if !okA || !okB {
		return false
	}
	ca, errA := json.Marshal(va)
	cb, errB := json.Marshal(vb)
	return errA == nil && errB == nil && bytes.Equal(ca, cb)
}

// decodeJSON parses one JSON value, keeping numbers as their text so integers
// beyond float64 precision still compare unequal.
func decodeJSON(raw []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

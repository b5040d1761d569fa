package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Message is a stored message, as reads return it.
type Message struct {
	// ID is the message's UUID, unique in its namespace.
	ID string
	// Stream is the name of the stream it belongs to, e.g. "account-123".
	Stream string
	// Type is what happened, e.g. "Deposited".
	Type string
	// Position is its 0-based index in its stream.
	Position int64
	// GlobalPosition orders it in its namespace: it only grows, with gaps.
	GlobalPosition int64
	// Data is the JSON object written.
	Data json.RawMessage
	// Metadata is the JSON object written, nil when there was none.
	Metadata json.RawMessage
	// Time is when it was written, in UTC.
	Time time.Time
}

// MessageData is a message to write.
type MessageData struct {
	// ID is the message's UUID; "" lets the client (see WithAutoIDs) or the
	// server choose one. Writing the same id with the same stream, type and
	// data again is a safe retry that stores nothing new.
	ID string `json:"id,omitempty"`
	// Type is what happened, a non-empty string.
	Type string `json:"type"`
	// Data is a JSON object; nil writes {}.
	Data json.RawMessage `json:"data"`
	// Metadata is a JSON object or nil. A "correlationStreamName" key makes
	// the message match category reads by correlation.
	Metadata json.RawMessage `json:"metadata,omitempty"`
}

// wire returns m as it is sent: data defaults to {}.
func (m MessageData) wire() MessageData {
	if len(m.Data) == 0 {
		m.Data = json.RawMessage("{}")
	}
	return m
}

// streamRow decodes a stream message of a read answer:
// [id, type, position, globalPosition, data, metadata, time].
type streamRow struct{ m Message }

func (r *streamRow) UnmarshalJSON(b []byte) error {
	var f [7]json.RawMessage
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	return decodeFields(&r.m, f[0], nil, f[1:])
}

// categoryRow decodes a category message of a read answer:
// [id, streamName, type, position, globalPosition, data, metadata, time].
type categoryRow struct{ m Message }

func (r *categoryRow) UnmarshalJSON(b []byte) error {
	var f [8]json.RawMessage
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	return decodeFields(&r.m, f[0], f[1], f[2:])
}

// errShortRow is a message array with fields missing.
var errShortRow = errors.New("a message is not [id, (stream,) type, position, globalPosition, data, metadata, time]")

// decodeFields fills m from the fields of a message array; tail is type,
// position, globalPosition, data, metadata and time. Fields a newer server
// may add at the end are ignored.
func decodeFields(m *Message, id, streamName json.RawMessage, tail []json.RawMessage) error {
	if tail[5] == nil {
		return errShortRow
	}
	var at string
	if json.Unmarshal(id, &m.ID) != nil || json.Unmarshal(tail[0], &m.Type) != nil || json.Unmarshal(tail[5], &at) != nil {
		return errShortRow
	}
	if streamName != nil && json.Unmarshal(streamName, &m.Stream) != nil {
		return errShortRow
	}
	var err error
	if m.Position, err = strconv.ParseInt(string(tail[1]), 10, 64); err != nil {
		return errShortRow
	}
	if m.GlobalPosition, err = strconv.ParseInt(string(tail[2]), 10, 64); err != nil {
		return errShortRow
	}
	if m.Time, err = time.Parse(time.RFC3339Nano, at); err != nil {
		return fmt.Errorf("message %s has time %q: %w", m.ID, at, err)
	}
	m.Time = m.Time.UTC()
	m.Data = tail[3]
	if !bytes.Equal(tail[4], []byte("null")) {
		m.Metadata = tail[4]
	}
	return nil
}

// streamMessages is a stream read's answer.
type streamMessages []streamRow

func (rows streamMessages) messages(streamName string) []Message {
	out := make([]Message, len(rows))
	for i := range rows {
		out[i] = rows[i].m
		out[i].Stream = streamName
	}
	return out
}

// categoryMessages is a category read's answer.
type categoryMessages []categoryRow

func (rows categoryMessages) messages() []Message {
	out := make([]Message, len(rows))
	for i := range rows {
		out[i] = rows[i].m
	}
	return out
}

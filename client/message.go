package client

import (
	"encoding/json"
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

package messagedb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// Row is one row of Message DB's messages table. Data and Metadata hold the
// jsonb text PostgreSQL prints, nil for SQL NULL.
type Row struct {
	GlobalPosition int64
	Position       int64
	Time           time.Time // timestamp without time zone, UTC by Message DB's convention
	Stream         string
	Type           string
	Data           []byte
	Metadata       []byte
	ID             string
}

// Checker turns rows into NDJSON record lines, refusing what the server would
// refuse. It applies the import's own parser to the line, so the rules cannot
// drift apart from the server's. Not safe for concurrent use.
type Checker struct {
	IDs ports.IDGenerator
	// MaxMessageBytes bounds type, data and metadata together, as the
	// server's import does; 0 is the server's default, 1 MiB.
	MaxMessageBytes int
}

// DefaultMaxMessageBytes is the server's default message size limit.
const DefaultMaxMessageBytes = 1 << 20

// Line returns r as one NDJSON record without the newline, or an error that
// says why the server would refuse it (*stream.ValidationError or
// *stream.TooLargeError).
func (c Checker) Line(r Row) ([]byte, error) {
	// encoding/json would replace invalid UTF-8 silently; refuse it instead
	// (only a database not in UTF8 encoding can hold it).
	for field, s := range map[string]string{"stream": r.Stream, "type": r.Type} {
		if !utf8.ValidString(s) {
			return nil, stream.Invalid(field, "is not valid UTF-8")
		}
	}
	rec := interchange.Record{
		ID: r.ID, Stream: r.Stream, Type: r.Type, Pos: r.Position, GPos: r.GlobalPosition,
		Data: rawOrNull(r.Data), Meta: rawOrNull(r.Metadata),
		Time: r.Time.UTC().Format(interchange.TimeLayout),
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as export writes records: "<" stays "<"
	if err := enc.Encode(rec); err != nil {
		// jsonb always prints valid JSON; a hand-made text column may not.
		return nil, stream.Invalidf("data", "is not valid JSON: %v", err)
	}
	limit := c.MaxMessageBytes
	if limit == 0 {
		limit = DefaultMaxMessageBytes
	}
	line := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if _, err := interchange.ParseRecord(line, c.IDs, limit); err != nil {
		return nil, err
	}
	return line, nil
}

// rawOrNull is SQL NULL as JSON null.
func rawOrNull(b []byte) json.RawMessage {
	if b == nil {
		return json.RawMessage("null")
	}
	return b
}

// columns names the record fields of the import's errors as Message DB's
// columns, which is what the user can look at and fix.
var columns = map[string]string{
	"stream": "stream_name", "pos": "position", "gpos": "global_position", "meta": "metadata",
}

// Reason is err as a short sentence for a skipped or refused row.
func Reason(err error) string {
	var invalid *stream.ValidationError
	var large *stream.TooLargeError
	switch {
	case errors.As(err, &invalid):
		field := invalid.Field
		if c, ok := columns[field]; ok {
			field = c
		}
		return field + " " + invalid.Reason
	case errors.As(err, &large):
		return fmt.Sprintf("type, data and metadata are %d bytes, the limit is %d", large.Size, large.Limit)
	}
	return err.Error()
}

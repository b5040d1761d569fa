package interchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/eventodb/eventodb/domain/stream"
)

// TimeLayout is how records write times, as the server writes every
// timestamp: RFC 3339 in UTC with exactly six fractional digits. Records
// read may carry any RFC 3339 time.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// IDNormalizer puts a message id in canonical form, or fails when it is not
// a UUID; ports.IDGenerator is one. Safe for concurrent use.
type IDNormalizer interface {
	Normalize(id string) (string, error)
}

// Record is one NDJSON line of an export: a message with its positions.
// Meta is null for a message without metadata.
type Record struct {
	ID     string          `json:"id"`
	Stream string          `json:"stream"`
	Type   string          `json:"type"`
	Pos    int64           `json:"pos"`
	GPos   int64           `json:"gpos"`
	Data   json.RawMessage `json:"data"`
	Meta   json.RawMessage `json:"meta"`
	Time   string          `json:"time"`
}

// wireRecord tells a missing field from a zero one.
type wireRecord struct {
	ID     *string         `json:"id"`
	Stream *string         `json:"stream"`
	Type   *string         `json:"type"`
	Pos    *int64          `json:"pos"`
	GPos   *int64          `json:"gpos"`
	Data   json.RawMessage `json:"data"`
	Meta   json.RawMessage `json:"meta"`
	Time   *string         `json:"time"`
}

// ParseRecord decodes and checks one line: every field but meta present, a
// UUID id (normalized by ids), a valid stream name, a non-empty type, pos >= 0,
// gpos >= 1, data a JSON object, meta a JSON object or null, an RFC 3339 time,
// and type, data and meta together within maxBytes (0: no limit). Errors are
// *stream.ValidationError, or *stream.TooLargeError for the size.
func ParseRecord(line []byte, ids IDNormalizer, maxBytes int) (stream.Message, error) {
	if !utf8.Valid(line) {
		return stream.Message{}, stream.Invalid("line", "is not valid UTF-8")
	}
	var w wireRecord
	if err := json.Unmarshal(line, &w); err != nil {
		return stream.Message{}, decodeError(err)
	}
	switch {
	case w.ID == nil:
		return stream.Message{}, missing("id")
	case w.Stream == nil:
		return stream.Message{}, missing("stream")
	case w.Type == nil:
		return stream.Message{}, stream.Invalid("type", "is required and must be a non-empty string")
	case w.Pos == nil:
		return stream.Message{}, missing("pos")
	case w.GPos == nil:
		return stream.Message{}, missing("gpos")
	case w.Data == nil:
		return stream.Message{}, missing("data")
	case w.Time == nil:
		return stream.Message{}, missing("time")
	case *w.Pos < 0:
		return stream.Message{}, stream.Invalidf("pos", "must not be negative, got %d", *w.Pos)
	case *w.GPos < 1:
		return stream.Message{}, stream.Invalidf("gpos", "must be at least 1, got %d", *w.GPos)
	case *w.Pos > stream.MaxPosition:
		return stream.Message{}, stream.Invalidf("pos", "must be at most %d, got %d", stream.MaxPosition, *w.Pos)
	case *w.GPos > stream.MaxPosition:
		return stream.Message{}, stream.Invalidf("gpos", "must be at most %d, got %d", stream.MaxPosition, *w.GPos)
	case !stream.IsJSONObject(w.Data):
		return stream.Message{}, stream.Invalid("data", "must be a JSON object")
	}
	id, err := ids.Normalize(*w.ID)
	if err != nil {
		return stream.Message{}, stream.Invalidf("id", "must be a UUID, got %q", *w.ID)
	}
	if err := stream.ValidateType("type", *w.Type); err != nil {
		return stream.Message{}, err
	}
	if err := stream.ValidateName("stream", *w.Stream); err != nil {
		return stream.Message{}, err
	}
	meta := []byte(w.Meta)
	if t := bytes.TrimSpace(meta); len(t) == 0 || string(t) == "null" {
		meta = nil
	} else if !stream.IsJSONObject(meta) {
		return stream.Message{}, stream.Invalid("meta", "must be a JSON object or null")
	} else if err := stream.ValidateCorrelation("meta", meta); err != nil {
		return stream.Message{}, err
	}
	at, err := parseTime(*w.Time)
	if err != nil {
		return stream.Message{}, stream.Invalidf("time", "must be an RFC 3339 time like 2026-01-15T10:30:00.123456Z, got %q", *w.Time)
	}
	if size := len(*w.Type) + len(w.Data) + len(meta); maxBytes > 0 && size > maxBytes {
		return stream.Message{}, &stream.TooLargeError{What: "message", Size: size, Limit: maxBytes}
	}
	return stream.Message{
		ID: id, Stream: *w.Stream, Type: *w.Type, Position: *w.Pos, GlobalPosition: *w.GPos,
		Data: []byte(w.Data), Metadata: meta, Time: at,
	}, nil
}

func missing(field string) error { return stream.Invalid(field, "is required") }

// rfc3339 is the shape of an RFC 3339 time; time.Parse alone also takes a
// one-digit hour or a comma before the fraction.
var rfc3339 = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$`)

// parseTime reads a record's time, strictly RFC 3339, to the microsecond the
// store keeps, so what an import stores is what its export writes.
func parseTime(s string) (time.Time, error) {
	if !rfc3339.MatchString(s) {
		return time.Time{}, errors.New("not RFC 3339")
	}
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return at.UTC().Truncate(time.Microsecond), nil
}

// decodeError says what is wrong with a line encoding/json refused, in the
// record's terms: a field of the wrong type names the field and what it must
// be, never a Go type.
func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return stream.Invalidf(typeErr.Field, "must be %s, got a JSON %s", recordFieldKind(typeErr.Field), typeErr.Value)
	case errors.As(err, &typeErr):
		return stream.Invalidf("line", "must be a JSON object, got a JSON %s", typeErr.Value)
	case errors.As(err, &syntaxErr):
		return stream.Invalidf("line", "is not a JSON record: invalid JSON at byte %d", syntaxErr.Offset)
	default:
		return stream.Invalid("line", "is not a JSON record")
	}
}

// recordFieldKind is what a record field holds, for error messages.
func recordFieldKind(field string) string {
	switch field {
	case "pos", "gpos":
		return "an integer between 0 and 9007199254740991"
	default:
		return "a string"
	}
}

// ToRecord is m as a record.
func ToRecord(m stream.Message) Record {
	meta := json.RawMessage("null")
	if m.Metadata != nil {
		meta = m.Metadata
	}
	return Record{
		ID: m.ID, Stream: m.Stream, Type: m.Type, Pos: m.Position, GPos: m.GlobalPosition,
		Data: m.Data, Meta: meta, Time: m.Time.UTC().Format(TimeLayout),
	}
}

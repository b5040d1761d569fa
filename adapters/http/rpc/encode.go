package rpc

import (
	"strconv"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/stream"
)

// formatTimePtr renders t, or returns nil (JSON null) for a nil time.
func formatTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := httpapi.FormatTime(*t)
	return &s
}

// appendStreamMessage encodes m as stream.get shows it:
// [id, type, position, globalPosition, data, metadata, time].
func appendStreamMessage(buf []byte, m *stream.Message) []byte {
	buf = append(buf, '[')
	buf = httpapi.AppendJSONString(buf, m.ID)
	buf = append(buf, ',')
	return appendMessageTail(buf, m)
}

// appendCategoryMessage encodes m as category.get shows it:
// [id, streamName, type, position, globalPosition, data, metadata, time].
func appendCategoryMessage(buf []byte, m *stream.Message) []byte {
	buf = append(buf, '[')
	buf = httpapi.AppendJSONString(buf, m.ID)
	buf = append(buf, ',')
	buf = httpapi.AppendJSONString(buf, m.Stream)
	buf = append(buf, ',')
	return appendMessageTail(buf, m)
}

// appendMessageTail encodes type, position, globalPosition, data, metadata and
// time, and closes the array. Data and metadata are the stored JSON text.
func appendMessageTail(buf []byte, m *stream.Message) []byte {
	buf = httpapi.AppendJSONString(buf, m.Type)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, m.Position, 10)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, m.GlobalPosition, 10)
	buf = append(buf, ',')
	buf = appendRawJSON(buf, m.Data, "{}")
	buf = append(buf, ',')
	buf = appendRawJSON(buf, m.Metadata, "null")
	buf = append(buf, ',', '"')
	buf = httpapi.AppendTime(buf, m.Time)
	return append(buf, '"', ']')
}

func appendRawJSON(buf, raw []byte, ifEmpty string) []byte {
	if len(raw) == 0 {
		return append(buf, ifEmpty...)
	}
	return append(buf, raw...)
}

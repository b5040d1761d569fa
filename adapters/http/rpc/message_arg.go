package rpc

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/eventodb/eventodb/domain/stream"
)

// Messages decodes stream.write's message argument i: one message object, or
// a non-empty array of them (multi). Each message has type, data, metadata and
// an optional id; their content is validated by the stream service.
func (r *argReader) Messages(i int) (msgs []stream.Proposed, multi bool) {
	raw := bytes.TrimSpace(r.raw(i))
	if len(raw) > 0 && raw[0] == '[' {
		items, ok := splitArray(raw)
		if !ok {
			r.fail("messages", "must be an array of message objects")
			return nil, true
		}
		msgs = make([]stream.Proposed, len(items))
		for j, item := range items {
			msgs[j] = r.message(item, "messages["+strconv.Itoa(j)+"]")
		}
		return msgs, true
	}
	if !isObject(raw) {
		r.fail("message", "must be an object {type, data, metadata?} or an array of them")
		return nil, false
	}
	return []stream.Proposed{r.message(raw, "message")}, false
}

func (r *argReader) message(raw json.RawMessage, field string) stream.Proposed {
	if !isObject(raw) {
		r.fail(field, "must be an object")
		return stream.Proposed{}
	}
	o := r.object(raw, field, field+".")
	if o.Has("id") && o.String("id") == "" && !isNull(o.Raw("id")) {
		r.fail(field+".id", "must be a UUID, not an empty string (omit it to have one generated)")
	}
	return stream.Proposed{
		ID:       o.String("id"),
		Type:     o.String("type"),
		Data:     o.Raw("data"),
		Metadata: o.Raw("metadata"),
	}
}

package rpc

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/eventodb/eventodb/domain/stream"
)

// argReader decodes positional arguments and keeps the first error, so a
// method reads all its arguments and checks once. Errors are
// *stream.ValidationError values naming the argument.
type argReader struct {
	args []json.RawMessage
	err  error
}

func readArgs(args []json.RawMessage) *argReader { return &argReader{args: args} }

// Err is the first decoding error.
func (r *argReader) Err() error { return r.err }

func (r *argReader) fail(field, reason string) {
	if r.err == nil {
		r.err = stream.Invalid(field, reason)
	}
}

// raw is argument i, or nil when it was not given.
func (r *argReader) raw(i int) json.RawMessage {
	if i < len(r.args) {
		return r.args[i]
	}
	return nil
}

// String decodes required string argument i.
func (r *argReader) String(i int, name string) string {
	s, ok := decodeString(r.raw(i))
	if !ok {
		r.fail(name, stringRule)
	}
	return s
}

// Options decodes optional object argument i: omitted, null and {} are all
// empty options.
func (r *argReader) Options(i int, name string) options {
	return r.object(r.raw(i), name, "")
}

func (r *argReader) object(raw json.RawMessage, name, prefix string) options {
	o := options{r: r, prefix: prefix}
	if isNull(raw) {
		return o
	}
	if !isObject(raw) {
		r.fail(name, "must be an object")
		return o
	}
	fields, ok := objectFields(bytes.TrimSpace(raw))
	if !ok {
		r.fail(name, "must be an object")
	}
	o.fields = fields
	return o
}

// options reads the keys of an options object. Unknown keys are ignored;
// null counts as absent; a known key of the wrong type is an error naming it.
type options struct {
	r      *argReader
	prefix string // "consumerGroup." inside nested objects
	fields members
}

func (o options) get(key string) (json.RawMessage, bool) {
	raw, ok := o.fields.get(key)
	if !ok || isNull(raw) {
		return nil, false
	}
	return raw, true
}

// Has reports whether key is present and not null.
func (o options) Has(key string) bool {
	_, ok := o.get(key)
	return ok
}

// Int64 decodes an integer option, nil when absent.
func (o options) Int64(key string) *int64 {
	raw, ok := o.get(key)
	if !ok {
		return nil
	}
	n, ok := decodeInt(raw)
	if !ok {
		o.r.fail(o.prefix+key, "must be an integer")
		return nil
	}
	return &n
}

// String decodes a string option, "" when absent.
func (o options) String(key string) string {
	raw, ok := o.get(key)
	if !ok {
		return ""
	}
	s, ok := decodeString(raw)
	if !ok {
		o.r.fail(o.prefix+key, stringRule)
	}
	return s
}

// Bool decodes a boolean option, false when absent.
func (o options) Bool(key string) bool {
	raw, ok := o.get(key)
	if !ok {
		return false
	}
	var b bool
	if json.Unmarshal(raw, &b) != nil {
		o.r.fail(o.prefix+key, "must be true or false")
	}
	return b
}

// Object decodes a nested object option; ok is false when absent.
func (o options) Object(key string) (options, bool) {
	raw, present := o.get(key)
	if !present {
		return options{r: o.r}, false
	}
	return o.r.object(raw, o.prefix+key, o.prefix+key+"."), true
}

// Raw returns an option's JSON as sent, nil when absent.
func (o options) Raw(key string) json.RawMessage {
	raw, _ := o.get(key)
	return raw
}

// stringRule is what decodeString demands. NUL is refused because neither
// SQLite nor PostgreSQL text can hold it.
const stringRule = "must be a string without NUL characters"

func decodeString(raw json.RawMessage) (string, bool) {
	s, ok := stringValue(raw)
	if !ok || strings.IndexByte(s, 0) >= 0 {
		return "", false
	}
	return s, true
}

// decodeInt accepts only integer literals: 1.5, 1e3 and "1" are refused.
func decodeInt(raw json.RawMessage) (int64, bool) {
	n, err := strconv.ParseInt(string(raw), 10, 64)
	return n, err == nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

func isObject(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{'
}

package rpc

import (
	"bytes"
	"encoding/json"
)

// The envelope is checked once, whole, with json.Valid; its parts are then
// cut out of it by the small scanner below instead of being decoded again
// (and copied) by encoding/json at every level: the elements of the
// envelope, the members of each object argument. Every part is a subslice
// of the request body. The scanner assumes valid JSON and reports false,
// rather than guessing, when what it reads is not.

// splitArray returns the elements of the JSON array doc.
func splitArray(doc []byte) ([]json.RawMessage, bool) {
	if len(doc) == 0 || doc[0] != '[' {
		return nil, false
	}
	var items []json.RawMessage
	i := skipSpace(doc, 1)
	if i < len(doc) && doc[i] == ']' {
		return items, i == len(doc)-1
	}
	for i < len(doc) {
		end, ok := valueEnd(doc, i)
		if !ok {
			return nil, false
		}
		items = append(items, doc[i:end:end])
		next, more, ok := afterValue(doc, end, ']')
		if !ok {
			return nil, false
		}
		if !more {
			return items, true
		}
		i = next
	}
	return nil, false
}

// members are a JSON object's members in order. Objects in requests have a
// handful of keys: a slice scanned backwards costs less than a map.
type members []member

type member struct {
	key   string
	value json.RawMessage
}

// get returns the value of key; a key given twice keeps its last value, as
// encoding/json does.
func (m members) get(key string) (json.RawMessage, bool) {
	for i := len(m) - 1; i >= 0; i-- {
		if m[i].key == key {
			return m[i].value, true
		}
	}
	return nil, false
}

// objectFields returns the members of the JSON object obj.
func objectFields(obj []byte) (members, bool) {
	if len(obj) == 0 || obj[0] != '{' {
		return nil, false
	}
	fields := make(members, 0, 4)
	i := skipSpace(obj, 1)
	if i < len(obj) && obj[i] == '}' {
		return fields, i == len(obj)-1
	}
	for i < len(obj) && obj[i] == '"' {
		keyEnd, ok := valueEnd(obj, i)
		if !ok {
			return nil, false
		}
		key, ok := stringValue(obj[i:keyEnd])
		if !ok {
			return nil, false
		}
		i = skipSpace(obj, keyEnd)
		if i >= len(obj) || obj[i] != ':' {
			return nil, false
		}
		i = skipSpace(obj, i+1)
		end, ok := valueEnd(obj, i)
		if !ok {
			return nil, false
		}
		fields = append(fields, member{key, obj[i:end:end]})
		next, more, ok := afterValue(obj, end, '}')
		if !ok {
			return nil, false
		}
		if !more {
			return fields, true
		}
		i = next
	}
	return nil, false
}

// afterValue reads what follows a member ending at i of the container that
// b is: a comma, then the start of the next member (more), or the closing
// byte, which must end b.
func afterValue(b []byte, i int, closing byte) (next int, more, ok bool) {
	i = skipSpace(b, i)
	switch {
	case i < len(b) && b[i] == ',':
		return skipSpace(b, i+1), true, true
	case i == len(b)-1 && b[i] == closing:
		return i, false, true
	}
	return 0, false, false
}

// stringValue decodes the JSON string s. One without escapes is its bytes.
func stringValue(s []byte) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	inner := s[1 : len(s)-1]
	if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && !hasControl(inner) {
		return string(inner), true
	}
	var v string
	if json.Unmarshal(s, &v) != nil {
		return "", false
	}
	return v, true
}

func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// valueEnd returns the index just past the JSON value that starts at i.
func valueEnd(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1, true
			}
		}
		return 0, false
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, ok := valueEnd(b, j)
				if !ok {
					return 0, false
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	default: // a number, true, false or null
		j := i
		for j < len(b) && !isDelimiter(b[j]) {
			j++
		}
		return j, j > i
	}
}

func isDelimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

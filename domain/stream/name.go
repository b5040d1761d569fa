// Package stream holds the Message DB data model: stream names, messages,
// versions and the typed errors a write or read can produce.
package stream

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes is the longest stream or category name accepted.
const MaxNameBytes = 255

// ValidateName checks the stream-name grammar: non-empty, at most 255 bytes,
// valid UTF-8 and free of control characters. field names the argument in errors.
func ValidateName(field, name string) error {
	switch {
	case name == "":
		return Invalid(field, "must not be empty")
	case len(name) > MaxNameBytes:
		return Invalidf(field, "is %d bytes, the limit is %d", len(name), MaxNameBytes)
	case !utf8.ValidString(name):
		return Invalid(field, "is not valid UTF-8")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return Invalid(field, "must not contain control characters")
	}
	return nil
}

// Category is the part of a stream name before the first '-'; a name without
// '-' is a category itself.
func Category(name string) string {
	if i := strings.IndexByte(name, '-'); i >= 0 {
		return name[:i]
	}
	return name
}

// ID is the part of a stream name after the first '-', or "" for a category name.
func ID(name string) string {
	if i := strings.IndexByte(name, '-'); i >= 0 {
		return name[i+1:]
	}
	return ""
}

// CardinalID is the stream id up to its first '+', so that compound ids of one
// entity (account-123+retry) share a consumer-group member with account-123.
func CardinalID(name string) string {
	id := ID(name)
	if i := strings.IndexByte(id, '+'); i >= 0 {
		return id[:i]
	}
	return id
}

// IsCategory reports whether name has no id part.
func IsCategory(name string) bool {
	return strings.IndexByte(name, '-') < 0
}

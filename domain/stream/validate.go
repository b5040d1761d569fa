package stream

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// TooLargeError is a message or request over a configured size limit.
type TooLargeError struct {
	What  string
	Size  int
	Limit int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is %d bytes, the limit is %d", e.What, e.Size, e.Limit)
}

// Validate checks a proposed message: a non-empty type, data that is a JSON
// object, metadata that is a JSON object or null, and a size within maxBytes
// (0: no limit). field prefixes the argument name in errors.
func (p *Proposed) Validate(field string, maxBytes int) error {
	if err := ValidateType(field+".type", p.Type); err != nil {
		return err
	}
	if !IsJSONObject(p.Data) {
		return Invalid(field+".data", "must be a JSON object")
	}
	if isJSONNull(p.Metadata) {
		p.Metadata = nil
	}
	if p.Metadata != nil && !IsJSONObject(p.Metadata) {
		return Invalid(field+".metadata", "must be a JSON object or null")
	}
	if err := ValidateCorrelation(field+".metadata", p.Metadata); err != nil {
		return err
	}
	if size := len(p.Type) + len(p.Data) + len(p.Metadata); maxBytes > 0 && size > maxBytes {
		return &TooLargeError{What: field, Size: size, Limit: maxBytes}
	}
	return nil
}

// ValidateType checks a message type: a non-empty string without NUL, which
// neither SQLite nor PostgreSQL text can hold.
func ValidateType(field, t string) error {
	switch {
	case t == "":
		return Invalid(field, "is required and must be a non-empty string")
	case strings.IndexByte(t, 0) >= 0:
		return Invalid(field, "must not contain NUL characters")
	}
	return nil
}

// IsJSONObject reports whether raw is one valid JSON object. Only JSON's
// whitespace may surround it: raw is stored and answered as it is, and any
// other space (a vertical tab, U+00A0) would make every read invalid JSON.
func IsJSONObject(raw []byte) bool {
	t := bytes.TrimLeft(raw, jsonSpace)
	return len(t) > 0 && t[0] == '{' && json.Valid(raw)
}

// jsonSpace is the whitespace JSON allows between tokens.
const jsonSpace = " \t\r\n"

func isJSONNull(raw []byte) bool {
	t := bytes.Trim(raw, jsonSpace)
	return len(t) == 0 || string(t) == "null"
}

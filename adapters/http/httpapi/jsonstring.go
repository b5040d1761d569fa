package httpapi

import "encoding/json"

// AppendJSONString appends s as a JSON string literal. Printable ASCII
// without quotes or backslashes, which is what stream names, types and ids
// nearly always are, is copied as is; anything else goes through
// encoding/json, which escapes it and replaces invalid UTF-8.
func AppendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			quoted, err := json.Marshal(s)
			if err != nil { // unreachable for a string
				return append(b, `""`...)
			}
			return append(b, quoted...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

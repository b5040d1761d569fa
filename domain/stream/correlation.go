package stream

import "encoding/json"

// CorrelationCategory is the category of metadata.correlationStreamName, or ""
// when the metadata has none. A category read with a correlation filter returns
// the messages whose CorrelationCategory equals the filter.
func CorrelationCategory(metadata []byte) string {
	if len(metadata) == 0 {
		return ""
	}
	// A map, not a struct: encoding/json matches struct fields case-insensitively,
	// and the key must be exactly correlationStreamName, as in Message DB.
	var m map[string]json.RawMessage
	var name string
	if json.Unmarshal(metadata, &m) != nil || json.Unmarshal(m["correlationStreamName"], &name) != nil {
		return ""
	}
	return Category(name)
}

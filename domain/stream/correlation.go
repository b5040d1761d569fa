package stream

import "encoding/json"

// CorrelationCategory is the category of metadata.correlationStreamName, or ""
// when the metadata has none. A category read with a correlation filter returns
// the messages whose CorrelationCategory equals the filter.
func CorrelationCategory(metadata []byte) string {
	name, _ := correlationName(metadata)
	return Category(name)
}

// correlationName is metadata.correlationStreamName when it is a string.
func correlationName(metadata []byte) (string, bool) {
	if len(metadata) == 0 {
		return "", false
	}
	// A map, not a struct: encoding/json matches struct fields case-insensitively,
	// and the key must be exactly correlationStreamName, as in Message DB.
	var m map[string]json.RawMessage
	var name string
	if json.Unmarshal(metadata, &m) != nil || json.Unmarshal(m["correlationStreamName"], &name) != nil {
		return "", false
	}
	return name, true
}

// ValidateCorrelation refuses a correlationStreamName in metadata (the
// argument field names) longer than a stream name may be: the stores index
// its category, and an index entry has a size limit on some databases
// (PostgreSQL's B-tree rows), so every store refuses it the same way instead
// of one of them failing.
func ValidateCorrelation(field string, metadata []byte) error {
	if name, ok := correlationName(metadata); ok && len(name) > MaxNameBytes {
		return Invalidf(field+".correlationStreamName", "is %d bytes, the limit is %d (it names a stream)", len(name), MaxNameBytes)
	}
	return nil
}

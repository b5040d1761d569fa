package stream

import "encoding/json"

// CorrelationCategory is the category of metadata.correlationStreamName, or ""
// when the metadata has none. A category read with a correlation filter returns
// the messages whose CorrelationCategory equals the filter.
func CorrelationCategory(metadata []byte) string {
	if len(metadata) == 0 {
		return ""
	}
	var m struct {
		CorrelationStreamName *string `json:"correlationStreamName"`
	}
	if json.Unmarshal(metadata, &m) != nil || m.CorrelationStreamName == nil {
		return ""
	}
	return Category(*m.CorrelationStreamName)
}

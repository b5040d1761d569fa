package interchange

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/eventodb/eventodb/domain/stream"
)

// Encoder writes messages as NDJSON records, one line each. Data and
// metadata are written as stored (compacted, without HTML escaping).
// Not safe for concurrent use.
type Encoder struct {
	enc *json.Encoder
}

// NewEncoder returns an encoder writing to w; buffer w for speed.
func NewEncoder(w io.Writer) *Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &Encoder{enc: enc}
}

// Encode writes m as one line.
func (e *Encoder) Encode(m stream.Message) error {
	if err := e.enc.Encode(ToRecord(m)); err != nil {
		return fmt.Errorf("encode message %d: %w", m.GlobalPosition, err)
	}
	return nil
}

package service

// Limits are the configurable bounds the services enforce.
type Limits struct {
	MaxMessageBytes int // largest message (type + data + metadata), bytes
	MaxBatchSize    int // largest batchSize a read may ask for
	MaxWriteBatch   int // most messages in one multi-message write
}

// DefaultLimits are the limits of PROTOCOL.md §5.
func DefaultLimits() Limits {
	return Limits{MaxMessageBytes: 1 << 20, MaxBatchSize: 10000, MaxWriteBatch: 1000}
}

// pageSize bounds what one store query returns when a read asks for an
// unlimited batch, so nothing unbounded is loaded into memory at once.
const pageSize = 1000

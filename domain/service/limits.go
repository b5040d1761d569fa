package service

import "github.com/eventodb/eventodb/ports"

// Limits are the configurable bounds the services enforce.
type Limits struct {
	MaxMessageBytes int // largest message (type + data + metadata), bytes
	MaxBatchSize    int // largest batchSize a read may ask for
	MaxWriteBatch   int // most messages in one multi-message write
	// MaxPageBytes bounds the data and metadata one store read holds (0: no
	// bound): a read of large messages pages by bytes as well as by count,
	// so its memory depends on this, not on the data.
	MaxPageBytes int
}

// DefaultLimits are the limits of PROTOCOL.md §5 and 4 MiB pages.
func DefaultLimits() Limits {
	return Limits{MaxMessageBytes: 1 << 20, MaxBatchSize: 10000, MaxWriteBatch: 1000, MaxPageBytes: 4 << 20}
}

// shape is the store read shape of a read under these limits.
func (l Limits) shape(positionsOnly bool) ports.ReadShape {
	return ports.ReadShape{MaxBytes: l.MaxPageBytes, PositionsOnly: positionsOnly}
}

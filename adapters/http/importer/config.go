package importer

import "fmt"

// Config tunes POST /import.
type Config struct {
	// BatchSize is how many records one transaction imports and one progress
	// event reports; default 1000.
	BatchSize int
	// MaxMessageBytes bounds a record's type, data and metadata together,
	// bytes; default 1 MiB (the write limit). A line may be 64 KiB longer.
	MaxMessageBytes int
}

// lineSlack is what a record line may hold beyond its message: id, stream,
// positions, time and JSON punctuation.
const lineSlack = 64 << 10

func (c *Config) defaults() {
	if c.BatchSize == 0 {
		c.BatchSize = 1000
	}
	if c.MaxMessageBytes == 0 {
		c.MaxMessageBytes = 1 << 20
	}
}

// Validate rejects unusable settings.
func (c Config) Validate() error {
	if c.BatchSize < 0 || c.MaxMessageBytes < 0 {
		return fmt.Errorf("importer: batch size (%d) and max message bytes (%d) must not be negative", c.BatchSize, c.MaxMessageBytes)
	}
	return nil
}

package stream

// DefaultBatchSize is the number of messages a read returns when none is asked for.
const DefaultBatchSize = 1000

// Unlimited is the batchSize that asks for every matching message.
const Unlimited = -1

// BatchSize validates a requested batch size against the configured maximum.
// It returns the limit to read with, or Unlimited.
func BatchSize(requested *int64, maxBatch int) (int, error) {
	if requested == nil {
		return min(DefaultBatchSize, maxBatch), nil
	}
	n := *requested
	switch {
	case n == Unlimited:
		return Unlimited, nil
	case n == 0:
		return 0, Invalid("batchSize", "must not be 0: use a positive size or -1 for unlimited")
	case n < Unlimited:
		return 0, Invalidf("batchSize", "must not be negative (%d): use a positive size or -1 for unlimited", n)
	case n > int64(maxBatch):
		return 0, Invalidf("batchSize", "%d is above the maximum of %d", n, maxBatch)
	}
	return int(n), nil
}

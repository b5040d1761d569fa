package stream

// DefaultBatchSize is the number of messages a read returns when none is asked for.
const DefaultBatchSize = 1000

// Unlimited is the batchSize that asks for every matching message.
const Unlimited = -1

// BatchSize validates a requested batch size against the configured maximum.
// It returns the limit to read with, Unlimited, or 0: a batch size of 0 reads
// nothing and is not an error, as Message DB's LIMIT 0 (existing clients send
// it and expect an empty array).
func BatchSize(requested *int64, maxBatch int) (int, error) {
	if requested == nil {
		return min(DefaultBatchSize, maxBatch), nil
	}
	n := *requested
	switch {
	case n == Unlimited:
		return Unlimited, nil
	case n == 0:
		return 0, nil
	case n < Unlimited:
		return 0, Invalidf("batchSize", "must be -1 (unlimited), 0 or a positive size, got %d", n)
	case n > int64(maxBatch):
		return 0, Invalidf("batchSize", "%d is above the maximum of %d", n, maxBatch)
	}
	return int(n), nil
}

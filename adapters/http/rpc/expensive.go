package rpc

import (
	"fmt"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/stream"
)

// expensiveRetry is the Retry-After of a refused expensive request: such
// requests last as long as their data takes to stream, so a short wait.
const expensiveRetry = time.Second

// isExpensive reports whether a read of batchSize may stream more than one
// page: unlimited, or larger than the default batch.
func isExpensive(batchSize *int64) bool {
	return batchSize != nil && (*batchSize == stream.Unlimited || *batchSize > stream.DefaultBatchSize)
}

// admitExpensive takes one of the token's slots for an expensive request and
// returns its release, or RATE_LIMITED with Retry-After when the token runs
// its limit already.
func admitExpensive(l httpapi.ExpensiveRequests, token string) (func(), error) {
	release, ok := l.Acquire(token)
	if !ok {
		e := httpapi.NewError(httpapi.CodeRateLimited, fmt.Sprintf(
			"this token already runs %d streamed reads or imports, the limit; retry when one has finished", l.Max()))
		e.RetryAfter = expensiveRetry
		return nil, e
	}
	return release, nil
}

// admitRead admits a read of batchSize: every read but an expensive one
// passes without a slot.
func admitRead(l httpapi.ExpensiveRequests, token string, batchSize *int64) (func(), error) {
	if !isExpensive(batchSize) {
		return func() {}, nil
	}
	return admitExpensive(l, token)
}

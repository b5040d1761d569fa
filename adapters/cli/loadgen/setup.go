package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Pre-fill writes wait and retry when the server's rate limit refuses them.
const (
	retryWait     = 50 * time.Millisecond
	retryAttempts = 200 // 10 s of refusals
)

// prepare pre-fills what a row of kind o reads, once per run.
func (r *Runner) prepare(ctx context.Context, o op) error {
	switch o {
	case opRead, opMixed:
		if r.streamReady {
			return nil
		}
		err := r.prefill(ctx, func(int) string { return r.work.readStream() }, "stream.get", r.work.readStream())
		r.streamReady = err == nil
		return err
	case opCategory:
		if r.categoryReady {
			return nil
		}
		err := r.prefill(ctx, r.work.categoryStream, "category.get", r.work.category())
		r.categoryReady = err == nil
		return err
	}
	return nil
}

// prefill writes Batch messages, the i-th to stream(i), then checks that
// method (stream.get or category.get) of name reads them all back in one
// request.
func (r *Runner) prefill(ctx context.Context, stream func(int) string, method, name string) error {
	for i := range r.cfg.Batch {
		msg := map[string]any{
			"type": "BenchFill",
			"data": map[string]any{"i": i, "note": "a message of the eventodb load generator"},
		}
		if err := r.writeRetrying(ctx, stream(i), msg); err != nil {
			return fmt.Errorf("pre-fill for %s, message %d of %d: %w", method, i+1, r.cfg.Batch, err)
		}
	}
	var rows []json.RawMessage
	if err := r.client.call(ctx, &rows, method, name, map[string]any{"batchSize": r.cfg.Batch}); err != nil {
		return fmt.Errorf("check the pre-fill: %w", err)
	}
	if len(rows) != r.cfg.Batch {
		return fmt.Errorf("check the pre-fill: %s %s returned %d messages, want %d", method, name, len(rows), r.cfg.Batch)
	}
	return nil
}

// writeRetrying writes msg to stream, waiting out RATE_LIMITED answers.
func (r *Runner) writeRetrying(ctx context.Context, stream string, msg any) error {
	for attempt := 1; ; attempt++ {
		err := r.client.call(ctx, nil, "stream.write", stream, msg)
		var re *RemoteError
		if err == nil || !errors.As(err, &re) || re.Code != CodeRateLimited || attempt == retryAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(retryWait):
		}
	}
}

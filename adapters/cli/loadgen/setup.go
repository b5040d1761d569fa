package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/eventodb/eventodb/client"
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
		err := r.prefill(ctx, r.work.categoryStream, "category.get", r.work.categoryName())
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
		msg := client.MessageData{
			Type: "BenchFill",
			Data: json.RawMessage(`{"i":` + strconv.Itoa(i) + `,"note":"a message of the eventodb load generator"}`),
		}
		if err := r.writeRetrying(ctx, stream(i), msg); err != nil {
			return fmt.Errorf("pre-fill for %s, message %d of %d: %w", method, i+1, r.cfg.Batch, err)
		}
	}
	var msgs []client.Message
	var err error
	if method == "stream.get" {
		msgs, err = r.client.Read(ctx, name, &client.ReadOptions{BatchSize: r.cfg.Batch})
	} else {
		msgs, err = r.client.ReadCategory(ctx, name, &client.CategoryOptions{BatchSize: r.cfg.Batch})
	}
	if err != nil {
		return fmt.Errorf("check the pre-fill: %w", reportable(method, err))
	}
	if len(msgs) != r.cfg.Batch {
		return fmt.Errorf("check the pre-fill: %s %s returned %d messages, want %d", method, name, len(msgs), r.cfg.Batch)
	}
	return nil
}

// writeRetrying writes msg to stream, waiting out RATE_LIMITED answers.
func (r *Runner) writeRetrying(ctx context.Context, stream string, msg client.MessageData) error {
	for attempt := 1; ; attempt++ {
		_, err := r.client.Write(ctx, stream, msg, nil)
		if err == nil || !errors.Is(err, client.ErrRateLimited) || attempt == retryAttempts {
			return reportable("stream.write", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(retryWait):
		}
	}
}

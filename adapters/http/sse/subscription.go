package sse

import (
	"context"
	"time"
)

// subscription pokes one client: first what its source already holds, then,
// after every notifier signal, what was written since. Pokes are flushed per
// page, so a live write reaches the client as soon as it is read.
type subscription struct {
	src       source
	out       *eventWriter
	signal    <-chan struct{}
	heartbeat time.Duration
	pageSize  int
}

// readError is a failed store read, as opposed to a failed write to the
// client (which means the client is gone).
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// run serves the subscription until ctx ends (client gone, server draining)
// or a read or write fails. The signal channel must be subscribed before run
// is called, so no write between the backlog read and the subscription can
// go unnoticed.
func (s *subscription) run(ctx context.Context) error {
	if err := s.out.start(); err != nil {
		return err
	}
	idle := time.NewTimer(s.heartbeat)
	defer idle.Stop()
	for {
		wrote, err := s.catchUp(ctx)
		if err != nil || ctx.Err() != nil {
			return err
		}
		if wrote {
			idle.Reset(s.heartbeat)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.signal:
		case <-idle.C:
			if err := s.out.comment("heartbeat"); err != nil {
				return err
			}
			if err := s.out.flush(); err != nil {
				return err
			}
			idle.Reset(s.heartbeat)
		}
	}
}

// catchUp pokes every message after the cursor, a page per store read and a
// flush per page, until a page comes back short. It reports whether it wrote.
func (s *subscription) catchUp(ctx context.Context) (bool, error) {
	wrote := false
	for ctx.Err() == nil {
		msgs, err := s.src.next(ctx, s.pageSize)
		if err != nil {
			if ctx.Err() != nil {
				return wrote, nil
			}
			return wrote, &readError{err: err}
		}
		if len(msgs) > 0 {
			for _, m := range msgs {
				if err := s.out.poke(m); err != nil {
					return wrote, err
				}
			}
			if err := s.out.flush(); err != nil {
				return wrote, err
			}
			wrote = true
		}
		if len(msgs) < s.pageSize {
			break
		}
	}
	return wrote, nil
}

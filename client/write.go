package client

import (
	"context"
	"slices"
)

// NoStream is the version of a stream without messages: StreamVersion
// returns it, and ExpectVersion(NoStream) requires that a stream does not
// exist yet.
const NoStream = -1

// ExpectedVersion is a condition a write puts on its stream's version,
// checked in the same transaction as the append. The zero value puts none.
type ExpectedVersion struct {
	version int64
	set     bool
}

// ExpectVersion requires the stream's last position to be v, or, for
// NoStream, the stream not to exist. A mismatch fails the write with
// ErrVersionConflict.
func ExpectVersion(v int64) ExpectedVersion { return ExpectedVersion{version: v, set: true} }

// Version returns the required version, and false when there is none.
func (e ExpectedVersion) Version() (int64, bool) { return e.version, e.set }

// WriteOptions are the options of Write and WriteBatch; nil means none.
type WriteOptions struct {
	// ExpectedVersion, when set, makes the write optimistic: see
	// ExpectVersion.
	ExpectedVersion ExpectedVersion
}

// WriteResult is where a write went.
type WriteResult struct {
	// Position is the stream position of the (first) message written.
	Position int64 `json:"position"`
	// GlobalPosition is its global position.
	GlobalPosition int64 `json:"globalPosition"`
	// Count is how many messages were written.
	Count int `json:"count"`
	// IDs are the ids of the messages, in order: the caller's or those the
	// client gave them; nil when the server chose some (WithAutoIDs(false)).
	IDs []string `json:"-"`
}

// wireWriteOptions is the options argument of stream.write.
type wireWriteOptions struct {
	ID              string `json:"id,omitempty"`
	ExpectedVersion *int64 `json:"expectedVersion,omitempty"`
}

// Write appends one message to stream. Without an id the client gives it
// one (see WithAutoIDs), which makes the write safe to retry after a failure
// on the way; the server answers a repeated id with the original positions.
func (c *Client) Write(ctx context.Context, stream string, msg MessageData, opts *WriteOptions) (WriteResult, error) {
	if msg.ID == "" && c.autoIDs {
		msg.ID = newUUID()
	}
	// The id goes in the options, where every server version reads it.
	o := wireWriteOptions{ID: msg.ID}
	msg.ID = ""
	o.ExpectedVersion = expected(opts)
	args := []any{stream, msg.wire()}
	if o.ID != "" || o.ExpectedVersion != nil {
		args = append(args, o)
	}
	var res WriteResult
	if err := c.call(ctx, o.ID != "", &res, "stream.write", args...); err != nil {
		return WriteResult{}, err
	}
	res.Count = 1
	if o.ID != "" {
		res.IDs = []string{o.ID}
	}
	return res, nil
}

// WriteBatch appends msgs to stream atomically and in order, with one
// expected-version check for the whole batch (an extension of this server:
// older servers refuse it). Ids are given as for Write; the batch is retried
// only when every message has one.
func (c *Client) WriteBatch(ctx context.Context, stream string, msgs []MessageData, opts *WriteOptions) (WriteResult, error) {
	wire := make([]MessageData, len(msgs))
	ids := make([]string, len(msgs))
	allIDs := true
	for i, m := range msgs {
		if m.ID == "" && c.autoIDs {
			m.ID = newUUID()
		}
		wire[i], ids[i] = m.wire(), m.ID
		allIDs = allIDs && m.ID != ""
	}
	args := []any{stream, wire}
	if v := expected(opts); v != nil {
		args = append(args, wireWriteOptions{ExpectedVersion: v})
	}
	var res WriteResult
	if err := c.call(ctx, allIDs && len(msgs) > 0, &res, "stream.write", args...); err != nil {
		return WriteResult{}, err
	}
	if allIDs {
		res.IDs = slices.Clip(ids)
	}
	return res, nil
}

func expected(opts *WriteOptions) *int64 {
	if opts == nil {
		return nil
	}
	if v, ok := opts.ExpectedVersion.Version(); ok {
		return &v
	}
	return nil
}

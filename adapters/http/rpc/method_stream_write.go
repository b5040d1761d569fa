package rpc

import (
	"context"
	"encoding/json"

	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// writeResult answers a single-message stream.write.
type writeResult struct {
	Position       int64 `json:"position"`
	GlobalPosition int64 `json:"globalPosition"`
}

// batchWriteResult answers a stream.write of an array of messages: the
// positions of the first message and how many were written.
type batchWriteResult struct {
	Position       int64 `json:"position"`
	GlobalPosition int64 `json:"globalPosition"`
	Count          int   `json:"count"`
}

// streamWrite: ["stream.write", streamName, message | [message...], options?]
// with options {id?, expectedVersion?}. A single message may carry its id in
// options.id (or in message.id); array elements carry their own id.
func streamWrite(s StreamService) Method {
	return Method{Name: "stream.write", MinArgs: 2, MaxArgs: 3, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "streamName")
		msgs, multi := r.Messages(1)
		opts := r.Options(2, "options")
		id := opts.String("id")
		expected := opts.Int64("expectedVersion")
		if err := r.Err(); err != nil {
			return nil, err
		}
		if id == "" && opts.Has("id") && !isNull(opts.Raw("id")) {
			return nil, stream.Invalid("id", "must be a UUID, not an empty string (omit it to have one generated)")
		}
		if id != "" {
			switch {
			case multi:
				return nil, stream.Invalid("id", "applies to a single message; give each message of an array its own id")
			case msgs[0].ID != "" && msgs[0].ID != id:
				return nil, stream.Invalid("id", "disagrees with message.id")
			}
			msgs[0].ID = id
		}
		a := stream.Append{Stream: name, Messages: msgs, ExpectedVersion: stream.AnyVersion()}
		if expected != nil {
			a.ExpectedVersion = stream.ExactVersion(*expected)
		}
		res, err := s.Write(ctx, p.Namespace, a)
		if err != nil {
			return nil, err
		}
		if multi {
			return batchWriteResult{Position: res.Position, GlobalPosition: res.GlobalPosition, Count: res.Count}, nil
		}
		return writeResult{Position: res.Position, GlobalPosition: res.GlobalPosition}, nil
	}}
}

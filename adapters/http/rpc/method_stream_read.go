package rpc

import (
	"context"
	"encoding/json"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// streamGet: ["stream.get", streamName, options?] with options {position?,
// globalPosition?, batchSize?}. The result array is streamed page by page.
func streamGet(s StreamService, expensive httpapi.ExpensiveRequests) Method {
	return Method{Name: "stream.get", MinArgs: 1, MaxArgs: 2, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		read := service.StreamRead{Stream: r.String(0, "streamName")}
		opts := r.Options(1, "options")
		if v := opts.Int64("position"); v != nil {
			read.Position = *v
		}
		if v := opts.Int64("globalPosition"); v != nil {
			read.GlobalPosition = *v
		}
		read.BatchSize = opts.Int64("batchSize")
		if err := r.Err(); err != nil {
			return nil, err
		}
		release, err := admitRead(expensive, p.Token, read.BatchSize)
		if err != nil {
			return nil, err
		}
		return Streamed{
			Run: func(visit func(*stream.Message) error) error {
				defer release()
				return s.Scan(ctx, p.Namespace, read, visit)
			},
			Append: appendStreamMessage,
		}, nil
	}}
}

// streamLast: ["stream.last", streamName, options?] with options {type?}.
// The result is one message array, or null.
func streamLast(s StreamService) Method {
	return Method{Name: "stream.last", MinArgs: 1, MaxArgs: 2, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "streamName")
		msgType := r.Options(1, "options").String("type")
		if err := r.Err(); err != nil {
			return nil, err
		}
		m, err := s.Last(ctx, p.Namespace, name, msgType)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return json.RawMessage("null"), nil
		}
		return json.RawMessage(appendStreamMessage(nil, m)), nil
	}}
}

// streamVersion: ["stream.version", streamName]. The result is the last
// position, or null when the stream does not exist.
func streamVersion(s StreamService) Method {
	return Method{Name: "stream.version", MinArgs: 1, MaxArgs: 1, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "streamName")
		if err := r.Err(); err != nil {
			return nil, err
		}
		v, err := s.Version(ctx, p.Namespace, name)
		if err != nil {
			return nil, err
		}
		if v == stream.NoStream {
			return nil, nil
		}
		return v, nil
	}}
}

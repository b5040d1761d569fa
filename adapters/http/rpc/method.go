package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// Method is one RPC method. Handle gets the arguments after the method name,
// already checked against MinArgs and MaxArgs, and acts as principal p. It
// returns a value to encode as JSON, a json.RawMessage written as is, or a
// Streamed array; or an error, mapped to the wire by httpapi.ToError.
type Method struct {
	Name    string
	MinArgs int // fewest arguments after the method name
	MaxArgs int // most arguments after the method name
	Handle  func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error)
}

// Streamed is a JSON array of messages written while they are read, so a
// large read never sits in memory whole. Run hands each message to visit,
// which encodes it with Append into the response; an error from visit (the
// client went away) must end Run with that error. The message need not
// outlive the call.
type Streamed struct {
	Run    func(visit func(*stream.Message) error) error
	Append func(buf []byte, m *stream.Message) []byte
}

// methodTable indexes methods by name.
type methodTable map[string]Method

func newMethodTable(methods []Method) (methodTable, error) {
	table := make(methodTable, len(methods))
	var errs []error
	for _, m := range methods {
		switch {
		case m.Name == "":
			errs = append(errs, errors.New("rpc: a method has no name"))
		case m.Handle == nil:
			errs = append(errs, fmt.Errorf("rpc: method %s has no handler", m.Name))
		case m.MinArgs < 0 || m.MaxArgs < m.MinArgs:
			errs = append(errs, fmt.Errorf("rpc: method %s: bad argument counts %d..%d", m.Name, m.MinArgs, m.MaxArgs))
		case table[m.Name].Handle != nil:
			errs = append(errs, fmt.Errorf("rpc: method %s registered twice", m.Name))
		default:
			table[m.Name] = m
		}
	}
	return table, errors.Join(errs...)
}

// checkArgCount rejects a call with too few or too many arguments.
func (m Method) checkArgCount(n int) error {
	if n >= m.MinArgs && n <= m.MaxArgs {
		return nil
	}
	want := fmt.Sprintf("%d", m.MinArgs)
	switch {
	case m.MaxArgs != m.MinArgs && m.MaxArgs == m.MinArgs+1:
		want = fmt.Sprintf("%d or %d", m.MinArgs, m.MaxArgs)
	case m.MaxArgs != m.MinArgs:
		want = fmt.Sprintf("%d to %d", m.MinArgs, m.MaxArgs)
	}
	return httpapi.NewError(httpapi.CodeInvalidRequest, fmt.Sprintf("%s takes %s argument(s), got %d", m.Name, want, n))
}

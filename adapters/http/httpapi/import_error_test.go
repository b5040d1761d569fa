package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func TestImportError(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("store: %w", err) }
	tests := []struct {
		name string
		err  error
		code string
		msg  string // the whole message
	}{
		{"invalid record", stream.Invalid("pos", "must not be negative, got -1"), "INVALID_JSON", "pos must not be negative, got -1"},
		{"line too long", &interchange.LineTooLongError{Limit: 10}, "PAYLOAD_TOO_LARGE", "the line is longer than the limit of 10 bytes"},
		{"message too large", &stream.TooLargeError{What: "message", Size: 2, Limit: 1}, "PAYLOAD_TOO_LARGE", "message is 2 bytes, the limit is 1"},
		{"position taken", wrap(&stream.PositionExistsError{GlobalPosition: 3}), "POSITION_EXISTS", (&stream.PositionExistsError{GlobalPosition: 3}).Error()},
		{"id taken", &stream.DuplicateIDError{ID: "x"}, "DUPLICATE_MESSAGE_ID", (&stream.DuplicateIDError{ID: "x"}).Error()},
		{"group exists", wrap(group.ErrExists), "GROUP_EXISTS", "store: " + group.ErrExists.Error()},
		{"interrupted", wrap(context.Canceled), "IMPORT_FAILED", "the import was interrupted: the client went away or the server is shutting down"},
		{"database down", wrap(ports.ErrUnavailable), "IMPORT_FAILED", "import failed: the database is unavailable"},
		{"anything else", errors.New("disk on fire"), "IMPORT_FAILED", "import failed: internal backend error"},
		{"a server's answer relayed", httpapi.NewError(httpapi.CodePositionExists, "taken"), "POSITION_EXISTS", "taken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := httpapi.ImportError(tt.err)
			if got.Code != tt.code || got.Message != tt.msg {
				t.Fatalf("ImportError = %s %q, want %s %q", got.Code, got.Message, tt.code, tt.msg)
			}
			if tt.code == "IMPORT_FAILED" && !errors.Is(got, tt.err) {
				t.Fatal("an internal failure must keep its cause for logs")
			}
		})
	}
}

// Exported records write times as the rest of the wire does.
func TestRecordsShareTheWireTimeLayout(t *testing.T) {
	t.Parallel()
	if httpapi.TimeLayout != interchange.TimeLayout || !strings.HasSuffix(httpapi.TimeLayout, ".000000Z") {
		t.Fatalf("httpapi.TimeLayout %q, interchange.TimeLayout %q", httpapi.TimeLayout, interchange.TimeLayout)
	}
}

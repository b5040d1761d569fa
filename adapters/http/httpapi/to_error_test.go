package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func TestToError(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("store: %w", err) }
	tests := []struct {
		name   string
		err    error
		status int
		code   string
		msg    string
	}{
		{"validation", stream.Invalid("streamName", "must not be empty"), 400, "INVALID_REQUEST", "streamName must not be empty"},
		{"wrapped validation", wrap(stream.Invalid("batchSize", "bad")), 400, "INVALID_REQUEST", "batchSize bad"},
		{"version conflict", &stream.VersionConflictError{Stream: "s", Expected: 1, Actual: 2}, 409, "STREAM_VERSION_CONFLICT", `stream "s" is at version 2, expected 1`},
		{"duplicate id", wrap(&stream.DuplicateIDError{ID: "x"}), 409, "DUPLICATE_MESSAGE_ID", "message id x"},
		{"too large", &stream.TooLargeError{What: "message", Size: 2, Limit: 1}, 413, "PAYLOAD_TOO_LARGE", "message is 2 bytes"},
		{"body too large", &http.MaxBytesError{Limit: 10}, 413, "PAYLOAD_TOO_LARGE", "10 bytes"},
		{"namespace not found", namespace.NotFoundError("x"), 404, "NAMESPACE_NOT_FOUND", "namespace not found: x"},
		{"namespace exists", wrap(namespace.ExistsError("x")), 409, "NAMESPACE_EXISTS", "x"},
		{"auth required", service.ErrAuthRequired, 401, "AUTH_REQUIRED", "token is required"},
		{"auth invalid", service.ErrAuthInvalid, 401, "AUTH_INVALID", "malformed or not known"},
		{"auth forbidden", service.ErrAuthForbidden, 403, "AUTH_FORBIDDEN", "not allowed"},
		{"unavailable", wrap(ports.ErrUnavailable), 503, "BACKEND_ERROR", "unavailable"},
		{"deadline", context.DeadlineExceeded, 503, "BACKEND_ERROR", "in time"},
		{"anything else", errors.New("boom at 10.0.0.3"), 500, "BACKEND_ERROR", "internal backend error"},
		{"wire error", httpapi.NewError(httpapi.CodeRateLimited, "slow"), 429, "RATE_LIMITED", "slow"},
		{"position exists", httpapi.NewError(httpapi.CodePositionExists, "p"), 409, "POSITION_EXISTS", "p"},
		{"import failed", httpapi.NewError(httpapi.CodeImportFailed, "i"), 500, "IMPORT_FAILED", "i"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := httpapi.ToError(tt.err)
			if got.Status != tt.status || got.Code != tt.code || !strings.Contains(got.Message, tt.msg) {
				t.Fatalf("ToError = %d %s %q, want %d %s containing %q", got.Status, got.Code, got.Message, tt.status, tt.code, tt.msg)
			}
		})
	}
	if got := httpapi.ToError(errors.New("boom")); !errors.Is(got, got.Unwrap()) || got.Unwrap() == nil {
		t.Fatal("a backend error must keep its cause for logs")
	}
}

func TestFormatTime(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC), "2026-01-15T10:30:00.000000Z"},
		{time.Date(2026, 1, 15, 10, 30, 0, 123456789, time.UTC), "2026-01-15T10:30:00.123456Z"},
		{time.Date(2026, 1, 15, 11, 30, 0, 5000, paris), "2026-01-15T10:30:00.000005Z"},
	}
	for _, tt := range tests {
		if got := httpapi.FormatTime(tt.in); got != tt.want {
			t.Errorf("FormatTime(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

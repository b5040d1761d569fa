package httpapi_test

import (
	"context"
	"testing"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

func TestRequestInfoNilSafe(t *testing.T) {
	t.Parallel()
	info := httpapi.RequestInfoFrom(context.Background())
	info.SetMethod("x") // must not panic
	if got := info.Snapshot(); got != (httpapi.RequestSnapshot{}) {
		t.Fatalf("nil snapshot = %+v", got)
	}
}

package httpapi_test

import (
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

func TestAppendTimeMatchesTheLayout(t *testing.T) {
	t.Parallel()
	times := []time.Time{
		time.Date(2026, 1, 15, 10, 30, 0, 123456789, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 6, 7, 8, 9, 10, 1000, time.UTC),
		time.Date(2026, 3, 1, 12, 0, 0, 5000, time.FixedZone("x", 5*3600+1800)),
		time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Unix(0, 0),
	}
	for _, tm := range times {
		want := tm.UTC().Format(httpapi.TimeLayout)
		if got := string(httpapi.AppendTime([]byte("x"), tm)); got != "x"+want {
			t.Errorf("AppendTime(%v) = %q, want %q", tm, got, "x"+want)
		}
	}
}

func BenchmarkAppendTime(b *testing.B) {
	tm := time.Date(2026, 1, 15, 10, 30, 0, 123456789, time.UTC)
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf = httpapi.AppendTime(buf[:0], tm)
	}
}

func BenchmarkAppendFormat(b *testing.B) {
	tm := time.Date(2026, 1, 15, 10, 30, 0, 123456789, time.UTC)
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf = tm.UTC().AppendFormat(buf[:0], httpapi.TimeLayout)
	}
}

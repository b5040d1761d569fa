package group_test

import (
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/group"
)

func TestLease(t *testing.T) {
	t.Parallel()
	l := group.NewLease("l-1", now, 30*time.Second)
	tests := []struct {
		name  string
		id    string
		at    time.Time
		holds bool
	}{
		{name: "at once", id: "l-1", at: now, holds: true},
		{name: "just before expiry", id: "l-1", at: now.Add(30*time.Second - time.Microsecond), holds: true},
		{name: "at expiry", id: "l-1", at: now.Add(30 * time.Second)},
		{name: "another lease", id: "l-2", at: now},
		{name: "no lease", id: "", at: now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := l.Holds(tt.id, tt.at); got != tt.holds {
				t.Fatalf("Holds(%q, %s) = %v, want %v", tt.id, tt.at, got, tt.holds)
			}
		})
	}
	renewed := l.Renewed(now.Add(20 * time.Second))
	if !renewed.ExpiresAt.Equal(now.Add(50*time.Second)) || renewed.ID != "l-1" {
		t.Fatalf("Renewed = %+v", renewed)
	}
	if (group.Lease{}).Live(now) {
		t.Fatal("the zero lease is live")
	}
}

func TestParseTTL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		want  time.Duration
		valid bool
	}{
		{"", group.DefaultTTL, true},
		{"30s", 30 * time.Second, true},
		{"500ms", 500 * time.Millisecond, true},
		{"2h", 2 * time.Hour, true},
		{"100ms", 100 * time.Millisecond, true},
		{"99ms", 0, false},
		{"25h", 0, false},
		{"-1s", 0, false},
		{"30", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, err := group.ParseTTL(tt.in)
		if (err == nil) != tt.valid || (tt.valid && got != tt.want) {
			t.Errorf("ParseTTL(%q) = %s, %v; want %s (valid %v)", tt.in, got, err, tt.want, tt.valid)
		}
	}
}

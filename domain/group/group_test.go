package group_test

import (
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/stream"
)

var now = time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)

func TestNew(t *testing.T) {
	t.Parallel()
	d := group.Definition{Category: "account", Size: 2, StartAt: group.StartAt{Kind: group.End}}
	g, err := group.New("billing", d, 17, now)
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "billing" || g.Start != 17 || !g.CreatedAt.Equal(now) || g.Definition != d {
		t.Fatalf("New = %+v", g)
	}
	if _, err := group.New("", d, 17, now); err == nil {
		t.Fatal("New with an empty name succeeded")
	}
	if _, err := group.New("g", group.Definition{Category: "a"}, 0, now); err == nil {
		t.Fatal("New with size 0 succeeded")
	}
	past, _ := group.AtPosition(20)
	if _, err := group.New("g", group.Definition{Category: "a", Size: 1, StartAt: past}, 17, now); err == nil {
		t.Fatal("New starting past head+1 succeeded")
	}
}

func TestValidateMember(t *testing.T) {
	t.Parallel()
	g := group.Group{Name: "g", Definition: group.Definition{Category: "a", Size: 3}}
	for member, valid := range map[int64]bool{-1: false, 0: true, 2: true, 3: false} {
		if err := g.ValidateMember(member); (err == nil) != valid {
			t.Errorf("ValidateMember(%d) = %v, want valid %v", member, err, valid)
		}
	}
}

// hash64("123") is 2318431741638412123 (PostgreSQL's md5): account-123 is
// member 1 of 2 and member 3 of 4, as PROTOCOL.md §1 says.
func TestInShare(t *testing.T) {
	t.Parallel()
	corr := []byte(`{"correlationStreamName":"workflow-9"}`)
	tests := []struct {
		name     string
		def      group.Definition
		stream   string
		metadata []byte
		member   int64
		want     bool
	}{
		{name: "member 1 of 2", def: group.Definition{Category: "account", Size: 2}, stream: "account-123", member: 1, want: true},
		{name: "not member 0 of 2", def: group.Definition{Category: "account", Size: 2}, stream: "account-123", member: 0},
		{name: "member 3 of 4", def: group.Definition{Category: "account", Size: 4}, stream: "account-123+retry", member: 3, want: true},
		{name: "another category", def: group.Definition{Category: "account", Size: 1}, stream: "order-123"},
		{name: "size 1 takes everything", def: group.Definition{Category: "account", Size: 1}, stream: "account", want: true},
		{name: "correlated", def: group.Definition{Category: "account", Size: 1, Correlation: "workflow"}, stream: "account-1", metadata: corr, want: true},
		{name: "not correlated", def: group.Definition{Category: "account", Size: 1, Correlation: "workflow"}, stream: "account-1"},
		{name: "correlated elsewhere", def: group.Definition{Category: "account", Size: 1, Correlation: "saga"}, stream: "account-1", metadata: corr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := group.Group{Name: "g", Definition: tt.def}
			m := stream.Message{Stream: tt.stream, Metadata: tt.metadata}
			if got := g.InShare(&m, tt.member); got != tt.want {
				t.Fatalf("InShare = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAdvance(t *testing.T) {
	t.Parallel()
	tests := []struct{ checkpoint, to, want int64 }{
		{0, 5, 5},
		{5, 9, 9},
		{9, 5, 9}, // never back
		{9, 9, 9},
	}
	for _, tt := range tests {
		if got := group.Advance(tt.checkpoint, tt.to); got != tt.want {
			t.Errorf("Advance(%d, %d) = %d, want %d", tt.checkpoint, tt.to, got, tt.want)
		}
	}
}

func TestValidatePosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pos, head int64
		valid     bool
	}{
		{0, 0, true},
		{0, 10, true},
		{10, 10, true},
		{11, 10, false},
		{-1, 10, false},
	}
	for _, tt := range tests {
		if err := group.ValidatePosition(tt.pos, tt.head); (err == nil) != tt.valid {
			t.Errorf("ValidatePosition(%d, %d) = %v, want valid %v", tt.pos, tt.head, err, tt.valid)
		}
	}
}

func TestStatusLag(t *testing.T) {
	t.Parallel()
	s := group.Status{Members: []group.Member{{Lag: 3}, {Lag: 0}, {Lag: 4}}}
	if s.Lag() != 7 {
		t.Fatalf("Lag = %d, want 7", s.Lag())
	}
}

package partition_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
)

// TestMemberOfVectors pins Message DB's membership formula as computed by
// PostgreSQL with:
//
//	select s, n, @(('x' || left(md5(s), 16))::bit(64)::bigint) % n
//	from (values ('123'), ('abc'), ...) v(s) cross join (values (2), (3), ...) w(n);
func TestMemberOfVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cardinalID string
		size       int64
		want       int64
	}{
		{"123", 1, 0},
		{"123", 2, 1},
		{"123", 3, 1},
		{"123", 5, 3},
		{"123", 7, 3},
		{"123", 16, 11},
		{"abc", 3, 2}, // negative hash
		{"abc", 7, 2},
		{"abc", 16, 0},
		{"1", 5, 1}, // negative hash
		{"1", 7, 2},
		{"1", 16, 14},
		{"3", 3, 2}, // negative hash
		{"3", 7, 6},
		{"456", 16, 15},
		{"xyz", 16, 8},  // negative hash
		{"héllo", 7, 3}, // negative hash, unicode
		{"héllo", 16, 13},
		{"account", 7, 4}, // negative hash, a category name
		{"account", 16, 5},
		{"", 7, 2}, // the empty cardinal id of "account-"
		{"", 16, 12},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.cardinalID, tt.size), func(t *testing.T) {
			t.Parallel()
			if got := partition.MemberOf(partition.Hash64(tt.cardinalID), tt.size); got != tt.want {
				t.Errorf("MemberOf(Hash64(%q), %d) = %d, want %d", tt.cardinalID, tt.size, got, tt.want)
			}
			g := partition.Group{Member: tt.want, Size: tt.size}
			streamName := "account-" + tt.cardinalID + "+compound"
			if tt.cardinalID == "account" {
				streamName = "account" // a category name hashes its full name
			}
			if !g.Contains(streamName) {
				t.Errorf("member %d of %d does not contain %q", tt.want, tt.size, streamName)
			}
		})
	}
}

// TestMemberOfMinInt64 checks that abs(math.MinInt64) does not overflow.
// Expected values: select n, mod(9223372036854775808::numeric, n).
func TestMemberOfMinInt64(t *testing.T) {
	t.Parallel()
	want := map[int64]int64{1: 0, 2: 0, 3: 2, 4: 0, 5: 3, 6: 2, 7: 1, 8: 0, 9: 8, 10: 8, 16: 0}
	for size, w := range want {
		if got := partition.MemberOf(math.MinInt64, size); got != w {
			t.Errorf("MemberOf(MinInt64, %d) = %d, want %d", size, got, w)
		}
	}
	if got := partition.MemberOf(math.MinInt64, math.MaxInt64); got != 1 {
		t.Errorf("MemberOf(MinInt64, MaxInt64) = %d, want 1", got)
	}
	if got := partition.MemberOf(math.MaxInt64, math.MaxInt64); got != 0 {
		t.Errorf("MemberOf(MaxInt64, MaxInt64) = %d, want 0", got)
	}
}

func TestMemberOfIsInRange(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		hash := int64(r.Uint64())
		size := r.Int64N(1000) + 1
		m := partition.MemberOf(hash, size)
		if m < 0 || m >= size {
			t.Fatalf("MemberOf(%d, %d) = %d, out of range", hash, size, m)
		}
	}
}

func TestGroupValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		g     partition.Group
		field string // "" means valid
	}{
		{"single member", partition.Group{Member: 0, Size: 1}, ""},
		{"last member", partition.Group{Member: 3, Size: 4}, ""},
		{"first member", partition.Group{Member: 0, Size: 4}, ""},
		{"size zero", partition.Group{Member: 0, Size: 0}, "consumerGroup.size"},
		{"size negative", partition.Group{Member: 0, Size: -3}, "consumerGroup.size"},
		{"member negative", partition.Group{Member: -1, Size: 4}, "consumerGroup.member"},
		{"member equals size", partition.Group{Member: 4, Size: 4}, "consumerGroup.member"},
		{"member above size", partition.Group{Member: 9, Size: 4}, "consumerGroup.member"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.g.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ve *stream.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v (%T), want *stream.ValidationError", err, err)
			}
			if ve.Field != tt.field {
				t.Errorf("Field = %q, want %q", ve.Field, tt.field)
			}
		})
	}
}

// TestExactlyOneMemberContainsEachStream: for any stream and group size, the
// members of the group partition the category without gaps or overlaps.
func TestExactlyOneMemberContainsEachStream(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(42, 7))
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789+-_:é日"
	letters := []rune(alphabet)
	for i := range 500 {
		n := r.IntN(20)
		name := make([]rune, 0, n+8)
		name = append(name, []rune("cat")...)
		if i%5 != 0 { // every fifth stream is a category name with no id
			name = append(name, '-')
		}
		for range n {
			name = append(name, letters[r.IntN(len(letters))])
		}
		streamName := string(name)
		for size := int64(1); size <= 16; size++ {
			owners := 0
			for member := range size {
				if (partition.Group{Member: member, Size: size}).Contains(streamName) {
					owners++
				}
			}
			if owners != 1 {
				t.Fatalf("%q is contained by %d members of a group of %d, want exactly 1", streamName, owners, size)
			}
		}
	}
}

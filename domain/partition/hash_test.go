package partition_test

import (
	"testing"

	"github.com/eventodb/eventodb/domain/partition"
)

// TestHash64Vectors pins Message DB's hash_64 as computed by PostgreSQL
// (UTF-8 database) with:
//
//	select s, ('x' || left(md5(s), 16))::bit(64)::bigint
//	from (values ('123'), (''), ('héllo'), ...) v(s);
func TestHash64Vectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		input string
		want  int64
	}{
		{"123", 2318431741638412123},
		{"", -3162216497309240828},
		{"a", 919145239626757800},
		{"0", -3473083983811222033},
		{"1", -4266524885998034046},
		{"2", -4026655064267673757},
		{"3", -1383792015730482434},
		{"456", 2669782135874207551},
		{"abc", -8070080442485551184},
		{"xyz", -3355265907892815752},
		{"account", -2132379389342958165},
		{"account-123", 2828383952216582226},
		{"account-123+retry", 6311310951349451863},
		{"user-42", 8516795111299649485},
		{"hello world", 6824707963431612112},
		{"550e8400-e29b-41d4-a716-446655440000", -1709840711914736500},
		{"ñ", -7716579110932101749},
		{"héllo", -4733027814361378829},
		{"日本語", 4797137895898867},
		{"🙂", 6669106676718751970},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			t.Parallel()
			if got := partition.Hash64(tt.input); got != tt.want {
				t.Errorf("Hash64(%q) = %d, want %d", tt.input, got, tt.want)
			}
		})
	}
}

func TestKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stream string
		want   string
	}{
		{"account-123", "123"},
		{"account-123+retry", "123"},
		{"account:command-123", "123"},
		{"account-a-b", "a-b"},
		// A stream without an id hashes its whole name (Message DB would put it
		// in no member at all).
		{"account", "account"},
		{"account+x", "account+x"},
		// An empty id is still an id: Message DB's cardinal_id('account-') is ''
		// (not NULL), so it hashes '' and these streams must too.
		{"account-", ""},
		{"account-+x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.stream, func(t *testing.T) {
			t.Parallel()
			if got := partition.Key(tt.stream); got != tt.want {
				t.Errorf("Key(%q) = %q, want %q", tt.stream, got, tt.want)
			}
		})
	}
}

func TestCompoundIDHashesLikeItsEntity(t *testing.T) {
	t.Parallel()
	base := partition.Hash64(partition.Key("account-123"))
	if got := partition.Hash64(partition.Key("account-123+retry")); got != base {
		t.Errorf("account-123+retry hashes to %d, account-123 to %d", got, base)
	}
	if base != partition.Hash64("123") {
		t.Errorf("account-123 does not hash by its cardinal id 123")
	}
	if got, want := partition.Hash64(partition.Key("account")), partition.Hash64("account"); got != want {
		t.Errorf("category name account hashes to %d, want Hash64(\"account\") = %d", got, want)
	}
}

// Package partition splits a category across the members of a consumer group
// exactly as Message DB does, so partitions are portable between the two.
package partition

import (
	"crypto/md5"
	"encoding/binary"

	"github.com/eventodb/eventodb/domain/stream"
)

// Hash64 is Message DB's hash_64: the first 16 hex digits of md5(s) read as a
// big-endian signed 64-bit integer.
func Hash64(s string) int64 {
	sum := md5.Sum([]byte(s))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// Key is the string a stream is hashed by: its cardinal id, or, for a stream
// without an id, its whole name (Message DB would place it in no member). An
// empty id ("account-") is still an id, hashed as "" like Message DB does.
func Key(streamName string) string {
	if stream.IsCategory(streamName) {
		return streamName
	}
	return stream.CardinalID(streamName)
}

// Group is one member of a consumer group of Size members.
type Group struct {
	Member int64
	Size   int64
}

// Validate rejects a size below 1 and a member outside 0..Size-1.
func (g Group) Validate() error {
	switch {
	case g.Size < 1:
		return stream.Invalidf("consumerGroup.size", "must be at least 1, got %d", g.Size)
	case g.Member < 0:
		return stream.Invalidf("consumerGroup.member", "must not be negative, got %d", g.Member)
	case g.Member >= g.Size:
		return stream.Invalidf("consumerGroup.member", "must be below size %d, got %d", g.Size, g.Member)
	}
	return nil
}

// Contains reports whether the stream belongs to this member.
func (g Group) Contains(streamName string) bool {
	return MemberOf(Hash64(Key(streamName)), g.Size) == g.Member
}

// MemberOf maps a stream hash to a member: abs(hash) mod size. It takes the
// remainder before the absolute value, which is the same number and cannot
// overflow for math.MinInt64; SQL stores use the same form.
func MemberOf(hash, size int64) int64 {
	r := hash % size
	if r < 0 {
		r = -r
	}
	return r
}

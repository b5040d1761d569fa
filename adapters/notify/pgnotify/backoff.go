package pgnotify

import (
	"math/rand/v2"
	"time"
)

// backoff yields pauses that double from min to max, each with up to half of
// it taken off at random so nodes that lost the database together do not
// reconnect in lockstep.
type backoff struct {
	min, max, cur time.Duration
}

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	half := int64(b.cur / 2)
	if half <= 0 {
		return b.cur
	}
	return b.cur - time.Duration(rand.Int64N(half))
}

func (b *backoff) reset() { b.cur = 0 }

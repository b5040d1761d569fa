package service

import (
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// pageSize is the most messages one store query returns: a larger or
// unlimited batch is read as several queries, so nothing unbounded is loaded
// into memory at once.
const pageSize = 1000

// readPages reads up to limit messages (stream.Unlimited: all of them; 0:
// none) with fetch, a page per call. fetch reads at most n messages, each
// call continuing where the last one stopped, and returns them.
//
// A page that reaches maxBytes of payload (0: no bound) may have been cut
// short by the store's byte budget rather than by the end of the data, so
// reading goes on. The next page asks for as many rows as that one held, so a
// database sends few rows the budget makes the store discard; pages of
// smaller messages grow the row count back.
func readPages(limit, maxBytes int, fetch func(n int) ([]stream.Message, error)) error {
	rows := pageSize
	for remaining := limit; remaining != 0; {
		n := rows
		if remaining != stream.Unlimited {
			n = min(n, remaining)
		}
		msgs, err := fetch(n)
		if err != nil {
			return err
		}
		if remaining != stream.Unlimited {
			remaining -= len(msgs)
		}
		cut := maxBytes > 0 && payload(msgs) >= maxBytes
		switch {
		case len(msgs) == 0:
			return nil
		case cut:
			rows = len(msgs)
		case len(msgs) < n:
			return nil // the data ended
		default:
			rows = min(pageSize, 2*rows)
		}
	}
	return nil
}

// payload is the data and metadata bytes of msgs.
func payload(msgs []stream.Message) int {
	n := 0
	for i := range msgs {
		n += ports.PayloadBytes(&msgs[i])
	}
	return n
}

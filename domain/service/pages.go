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
// call continuing where the last one stopped, and says what it read.
//
// A page that reaches maxBytes of payload (0: no bound) may have been cut
// short by the store's byte budget rather than by the end of the data, so
// reading goes on. The next page asks for as many rows as that one held, so a
// database sends few rows the budget makes the store discard; pages of
// smaller messages grow the row count back.
func readPages(limit, maxBytes int, fetch func(n int) (ports.Scanned, error)) error {
	rows := pageSize
	for remaining := limit; remaining != 0; {
		n := rows
		if remaining != stream.Unlimited {
			n = min(n, remaining)
		}
		got, err := fetch(n)
		if err != nil {
			return err
		}
		if remaining != stream.Unlimited {
			remaining -= got.Count
		}
		cut := maxBytes > 0 && got.Bytes >= maxBytes
		switch {
		case got.Count == 0:
			return nil
		case cut:
			rows = got.Count
		case got.Count < n:
			return nil // the data ended
		default:
			rows = min(pageSize, 2*rows)
		}
	}
	return nil
}

// scanned says what a page of copies holds.
func scanned(msgs []stream.Message) ports.Scanned {
	s := ports.Scanned{Count: len(msgs)}
	for i := range msgs {
		s.Bytes += ports.PayloadBytes(&msgs[i])
	}
	return s
}

// visitAll hands every message of a page to visit.
func visitAll(msgs []stream.Message, visit func(*stream.Message) error) error {
	for i := range msgs {
		if err := visit(&msgs[i]); err != nil {
			return err
		}
	}
	return nil
}

package client

import (
	"bufio"
	"bytes"
	"io"
)

// maxEventLine bounds one line of an event stream; EventoDB's events are
// about a hundred bytes.
const maxEventLine = 1 << 20

// sseEvent is one event of a text/event-stream answer.
type sseEvent struct {
	name string // the "event:" field; "" for the default ("message")
	data []byte // the "data:" lines, joined by newlines
}

// sseReader reads the events of a text/event-stream answer (subscriptions,
// import progress) by the WHATWG rules EventoDB relies on: fields up to the
// first colon, one optional space after it, comment lines starting with a
// colon, an event dispatched at a blank line when it has data. An event cut
// off by the end of the stream is not dispatched. Not safe for concurrent
// use.
type sseReader struct {
	sc *bufio.Scanner
	// alive, when set, is called for every line, comments included: the
	// other side is still there.
	alive func()
}

func newSSEReader(r io.Reader, alive func()) *sseReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxEventLine)
	return &sseReader{sc: sc, alive: alive}
}

// next returns the next event, io.EOF at the end of the stream, or the
// error that broke it.
func (s *sseReader) next() (sseEvent, error) {
	var ev sseEvent
	hasData := false
	for s.sc.Scan() {
		if s.alive != nil {
			s.alive()
		}
		line := bytes.TrimSuffix(s.sc.Bytes(), []byte("\r"))
		if len(line) == 0 {
			if hasData {
				return ev, nil
			}
			ev = sseEvent{}
			continue
		}
		if line[0] == ':' {
			continue // a comment: ": ready", heartbeats
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "event":
			ev.name = string(value)
		case "data":
			if hasData {
				ev.data = append(ev.data, '\n')
			}
			ev.data = append(ev.data, value...)
			hasData = true
		}
		// "id:" repeats the poke's global position, which the client
		// tracks itself; "retry:" is for browsers.
	}
	if err := s.sc.Err(); err != nil {
		return sseEvent{}, err
	}
	return sseEvent{}, io.EOF
}

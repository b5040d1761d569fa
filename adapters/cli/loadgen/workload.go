package loadgen

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strconv"
)

// workload builds the requests of a run. Every name it uses contains the
// run id, so runs never touch each other's streams:
//
//	bench-<run>-<worker>-<i%100>   written by write rows (category "bench")
//	benchread-<run>                pre-filled with Batch messages, read by read rows
//	benchcat<run>-<0..9>           pre-filled with Batch messages, read as category benchcat<run>
type workload struct {
	run      string
	read     request // stream.get of the read stream
	category request // category.get of the run's category
}

// request is one RPC call: its method and arguments.
type request struct {
	method string
	args   []any
}

// writeStreams is how many streams each write worker spreads over.
const writeStreams = 100

// categoryStreams is how many streams the pre-filled category has.
const categoryStreams = 10

func newWorkload(run string, batch int) *workload {
	w := &workload{run: run}
	// Arguments are pre-encoded JSON where they can be: the client copies
	// them into the request instead of encoding them by reflection.
	opts := json.RawMessage(`{"batchSize":` + strconv.Itoa(batch) + `}`)
	w.read = request{method: "stream.get", args: []any{w.readStream(), opts}}
	w.category = request{method: "category.get", args: []any{w.categoryName(), opts}}
	return w
}

// newRunID returns 8 random hex digits.
func newRunID() (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

func (w *workload) readStream() string   { return "benchread-" + w.run }
func (w *workload) categoryName() string { return "benchcat" + w.run }
func (w *workload) categoryStream(i int) string {
	return w.categoryName() + "-" + strconv.Itoa(i%categoryStreams)
}

// request returns what worker sends as its i-th request of a row of kind o;
// seq numbers the row's requests from 1 across workers.
func (w *workload) request(o op, worker, i int, seq int64) request {
	switch o {
	case opRead:
		return w.read
	case opCategory:
		return w.category
	case opMixed:
		if seq%5 == 0 { // every fifth request: 20% reads
			return w.read
		}
	}
	return w.write(worker, i)
}

// write is stream.write of one small message to
// bench-<run>-<worker>-<i%100>.
func (w *workload) write(worker, i int) request {
	name := make([]byte, 0, 32)
	name = append(name, "bench-"...)
	name = append(name, w.run...)
	name = append(name, '-')
	name = strconv.AppendInt(name, int64(worker), 10)
	name = append(name, '-')
	name = strconv.AppendInt(name, int64(i%writeStreams), 10)
	msg := make([]byte, 0, 64)
	msg = append(msg, `{"type":"BenchWrite","data":{"worker":`...)
	msg = strconv.AppendInt(msg, int64(worker), 10)
	msg = append(msg, `,"i":`...)
	msg = strconv.AppendInt(msg, int64(i), 10)
	msg = append(msg, `}}`...)
	return request{method: "stream.write", args: []any{string(name), json.RawMessage(msg)}}
}

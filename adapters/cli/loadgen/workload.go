package loadgen

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
)

// workload builds the request bodies of a run. Every name it uses contains
// the run id, so runs never touch each other's streams:
//
//	bench-<run>-<worker>-<i%100>   written by write rows (category "bench")
//	benchread-<run>                pre-filled with Batch messages, read by read rows
//	benchcat<run>-<0..9>           pre-filled with Batch messages, read as category benchcat<run>
type workload struct {
	run          string
	readBody     []byte // stream.get of the read stream
	categoryBody []byte // category.get of the run's category
}

// writeStreams is how many streams each write worker spreads over.
const writeStreams = 100

// categoryStreams is how many streams the pre-filled category has.
const categoryStreams = 10

func newWorkload(run string, batch int) *workload {
	w := &workload{run: run}
	w.readBody = []byte(`["stream.get","` + w.readStream() + `",{"batchSize":` + strconv.Itoa(batch) + `}]`)
	w.categoryBody = []byte(`["category.get","` + w.category() + `",{"batchSize":` + strconv.Itoa(batch) + `}]`)
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

func (w *workload) readStream() string { return "benchread-" + w.run }
func (w *workload) category() string   { return "benchcat" + w.run }
func (w *workload) categoryStream(i int) string {
	return w.category() + "-" + strconv.Itoa(i%categoryStreams)
}

// body returns the request that worker sends as its i-th request of a row of
// kind o; seq numbers the row's requests from 1 across workers.
func (w *workload) body(o op, worker, i int, seq int64) []byte {
	switch o {
	case opRead:
		return w.readBody
	case opCategory:
		return w.categoryBody
	case opMixed:
		if seq%5 == 0 { // every fifth request: 20% reads
			return w.readBody
		}
	}
	return w.writeBody(worker, i)
}

// writeBody is stream.write of one small message to
// bench-<run>-<worker>-<i%100>.
func (w *workload) writeBody(worker, i int) []byte {
	b := make([]byte, 0, 128)
	b = append(b, `["stream.write","bench-`...)
	b = append(b, w.run...)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(worker), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(i%writeStreams), 10)
	b = append(b, `",{"type":"BenchWrite","data":{"worker":`...)
	b = strconv.AppendInt(b, int64(worker), 10)
	b = append(b, `,"i":`...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, `}}]`...)
	return b
}

// Package planner decides what a batch of appends writes: the positions and
// global positions of their messages, which appends are refused (version
// conflicts, duplicate ids, positions used up) and which are retries of a
// write already stored. It is pure: a store gives it what it read (the next
// global position, the streams' versions, the stored messages with the
// batch's ids) and writes what it plans, in one transaction.
package planner

import (
	"time"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
)

// Row is one message to insert, with what a store indexes it by.
type Row struct {
	Message     stream.Message
	Category    string
	Hash        int64  // partition.Hash64 of the stream's consumer-group key
	Correlation string // category of metadata.correlationStreamName, "" when none
}

// StreamRow is a stream whose version the batch moves.
type StreamRow struct {
	Name, Category string
	Version        int64
	Time           time.Time
	Added          int64 // messages the batch adds to it
}

// Result is the outcome of one append of the batch.
type Result struct {
	Appended stream.Appended
	Err      error // refused: nothing of the append is written
}

// Plan is a batch being planned. Make it with New, Add every append in
// order, then write Rows and Streams.
type Plan struct {
	now      time.Time
	next     int64
	versions map[string]int64           // stream -> version, including this batch
	known    map[string]*stream.Message // message id -> stored or planned message
	hashes   map[string]int64           // stream -> partition hash, computed once

	Rows    []Row
	Streams []*StreamRow // in order of first appearance
	byName  map[string]*StreamRow
}

// New starts a plan at global position next (the namespace's highest plus
// one) for messages stamped now. versions holds the version of every stream
// the batch appends to (stream.NoStream for a new one); known holds the
// stored messages with any of the batch's ids. The plan keeps both maps.
func New(next int64, now time.Time, versions map[string]int64, known map[string]*stream.Message) *Plan {
	if known == nil {
		known = map[string]*stream.Message{}
	}
	return &Plan{
		now: now, next: next, versions: versions, known: known,
		hashes: map[string]int64{}, byName: map[string]*StreamRow{},
	}
}

// Next is the global position the next planned message gets.
func (p *Plan) Next() int64 { return p.next }

// Version is the version a stream has after what is planned so far.
func (p *Plan) Version(name string) int64 {
	if v, ok := p.versions[name]; ok {
		return v
	}
	return stream.NoStream
}

// Add plans one append and returns its outcome.
func (p *Plan) Add(a stream.Append) Result {
	if res, done, err := p.retried(a); done || err != nil {
		return Result{Appended: res, Err: err}
	}
	version := p.Version(a.Stream)
	if err := a.ExpectedVersion.Check(a.Stream, version); err != nil {
		return Result{Err: err}
	}
	if err := stream.CheckRoom(version, p.next, len(a.Messages)); err != nil {
		return Result{Err: err}
	}
	res := stream.Appended{Position: version + 1, GlobalPosition: p.next, Count: len(a.Messages)}
	category := stream.Category(a.Stream)
	hash := p.hash(a.Stream)
	for _, m := range a.Messages {
		version++
		row := Row{
			Message: stream.Message{
				ID: m.ID, Stream: a.Stream, Type: m.Type, Position: version, GlobalPosition: p.next,
				Data: m.Data, Metadata: m.Metadata, Time: p.now,
			},
			Category:    category,
			Hash:        hash,
			Correlation: stream.CorrelationCategory(m.Metadata),
		}
		p.Rows = append(p.Rows, row)
		planned := row.Message // a copy: Rows may move when it grows
		p.known[m.ID] = &planned
		p.next++
	}
	p.versions[a.Stream] = version
	sr := p.byName[a.Stream]
	if sr == nil {
		sr = &StreamRow{Name: a.Stream, Category: category}
		p.byName[a.Stream] = sr
		p.Streams = append(p.Streams, sr)
	}
	sr.Version, sr.Time = version, p.now
	sr.Added += int64(len(a.Messages))
	return Result{Appended: res}
}

func (p *Plan) hash(name string) int64 {
	h, ok := p.hashes[name]
	if !ok {
		h = partition.Hash64(partition.Key(name))
		p.hashes[name] = h
	}
	return h
}

// retried recognises an append whose message ids are already stored (or
// planned). When all are, with the same content, it is a retry of a write
// that succeeded and gets the original result; any other overlap is a
// duplicate id.
func (p *Plan) retried(a stream.Append) (stream.Appended, bool, error) {
	var stored []*stream.Message
	for _, m := range a.Messages {
		old, ok := p.known[m.ID]
		if !ok {
			continue
		}
		if !old.SameContent(a.Stream, m) {
			return stream.Appended{}, false, &stream.DuplicateIDError{ID: m.ID}
		}
		stored = append(stored, old)
	}
	switch len(stored) {
	case 0:
		return stream.Appended{}, false, nil
	case len(a.Messages):
		return stream.Appended{Position: stored[0].Position, GlobalPosition: stored[0].GlobalPosition, Count: len(stored)}, true, nil
	default: // part of the write exists: not a retry of this write
		return stream.Appended{}, false, &stream.DuplicateIDError{ID: stored[0].ID}
	}
}

// Committed describes the planned messages for subscribers, in global order.
func (p *Plan) Committed() []stream.Committed {
	out := make([]stream.Committed, len(p.Rows))
	for i := range p.Rows {
		r := &p.Rows[i]
		out[i] = stream.Committed{
			Stream: r.Message.Stream, Category: r.Category, Hash: r.Hash, Correlation: r.Correlation,
			Position: r.Message.Position, GlobalPosition: r.Message.GlobalPosition,
		}
	}
	return out
}

package memory

import (
	"bytes"
	"sync"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
)

// space is one namespace: its record, its messages and their indexes. Every
// index holds pointers to the same entries. Pointers rather than offsets into
// log, because an import may insert below messages already stored, which
// would shift every offset after it.
type space struct {
	rec namespace.Record // immutable

	mu      sync.RWMutex
	deleted bool // set by Delete: the space is gone even for calls that found it

	log          []*entry                  // every message, by ascending global position
	ids          map[string]*entry         // by message id
	streams      map[string]*streamState   // by stream name
	categories   map[string]*categoryState // by category
	lastActivity time.Time                 // newest time given to a stream; zero when empty
	groups       map[string]*groupState    // durable consumer groups by name (groups.go)

	// Stream names for the catalog. Appends add to unsorted under mu (write);
	// sortedNames sorts them into names under mu (read) and namesMu, so two
	// catalog calls never sort at once and appends never run meanwhile.
	namesMu  sync.Mutex
	names    []string // sorted
	unsorted []string // created since names was sorted
}

// entry is one stored message with what the filters need, derived once.
// msg's Data and Metadata belong to the store and are never handed out.
type entry struct {
	msg         stream.Message
	category    string
	hash        int64  // partition.Hash64 of the stream's key
	correlation string // stream.CorrelationCategory of the metadata
}

// streamState is one stream: its messages and the catalog figures.
type streamState struct {
	entries  []*entry  // by ascending position (gaps are possible after an import)
	lastTime time.Time // as the SQL stores' last_time: set by appends, raised by imports
}

// version is the stream's highest position.
func (st *streamState) version() int64 {
	return st.entries[len(st.entries)-1].msg.Position
}

// categoryState is one category's messages, by ascending global position.
type categoryState struct {
	entries []*entry
	streams int64
}

func newSpace(rec namespace.Record) *space {
	return &space{
		rec:        rec,
		ids:        map[string]*entry{},
		streams:    map[string]*streamState{},
		categories: map[string]*categoryState{},
		groups:     map[string]*groupState{},
	}
}

// clear empties sp as newSpace would make it; the caller holds mu (write).
func (sp *space) clear() {
	fresh := newSpace(sp.rec)
	sp.log, sp.ids, sp.streams, sp.categories = nil, fresh.ids, fresh.streams, fresh.categories
	sp.groups = fresh.groups
	sp.lastActivity = time.Time{}
	sp.namesMu.Lock()
	sp.names, sp.unsorted = nil, nil
	sp.namesMu.Unlock()
}

// version is the stream's version, stream.NoStream when it has no messages.
func (sp *space) version(name string) int64 {
	if st := sp.streams[name]; st != nil {
		return st.version()
	}
	return stream.NoStream
}

// lastGlobal is the highest global position, 0 when the namespace is empty.
func (sp *space) lastGlobal() int64 {
	if len(sp.log) == 0 {
		return 0
	}
	return sp.log[len(sp.log)-1].msg.GlobalPosition
}

// keys are what a stream's entries derive from its name.
type keys struct {
	category string
	hash     int64
}

func keysOf(name string) keys {
	return keys{category: stream.Category(name), hash: partition.Hash64(partition.Key(name))}
}

// newEntry copies m, of a stream with keys k, into an entry the store owns,
// its time cut to the microseconds the SQL stores keep.
func newEntry(m stream.Message, k keys) *entry {
	m.Data, m.Metadata = bytes.Clone(m.Data), bytes.Clone(m.Metadata)
	m.Time = microUTC(m.Time)
	return &entry{msg: m, category: k.category, hash: k.hash, correlation: stream.CorrelationCategory(m.Metadata)}
}

// microUTC is t as the SQL stores give it back: UTC, whole microseconds.
func microUTC(t time.Time) time.Time { return time.UnixMicro(t.UnixMicro()).UTC() }

// addStream indexes entries of stream name, sorted by position, and returns
// the stream (created when new). Setting its last time is up to the caller:
// appends set it, imports only raise it.
func (sp *space) addStream(name string, entries []*entry) *streamState {
	st := sp.streams[name]
	if st == nil {
		st = &streamState{}
		sp.streams[name] = st
		sp.unsorted = append(sp.unsorted, name)
		sp.category(entries[0].category).streams++
	}
	st.entries = merge(st.entries, entries, comparePosition)
	return st
}

// addCategory indexes entries of category name, sorted by global position.
func (sp *space) addCategory(name string, entries []*entry) {
	cat := sp.category(name)
	cat.entries = merge(cat.entries, entries, compareGlobal)
}

// addLog indexes entries, sorted by global position, in the namespace's log
// and by id.
func (sp *space) addLog(entries []*entry) {
	sp.log = merge(sp.log, entries, compareGlobal)
	for _, e := range entries {
		sp.ids[e.msg.ID] = e
	}
}

// touched records activity at t.
func (sp *space) touched(t time.Time) {
	if t.After(sp.lastActivity) {
		sp.lastActivity = t
	}
}

func (sp *space) category(name string) *categoryState {
	cat := sp.categories[name]
	if cat == nil {
		cat = &categoryState{}
		sp.categories[name] = cat
	}
	return cat
}

// message returns a copy of e's message the caller may keep and change.
func (e *entry) message() stream.Message {
	m := e.msg
	m.Data, m.Metadata = bytes.Clone(m.Data), bytes.Clone(m.Metadata)
	return m
}

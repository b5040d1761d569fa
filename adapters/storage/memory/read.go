package memory

import (
	"context"
	"time"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// ReadStream binary-searches the stream's index for q.Position and reads on.
func (s *Store) ReadStream(ctx context.Context, ns string, q ports.StreamQuery) ([]stream.Message, error) {
	c := newCollector(q.Limit, q.ReadShape)
	err := s.read(ctx, ns, func(sp *space) error {
		st := sp.streams[q.Stream]
		if st == nil {
			return nil
		}
		for _, e := range st.entries[fromPosition(st.entries, q.Position):] {
			if c.full() {
				break
			}
			if e.msg.GlobalPosition >= q.GlobalPosition {
				c.add(e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.out, nil
}

// ReadCategory binary-searches the category's index for q.GlobalPosition and
// filters what follows by correlation and consumer group, as the SQL stores
// filter their (category, global_position) index range.
func (s *Store) ReadCategory(ctx context.Context, ns string, q ports.CategoryQuery) ([]stream.Message, error) {
	if q.Group != nil {
		if err := q.Group.Validate(); err != nil { // a size of 0 would divide by zero
			return nil, err
		}
	}
	c := newCollector(q.Limit, q.ReadShape)
	err := s.read(ctx, ns, func(sp *space) error {
		cat := sp.categories[q.Category]
		if cat == nil {
			return nil
		}
		for _, e := range cat.entries[fromGlobal(cat.entries, q.GlobalPosition):] {
			if c.full() {
				break
			}
			if matches(e, q.Correlation, q.Group) {
				c.add(e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.out, nil
}

// matches applies a category read's filters to e.
func matches(e *entry, correlation string, g *partition.Group) bool {
	if correlation != "" && e.correlation != correlation {
		return false
	}
	return g == nil || partition.MemberOf(e.hash, g.Size) == g.Member
}

// ReadAll binary-searches the namespace's log.
func (s *Store) ReadAll(ctx context.Context, ns string, q ports.AllQuery) ([]stream.Message, error) {
	c := newCollector(q.Limit, q.ReadShape)
	err := s.read(ctx, ns, func(sp *space) error {
		for _, e := range sp.log[fromGlobal(sp.log, q.GlobalPosition):] {
			if c.full() {
				break
			}
			c.add(e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.out, nil
}

// LastGlobalPosition is the end of the namespace's log.
func (s *Store) LastGlobalPosition(ctx context.Context, ns string) (int64, error) {
	var last int64
	err := s.read(ctx, ns, func(sp *space) error {
		last = sp.lastGlobal()
		return nil
	})
	return last, err
}

// Last walks the stream's index backwards.
func (s *Store) Last(ctx context.Context, ns, streamName, msgType string) (*stream.Message, error) {
	var last *stream.Message
	err := s.read(ctx, ns, func(sp *space) error {
		st := sp.streams[streamName]
		if st == nil {
			return nil
		}
		for i := len(st.entries) - 1; i >= 0; i-- {
			if e := st.entries[i]; msgType == "" || e.msg.Type == msgType {
				m := e.message()
				last = &m
				return nil
			}
		}
		return nil
	})
	return last, err
}

// Version is the stream's highest position, stream.NoStream when it has none.
func (s *Store) Version(ctx context.Context, ns, streamName string) (int64, error) {
	var v int64
	err := s.read(ctx, ns, func(sp *space) error {
		v = sp.version(streamName)
		return nil
	})
	return v, err
}

// newPage is an empty page for at most limit messages (none when limit <= 0,
// as SQL's LIMIT 0), not nil, as the SQL stores return.
func newPage(limit int) []stream.Message {
	return make([]stream.Message, 0, min(max(limit, 0), 1024))
}

// collector fills one page of a read within its row limit and shape.
type collector struct {
	out   []stream.Message
	limit int
	shape ports.ReadShape
	size  int // payload bytes collected
}

func newCollector(limit int, shape ports.ReadShape) *collector {
	return &collector{out: newPage(limit), limit: limit, shape: shape}
}

// full reports whether the page holds its limit, or its byte budget.
func (c *collector) full() bool {
	return len(c.out) >= c.limit || (c.shape.MaxBytes > 0 && c.size >= c.shape.MaxBytes)
}

// add copies e into the page, without its payload for positions-only reads.
func (c *collector) add(e *entry) {
	if c.shape.PositionsOnly {
		m := e.msg
		m.Data, m.Metadata, m.Time = nil, nil, time.Time{}
		c.out = append(c.out, m)
		return
	}
	m := e.message()
	c.size += ports.PayloadBytes(&m)
	c.out = append(c.out, m)
}

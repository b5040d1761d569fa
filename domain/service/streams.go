package service

import (
	"context"
	"slices"
	"strconv"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// Streams writes and reads individual streams.
type Streams struct {
	store    ports.MessageStore
	ids      ports.IDGenerator
	notifier ports.Notifier
	limits   Limits
	// storePublishes: the store tells subscribers of its commits itself
	// (ports.CommitPublisher), in commit order, so Write need not.
	storePublishes bool
}

// NewStreams returns the stream service. notifier may be nil.
func NewStreams(store ports.MessageStore, ids ports.IDGenerator, notifier ports.Notifier, limits Limits) *Streams {
	_, publishes := store.(ports.CommitPublisher)
	return &Streams{store: store, ids: ids, notifier: notifier, limits: limits, storePublishes: publishes}
}

// Write validates and appends a; message ids left empty are generated. It
// works on a copy of a.Messages: the caller's slice is left as it was, so it
// may be written again or shared between goroutines.
func (s *Streams) Write(ctx context.Context, ns string, a stream.Append) (stream.Appended, error) {
	a.Messages = slices.Clone(a.Messages)
	if err := s.validate(&a); err != nil {
		return stream.Appended{}, err
	}
	res, err := s.store.Append(ctx, ns, a)
	if err != nil {
		return stream.Appended{}, err
	}
	if s.notifier != nil && !s.storePublishes {
		// A failed notification only delays subscribers; the write is durable.
		_ = s.notifier.Publish(ctx, ns, res.GlobalPosition+int64(res.Count)-1)
	}
	return res, nil
}

func (s *Streams) validate(a *stream.Append) error {
	if err := stream.ValidateName("streamName", a.Stream); err != nil {
		return err
	}
	if len(a.Messages) == 0 {
		return stream.Invalid("messages", "must contain at least one message")
	}
	if s.limits.MaxWriteBatch > 0 && len(a.Messages) > s.limits.MaxWriteBatch {
		return stream.Invalidf("messages", "has %d messages, the limit is %d", len(a.Messages), s.limits.MaxWriteBatch)
	}
	if err := a.ExpectedVersion.Validate(); err != nil {
		return err
	}
	field := "message"
	seen := make(map[string]bool, len(a.Messages))
	for i := range a.Messages {
		m := &a.Messages[i]
		if len(a.Messages) > 1 {
			field = "messages[" + strconv.Itoa(i) + "]"
		}
		if err := m.Validate(field, s.limits.MaxMessageBytes); err != nil {
			return err
		}
		if m.ID == "" {
			m.ID = s.ids.NewID()
			m.GeneratedID = true
		} else {
			id, err := s.ids.Normalize(m.ID)
			if err != nil {
				return stream.Invalidf(field+".id", "must be a UUID, got %q", m.ID)
			}
			m.ID = id
		}
		if seen[m.ID] {
			return stream.Invalidf(field+".id", "repeats id %s within one write", m.ID)
		}
		seen[m.ID] = true
	}
	return nil
}

// StreamRead is a stream.get request.
type StreamRead struct {
	Stream         string
	Position       int64
	GlobalPosition int64
	BatchSize      *int64 // nil: default
	PositionsOnly  bool   // leave data and metadata out (subscriptions)
}

// Get reads a stream in ascending position and hands the messages to page in
// one or more slices, each within the configured page bytes.
func (s *Streams) Get(ctx context.Context, ns string, r StreamRead, page func([]stream.Message) error) error {
	q, limit, err := s.query(r)
	if err != nil {
		return err
	}
	return readPages(limit, q.MaxBytes, func(n int) (ports.Scanned, error) {
		q.Limit = n
		msgs, err := s.store.ReadStream(ctx, ns, q)
		if err != nil || len(msgs) == 0 {
			return ports.Scanned{}, err
		}
		q.Position = msgs[len(msgs)-1].Position + 1
		return scanned(msgs), page(msgs)
	})
}

// Scan reads like Get but hands each message to visit as it is read, without
// copies when the store can (ports.Scanner): the message's Data and Metadata
// are valid only during the call.
func (s *Streams) Scan(ctx context.Context, ns string, r StreamRead, visit func(*stream.Message) error) error {
	q, limit, err := s.query(r)
	if err != nil {
		return err
	}
	scanner, _ := s.store.(ports.Scanner)
	return readPages(limit, q.MaxBytes, func(n int) (ports.Scanned, error) {
		q.Limit = n
		last := int64(-1)
		track := func(m *stream.Message) error { last = m.Position; return visit(m) }
		var got ports.Scanned
		if scanner != nil {
			got, err = scanner.ScanStream(ctx, ns, q, track)
		} else {
			var msgs []stream.Message
			if msgs, err = s.store.ReadStream(ctx, ns, q); err == nil {
				got, err = scanned(msgs), visitAll(msgs, track)
			}
		}
		if got.Count > 0 {
			q.Position = last + 1
		}
		return got, err
	})
}

// Last returns the stream's last message, of msgType when not "", or nil.
func (s *Streams) Last(ctx context.Context, ns, streamName, msgType string) (*stream.Message, error) {
	if err := stream.ValidateName("streamName", streamName); err != nil {
		return nil, err
	}
	return s.store.Last(ctx, ns, streamName, msgType)
}

// Version returns the stream's version, stream.NoStream when it does not exist.
func (s *Streams) Version(ctx context.Context, ns, streamName string) (int64, error) {
	if err := stream.ValidateName("streamName", streamName); err != nil {
		return 0, err
	}
	return s.store.Version(ctx, ns, streamName)
}

// query validates r and returns its store query and batch limit. Negative
// positions read from the start, as Message DB's position >= p.
func (s *Streams) query(r StreamRead) (ports.StreamQuery, int, error) {
	if err := stream.ValidateName("streamName", r.Stream); err != nil {
		return ports.StreamQuery{}, 0, err
	}
	limit, err := stream.BatchSize(r.BatchSize, s.limits.MaxBatchSize)
	if err != nil {
		return ports.StreamQuery{}, 0, err
	}
	q := ports.StreamQuery{Stream: r.Stream, Position: max(r.Position, 0), GlobalPosition: max(r.GlobalPosition, 0)}
	q.ReadShape = s.limits.shape(r.PositionsOnly)
	return q, limit, nil
}

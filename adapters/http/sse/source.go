package sse

import (
	"context"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// StreamReader reads one stream by ascending position; *service.Streams
// implements it. page is called once per store read.
type StreamReader interface {
	Get(ctx context.Context, ns string, r service.StreamRead, page func([]stream.Message) error) error
	Version(ctx context.Context, ns, streamName string) (int64, error)
}

// CategoryReader reads a category by ascending global position;
// *service.Categories implements it. page is called once per store read.
type CategoryReader interface {
	Get(ctx context.Context, ns string, r service.CategoryRead, page func([]stream.Message) error) error
}

// source reads what a subscription has not poked yet. It keeps the cursor:
// each call continues after the last message the previous calls returned.
// Not safe for concurrent use.
type source interface {
	// next returns at most limit messages after the cursor, in ascending
	// global order, and moves the cursor past them.
	next(ctx context.Context, limit int) ([]stream.Message, error)
}

// streamSource follows one stream; its cursor is the next stream position.
type streamSource struct {
	reader    StreamReader
	ns, name  string
	position  int64
	minGlobal int64
}

func (s *streamSource) next(ctx context.Context, limit int) ([]stream.Message, error) {
	// Resuming by global position (Last-Event-ID), the filter skips the
	// stream's older messages; the version read first lets the cursor move
	// past them once, instead of rescanning them on every wake-up.
	version := stream.NoStream
	if s.minGlobal > 0 {
		v, err := s.reader.Version(ctx, s.ns, s.name)
		if err != nil {
			return nil, err
		}
		version = v
	}
	n := int64(limit)
	read := service.StreamRead{Stream: s.name, Position: s.position, GlobalPosition: s.minGlobal, BatchSize: &n, PositionsOnly: true}
	msgs, err := collect(func(page func([]stream.Message) error) error { return s.reader.Get(ctx, s.ns, read, page) })
	if err != nil {
		return msgs, err
	}
	if len(msgs) > 0 {
		s.position = msgs[len(msgs)-1].Position + 1
		// Global positions grow with stream positions: the rest all pass.
		s.minGlobal = 0
	} else if version >= s.position {
		// A short, empty page: every message up to version is below the filter.
		s.position = version + 1
	}
	return msgs, nil
}

// categorySource follows a category or one consumer-group member's share of
// it; its cursor is the next global position.
type categorySource struct {
	reader CategoryReader
	head   ports.AllReader // nil: no cursor skipping
	ns     string
	name   string
	group  *partition.Group
	global int64
}

func (s *categorySource) next(ctx context.Context, limit int) ([]stream.Message, error) {
	// A consumer-group member skips the other members' rows; without moving
	// its cursor past them it would scan them again on every wake-up. The
	// namespace's last global position, read first, is where a short page
	// may move it: everything up to there was visible to the read.
	last := int64(-1)
	if s.group != nil && s.head != nil {
		v, err := s.head.LastGlobalPosition(ctx, s.ns)
		if err != nil {
			return nil, err
		}
		last = v
	}
	n := int64(limit)
	read := service.CategoryRead{Category: s.name, GlobalPosition: s.global, BatchSize: &n, Group: s.group, PositionsOnly: true}
	msgs, err := collect(func(page func([]stream.Message) error) error { return s.reader.Get(ctx, s.ns, read, page) })
	if err != nil {
		return msgs, err
	}
	if len(msgs) > 0 {
		s.global = msgs[len(msgs)-1].GlobalPosition + 1
	}
	if len(msgs) < limit && last >= s.global {
		s.global = last + 1
	}
	return msgs, nil
}

// allSource follows every message of a namespace; its cursor is the next
// global position.
type allSource struct {
	reader ports.AllReader
	ns     string
	global int64
}

func (s *allSource) next(ctx context.Context, limit int) ([]stream.Message, error) {
	msgs, err := s.reader.ReadAll(ctx, s.ns, ports.AllQuery{GlobalPosition: s.global, Limit: limit, ReadShape: ports.ReadShape{PositionsOnly: true}})
	if err != nil {
		return nil, err
	}
	if len(msgs) > 0 {
		s.global = msgs[len(msgs)-1].GlobalPosition + 1
	}
	return msgs, nil
}

// collect gathers the pages of one bounded service read.
func collect(read func(page func([]stream.Message) error) error) ([]stream.Message, error) {
	var out []stream.Message
	err := read(func(msgs []stream.Message) error {
		if out == nil {
			out = msgs
		} else {
			out = append(out, msgs...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

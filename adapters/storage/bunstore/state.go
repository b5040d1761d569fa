package bunstore

import (
	"context"
	"database/sql"

	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/domain/stream"
)

// maxCachedVersions bounds the stream versions a writer remembers; past it
// the cache starts again (streams read once more cost one indexed lookup).
const maxCachedVersions = 100_000

// state is what a namespace's writer remembers between transactions, so an
// append reads only what it cannot know: the next global position and the
// versions of the streams it wrote lately. It is used under the writer's tx
// lock. Anything unclear (a failed transaction, an import) forgets it.
type state struct {
	next     int64            // next global position; 0: unknown
	versions map[string]int64 // stream -> version, for streams written lately
}

// forget drops everything remembered.
func (s *state) forget() {
	s.next = 0
	s.versions = nil
}

// nextPosition is the next global position, read under the append lock: the
// highest global position is one index lookup, and it tells whether another
// process (a PostgreSQL node, a second server on the same SQLite files)
// appended since this writer's last commit, which makes the remembered
// versions stale.
func (s *state) nextPosition(ctx context.Context, tx *sql.Tx, q *queries) (int64, error) {
	var last int64
	if err := tx.QueryRowContext(ctx, q.maxGlobal, q.args()...).Scan(&last); err != nil {
		return 0, err
	}
	if last+1 != s.next {
		s.versions = nil
	}
	s.next = last + 1
	return s.next, nil
}

// version is the version of stream name, from memory or from its row.
func (s *state) version(ctx context.Context, tx *sql.Tx, q *queries, name string) (int64, error) {
	if v, ok := s.versions[name]; ok {
		return v, nil
	}
	v := stream.NoStream
	err := tx.QueryRowContext(ctx, q.version, q.args(name)...).Scan(&v)
	if err != nil && err != sql.ErrNoRows {
		return 0, err
	}
	s.remember(name, v)
	return v, nil
}

// committed takes in what a committed plan wrote.
func (s *state) committed(p *planner.Plan) {
	s.next = p.Next()
	for _, sr := range p.Streams {
		s.remember(sr.Name, sr.Version)
	}
}

func (s *state) remember(name string, v int64) {
	if s.versions == nil || len(s.versions) >= maxCachedVersions {
		s.versions = map[string]int64{}
	}
	s.versions[name] = v
}

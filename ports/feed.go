package ports

import "github.com/eventodb/eventodb/domain/stream"

// CommitFeed hears, in commit order, what a store committed in a namespace,
// so subscribers on this node learn of new messages without reading the
// store. A store tells it right after each commit. Safe for concurrent use.
type CommitFeed interface {
	// Committed tells that msgs (in global order) were committed in ns, and
	// that after was the namespace's highest global position before them.
	Committed(ns string, after int64, msgs []stream.Committed)
	// Unsure tells that ns may hold messages Committed was not told of (an
	// import, a clear, a commit of unknown outcome, another node's write):
	// until the next commit, readers must read the store.
	Unsure(ns string)
}

// RecentCommits reads back what a CommitFeed heard lately. Safe for
// concurrent use.
type RecentCommits interface {
	// Since appends to dst the messages of ns committed at or after global
	// position from that match, at most limit of them, in global order. next
	// is where the following call should start: past the last one appended,
	// or, when fewer than limit matched, past everything the feed holds. ok
	// is false when the feed cannot vouch for holding every message from
	// `from` on: the caller must read the store instead.
	Since(ns string, from int64, limit int, match func(*stream.Committed) bool, dst []stream.Committed) (out []stream.Committed, next int64, ok bool)
}

// CommitPublisher is an optional capability of a store: it tells feed of
// every commit, in commit order, and of every write a feed cannot follow
// (Unsure). Set it before the store takes writes.
type CommitPublisher interface {
	PublishCommits(feed CommitFeed)
}

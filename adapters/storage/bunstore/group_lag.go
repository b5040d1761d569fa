package bunstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/eventodb/eventodb/domain/group"
)

// Lag without counting the backlog.
//
// A member's lag is the number of messages of its share above its
// checkpoint. Counting them when asked costs as much as the lag itself: a
// million-message backlog is a million index entries, for each group. So
// lag is a subtraction of two counters instead:
//
//	lag(member) = total(share up to T) - counted(share up to checkpoint)
//
//   - counted lives in the member's row. Every checkpoint move adds (or, for
//     a reset back, removes) the messages of the share between the old and
//     the new checkpoint, in the same compare-and-set UPDATE that moves it:
//     an ack counts one batch worth of the category, a range scan of
//     messages_category. Messages at or below a checkpoint are all visible
//     when it is acked (acks are refused past the last global position, and
//     global positions become visible in order), so the count is exact.
//   - total lives in group_tallies, one row per (category, correlation,
//     size), shared by every group of that shape: the messages of each
//     member's share up to counted_to. When lag is asked for, the tally is
//     brought up to the namespace's last global position T by counting only
//     the messages written since counted_to, grouped by member, in one query
//     (countShares), and stored with a compare and set on counted_to, so
//     concurrent refreshes on two nodes never count a message twice.
//
// The append path is left alone: nothing is maintained per message written,
// and categories without groups cost nothing. A refresh costs the messages
// written since the last one; a group's first refresh, right after it is
// created, counts the whole category once (CreateGroup does it).
//
// One approximation: a message imported (POST /import keeps positions) into
// a gap below the namespace's last global position, after a group's
// checkpoints or its tally have moved past that position, is counted on one
// side and not the other, so that member's lag is off by one for each such
// message. Appends never land there, and imports into a namespace without
// groups (a restore, with export --groups lines at the end) are exact.
//
// Measured (BenchmarkGroupLag in adapters/storage/postgres: PostgreSQL 15,
// 2 shared cores, 1,500,000 messages of which 1,000,000 in the category,
// 100 groups of sizes 1 to 8, 10 with a correlation, members at random
// checkpoints): the lag of all 100 groups takes 40-70 ms (four primary-key
// reads per group), 120-130 ms when 1,000 messages arrived since the last
// time (the nine tallies each count them). Creating the 100 groups took
// 2.6 s: each of the nine shapes counted the category once (0.3 s).
// Moving a checkpoint costs a count of the range it moves across: an ack of
// a batch is next to nothing, 100,000 messages of the category about 0.1 s
// (a reset, or an ack after a huge batch). SQLite, the same benchmark in
// adapters/storage/sqlite: 6 ms for the 100 groups, 32 ms after 1,000 new
// messages, 0.9 s per shape created, 0.4 s per 100,000 messages an ack moves
// past (the count reads partition_hash from the table, not the index).
//
// The plans (EXPLAIN (COSTS OFF) on that data, default planner settings):
//
//	-- countShares, a refresh of a tally:
//	SELECT ABS(partition_hash % 4), COUNT(*) FROM messages
//	WHERE category = 'big' AND global_position > 1400000 AND global_position <= 1500000 GROUP BY 1
//	  HashAggregate
//	    Group Key: abs((partition_hash % '4'::bigint))
//	    ->  Index Scan using messages_pkey on messages
//	          Index Cond: ((global_position > 1400000) AND (global_position <= 1500000))
//	          Filter: (category = 'big'::text)
//
//	-- countShare, an ack:
//	SELECT COUNT(*) FROM messages WHERE category = 'big'
//	AND global_position > 1400000 AND global_position <= 1400300 AND ABS(partition_hash % 4) = 1
//	  Aggregate
//	    ->  Index Scan using messages_pkey on messages
//	          Index Cond: ((global_position > 1400000) AND (global_position <= 1400300))
//	          Filter: ((category = 'big'::text) AND (abs((partition_hash % '4'::bigint)) = 1))
//
// Here the category is two thirds of every range, so the planner walks the
// primary key; for a category that is a small part of the namespace it
// walks messages_category (category, global_position) instead, and with a
// correlation it may use messages_correlation. Either way a count reads
// only the global-position range asked for. The other reads of a lag query
// are primary-key lookups: consumer_groups_pkey, group_members_pkey (the
// group's members), group_tallies_pkey, and messages_pkey backwards for the
// last global position (Index Only Scan Backward). SQLite uses the same
// indexes.

// MembersLag reads the members, then the namespace's last global position T
// (so every checkpoint read is at most T), brings the group's tally up to T
// and subtracts.
func (s *Store) MembersLag(ctx context.Context, ns, name string) ([]group.Member, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	g, err := readGroup(ctx, h.ns.Reader, h.ns, name)
	if err != nil {
		return nil, s.groupFail(h.ns, err)
	}
	rows, err := readMembers(ctx, h.ns, name)
	if err != nil {
		return nil, s.groupFail(h.ns, err)
	}
	head, err := lastGlobal(ctx, h.ns)
	if err != nil {
		return nil, s.fail(h.ns, err)
	}
	totals, err := s.tally(ctx, h.ns, g.Definition, head)
	if err != nil {
		return nil, s.groupFail(h.ns, err)
	}
	out := make([]group.Member, len(rows))
	for i, r := range rows {
		out[i] = r.Member
		if m := r.Member.Member; m < int64(len(totals)) {
			out[i].Lag = max(totals[m]-r.counted, 0)
		}
	}
	return out, nil
}

// lastGlobal is the namespace's last global position: the end of the
// primary key.
func lastGlobal(ctx context.Context, ns *Namespace) (int64, error) {
	var last int64
	err := ns.Reader.QueryRowContext(ctx, "SELECT COALESCE(MAX(global_position), 0) FROM "+ns.Messages).Scan(&last)
	return last, err
}

// tally returns the totals of d's shape counted up to at least head,
// counting what was written since the tally's counted_to first.
func (s *Store) tally(ctx context.Context, ns *Namespace, d group.Definition, head int64) ([]int64, error) {
	for range maxAttempts {
		var countedTo int64
		var raw string
		err := ns.Reader.QueryRowContext(ctx, "SELECT counted_to, totals FROM "+ns.GroupTallies+
			" WHERE category = ? AND correlation = ? AND size = ?", d.Category, d.Correlation, d.Size).Scan(&countedTo, &raw)
		if errors.Is(err, sql.ErrNoRows) {
			if err := ensureTally(ctx, ns.Writer, ns, d); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		var totals []int64
		if err := json.Unmarshal([]byte(raw), &totals); err != nil || int64(len(totals)) != d.Size {
			return nil, fmt.Errorf("group tally of %s/%q/%d holds %q", d.Category, d.Correlation, d.Size, raw)
		}
		if countedTo >= head {
			return totals, nil
		}
		counts, err := countShares(ctx, ns.Reader, ns, d, countedTo, head)
		if err != nil {
			return nil, err
		}
		for i, c := range counts {
			totals[i] += c
		}
		res, err := ns.Writer.ExecContext(ctx, "UPDATE "+ns.GroupTallies+" SET counted_to = ?, totals = ?"+
			" WHERE category = ? AND correlation = ? AND size = ? AND counted_to = ?",
			head, encodeTotals(totals), d.Category, d.Correlation, d.Size, countedTo)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return totals, err
		}
		// Another refresh moved counted_to meanwhile: start again from it.
	}
	return nil, fmt.Errorf("group tally of %s: %d concurrent refreshes in a row", d.Category, maxAttempts)
}

// ensureTally creates d's tally, counted to 0, unless it exists.
func ensureTally(ctx context.Context, db bun.IDB, ns *Namespace, d group.Definition) error {
	_, err := db.ExecContext(ctx, "INSERT INTO "+ns.GroupTallies+" (category, correlation, size, counted_to, totals)"+
		" VALUES (?, ?, ?, 0, ?) ON CONFLICT (category, correlation, size) DO NOTHING",
		d.Category, d.Correlation, d.Size, encodeTotals(make([]int64, d.Size)))
	return err
}

func encodeTotals(totals []int64) string {
	b, _ := json.Marshal(totals)
	return string(b)
}

// countShares counts, per member of d, the messages of its share with a
// global position in (from, to]: one range scan of messages_category (or
// messages_correlation), grouped by member. See the plan above.
func countShares(ctx context.Context, db bun.IDB, ns *Namespace, d group.Definition, from, to int64) ([]int64, error) {
	counts := make([]int64, d.Size)
	if to <= from {
		return counts, nil
	}
	var b strings.Builder
	// ABS(hash % size), as partition.MemberOf and ReadCategory compute it.
	b.WriteString("SELECT ABS(partition_hash % ?), COUNT(*) FROM " + ns.Messages +
		" WHERE category = ? AND global_position > ? AND global_position <= ?")
	args := []any{d.Size, d.Category, from, to}
	if d.Correlation != "" {
		b.WriteString(" AND correlation = ?")
		args = append(args, d.Correlation)
	}
	b.WriteString(" GROUP BY 1")
	rows, err := db.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var member, n int64
		if err := rows.Scan(&member, &n); err != nil {
			return nil, err
		}
		if member >= 0 && member < d.Size {
			counts[member] = n
		}
	}
	return counts, errors.Join(rows.Err(), rows.Close())
}

// countShare counts member's share in (from, to]: a range scan of
// messages_category (or messages_correlation) filtered by member. Acks call
// it for the batch they move past.
func countShare(ctx context.Context, db bun.IDB, ns *Namespace, d group.Definition, member, from, to int64) (int64, error) {
	if to <= from {
		return 0, nil
	}
	query := "SELECT COUNT(*) FROM " + ns.Messages +
		" WHERE category = ? AND global_position > ? AND global_position <= ? AND ABS(partition_hash % ?) = ?"
	args := []any{d.Category, from, to, d.Size, member}
	if d.Correlation != "" {
		query += " AND correlation = ?"
		args = append(args, d.Correlation)
	}
	var n int64
	err := db.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}

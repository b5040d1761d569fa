package bunstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/eventodb/eventodb/domain/group"
)

// Checkpoints and leases change only through conditional UPDATEs that name
// the state they were computed from (compare and set), so no lock is held
// between reading a member and writing it, and concurrent writers on any
// node serialize on the row: PostgreSQL (READ COMMITTED) re-checks a WHERE
// clause against the newest version of a row another transaction changed
// meanwhile, and SQLite runs one write at a time. A writer whose condition
// fails read stale state and tries again.

// maxAttempts bounds the retries of one compare-and-set; each failed attempt
// means another writer changed the row, so it is only reached under
// pathological contention.
const maxAttempts = 1000

const memberColumns = "member, checkpoint, counted, updated_at, lease_id, lease_expires_at, lease_ttl"

// memberRow is a group_members row.
type memberRow struct {
	group.Member
	counted int64 // messages of the member's share at or below its checkpoint
}

// Member reads one member row.
func (s *Store) Member(ctx context.Context, ns, name string, member int64) (group.Member, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return group.Member{}, err
	}
	defer h.release()
	row, err := s.readMember(ctx, h.ns, name, member)
	return row.Member, s.groupFail(h.ns, err)
}

// Members reads the group's member rows in member order (the primary key).
func (s *Store) Members(ctx context.Context, ns, name string) ([]group.Member, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	rows, err := readMembers(ctx, h.ns, name)
	if err != nil {
		return nil, s.groupFail(h.ns, err)
	}
	out := make([]group.Member, len(rows))
	for i, r := range rows {
		out[i] = r.Member
	}
	return out, nil
}

// Ack moves the checkpoint with compare and set: from the member's current
// checkpoint c to p = Advance(c, a.Position), adding to counted the messages
// of the share in (c, p]. With a lease, the same UPDATE requires it to be the
// live lease and renews it.
func (s *Store) Ack(ctx context.Context, ns, name string, a group.Ack) (group.Member, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return group.Member{}, err
	}
	defer h.release()
	m, err := s.ack(ctx, h.ns, name, a)
	return m, s.groupFail(h.ns, err)
}

func (s *Store) ack(ctx context.Context, ns *Namespace, name string, a group.Ack) (group.Member, error) {
	g, err := readGroup(ctx, ns.Reader, ns, name)
	if err != nil {
		return group.Member{}, err
	}
	if err := g.ValidateMember(a.Member); err != nil {
		return group.Member{}, err
	}
	at := a.At.UnixMicro()
	for range maxAttempts {
		cur, err := s.readMember(ctx, ns, name, a.Member)
		if err != nil {
			return group.Member{}, err
		}
		if a.Lease != "" && !cur.Lease.Holds(a.Lease, a.At) {
			return group.Member{}, group.LeaseExpiredError(name, a.Lease)
		}
		next := group.Advance(cur.Checkpoint, a.Position)
		if next == cur.Checkpoint && a.Lease == "" {
			return cur.Member, nil // nothing to write
		}
		counted := cur.counted
		if next > cur.Checkpoint {
			c, err := countShare(ctx, ns.Reader, ns, g.Definition, a.Member, cur.Checkpoint, next)
			if err != nil {
				return group.Member{}, err
			}
			counted += c
		}
		query := "UPDATE " + ns.GroupMembers + " SET checkpoint = ?, counted = ?" +
			", updated_at = CASE WHEN checkpoint <> ? THEN ? ELSE updated_at END"
		args := []any{next, counted, next, at}
		if a.Lease != "" {
			query += ", lease_expires_at = ? + lease_ttl"
			args = append(args, at)
		}
		query += " WHERE group_name = ? AND member = ? AND checkpoint = ? AND counted = ?"
		args = append(args, name, a.Member, cur.Checkpoint, cur.counted)
		if a.Lease != "" {
			query += " AND lease_id = ? AND lease_expires_at > ?"
			args = append(args, a.Lease, at)
		}
		updated, err := queryMember(ctx, ns.Writer, query+" RETURNING "+memberColumns, args...)
		if err != nil || updated != nil {
			return updated.member(), err
		}
	}
	return group.Member{}, fmt.Errorf("ack of group %q member %d: %d concurrent updates in a row", name, a.Member, maxAttempts)
}

// Reset sets each chosen member's checkpoint to r.Position with compare and
// set, moving counted by the messages of the share between the old and the
// new checkpoint.
func (s *Store) Reset(ctx context.Context, ns, name string, r group.Reset) error {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return err
	}
	defer h.release()
	g, err := readGroup(ctx, h.ns.Reader, h.ns, name)
	if err != nil {
		return s.groupFail(h.ns, err)
	}
	if r.Member != group.AllMembers {
		if err := g.ValidateMember(r.Member); err != nil {
			return err
		}
		return s.groupFail(h.ns, s.reset(ctx, h.ns, g, r.Member, r))
	}
	return s.groupFail(h.ns, s.resetAll(ctx, h.ns, g, r))
}

// resetAll resets every member. Members at one checkpoint (all of them,
// after a reset of all) share one count of the range they move across,
// grouped by member; a member whose row changed meanwhile is reset alone.
func (s *Store) resetAll(ctx context.Context, ns *Namespace, g group.Group, r group.Reset) error {
	rows, err := readMembers(ctx, ns, g.Name)
	if err != nil {
		return err
	}
	byCheckpoint := map[int64][]memberRow{}
	for _, row := range rows {
		byCheckpoint[row.Checkpoint] = append(byCheckpoint[row.Checkpoint], row)
	}
	for old, rows := range byCheckpoint {
		lo, hi := min(old, r.Position), max(old, r.Position)
		counts := make([]int64, g.Size)
		if r.Position != 0 {
			if counts, err = countShares(ctx, ns.Reader, ns, g.Definition, lo, hi); err != nil {
				return err
			}
		}
		for _, row := range rows {
			m := row.Member.Member
			counted := row.counted + counts[m]
			switch {
			case r.Position == 0:
				counted = 0
			case r.Position < old:
				counted = row.counted - counts[m]
			}
			res, err := ns.Writer.ExecContext(ctx, "UPDATE "+ns.GroupMembers+" SET checkpoint = ?, counted = ?, updated_at = ?"+
				" WHERE group_name = ? AND member = ? AND checkpoint = ? AND counted = ?",
				r.Position, counted, r.At.UnixMicro(), g.Name, m, row.Checkpoint, row.counted)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				if err := s.reset(ctx, ns, g, m, r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (s *Store) reset(ctx context.Context, ns *Namespace, g group.Group, member int64, r group.Reset) error {
	for range maxAttempts {
		cur, err := s.readMember(ctx, ns, g.Name, member)
		if err != nil {
			return err
		}
		counted := cur.counted
		switch {
		case r.Position == 0:
			counted = 0
		case r.Position > cur.Checkpoint:
			c, err := countShare(ctx, ns.Reader, ns, g.Definition, member, cur.Checkpoint, r.Position)
			if err != nil {
				return err
			}
			counted += c
		case r.Position < cur.Checkpoint:
			c, err := countShare(ctx, ns.Reader, ns, g.Definition, member, r.Position, cur.Checkpoint)
			if err != nil {
				return err
			}
			counted -= c
		}
		res, err := ns.Writer.ExecContext(ctx, "UPDATE "+ns.GroupMembers+" SET checkpoint = ?, counted = ?, updated_at = ?"+
			" WHERE group_name = ? AND member = ? AND checkpoint = ? AND counted = ?",
			r.Position, counted, r.At.UnixMicro(), g.Name, member, cur.Checkpoint, cur.counted)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
	}
	return fmt.Errorf("reset of group %q member %d: %d concurrent updates in a row", g.Name, member, maxAttempts)
}

// Join reads which members are free (no lease, or an expired one) and takes
// the lowest with an UPDATE that requires it to be free still: of two nodes
// racing for one member, the second's condition fails on the first's
// committed lease and it tries the next member.
func (s *Store) Join(ctx context.Context, ns, name string, lease group.Lease, now time.Time) (group.Member, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return group.Member{}, err
	}
	defer h.release()
	m, err := s.join(ctx, h.ns, name, lease, now)
	return m, s.groupFail(h.ns, err)
}

func (s *Store) join(ctx context.Context, ns *Namespace, name string, lease group.Lease, now time.Time) (group.Member, error) {
	at := now.UnixMicro()
	for range maxAttempts {
		rows, err := readMembers(ctx, ns, name)
		if err != nil {
			return group.Member{}, err
		}
		free := 0
		for _, r := range rows {
			if r.Lease.Live(now) {
				continue
			}
			free++
			m, err := queryMember(ctx, ns.Writer, "UPDATE "+ns.GroupMembers+" SET lease_id = ?, lease_expires_at = ?, lease_ttl = ?"+
				" WHERE group_name = ? AND member = ? AND (lease_id IS NULL OR lease_expires_at <= ?) RETURNING "+memberColumns,
				lease.ID, lease.ExpiresAt.UnixMicro(), lease.TTL.Microseconds(), name, r.Member.Member, at)
			if err != nil || m != nil {
				return m.member(), err
			}
		}
		if free == 0 {
			return group.Member{}, group.FullError(name, int64(len(rows)))
		}
	}
	return group.Member{}, fmt.Errorf("join of group %q: %d concurrent updates in a row", name, maxAttempts)
}

// Renew extends the lease with one UPDATE that requires it to be live.
func (s *Store) Renew(ctx context.Context, ns, name string, member int64, lease string, now time.Time) (group.Member, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return group.Member{}, err
	}
	defer h.release()
	at := now.UnixMicro()
	m, err := queryMember(ctx, h.ns.Writer, "UPDATE "+h.ns.GroupMembers+" SET lease_expires_at = ? + lease_ttl"+
		" WHERE group_name = ? AND member = ? AND lease_id = ? AND lease_expires_at > ? RETURNING "+memberColumns,
		at, name, member, lease, at)
	if err != nil {
		return group.Member{}, s.groupFail(h.ns, err)
	}
	if m == nil {
		// Tell a missing group or member from a lease that is not live.
		if _, err := s.readMember(ctx, h.ns, name, member); err != nil {
			return group.Member{}, s.groupFail(h.ns, err)
		}
		return group.Member{}, group.LeaseExpiredError(name, lease)
	}
	return m.Member, nil
}

// readMember reads one member row; a missing row is the group's absence or,
// when the group exists, a member number out of range.
func (s *Store) readMember(ctx context.Context, ns *Namespace, name string, member int64) (memberRow, error) {
	m, err := queryMember(ctx, ns.Reader, "SELECT "+memberColumns+" FROM "+ns.GroupMembers+
		" WHERE group_name = ? AND member = ?", name, member)
	if err != nil {
		return memberRow{}, err
	}
	if m == nil {
		g, err := readGroup(ctx, ns.Reader, ns, name)
		if err != nil {
			return memberRow{}, err
		}
		return memberRow{}, g.ValidateMember(member)
	}
	return *m, nil
}

// readMembers reads every member row of group name; none means no group.
func readMembers(ctx context.Context, ns *Namespace, name string) ([]memberRow, error) {
	rows, err := ns.Reader.QueryContext(ctx, "SELECT "+memberColumns+" FROM "+ns.GroupMembers+
		" WHERE group_name = ? ORDER BY member", name)
	if err != nil {
		return nil, err
	}
	out, err := scanMembers(rows)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, group.NotFoundError(name)
	}
	return out, nil
}

// queryMember runs a query of at most one member row (a SELECT, or an
// UPDATE ... RETURNING) and returns it, nil when there was none.
func queryMember(ctx context.Context, db bun.IDB, query string, args ...any) (*memberRow, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out, err := scanMembers(rows)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// member is the row's member, the zero member for no row.
func (r *memberRow) member() group.Member {
	if r == nil {
		return group.Member{}
	}
	return r.Member
}

func scanMembers(rows *sql.Rows) ([]memberRow, error) {
	defer rows.Close()
	var out []memberRow
	for rows.Next() {
		var r memberRow
		var updated sql.NullInt64
		var lease sql.NullString
		var expires, ttl int64
		if err := rows.Scan(&r.Member.Member, &r.Checkpoint, &r.counted, &updated, &lease, &expires, &ttl); err != nil {
			return nil, err
		}
		if updated.Valid {
			t := time.UnixMicro(updated.Int64).UTC()
			r.UpdatedAt = &t
		}
		if lease.Valid {
			r.Lease = group.Lease{ID: lease.String, ExpiresAt: time.UnixMicro(expires).UTC(), TTL: time.Duration(ttl) * time.Microsecond}
		}
		out = append(out, r)
	}
	return out, errors.Join(rows.Err(), rows.Close())
}

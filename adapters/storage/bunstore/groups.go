package bunstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/ports"
)

// Durable consumer groups (PROTOCOL.md §8) live in three tables of the
// namespace (see the consumer_groups migration): consumer_groups, one row per
// group; group_members, one row per member with its checkpoint and lease; and
// group_tallies, the counts lag is computed from (group_lag.go). Writes run
// on the namespace's writer database, each as one statement or one short
// transaction; reads on its reader.

var _ ports.GroupStore = (*Store)(nil)

const groupColumns = "name, category, size, correlation, start_at, start, created_at"

// CreateGroup inserts the group and its members in one transaction. The
// insert of the group row does nothing when the name is taken (also by a
// concurrent create on another node, which it waits for), and the stored
// group is returned instead. Members starting past 0 begin with the count
// of their share up to the start. A new group's tally is brought up to date
// afterwards, so the first lag asked for does not pay for counting the
// category.
func (s *Store) CreateGroup(ctx context.Context, ns string, g group.Group) (group.Group, bool, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return group.Group{}, false, err
	}
	defer h.release()
	// Counted before the transaction, on the reader: on SQLite the writer
	// connection is the appends' too, and a count over a large category
	// must not hold them up. Every position up to g.Start is visible.
	if existing, err := readGroup(ctx, h.ns.Reader, h.ns, g.Name); err == nil {
		return existing, false, nil
	} else if !errors.Is(err, group.ErrNotFound) {
		return group.Group{}, false, s.fail(h.ns, err)
	}
	counted, err := countShares(ctx, h.ns.Reader, h.ns, g.Definition, 0, g.Start)
	if err != nil {
		return group.Group{}, false, s.fail(h.ns, err)
	}
	stored, created := g, false
	err = h.ns.Writer.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		rows, err := tx.QueryContext(ctx, "INSERT INTO "+h.ns.Groups+" ("+groupColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)"+
			" ON CONFLICT (name) DO NOTHING RETURNING name",
			g.Name, g.Category, g.Size, g.Correlation, g.StartAt.String(), g.Start, g.CreatedAt.UnixMicro())
		if err != nil {
			return err
		}
		created = rows.Next()
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		if !created {
			stored, err = readGroup(ctx, tx, h.ns, g.Name)
			return err
		}
		var b strings.Builder
		b.WriteString("INSERT INTO " + h.ns.GroupMembers + " (group_name, member, checkpoint, counted) VALUES ")
		args := make([]any, 0, 4*g.Size)
		for m := range g.Size {
			if m > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, g.Name, m, g.Start, counted[m])
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
		return ensureTally(ctx, tx, h.ns, g.Definition)
	})
	if err != nil {
		return group.Group{}, false, s.fail(h.ns, err)
	}
	stored.CreatedAt = time.UnixMicro(stored.CreatedAt.UnixMicro()).UTC()
	if created {
		// Best effort: a failure here only leaves the counting to the first
		// lag query.
		if head, err := lastGlobal(ctx, h.ns); err == nil {
			_, _ = s.tally(ctx, h.ns, g.Definition, head)
		}
	}
	return stored, created, nil
}

// Group reads one group row.
func (s *Store) Group(ctx context.Context, ns, name string) (group.Group, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return group.Group{}, err
	}
	defer h.release()
	g, err := readGroup(ctx, h.ns.Reader, h.ns, name)
	return g, s.groupFail(h.ns, err)
}

// Groups reads every group row, in name order (the primary key).
func (s *Store) Groups(ctx context.Context, ns string) ([]group.Group, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	rows, err := h.ns.Reader.QueryContext(ctx, "SELECT "+groupColumns+" FROM "+h.ns.Groups+" ORDER BY name")
	if err != nil {
		return nil, s.fail(h.ns, err)
	}
	out, err := scanGroups(rows)
	return out, s.fail(h.ns, err)
}

// CountGroups counts the group rows.
func (s *Store) CountGroups(ctx context.Context, ns string) (int64, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return 0, err
	}
	defer h.release()
	var n int64
	err = h.ns.Reader.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+h.ns.Groups).Scan(&n)
	return n, s.fail(h.ns, err)
}

// DeleteGroup deletes the group and its members in one transaction, and the
// tally it used unless another group uses it too.
func (s *Store) DeleteGroup(ctx context.Context, ns, name string) error {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return err
	}
	defer h.release()
	err = h.ns.Writer.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := readGroup(ctx, tx, h.ns, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+h.ns.GroupMembers+" WHERE group_name = ?", name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+h.ns.Groups+" WHERE name = ?", name); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM "+h.ns.GroupTallies+" WHERE category = ? AND correlation = ? AND size = ?"+
			" AND NOT EXISTS (SELECT 1 FROM "+h.ns.Groups+" WHERE category = ? AND correlation = ? AND size = ?)",
			g.Category, g.Correlation, g.Size, g.Category, g.Correlation, g.Size)
		return err
	})
	return s.groupFail(h.ns, err)
}

// clearGroups deletes every group of ns in tx (Clear empties the namespace).
func clearGroups(ctx context.Context, tx bun.Tx, ns *Namespace) error {
	for _, table := range []string{ns.GroupMembers, ns.Groups, ns.GroupTallies} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return err
		}
	}
	return nil
}

// groupFail is fail that lets group.ErrNotFound (and validation errors) through.
func (s *Store) groupFail(ns *Namespace, err error) error {
	if err == nil || errors.Is(err, group.ErrNotFound) {
		return err
	}
	return s.fail(ns, err)
}

// readGroup reads group name through db.
func readGroup(ctx context.Context, db bun.IDB, ns *Namespace, name string) (group.Group, error) {
	rows, err := db.QueryContext(ctx, "SELECT "+groupColumns+" FROM "+ns.Groups+" WHERE name = ?", name)
	if err != nil {
		return group.Group{}, err
	}
	gs, err := scanGroups(rows)
	if err != nil {
		return group.Group{}, err
	}
	if len(gs) == 0 {
		return group.Group{}, group.NotFoundError(name)
	}
	return gs[0], nil
}

func scanGroups(rows *sql.Rows) ([]group.Group, error) {
	defer rows.Close()
	out := []group.Group{}
	for rows.Next() {
		var g group.Group
		var startAt string
		var created int64
		if err := rows.Scan(&g.Name, &g.Category, &g.Size, &g.Correlation, &startAt, &g.Start, &created); err != nil {
			return nil, err
		}
		var err error
		if g.StartAt, err = group.ParseStartAt(startAt); err != nil {
			return nil, err
		}
		g.CreatedAt = time.UnixMicro(created).UTC()
		out = append(out, g)
	}
	return out, errors.Join(rows.Err(), rows.Close())
}

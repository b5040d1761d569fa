package postgres

import (
	"fmt"
	"sync"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/domain/stream"
)

// uniqueViolation is SQLSTATE unique_violation.
const uniqueViolation = "23505"

// appendIfTexts caches each namespace's statement text.
var appendIfTexts sync.Map // messages table -> text

// appendIfText is one statement: a check of the condition and, only when it
// holds, the inserts of the rows and the upserts of the streams, each from
// arrays, so its text (and plan) is the same whatever the batch. It returns
// whether the condition held. Data-modifying CTEs all see the snapshot the
// statement started with, so the check is not confused by the rows added.
func appendIfText(ns *bunstore.Namespace) string {
	if text, ok := appendIfTexts.Load(ns.Messages); ok {
		return text.(string)
	}
	text := fmt.Sprintf(`WITH cond AS (
  SELECT (SELECT COALESCE(MAX(global_position), 0) FROM %[1]s) = $1
     AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::bigint[]) AS e(name, version)
                     LEFT JOIN %[2]s AS s ON s.name = e.name
                     WHERE COALESCE(s.version, %[3]d) <> e.version) AS held
), ins AS (
  INSERT INTO %[1]s (global_position, position, stream_name, category, type, id, data, metadata, time, partition_hash, correlation)
  SELECT * FROM unnest($4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                       $12::bigint[], $13::bigint[], $14::text[])
  WHERE (SELECT held FROM cond)
), up AS (
  INSERT INTO %[2]s AS s (name, category, version, last_time, message_count)
  SELECT * FROM unnest($15::text[], $16::text[], $17::bigint[], $18::bigint[], $19::bigint[])
  WHERE (SELECT held FROM cond)
  ON CONFLICT (name) DO UPDATE SET version = excluded.version, last_time = excluded.last_time,
    message_count = s.message_count + excluded.message_count
)
SELECT held FROM cond`, ns.Messages, ns.Streams, stream.NoStream)
	appendIfTexts.Store(ns.Messages, text)
	return text
}

// appendIfArgs are appendIfText's parameters: the condition, then the rows'
// and the streams' columns as arrays.
func appendIfArgs(cond bunstore.AppendCondition, rows []planner.Row, streams []*planner.StreamRow) []any {
	names := make([]string, 0, len(cond.Versions))
	versions := make([]int64, 0, len(cond.Versions))
	for name, v := range cond.Versions {
		names = append(names, name)
		versions = append(versions, v)
	}
	n := len(rows)
	var (
		gpos, pos, times, hashes                  = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		streamNames, categories, types, ids, data = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		meta, corr                                = make([]*string, n), make([]*string, n) // nil: NULL
	)
	for i := range rows {
		r, m := &rows[i], &rows[i].Message
		gpos[i], pos[i], times[i], hashes[i] = m.GlobalPosition, m.Position, m.Time.UnixMicro(), r.Hash
		streamNames[i], categories[i], types[i], ids[i], data[i] = m.Stream, r.Category, m.Type, m.ID, string(m.Data)
		if m.Metadata != nil {
			s := string(m.Metadata)
			meta[i] = &s
		}
		if r.Correlation != "" {
			corr[i] = &r.Correlation
		}
	}
	k := len(streams)
	sNames, sCategories := make([]string, k), make([]string, k)
	sVersions, sTimes, sAdded := make([]int64, k), make([]int64, k), make([]int64, k)
	for i, s := range streams {
		sNames[i], sCategories[i], sVersions[i], sTimes[i], sAdded[i] = s.Name, s.Category, s.Version, s.Time.UnixMicro(), s.Added
	}
	return []any{cond.Last, names, versions,
		gpos, pos, streamNames, categories, types, ids, data, meta, times, hashes, corr,
		sNames, sCategories, sVersions, sTimes, sAdded}
}

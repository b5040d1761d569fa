-- Query plans (EXPLAIN (COSTS OFF), PostgreSQL 15) of the reads bunstore
-- sends, on 1.5 M messages: 50 interleaved categories of 10 k messages in
-- streams of 50, plus one category "big" of 1 M messages; 5 % correlated;
-- VACUUM ANALYZE; random_page_cost = 1.1 as the guide's postgresql.conf
-- recommends for SSDs, parallel workers off for readability. Every read is an
-- ordered index scan that stops at the LIMIT.
--
-- Caveats. With the default random_page_cost = 4 the planner may read a
-- category through messages_pkey, filtering on category, or through a bitmap
-- scan of messages_category and a sort: still indexed, and bounded by the
-- category's size. The consumer-group condition is an expression the planner
-- estimates at 0.5 % of rows; when that estimate falls below the LIMIT
-- (categories under ~200 x batchSize messages) it may prefer a bitmap scan of
-- the category range and a top-N sort to the ordered scan. Large categories,
-- where it matters, get the ordered scan.
--
-- stream.get
--   SELECT <columns> FROM messages WHERE stream_name = 'cat3-1003' AND position >= 0 ORDER BY position LIMIT 1000
--     Limit
--       ->  Index Scan using messages_stream on messages
--             Index Cond: ((stream_name = 'cat3-1003'::text) AND ("position" >= 0))
--
-- stream.get with globalPosition
--   SELECT <columns> FROM messages WHERE stream_name = 'cat3-1003' AND position >= 0 AND global_position >= 50000 ORDER BY position LIMIT 1000
--     Limit
--       ->  Index Scan using messages_stream on messages
--             Index Cond: ((stream_name = 'cat3-1003'::text) AND ("position" >= 0))
--             Filter: (global_position >= 50000)
--
-- stream.last
--   SELECT <columns> FROM messages WHERE stream_name = 'cat3-1003' ORDER BY position DESC LIMIT 1
--     Limit
--       ->  Index Scan Backward using messages_stream on messages
--             Index Cond: (stream_name = 'cat3-1003'::text)
--
-- stream.last with type
--   SELECT <columns> FROM messages WHERE stream_name = 'cat3-1003' AND type = 'T3' ORDER BY position DESC LIMIT 1
--     Limit
--       ->  Index Scan Backward using messages_stream on messages
--             Index Cond: (stream_name = 'cat3-1003'::text)
--             Filter: (type = 'T3'::text)
--
-- stream.version
--   SELECT version FROM streams WHERE name = 'cat3-1003'
--     Index Scan using streams_pkey on streams
--       Index Cond: (name = 'cat3-1003'::text)
--
-- category.get
--   SELECT <columns> FROM messages WHERE category = 'cat3' AND global_position >= 100000 ORDER BY global_position LIMIT 1000
--     Limit
--       ->  Index Scan using messages_category on messages
--             Index Cond: ((category = 'cat3'::text) AND (global_position >= 100000))
--
-- category.get, consumer group
--   SELECT <columns> FROM messages WHERE category = 'big' AND global_position >= 1 AND ABS(partition_hash % 4) = 1 ORDER BY global_position LIMIT 1000
--     Limit
--       ->  Index Scan using messages_category on messages
--             Index Cond: ((category = 'big'::text) AND (global_position >= 1))
--             Filter: (abs((partition_hash % '4'::bigint)) = 1)
--
-- category.get, consumer group, small category
--   SELECT <columns> FROM messages WHERE category = 'cat3' AND global_position >= 100000 AND ABS(partition_hash % 4) = 1 ORDER BY global_position LIMIT 1000
--     Limit
--       ->  Index Scan using messages_category on messages
--             Index Cond: ((category = 'cat3'::text) AND (global_position >= 100000))
--             Filter: (abs((partition_hash % '4'::bigint)) = 1)
--
-- category.get, correlation
--   SELECT <columns> FROM messages WHERE category = 'cat3' AND global_position >= 100000 AND correlation = 'corr1' ORDER BY global_position LIMIT 1000
--     Limit
--       ->  Index Scan using messages_correlation on messages
--             Index Cond: ((category = 'cat3'::text) AND (correlation = 'corr1'::text) AND (global_position >= 100000))
--
-- category.get, correlation and consumer group
--   SELECT <columns> FROM messages WHERE category = 'cat3' AND global_position >= 100000 AND correlation = 'corr1' AND ABS(partition_hash % 4) = 1 ORDER BY global_position LIMIT 1000
--     Limit
--       ->  Index Scan using messages_correlation on messages
--             Index Cond: ((category = 'cat3'::text) AND (correlation = 'corr1'::text) AND (global_position >= 100000))
--             Filter: (abs((partition_hash % '4'::bigint)) = 1)
--

-- One namespace's tables; {{.Schema}} is its quoted schema, "ns_<id>".
-- global_position is assigned MAX+1 by the append transaction, which holds the
-- namespace's advisory append lock, so it needs no sequence. Text columns that
-- are sorted or compared by range use COLLATE "C": byte order, as in SQLite.
CREATE TABLE IF NOT EXISTS {{.Schema}}.messages (
    global_position BIGINT PRIMARY KEY,
    position        BIGINT NOT NULL,
    stream_name     TEXT COLLATE "C" NOT NULL,
    category        TEXT COLLATE "C" NOT NULL,
    type            TEXT NOT NULL,
    id              TEXT NOT NULL,
    data            TEXT NOT NULL,   -- JSON text as written: idempotent retries compare it byte for byte
    metadata        TEXT,
    time            BIGINT NOT NULL, -- unix microseconds, UTC
    partition_hash  BIGINT NOT NULL, -- Message DB hash_64 of the cardinal id
    correlation     TEXT COLLATE "C" -- category of metadata.correlationStreamName
);
--bun:split
-- Message ids are unique per namespace: idempotent retries look them up.
CREATE UNIQUE INDEX IF NOT EXISTS messages_id ON {{.Schema}}.messages (id);
--bun:split
-- stream.get, stream.last: a range scan of one stream in position order.
CREATE UNIQUE INDEX IF NOT EXISTS messages_stream ON {{.Schema}}.messages (stream_name, position);
--bun:split
-- category.get: a range scan of one category in global-position order; the
-- consumer-group condition filters rows of that range.
CREATE INDEX IF NOT EXISTS messages_category ON {{.Schema}}.messages (category, global_position);
--bun:split
-- category.get with a correlation: only correlated messages are indexed.
CREATE INDEX IF NOT EXISTS messages_correlation ON {{.Schema}}.messages (category, correlation, global_position)
    WHERE correlation IS NOT NULL;
--bun:split
-- One row per stream, kept by the append transaction: versions for
-- expectedVersion checks, stream.version, ns.streams, ns.categories, ns.info.
CREATE TABLE IF NOT EXISTS {{.Schema}}.streams (
    name      TEXT COLLATE "C" PRIMARY KEY,
    category  TEXT COLLATE "C" NOT NULL,
    version   BIGINT NOT NULL,
    last_time BIGINT NOT NULL -- unix microseconds, UTC
);
--bun:split
CREATE INDEX IF NOT EXISTS streams_category ON {{.Schema}}.streams (category);

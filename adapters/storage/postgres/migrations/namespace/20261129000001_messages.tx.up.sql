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

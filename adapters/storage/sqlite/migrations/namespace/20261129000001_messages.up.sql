-- global_position is the rowid: appends assign MAX+1 under the single writer.
CREATE TABLE IF NOT EXISTS messages (
    global_position INTEGER PRIMARY KEY,
    position        INTEGER NOT NULL,
    stream_name     TEXT NOT NULL,
    category        TEXT NOT NULL,
    type            TEXT NOT NULL,
    id              TEXT NOT NULL,
    data            TEXT NOT NULL,
    metadata        TEXT,
    time            INTEGER NOT NULL, -- unix microseconds, UTC
    partition_hash  INTEGER NOT NULL, -- Message DB hash_64 of the cardinal id
    correlation     TEXT              -- category of metadata.correlationStreamName
);
--bun:split
-- Message ids are unique per namespace: idempotent retries look them up.
CREATE UNIQUE INDEX IF NOT EXISTS messages_id ON messages (id);
--bun:split
-- stream.get, stream.last: a range scan of one stream in position order.
CREATE UNIQUE INDEX IF NOT EXISTS messages_stream ON messages (stream_name, position);
--bun:split
-- category.get: a range scan of one category in global-position order.
CREATE INDEX IF NOT EXISTS messages_category ON messages (category, global_position);
--bun:split
-- One row per stream, kept by the append transaction: versions for
-- expectedVersion checks, ns.streams, ns.categories and ns.info.
CREATE TABLE IF NOT EXISTS streams (
    name      TEXT PRIMARY KEY,
    category  TEXT NOT NULL,
    version   INTEGER NOT NULL,
    last_time INTEGER NOT NULL -- unix microseconds, UTC
);
--bun:split
CREATE INDEX IF NOT EXISTS streams_category ON streams (category);

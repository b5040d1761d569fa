CREATE TABLE IF NOT EXISTS namespaces (
    id          TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    token_hash  TEXT NOT NULL,
    created_at  INTEGER NOT NULL -- unix microseconds, UTC
);

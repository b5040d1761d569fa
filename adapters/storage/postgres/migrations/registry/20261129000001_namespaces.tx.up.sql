-- The registry: one row per namespace. {{.Schema}} is "eventodb", which is
-- also every pooled connection's search_path, so bunstore's unqualified
-- "namespaces" finds this table.
CREATE TABLE IF NOT EXISTS {{.Schema}}.namespaces (
    id          TEXT COLLATE "C" PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    token_hash  TEXT NOT NULL,
    created_at  BIGINT NOT NULL -- unix microseconds, UTC; also marks the namespace's schema (see namespace.go)
);

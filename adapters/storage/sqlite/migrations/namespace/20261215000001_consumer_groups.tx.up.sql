-- Durable consumer groups (PROTOCOL.md §8), in the namespace's own file so
-- deleting the namespace deletes them. bunstore/groups.go reads and writes
-- them; every change of a checkpoint or a lease is one conditional UPDATE.
CREATE TABLE IF NOT EXISTS consumer_groups (
    name        TEXT PRIMARY KEY,
    category    TEXT NOT NULL,
    size        INTEGER NOT NULL,
    correlation TEXT NOT NULL,    -- '' when the group has no correlation filter
    start_at    TEXT NOT NULL,    -- as created: beginning, end or a global position
    start       INTEGER NOT NULL, -- every member's first checkpoint
    created_at  INTEGER NOT NULL  -- unix microseconds, UTC
);
--bun:split
-- One row per member. counted is the number of messages of the member's
-- share at or below its checkpoint, kept with every move of the checkpoint,
-- so that lag is a subtraction from the share's total (group_tallies).
CREATE TABLE IF NOT EXISTS group_members (
    group_name       TEXT NOT NULL,
    member           INTEGER NOT NULL,
    checkpoint       INTEGER NOT NULL,          -- global position processed up to
    counted          INTEGER NOT NULL,          -- messages of the share <= checkpoint
    updated_at       INTEGER,                   -- unix µs of the last checkpoint change; NULL: none
    lease_id         TEXT,                      -- the latest lease, live until lease_expires_at
    lease_expires_at INTEGER NOT NULL DEFAULT 0, -- unix µs
    lease_ttl        INTEGER NOT NULL DEFAULT 0, -- µs a renewal adds
    PRIMARY KEY (group_name, member)
);
--bun:split
-- Messages of each member's share of a category (with a correlation filter,
-- '' for none) split into size members, counted up to counted_to and extended
-- incrementally when lag is asked for. Shared by every group of that shape.
CREATE TABLE IF NOT EXISTS group_tallies (
    category    TEXT NOT NULL,
    correlation TEXT NOT NULL,
    size        INTEGER NOT NULL,
    counted_to  INTEGER NOT NULL, -- totals count the messages up to this global position
    totals      TEXT NOT NULL,    -- JSON array: messages of member i's share, i = 0..size-1
    PRIMARY KEY (category, correlation, size)
);

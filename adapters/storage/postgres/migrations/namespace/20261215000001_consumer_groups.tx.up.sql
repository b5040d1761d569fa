-- Durable consumer groups (PROTOCOL.md §8), in the namespace's schema so
-- deleting the namespace deletes them. bunstore/groups.go reads and writes
-- them; every change of a checkpoint or a lease is one conditional UPDATE,
-- which READ COMMITTED re-checks against the row's newest version, so two
-- nodes acking one member never move it back and never both lease it. The
-- lag queries and their plans are in bunstore/group_lag.go.
CREATE TABLE IF NOT EXISTS {{.Schema}}.consumer_groups (
    name        TEXT COLLATE "C" PRIMARY KEY,
    category    TEXT COLLATE "C" NOT NULL,
    size        BIGINT NOT NULL,
    correlation TEXT COLLATE "C" NOT NULL, -- '' when the group has no correlation filter
    start_at    TEXT NOT NULL,             -- as created: beginning, end or a global position
    start       BIGINT NOT NULL,           -- every member's first checkpoint
    created_at  BIGINT NOT NULL            -- unix microseconds, UTC
);
--bun:split
-- One row per member. counted is the number of messages of the member's
-- share at or below its checkpoint, kept with every move of the checkpoint,
-- so that lag is a subtraction from the share's total (group_tallies).
CREATE TABLE IF NOT EXISTS {{.Schema}}.group_members (
    group_name       TEXT COLLATE "C" NOT NULL,
    member           BIGINT NOT NULL,
    checkpoint       BIGINT NOT NULL,          -- global position processed up to
    counted          BIGINT NOT NULL,          -- messages of the share <= checkpoint
    updated_at       BIGINT,                   -- unix µs of the last checkpoint change; NULL: none
    lease_id         TEXT,                     -- the latest lease, live until lease_expires_at
    lease_expires_at BIGINT NOT NULL DEFAULT 0, -- unix µs
    lease_ttl        BIGINT NOT NULL DEFAULT 0, -- µs a renewal adds
    PRIMARY KEY (group_name, member)
);
--bun:split
-- Messages of each member's share of a category (with a correlation filter,
-- '' for none) split into size members, counted up to counted_to and extended
-- incrementally when lag is asked for. Shared by every group of that shape.
CREATE TABLE IF NOT EXISTS {{.Schema}}.group_tallies (
    category    TEXT COLLATE "C" NOT NULL,
    correlation TEXT COLLATE "C" NOT NULL,
    size        BIGINT NOT NULL,
    counted_to  BIGINT NOT NULL, -- totals count the messages up to this global position
    totals      TEXT NOT NULL,   -- JSON array: messages of member i's share, i = 0..size-1
    PRIMARY KEY (category, correlation, size)
);

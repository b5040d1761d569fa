-- Every append rewrites its stream's row (version, last_time, message_count:
-- no indexed column). Room left free on each page lets PostgreSQL put the new
-- row versions on the same page (HOT updates, pruned as pages are read)
-- instead of growing the table until a vacuum, and autovacuum comes after 2 %
-- of the rows changed instead of 20 %. ns.categories and ns.info read the
-- whole table: it should stay the size of its live rows.
ALTER TABLE {{.Schema}}.streams SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000);

-- The one-statement append (sqlite/append.go): inserting into this view
-- writes the message and moves its stream's row, checking on the way that
-- the writer's plan still holds, so a durable append is a single autocommit
-- statement instead of BEGIN, inserts, upsert and COMMIT. A stale plan (the
-- position or the stream's version moved) aborts the whole statement.
CREATE VIEW IF NOT EXISTS append_rows AS
    SELECT global_position, position, stream_name, category, type, id, data, metadata, time, partition_hash, correlation
    FROM messages WHERE 0;
--bun:split
CREATE TRIGGER IF NOT EXISTS append_rows_insert INSTEAD OF INSERT ON append_rows
BEGIN
    SELECT RAISE(ABORT, 'eventodb: stale append plan')
    WHERE NEW.global_position <> (SELECT COALESCE(MAX(global_position), 0) FROM messages) + 1
       OR NEW.position <> COALESCE((SELECT version FROM streams WHERE name = NEW.stream_name), -1) + 1;
    INSERT INTO messages (global_position, position, stream_name, category, type, id, data, metadata, time, partition_hash, correlation)
    VALUES (NEW.global_position, NEW.position, NEW.stream_name, NEW.category, NEW.type, NEW.id, NEW.data, NEW.metadata,
            NEW.time, NEW.partition_hash, NEW.correlation);
    INSERT INTO streams (name, category, version, last_time, message_count)
    VALUES (NEW.stream_name, NEW.category, NEW.position, NEW.time, 1)
    ON CONFLICT (name) DO UPDATE SET version = excluded.version, last_time = excluded.last_time,
        message_count = message_count + 1;
END;

-- Counts a stream's messages: version + 1 overcounts a stream imported only in
-- part (an export --since), so ns.info and ns.categories sum this instead.
ALTER TABLE streams ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
--bun:split
UPDATE streams SET message_count = (SELECT COUNT(*) FROM messages WHERE messages.stream_name = streams.name);

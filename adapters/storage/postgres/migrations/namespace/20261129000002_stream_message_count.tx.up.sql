-- Counts a stream's messages: version + 1 overcounts a stream imported only in
-- part (an export --since), so ns.info and ns.categories sum this instead.
ALTER TABLE {{.Schema}}.streams ADD COLUMN IF NOT EXISTS message_count BIGINT NOT NULL DEFAULT 0;
--bun:split
UPDATE {{.Schema}}.streams s SET message_count = (SELECT COUNT(*) FROM {{.Schema}}.messages m WHERE m.stream_name = s.name);

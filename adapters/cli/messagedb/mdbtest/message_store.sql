-- A Message DB-shaped schema for tests: Message DB's table, indexes and the
-- helper functions its reads use, written from its documented behaviour.
-- "message_store" is replaced by the schema a test asks for.
CREATE SCHEMA message_store;

CREATE TABLE message_store.messages (
  global_position bigserial PRIMARY KEY,
  position bigint NOT NULL,
  time timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
  stream_name text NOT NULL,
  type text NOT NULL,
  data jsonb,
  metadata jsonb,
  id uuid NOT NULL DEFAULT gen_random_uuid()
);

-- category: the stream name up to its first '-'.
CREATE FUNCTION message_store.category(stream_name text) RETURNS text
  IMMUTABLE LANGUAGE sql AS $$ SELECT split_part(stream_name, '-', 1) $$;

-- id: after the first '-'; NULL for a stream without one.
CREATE FUNCTION message_store.id(stream_name text) RETURNS text
  IMMUTABLE LANGUAGE sql AS $$
    SELECT CASE WHEN strpos(stream_name, '-') = 0 THEN NULL
                ELSE substr(stream_name, strpos(stream_name, '-') + 1) END $$;

-- cardinal_id: the id up to its first '+'.
CREATE FUNCTION message_store.cardinal_id(stream_name text) RETURNS text
  IMMUTABLE LANGUAGE sql AS $$ SELECT split_part(message_store.id(stream_name), '+', 1) $$;

-- hash_64: the first 16 hex digits of md5 as a signed 64-bit integer.
CREATE FUNCTION message_store.hash_64(value text) RETURNS bigint
  IMMUTABLE LANGUAGE sql AS $$ SELECT ('x' || left(md5(value), 16))::bit(64)::bigint $$;

-- is_member: whether a stream is in consumer-group member m of n, as
-- get_category_messages filters: @hash_64(cardinal_id) % n = m. A stream
-- without an id hashes NULL and is in no member.
CREATE FUNCTION message_store.is_member(stream_name text, m bigint, n bigint) RETURNS boolean
  IMMUTABLE LANGUAGE sql AS $$
    SELECT @message_store.hash_64(message_store.cardinal_id(stream_name)) % n = m $$;

CREATE UNIQUE INDEX messages_id ON message_store.messages (id);
CREATE UNIQUE INDEX messages_stream ON message_store.messages (stream_name, position);
CREATE INDEX messages_category ON message_store.messages (
  message_store.category(stream_name), global_position,
  message_store.category(metadata->>'correlationStreamName'));

-- $1 messages over many streams of ten categories: plain, compound
-- (account-12+retry), dashed (order-x-12) and non-ASCII ids, streams without
-- an id, correlation and other metadata, NULL metadata, empty data, times
-- with microseconds, and a few gaps in global_position.
INSERT INTO message_store.messages (global_position, position, time, stream_name, type, data, metadata, id)
SELECT gpos, row_number() OVER (PARTITION BY stream ORDER BY g) - 1, at, stream, type, data, metadata, id
FROM (
  SELECT g,
    g + g / 5000 AS gpos,
    CASE
      WHEN g % 97 = 0 THEN cat
      WHEN g % 13 = 0 THEN cat || '-' || k || '+retry'
      WHEN g % 17 = 0 THEN cat || '-x-' || k
      WHEN g % 31 = 0 THEN cat || '-ünï' || k
      ELSE cat || '-' || k
    END AS stream,
    (ARRAY['Opened', 'Deposited', 'Withdrawn', 'Closed'])[1 + g % 4] AS type,
    CASE WHEN g % 11 = 0 THEN '{}'::jsonb
      ELSE jsonb_build_object('n', g, 'amount', round(g / 7.0, 2), 'note', 'ünïcode & <b>"q"</b>',
        'tags', jsonb_build_array('a', g % 3, NULL, true), 'nested', jsonb_build_object('deep', jsonb_build_object('x', g)))
    END AS data,
    CASE g % 4
      WHEN 0 THEN NULL
      WHEN 1 THEN jsonb_build_object('correlationStreamName', 'workflow-' || g % 7,
        'causationMessageStreamName', cat || '-' || k, 'causationMessagePosition', g % 5,
        'causationMessageGlobalPosition', g - 1, 'schemaVersion', '1')
      WHEN 2 THEN jsonb_build_object('correlationStreamName', 'saga:step-' || g % 3, 'replyStreamName', 'reply-' || g)
      ELSE jsonb_build_object('traceId', md5(g::text))
    END AS metadata,
    timestamp '2019-01-01' + g * interval '67 seconds' + (g::bigint * 7919 % 1000000) * interval '1 microsecond' AS at,
    md5('message ' || g)::uuid AS id
  FROM generate_series(1, $1::int) AS g,
    LATERAL (SELECT (ARRAY['account', 'order', 'payment', 'shipping', 'user:command',
                           'invoice', 'ledger', 'audit', 'cart', 'stock'])[1 + g % 10] AS cat,
                    (g / 10) % 100 AS k) AS parts
) AS gen;

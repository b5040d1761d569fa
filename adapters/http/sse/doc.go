// Package sse serves GET /subscribe (PROTOCOL.md §3): Server-Sent Events that poke a
// client, in ascending global order and without skipping any, about every
// message of a stream, a category (or one consumer-group member's share of
// it) or a whole namespace — first the backlog from a position, then live
// writes.
//
// Pokes are driven by the store, not by notifications: a subscription keeps
// a cursor, and whenever the ports.Notifier signals its namespace (or right
// after a full page) it re-reads the store from the cursor until it is caught
// up. A lost or coalesced notification therefore costs latency, never a poke,
// and a slow client simply makes the subscription read the store more slowly
// (the store is the buffer; nothing is dropped or queued in memory).
package sse

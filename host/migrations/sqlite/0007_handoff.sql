-- The webhook hands stored messages to the worker, and the worker hands
-- queued replies to the sender, in memory; the database is what a restart or
-- another host recovers from. A recovering worker leases the messages it
-- takes (so two hosts never handle one), and a status callback from Meta
-- leaves the furthest delivery state it reached on the outbox row.
ALTER TABLE inbound_messages ADD COLUMN lease_until_ms BIGINT;
ALTER TABLE outbox ADD COLUMN delivery TEXT;

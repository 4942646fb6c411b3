-- Every index is written on every insert and state change, and the
-- hand-off makes the outbox and inbound tables the hottest writes: drop
-- the indexes the partial "undelivered"/"unprocessed" ones replaced.
DROP INDEX outbox_due;
DROP INDEX outbox_citizen;
DROP INDEX inbound_pending;

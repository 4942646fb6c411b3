-- The sender's claim looks for undelivered replies that are due. Walked in
-- creation order, it stepped over every reply in flight (leased, not due)
-- to find none: under a backlog of tens of thousands a claim held the
-- database for 60-120 ms each second while it found nothing. Ordered by
-- when each is due, a claim reads only the due ones and stops at its limit.
-- Replaces the creation-ordered index: the same one index to keep up on
-- every insert and state change.
DROP INDEX outbox_undelivered;
CREATE INDEX outbox_undelivered_due ON outbox (next_attempt_at_ms, created_at_ms) WHERE state IN ('pending', 'sending');

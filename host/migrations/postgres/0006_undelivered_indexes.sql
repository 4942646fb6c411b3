-- The sender and the worker only ever look at what is still to do; under a
-- backlog these keep their queries to the undelivered rows, in order,
-- however large the history grows.
CREATE INDEX outbox_undelivered ON outbox (created_at_ms) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_undelivered_citizen ON outbox (wa_id, created_at_ms) WHERE state IN ('pending', 'sending');
CREATE INDEX inbound_unprocessed ON inbound_messages (received_at_ms) WHERE processed_at_ms IS NULL;

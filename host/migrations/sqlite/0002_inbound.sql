-- Every inbound WhatsApp message, stored before the webhook answers 200.
-- Meta retries for days, so the wamid is the key: a retry is a no-op.
CREATE TABLE inbound_messages (
    wamid TEXT PRIMARY KEY,
    phone_number_id TEXT NOT NULL,
    wa_id TEXT NOT NULL,
    profile_name TEXT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    processed_at_ms BIGINT
);
CREATE INDEX inbound_pending ON inbound_messages (wa_id, received_at_ms) WHERE processed_at_ms IS NULL;

-- Delivery statuses of messages Mitra sent; (id, status) arrives once each
-- however often Meta retries, in whatever order Meta sends them.
CREATE TABLE message_statuses (
    message_id TEXT NOT NULL,
    status TEXT NOT NULL,
    recipient_id TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    errors TEXT,
    PRIMARY KEY (message_id, status)
);

-- One conversation per citizen: language, where they are, a form in progress.
CREATE TABLE sessions (
    wa_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- Every message Mitra sends, durable before the first attempt.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    phone_number_id TEXT NOT NULL,
    wa_id TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at_ms BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    wamid TEXT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at_ms);
CREATE INDEX outbox_wamid ON outbox (wamid);

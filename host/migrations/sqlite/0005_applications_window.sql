-- Applications citizens submit. The number derives from the message that
-- submitted it, so handling that message twice cannot make a second one.
CREATE TABLE applications (
    number TEXT PRIMARY KEY,
    wa_id TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    plugin_id TEXT NOT NULL,
    plugin_sha256 TEXT NOT NULL,
    service_id TEXT NOT NULL,
    language TEXT NOT NULL,
    -- The answers as the plugin received them (JSON).
    answers TEXT NOT NULL,
    -- submitted, issued (a document came back at once), or an officer's decision.
    status TEXT NOT NULL,
    -- The issued document as served at its link.
    document TEXT,
    submitted_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX applications_citizen ON applications (wa_id, submitted_at_ms);

-- The 24-hour customer-service window: free-form messages only until
-- window_until_ms; after it the sender sends `fallback` (a template) or gives up.
ALTER TABLE outbox ADD COLUMN window_until_ms BIGINT;
ALTER TABLE outbox ADD COLUMN fallback TEXT;

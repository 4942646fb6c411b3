-- Meta's message ids are random. Keyed by the id alone, every message
-- stored wrote a page at a random place in the key's index: a page appended
-- to the WAL at the commit and copied again at the checkpoint, on SQLite's
-- one writer about half of what storing a message cost. A retry of a
-- message carries its id and its timestamp unchanged, so the key that makes
-- retries no-ops now begins with the timestamp: new messages land at the
-- index's end, among the last second's few pages.
-- SQLite changes a primary key only by rebuilding the table.
CREATE TABLE inbound_messages_by_time (
    wamid TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    wa_id TEXT NOT NULL,
    profile_name TEXT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    processed_at_ms BIGINT,
    lease_until_ms BIGINT,
    PRIMARY KEY (sent_at, wamid)
);
INSERT INTO inbound_messages_by_time
    (wamid, phone_number_id, wa_id, profile_name, kind, payload, sent_at, received_at_ms, processed_at_ms, lease_until_ms)
    SELECT wamid, phone_number_id, wa_id, profile_name, kind, payload, sent_at, received_at_ms, processed_at_ms, lease_until_ms
    FROM inbound_messages ORDER BY rowid;
DROP TABLE inbound_messages;
ALTER TABLE inbound_messages_by_time RENAME TO inbound_messages;
CREATE INDEX inbound_unprocessed ON inbound_messages (received_at_ms) WHERE processed_at_ms IS NULL;

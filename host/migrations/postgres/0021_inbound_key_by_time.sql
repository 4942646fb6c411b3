-- Meta's message ids are random. Keyed by the id alone, every message
-- stored wrote an index page at a random place (after each checkpoint a
-- full page image in the WAL). A retry of a message carries its id and its
-- timestamp unchanged, so the key that makes retries no-ops now begins with
-- the timestamp: new messages land at the index's end.
ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_pkey;
ALTER TABLE inbound_messages ADD PRIMARY KEY (sent_at, wamid);

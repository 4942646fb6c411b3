-- "Save to DigiLocker". A citizen's tap on the button offered with a
-- certificate is their consent and records one push per certificate,
-- however often it is tapped (the number is the key). The pusher
-- (`digilocker::pusher`) claims a due push (a lease on
-- `next_attempt_at_ms`), sends its URI to DigiLocker, retries with backoff,
-- and marks it `saved` or `failed` in the same transaction that queues the
-- message telling the citizen.
CREATE TABLE digilocker_pushes (
    -- The certificate's (application's) number.
    number TEXT PRIMARY KEY,
    wa_id TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    -- en, te or hi: what the citizen is told in.
    language TEXT NOT NULL,
    -- pending, saved, failed.
    state TEXT NOT NULL,
    -- Attempts claimed so far.
    attempts BIGINT NOT NULL DEFAULT 0,
    -- When a pending push is next due: a retry's time, or a claim's lease.
    next_attempt_at_ms BIGINT NOT NULL,
    requested_at_ms BIGINT NOT NULL,
    finished_at_ms BIGINT,
    -- The URI DigiLocker keeps, once saved.
    uri TEXT,
    last_error TEXT
);
CREATE INDEX digilocker_pushes_due ON digilocker_pushes (state, next_attempt_at_ms);

-- The Pull URI and Pull Doc transactions accepted lately, so that a signed
-- request sent again while its `ts` is still fresh is refused, on whichever
-- host it reaches and across restarts. Rows older than twice the window are
-- deleted as new ones come.
CREATE TABLE digilocker_txns (
    endpoint TEXT NOT NULL,
    txn TEXT NOT NULL,
    seen_at_ms BIGINT NOT NULL,
    PRIMARY KEY (endpoint, txn)
);
CREATE INDEX digilocker_txns_seen ON digilocker_txns (seen_at_ms);

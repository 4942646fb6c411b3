-- The certificate transparency log: one row per leaf, appended in index
-- order and never changed. entry is the signed certificate (its tagged
-- COSE_Sign1); leaf is its RFC 6962 leaf hash.
CREATE TABLE certificate_log (
    idx BIGINT PRIMARY KEY,
    serial TEXT NOT NULL UNIQUE,
    entry BLOB NOT NULL,
    leaf BLOB NOT NULL,
    appended_at_ms BIGINT NOT NULL
);

-- Certificates withdrawn by an operator: published as the revocation list
-- and checked by /verify and `mitra verify`. A certificate is revoked once.
CREATE TABLE certificate_revocations (
    serial TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    revoked_by TEXT NOT NULL,
    revoked_at_ms BIGINT NOT NULL
);

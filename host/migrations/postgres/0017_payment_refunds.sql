-- Money going back, and the gateway asked when its callback does not come.
-- An order due back (`refund_due`) is claimed (`refunding`, a lease on
-- `updated_at_ms`), refunded through the gateway's API and marked
-- `refunded` with the gateway's refund id; the citizen is told in the same
-- transaction. `checked_at_ms` is when the gateway was last asked about an
-- order still `created` (the fallback when no callback arrives).
ALTER TABLE payments ADD COLUMN refund_id TEXT;
ALTER TABLE payments ADD COLUMN refunded_at_ms BIGINT;
ALTER TABLE payments ADD COLUMN checked_at_ms BIGINT;
-- The language the citizen applied in: what they are told of a refund in.
ALTER TABLE payments ADD COLUMN language TEXT NOT NULL DEFAULT 'en';

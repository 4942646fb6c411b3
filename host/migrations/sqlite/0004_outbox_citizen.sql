-- Only a citizen's oldest undelivered message is claimable: find it fast.
CREATE INDEX outbox_citizen ON outbox (wa_id, created_at_ms);

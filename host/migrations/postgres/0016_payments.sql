-- Fees paid by UPI in the chat. An order is made when an eligible citizen
-- submits a service with a fee (the amount is the plugin's, never the
-- citizen's); the gateway's signed callback turns into an inbound event for
-- the citizen (`payment.<order id>`), so the conversation fulfils it exactly
-- once, in the same transaction that marks the order paid.
CREATE TABLE payments (
    order_id TEXT PRIMARY KEY,
    wa_id TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    plugin_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    amount_paise BIGINT NOT NULL,
    -- created, paid, expired, refund_due, refunded.
    status TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    paid_at_ms BIGINT,
    -- The gateway's payment id, and the application it paid for.
    gateway_payment_id TEXT,
    application_number TEXT,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX payments_status ON payments (status, created_at_ms);
CREATE INDEX payments_department_day ON payments (plugin_id, created_at_ms);

-- Every callback the gateway (or anyone) posted, kept or refused, with why:
-- the audit trail of money, and what makes a replay recognisable.
CREATE TABLE payment_callbacks (
    -- sha256 of the raw body: the same callback delivered again is one row.
    body_sha256 TEXT PRIMARY KEY,
    order_id TEXT,
    received_at_ms BIGINT NOT NULL,
    -- accepted, forged, unknown-order, wrong-amount, malformed, not-payable.
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    -- How many times it was delivered (gateways retry; a replay is one more).
    deliveries BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX payment_callbacks_order ON payment_callbacks (order_id, received_at_ms);

-- Grievances citizens lodge in the chat: routed to the department that owns
-- the category, due within the category's SLA, escalated a level each time
-- the SLA passes, resolved by an officer, rated by the citizen (and reopened
-- once if they are not satisfied).
CREATE TABLE grievances (
    ticket TEXT PRIMARY KEY,
    wa_id TEXT NOT NULL,
    phone_number_id TEXT NOT NULL,
    language TEXT NOT NULL,
    category TEXT NOT NULL,
    department TEXT NOT NULL,
    description TEXT NOT NULL,
    -- The WhatsApp media id of a photo, and a shared location (text).
    photo TEXT,
    location TEXT,
    -- open, in_progress, resolved, closed.
    status TEXT NOT NULL,
    -- The officer level it sits with: 1, escalated to 2, 3.
    level BIGINT NOT NULL DEFAULT 1,
    due_at_ms BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    resolved_at_ms BIGINT,
    rating BIGINT,
    reopened BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX grievances_open ON grievances (department, due_at_ms) WHERE status IN ('open', 'in_progress');
CREATE INDEX grievances_due ON grievances (due_at_ms) WHERE status IN ('open', 'in_progress');
CREATE INDEX grievances_citizen ON grievances (wa_id, created_at_ms);

-- Every step of a grievance: lodged, comments, started, escalated, resolved,
-- rated, reopened; by whom (an operator, the citizen, the host).
CREATE TABLE grievance_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT
);
CREATE INDEX grievance_events_ticket ON grievance_events (ticket, id);

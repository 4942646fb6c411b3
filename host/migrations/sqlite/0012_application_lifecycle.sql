-- Applications are worked by department officers: submitted → under_review
-- → needs_information (a question to the citizen, whose answer returns to
-- the file) → approved / rejected → delivered. Each step is an event.
ALTER TABLE applications ADD COLUMN district TEXT;
-- The officer's last remarks (a decision's reason) and open question.
ALTER TABLE applications ADD COLUMN remarks TEXT;
ALTER TABLE applications ADD COLUMN question TEXT;
-- When the file was approved or rejected (turnaround ends there).
ALTER TABLE applications ADD COLUMN decided_at_ms BIGINT;
-- Work queues and dashboards read by department and status.
CREATE INDEX applications_department ON applications (plugin_id, status, submitted_at_ms);
CREATE INDEX applications_status ON applications (status, submitted_at_ms);

-- Every step of an application, by whom (an operator, the citizen, the host).
CREATE TABLE application_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT
);
CREATE INDEX application_events_number ON application_events (number, id);

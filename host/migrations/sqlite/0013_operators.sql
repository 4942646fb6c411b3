-- Operators who log in to the console: an Argon2id password hash (PHC
-- string), a role (admin, officer, viewer), the departments an officer
-- works (JSON list of plugin ids) and their level.
CREATE TABLE operators (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    departments TEXT NOT NULL DEFAULT '[]',
    level BIGINT NOT NULL DEFAULT 1,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at_ms BIGINT NOT NULL
);
-- The dashboards read applications by day of submission and of decision.
CREATE INDEX applications_submitted ON applications (submitted_at_ms);
CREATE INDEX applications_decided ON applications (decided_at_ms) WHERE decided_at_ms IS NOT NULL;

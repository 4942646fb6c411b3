-- The plugin registry: every installed version (the signed package as
-- uploaded), what each department serves, and who did what.
CREATE TABLE plugin_versions (
    plugin_id TEXT NOT NULL,
    version TEXT NOT NULL,
    -- sha256 of the package file.
    sha256 TEXT NOT NULL,
    vendor_key TEXT NOT NULL,
    uploader TEXT NOT NULL,
    uploaded_at_ms BIGINT NOT NULL,
    package BYTEA NOT NULL,
    PRIMARY KEY (plugin_id, version)
);

-- What a department serves: the active version for everyone, or during a
-- staged rollout a candidate for candidate_percent of citizens (by a stable
-- hash of their number). previous is the stack rollback pops (JSON list).
CREATE TABLE plugin_deployments (
    plugin_id TEXT PRIMARY KEY,
    active TEXT NOT NULL,
    candidate TEXT,
    candidate_percent BIGINT NOT NULL DEFAULT 0,
    previous TEXT NOT NULL DEFAULT '[]',
    generation BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- Every operator action through the admin API, refused ones included.
CREATE TABLE admin_audit (
    id BIGSERIAL PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    plugin_id TEXT,
    version TEXT,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL
);

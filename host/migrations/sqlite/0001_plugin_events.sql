-- What happened to each plugin version: loaded, refused (and why).
CREATE TABLE plugin_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms BIGINT NOT NULL,
    plugin_id TEXT NOT NULL,
    version TEXT,
    sha256 TEXT,
    event TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX plugin_events_plugin ON plugin_events (plugin_id, at_ms);

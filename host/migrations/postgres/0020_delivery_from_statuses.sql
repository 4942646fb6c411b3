-- How far a sent message got is read from its statuses when asked (the
-- console and tests ask for one message at a time) rather than copied onto
-- its outbox row as each status arrives. That copy needed an index on the
-- id Meta gave each sent message, which is random: on SQLite's one writer
-- every reply sent cost a write at a random place in it.
DROP INDEX outbox_wamid;
ALTER TABLE outbox DROP COLUMN delivery;

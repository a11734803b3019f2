-- Who did what, for operators. Accounts do not exist yet: the actor is where the
-- request came from (web UI, REST API) and its address.
CREATE TABLE audit_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    source   TEXT    NOT NULL,
    ip       TEXT,
    code_id  INTEGER,
    batch_id INTEGER,
    detail   TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX audit_events_by_action ON audit_events (action, id);

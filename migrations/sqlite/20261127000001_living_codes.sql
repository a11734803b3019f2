-- Living codes (活码): a code whose scene is a short key the landing page resolves
-- into today's target. One row per living code, beside its row in `codes`.
CREATE TABLE living_codes (
    code_id       INTEGER PRIMARY KEY REFERENCES codes (id) ON DELETE CASCADE,
    -- k= and 8 base62 characters; never reused.
    scene         TEXT    NOT NULL UNIQUE,
    target_page   TEXT    NOT NULL,
    -- [{"key": …, "value": …}, …] as JSON, in the order given.
    params        TEXT    NOT NULL,
    -- active | paused | ended
    status        TEXT    NOT NULL,
    -- Past this instant the code answers as ended.
    ends_at       TEXT,
    -- Where a paused or ended code sends people ('' = the mini program's home page).
    fallback_page TEXT    NOT NULL DEFAULT '',
    -- Kept in step with scan_events by the scan writer, so lists never count events.
    scans         INTEGER NOT NULL DEFAULT 0,
    last_scan_at  TEXT,
    updated_at    TEXT    NOT NULL
);

CREATE INDEX living_codes_by_scans ON living_codes (scans, code_id);

-- One row per resolve of a living code: the only moment a scan is visible.
CREATE TABLE scan_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code_id     INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    -- The launch scene value the mini program saw (1047 scan, 1048 long-press, …).
    wx_scene    INTEGER,
    -- SHA-256 of the instance's salt and the client id the mini program sent.
    client_hash TEXT
);

CREATE INDEX scan_events_by_code ON scan_events (code_id, at);

-- Secrets the instance makes for itself once (e.g. the salt of client ids).
CREATE TABLE instance_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

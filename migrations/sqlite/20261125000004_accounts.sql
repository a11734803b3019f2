-- Team accounts. Passwords, session tokens and API keys are stored only as hashes.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE,
    -- argon2id PHC string
    password_hash TEXT    NOT NULL,
    -- admin | member | viewer
    role          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    last_sign_in  TEXT,
    disabled_at   TEXT
);

-- A browser session: the cookie holds a random token, this table its SHA-256.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL,
    -- The absolute end, whatever the activity.
    expires_at   TEXT    NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    -- The first characters of the key, so people can tell keys apart.
    prefix       TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL UNIQUE,
    role         TEXT    NOT NULL,
    created_by   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- Failed sign-ins, for throttling per account and per address.
CREATE TABLE sign_in_failures (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT    NOT NULL,
    ip    TEXT    NOT NULL,
    at    TEXT    NOT NULL
);

CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_ip ON sign_in_failures (ip, at);

-- Who did it: an account's email or "API key: name". Empty for rows from before accounts.
ALTER TABLE codes ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE batches ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN actor TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_events_by_actor ON audit_events (actor, id);

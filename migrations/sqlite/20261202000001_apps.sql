-- Several mini programs in one dashboard. The one from WECHAT_APPID (or the sandbox's) is not a
-- row: it comes from the environment. Rows are the apps admins add in the dashboard.
CREATE TABLE apps (
    appid           TEXT PRIMARY KEY,
    name            TEXT    NOT NULL,
    -- XChaCha20-Poly1305 (nonce || ciphertext) under WXACODE_SECRET_KEY, the AppID as associated
    -- data; NULL for sandbox apps, which need none.
    secret_sealed   BLOB,
    landing_page    TEXT    NOT NULL DEFAULT '',
    -- One page path per line; empty: not known, nothing checked before WeChat.
    published_pages TEXT    NOT NULL DEFAULT '',
    env_version     TEXT    NOT NULL DEFAULT 'release',
    colour          TEXT    NOT NULL,
    initials        TEXT    NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    -- Changes with every new secret, so every replica rebuilds its client.
    secret_version  INTEGER NOT NULL DEFAULT 1
);

-- Accounts and API keys limited to some apps: 'account:<id>' or 'key:<id>'. A subject with no
-- row may use every app.
CREATE TABLE app_access (
    subject TEXT NOT NULL,
    appid   TEXT NOT NULL,
    PRIMARY KEY (subject, appid)
);

-- The app each person last generated with, preselected in the forms.
CREATE TABLE app_preferences (
    subject TEXT PRIMARY KEY,
    appid   TEXT NOT NULL
);

-- Every record belongs to one app. '' on rows from before: the server gives them the
-- environment's app when it starts.
ALTER TABLE codes ADD COLUMN appid TEXT NOT NULL DEFAULT '';
ALTER TABLE batches ADD COLUMN appid TEXT NOT NULL DEFAULT '';
ALTER TABLE links ADD COLUMN appid TEXT NOT NULL DEFAULT '';
ALTER TABLE jump_links ADD COLUMN appid TEXT NOT NULL DEFAULT '';
-- The app an event concerns, when it concerns one.
ALTER TABLE audit_events ADD COLUMN appid TEXT NOT NULL DEFAULT '';
DROP INDEX IF EXISTS codes_by_dedupe_key;
CREATE INDEX codes_by_app_dedupe_key ON codes (appid, dedupe_key, id);
CREATE INDEX codes_by_app ON codes (appid, id);

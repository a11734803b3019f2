-- Permanent jump links on the dashboard's own domain (/go/{token}): each visit is sent on to a
-- URL Link or Scheme with at least a day left, minted again when the last one runs out.
CREATE TABLE jump_links (
    id INTEGER PRIMARY KEY,
    -- 128 random bits, URL-safe: the public part of /go/{token}.
    token TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('url_link', 'scheme')),
    page TEXT NOT NULL DEFAULT '',
    query TEXT NOT NULL DEFAULT '',
    env_version TEXT NOT NULL DEFAULT 'release',
    label TEXT NOT NULL DEFAULT '',
    code_id INTEGER REFERENCES codes(id),
    -- The WeChat link visits are sent to now.
    current_link_id INTEGER REFERENCES links(id),
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE INDEX jump_links_by_code ON jump_links (code_id, id) WHERE code_id IS NOT NULL;

-- Visits per jump link and UTC day.
CREATE TABLE jump_clicks (
    jump_id INTEGER NOT NULL REFERENCES jump_links(id),
    day TEXT NOT NULL,
    clicks INTEGER NOT NULL,
    PRIMARY KEY (jump_id, day)
) WITHOUT ROWID;

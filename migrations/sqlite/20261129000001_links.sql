-- Links that open the mini program where a code cannot be scanned (SMS, e-mail, H5 pages):
-- WeChat's URL Link, URL Scheme and Short Link, as WeChat made them.
CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('url_link', 'scheme', 'short_link')),
    -- https://wxaurl.cn/…, weixin://dl/business/?t=… or #小程序://…
    url TEXT NOT NULL,
    page TEXT NOT NULL DEFAULT '',
    query TEXT NOT NULL DEFAULT '',
    env_version TEXT NOT NULL DEFAULT 'release',
    title TEXT NOT NULL DEFAULT '',
    -- RFC 3339, UTC; NULL: a permanent Short Link.
    expires_at TEXT,
    -- The lifetime it was made with, in days (NULL: permanent): what a renewal asks for again.
    days INTEGER,
    code_id INTEGER REFERENCES codes(id),
    renewed_from INTEGER REFERENCES links(id),
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE INDEX links_by_code ON links (code_id, id) WHERE code_id IS NOT NULL;
CREATE INDEX links_by_expiry ON links (expires_at) WHERE expires_at IS NOT NULL;

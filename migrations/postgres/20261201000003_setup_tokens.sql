-- The first admin's setup links, by the SHA-256 of their token: in the database, so the link a
-- replica printed works whichever replica the proxy sends it to.
CREATE TABLE setup_tokens (
    digest     TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

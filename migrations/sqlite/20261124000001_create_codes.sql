-- Every code WeChat generated for us. Image bytes live in their own table so
-- listing history never reads blobs.
CREATE TABLE codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    scene        TEXT    NOT NULL,
    page         TEXT    NOT NULL,
    width        INTEGER NOT NULL,
    check_path   INTEGER NOT NULL,
    env_version  TEXT    NOT NULL,
    auto_color   INTEGER NOT NULL,
    line_color   TEXT    NOT NULL,
    is_hyaline   INTEGER NOT NULL,
    dedupe_key   TEXT    NOT NULL,
    image_type   TEXT    NOT NULL,
    byte_size    INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    share_token  TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL
);

CREATE INDEX codes_by_dedupe_key ON codes (dedupe_key, id);

CREATE TABLE code_images (
    code_id INTEGER PRIMARY KEY REFERENCES codes (id) ON DELETE CASCADE,
    bytes   BLOB    NOT NULL
);

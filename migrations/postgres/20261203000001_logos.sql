-- Centre logos: one per app ('app:<appid>') or per code ('code:<id>'); a code's own wins over its
-- app's. Stored as PNG, re-encoded from the upload's pixels (never the uploaded file itself).
CREATE TABLE logos (
    owner      TEXT    PRIMARY KEY,
    image      BYTEA   NOT NULL,
    width      BIGINT  NOT NULL,
    height     BIGINT  NOT NULL,
    sha256     TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);

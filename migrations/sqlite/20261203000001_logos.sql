-- Centre logos: one per app ('app:<appid>') or per code ('code:<id>'); a code's own wins over its
-- app's. Stored as PNG, re-encoded from the upload's pixels (never the uploaded file itself).
CREATE TABLE logos (
    owner      TEXT    PRIMARY KEY,
    image      BLOB    NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);

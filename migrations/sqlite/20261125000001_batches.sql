-- Batch jobs: one row per job, one per spreadsheet row. Items carry their own
-- state so a restarted server picks up exactly where it stopped.
CREATE TABLE batches (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    -- running | paused | cancelled | finished
    status      TEXT    NOT NULL,
    total       INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    finished_at TEXT
);

CREATE TABLE batch_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id   INTEGER NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    -- The row in the uploaded sheet (1 = first data row).
    row_number INTEGER NOT NULL,
    -- CodeRequestInput as JSON: validated when the job was created.
    input      TEXT    NOT NULL,
    label      TEXT    NOT NULL,
    -- pending | done | failed
    status     TEXT    NOT NULL DEFAULT 'pending',
    code_id    INTEGER REFERENCES codes (id),
    errcode    INTEGER,
    error_zh   TEXT,
    error_en   TEXT,
    updated_at TEXT
);

CREATE INDEX batch_items_by_state ON batch_items (batch_id, status, id);
CREATE INDEX batch_items_by_code ON batch_items (code_id);

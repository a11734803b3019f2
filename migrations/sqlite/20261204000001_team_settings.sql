-- Team settings, one row per setting ('name_template': how downloads and ZIP entries are named).
-- A setting without a row has its default.
CREATE TABLE team_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Dashboard: a campaign label per code, soft delete, revocable share links.
ALTER TABLE codes ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE codes ADD COLUMN deleted_at TEXT;
ALTER TABLE codes ADD COLUMN share_revoked_at TEXT;

CREATE INDEX codes_by_created_at ON codes (created_at);

-- A share link may end on its own: NULL means it lasts until revoked.
ALTER TABLE codes ADD COLUMN share_expires_at TEXT;

-- The link a batch row asked for (columns link / link_days), once made.
ALTER TABLE batch_items ADD COLUMN link_id INTEGER REFERENCES links(id);

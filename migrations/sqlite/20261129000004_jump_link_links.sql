-- The WeChat links a jump link minted for its visits: kept, but not listed as people's own links.
ALTER TABLE links ADD COLUMN jump_id INTEGER REFERENCES jump_links(id);

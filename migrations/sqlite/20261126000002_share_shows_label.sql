-- The public share page shows the code's label and page only when the sharer chose to:
-- labels are internal campaign names ("KOL 投放").
ALTER TABLE codes ADD COLUMN share_shows_label INTEGER NOT NULL DEFAULT 0;

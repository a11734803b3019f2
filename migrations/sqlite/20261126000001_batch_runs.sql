-- When the job last started or resumed running: its rate counts only the time it ran.
ALTER TABLE batches ADD COLUMN run_started_at TEXT;
UPDATE batches SET run_started_at = created_at;

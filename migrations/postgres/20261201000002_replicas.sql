-- Several replicas: a batch row is claimed by one replica until its lease ends, so a replica
-- that dies leaves its rows to another once the lease is over.
ALTER TABLE batch_items ADD COLUMN claimed_by TEXT;
ALTER TABLE batch_items ADD COLUMN claimed_until TEXT;

-- The WeChat call budget the replicas share (GCRA: the theoretical arrival time of the next
-- call, in milliseconds since the epoch), one row per budget ("codes", "links").
CREATE TABLE wechat_budget (
    name TEXT PRIMARY KEY,
    tat  BIGINT NOT NULL
);

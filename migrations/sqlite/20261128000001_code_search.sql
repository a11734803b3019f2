-- History search at 100,000 codes: a trigram full-text index over what people search a
-- code by (scene, page, label; a living code's target page and its key=value parameters).
-- Trigrams make any substring of 3+ characters an index lookup, Chinese included, and
-- fold case. Triggers keep it in step, so no code path can forget it.
CREATE VIRTUAL TABLE code_search USING fts5 (
    scene, page, label, target, params,
    tokenize = 'trigram'
);

-- A living code's parameters as people write them: campaign=双十一&store=12.
CREATE VIEW living_search_text AS
SELECT code_id,
       target_page AS target,
       COALESCE((SELECT group_concat(json_extract(p.value, '$.key') || '=' || json_extract(p.value, '$.value'), '&')
                 FROM json_each(living_codes.params) AS p), '') AS params
FROM living_codes;

INSERT INTO code_search (rowid, scene, page, label, target, params)
SELECT codes.id, codes.scene, codes.page, codes.label,
       COALESCE(living.target, ''), COALESCE(living.params, '')
FROM codes LEFT JOIN living_search_text AS living ON living.code_id = codes.id;

CREATE TRIGGER code_search_on_insert AFTER INSERT ON codes BEGIN
    INSERT INTO code_search (rowid, scene, page, label, target, params)
    VALUES (NEW.id, NEW.scene, NEW.page, NEW.label, '', '');
END;

CREATE TRIGGER code_search_on_update AFTER UPDATE OF scene, page, label ON codes BEGIN
    UPDATE code_search SET scene = NEW.scene, page = NEW.page, label = NEW.label WHERE rowid = NEW.id;
END;

CREATE TRIGGER code_search_on_delete AFTER DELETE ON codes BEGIN
    DELETE FROM code_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER code_search_on_living_insert AFTER INSERT ON living_codes BEGIN
    UPDATE code_search
    SET (target, params) = (SELECT target, params FROM living_search_text WHERE code_id = NEW.code_id)
    WHERE rowid = NEW.code_id;
END;

CREATE TRIGGER code_search_on_living_update AFTER UPDATE OF target_page, params ON living_codes BEGIN
    UPDATE code_search
    SET (target, params) = (SELECT target, params FROM living_search_text WHERE code_id = NEW.code_id)
    WHERE rowid = NEW.code_id;
END;

CREATE TRIGGER code_search_on_living_delete AFTER DELETE ON living_codes BEGIN
    UPDATE code_search SET target = '', params = '' WHERE rowid = OLD.code_id;
END;

-- The filters beside search: live codes newest first, the few deleted ones on their own,
-- days, and a batch's codes.
CREATE INDEX codes_by_deleted ON codes (deleted_at, id);
CREATE INDEX codes_deleted ON codes (id) WHERE deleted_at IS NOT NULL;
CREATE INDEX codes_by_deleted_created ON codes (deleted_at, created_at);
CREATE INDEX batch_items_by_batch_code ON batch_items (batch_id, code_id);

-- How many live and deleted codes there are, kept by triggers: the unfiltered history's
-- "N codes" without counting 100,000 rows on every page view.
CREATE TABLE code_counts (
    deleted INTEGER PRIMARY KEY,
    codes   INTEGER NOT NULL
);

INSERT INTO code_counts (deleted, codes)
SELECT 0, (SELECT COUNT(*) FROM codes WHERE deleted_at IS NULL)
UNION ALL
SELECT 1, (SELECT COUNT(*) FROM codes WHERE deleted_at IS NOT NULL);

CREATE TRIGGER code_counts_on_insert AFTER INSERT ON codes BEGIN
    UPDATE code_counts SET codes = codes + 1 WHERE deleted = (NEW.deleted_at IS NOT NULL);
END;

CREATE TRIGGER code_counts_on_update AFTER UPDATE OF deleted_at ON codes
WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
    UPDATE code_counts SET codes = codes - 1 WHERE deleted = (OLD.deleted_at IS NOT NULL);
    UPDATE code_counts SET codes = codes + 1 WHERE deleted = (NEW.deleted_at IS NOT NULL);
END;

CREATE TRIGGER code_counts_on_delete AFTER DELETE ON codes BEGIN
    UPDATE code_counts SET codes = codes - 1 WHERE deleted = (OLD.deleted_at IS NOT NULL);
END;

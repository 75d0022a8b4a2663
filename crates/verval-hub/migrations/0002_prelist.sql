-- Prelists (issue #7): the district's list of families to verify, by prelist id. A
-- re-import updates a family's listed data and never touches the records of visits (the
-- `records` and `record_versions` tables).
CREATE TABLE prelist_families (
    prelist_id TEXT PRIMARY KEY,
    kode_desa TEXT NOT NULL,
    nomor_kk TEXT NOT NULL,
    -- the family and its members as listed (`verval_core::prelist::PrelistFamily`, JSON)
    body TEXT NOT NULL,
    -- the file it last came from
    source TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- 1 when the latest import of its village listed it; 0 when a later list left it out
    -- (kept: a family dropped from a list may already have been visited)
    in_latest BIGINT NOT NULL
);

CREATE INDEX prelist_by_village ON prelist_families (kode_desa);

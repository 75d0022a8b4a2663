-- Issue #20: the district's review as a conversation. Every decision is kept, with who made
-- it, when, on which revision, its note and its notes on single fields or member rows;
-- `records.review` and `records.review_note` stay the household's current standing (for
-- lists and filters), written in the same transaction as the decision that sets them. A
-- newer revision arriving reopens a decided household (`tinjau_ulang`) and keeps its note.

CREATE TABLE reviews (
    -- 1, 2, 3… in the order decisions were written (MAX + 1 under the hub's one writer; two
    -- hubs on one PostgreSQL racing for a number retry on the unique key), so a phone's
    -- cursor never skips a decision committed later with a smaller number
    seq BIGINT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES records (record_id),
    -- the revision the reviewer looked at
    revision BIGINT NOT NULL,
    -- disetujui | perlu_perbaikan | ditolak (verval_core::review::Decision)
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    -- notes on single fields or member rows: a JSON array of verval_core::review::FieldNote
    field_notes TEXT NOT NULL,
    -- when rejected as a duplicate: the other household's record id, else ''
    duplicate_of TEXT NOT NULL,
    -- the staff account's username ('' for decisions made before this table existed)
    reviewer TEXT NOT NULL,
    -- milliseconds since 1970, UTC
    at BIGINT NOT NULL
);

CREATE INDEX reviews_by_record ON reviews (record_id, seq);

-- The revision the current decision was made on; 0 while nobody has decided.
ALTER TABLE records ADD COLUMN reviewed_revision BIGINT NOT NULL DEFAULT 0;

-- Decisions made before: one each, on the revision that was current (a newer revision used
-- to reset the review, so a decided household's decision is about its current revision).
INSERT INTO reviews (seq, record_id, revision, decision, note, field_notes, duplicate_of, reviewer, at)
SELECT ROW_NUMBER() OVER (ORDER BY updated_at, record_id), record_id, revision, review,
       review_note, '[]', '', '', updated_at
FROM records WHERE review IN ('disetujui', 'perlu_perbaikan');

UPDATE records SET reviewed_revision = revision WHERE review IN ('disetujui', 'perlu_perbaikan');

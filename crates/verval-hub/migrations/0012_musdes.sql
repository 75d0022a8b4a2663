-- The village meeting (Musdes / Musdesus, issue #24): one row per meeting of a desa, and the
-- meeting's decision on each family it read out. A decision keeps the household revision
-- the meeting saw; district staff change it only by recording it again (audited).
CREATE TABLE musdes_meetings (
    meeting_id BIGINT PRIMARY KEY,
    kode_desa TEXT NOT NULL,
    -- the round, as the district names it: "Musdesus Oktober 2026"
    period TEXT NOT NULL,
    -- the Berita Acara's number
    number TEXT NOT NULL,
    -- YYYY-MM-DD
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    chair TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (kode_desa, period)
);

CREATE TABLE musdes_decisions (
    meeting_id BIGINT NOT NULL REFERENCES musdes_meetings (meeting_id),
    record_id TEXT NOT NULL,
    -- disetujui, tidak_disetujui, ditunda (verval_core::aid::musdes::DECISIONS)
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    revision BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (meeting_id, record_id)
);
CREATE INDEX musdes_decisions_by_record ON musdes_decisions (record_id);

-- Issue #24: where each household stands in SIKS-NG, Kemensos' system district staff re-key
-- proposals into. No row: not entered yet ("belum diinput"). Entered ("diinput"): when, by
-- which operator, the usulan id SIKS-NG gave, and the household revision entered; then the
-- result: accepted ("diterima", with the new desil) or refused ("ditolak", with the reason).
CREATE TABLE siks_entries (
    record_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    -- YYYY-MM-DD, the day the operator entered it
    entered_on TEXT NOT NULL,
    operator TEXT NOT NULL,
    usulan_id TEXT NOT NULL,
    desil BIGINT,
    reason TEXT NOT NULL,
    revision BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

-- Issue #24, from verification to aid. Where each household stands in SIKS-NG, Kemensos' system district staff re-key
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

-- Aid delivered to a family after the round, as district staff record it: which programme,
-- from which funding source (the form's `sumber_dana` codes), on which day. Kept, never
-- changed: a wrong entry is answered by a note on a new one, and every entry is audited.
CREATE TABLE aid_deliveries (
    record_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    programme TEXT NOT NULL,
    funding TEXT NOT NULL,
    -- YYYY-MM-DD
    delivered_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (record_id, seq)
);

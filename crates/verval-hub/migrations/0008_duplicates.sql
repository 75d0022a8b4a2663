-- Issue #21: duplicate families across households. Each household's match keys
-- (`verval_core::supervision::duplicates::match_keys` of its current version: the prelist
-- family it visited, its KK, every member's NIK, its head's name and birth date in its
-- village) are kept beside it, rewritten with each current version; two households sharing a
-- key form a pair, raised when a batch arrives and kept with the reviewer's decision, which
-- sticks: a pair decided is never opened again by a later version or a re-import.

CREATE TABLE record_keys (
    record_id TEXT NOT NULL REFERENCES records (record_id),
    -- a MatchKind code: prelist | nik | kk | kepala
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (record_id, kind, key)
);

CREATE INDEX record_keys_by_key ON record_keys (kind, key);

CREATE TABLE duplicate_pairs (
    -- the two households, the smaller record id first
    first_id TEXT NOT NULL REFERENCES records (record_id),
    second_id TEXT NOT NULL REFERENCES records (record_id),
    -- what they share: MatchKind codes, comma-separated (`MatchKind::join`), as last found
    kinds TEXT NOT NULL,
    -- when first found, ms since 1970 (UTC)
    found_at BIGINT NOT NULL,
    -- '' while open; sama | berbeda | anggota (`Resolution::code`)
    decision TEXT NOT NULL,
    -- for `anggota`: pindah | meninggal | tercatat_ganda, else ''
    member_status TEXT NOT NULL,
    -- for `sama`: the household kept and the one rejected as its duplicate, else ''
    kept_id TEXT NOT NULL,
    dropped_id TEXT NOT NULL,
    note TEXT NOT NULL,
    -- the staff account's username, and when (0 while open)
    decided_by TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (first_id, second_id)
);

CREATE INDEX duplicate_pairs_by_second ON duplicate_pairs (second_id);
CREATE INDEX duplicate_pairs_by_decision ON duplicate_pairs (decision);
CREATE INDEX duplicate_pairs_by_dropped ON duplicate_pairs (dropped_id);

-- A village given to a second enumerator is shared whole (both visit it) or split: each
-- enumerator's part (`verval_core::campaign::share::Share::to_text`: '' the whole village,
-- `rw:1,2`, `bukan-rw:1,2`, `keluarga:P-1`, `bukan-keluarga:P-1`). Their assignments list only
-- their part's families.
ALTER TABLE enumerator_villages ADD COLUMN village_share TEXT NOT NULL DEFAULT '';

-- What each phone holds per village at the end of its last sync round (`PhoneProgress`):
-- households begun and finalized there, sent or not, so the dashboard shows work done in the
-- field before it reaches the hub. A phone's report replaces its earlier one.
CREATE TABLE phone_progress (
    -- the hub's key for the phone (`devices.device_key`)
    device_key TEXT NOT NULL,
    kode_desa TEXT NOT NULL,
    begun BIGINT NOT NULL,
    finalized BIGINT NOT NULL,
    -- ms since 1970 (UTC)
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (device_key, kode_desa)
);
CREATE INDEX phone_progress_by_village ON phone_progress (kode_desa);

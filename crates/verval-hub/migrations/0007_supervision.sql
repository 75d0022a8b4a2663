-- Issue #21: supervision. Each household names the prelist family it visited (empty for a
-- family found in the field), so progress counts the listed families not yet visited with
-- an index, not by reading record bodies; rows stored before this column get it from their
-- current version when the hub opens (`supervision::derived`). A district may set a
-- village's target as a number instead of its prelist; the round's start, deadline and
-- silent-device threshold are settings (`supervision::round`).

ALTER TABLE records ADD COLUMN prelist_id TEXT NOT NULL DEFAULT '';
CREATE INDEX records_by_prelist ON records (prelist_id);
CREATE INDEX prelist_latest_by_village ON prelist_families (kode_desa, in_latest);

CREATE TABLE village_targets (
    kode_desa TEXT PRIMARY KEY,
    -- families to verify in the village this round
    target BIGINT NOT NULL,
    -- the staff account that set it, and when (ms since 1970, UTC)
    set_by TEXT NOT NULL,
    set_at BIGINT NOT NULL
);

-- A phone's last upload, for the dashboard's silent devices.
CREATE INDEX batches_by_device ON batches (enumerator_id, device_id, received_at);

-- Proof of visit, from the current version (`verval_core::supervision::evidence`): the
-- house's location in microdegrees and its accuracy in metres (NULL when none was taken),
-- whether the form asked for it, whether the house's front was photographed (NULL when the
-- form did not ask), when the record was begun and last changed (ms since 1970), and the
-- phone it came from (`record_versions.origin`).
ALTER TABLE records ADD COLUMN lat_e6 BIGINT;
ALTER TABLE records ADD COLUMN lon_e6 BIGINT;
ALTER TABLE records ADD COLUMN accuracy_m BIGINT;
ALTER TABLE records ADD COLUMN location_asked BIGINT NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN house_photo BIGINT;
ALTER TABLE records ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN finalized_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN origin TEXT NOT NULL DEFAULT '';
-- Which derivation (`supervision::derived::VERSION`) filled prelist_id and the columns above:
-- a row below the hub's is derived again from its current version when the hub opens.
ALTER TABLE records ADD COLUMN derived BIGINT NOT NULL DEFAULT 0;
CREATE INDEX records_to_derive ON records (derived);

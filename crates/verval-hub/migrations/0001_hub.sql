-- The hub's schema. One file for SQLite and PostgreSQL alike: only types both know
-- (TEXT, BIGINT, BYTEA — SQLite keeps blobs as blobs whatever the declared type),
-- times as milliseconds since 1970 (UTC), flags as 0/1.

-- hub_name, admin_password (an argon2 PHC string), setup_code_hash
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE enumerators (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The villages (Kemendagri codes, 35.13.14.2001) an enumerator may send records for.
CREATE TABLE enumerator_villages (
    enumerator_id TEXT NOT NULL REFERENCES enumerators (id),
    kode_desa TEXT NOT NULL,
    PRIMARY KEY (enumerator_id, kode_desa)
);

-- One-time codes a device exchanges for a token; only their SHA-256 is kept.
CREATE TABLE enrolment_codes (
    code_hash TEXT PRIMARY KEY,
    enumerator_id TEXT NOT NULL REFERENCES enumerators (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Enrolled devices; the token itself is never stored, only its SHA-256.
CREATE TABLE devices (
    token_hash TEXT PRIMARY KEY,
    enumerator_id TEXT NOT NULL REFERENCES enumerators (id),
    device_id TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Every batch received, kept as it arrived, with the receipt given for it: a repeat of the
-- upload is answered with this same receipt.
CREATE TABLE batches (
    batch_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    -- 'sync' (a device's upload) or 'file' (a file district staff imported)
    via TEXT NOT NULL,
    enumerator_id TEXT,
    enumerator TEXT NOT NULL,
    device_id TEXT NOT NULL,
    record_count BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    receipt TEXT NOT NULL,
    bytes BYTEA NOT NULL
);

-- Every version of every record ever received: nothing is overwritten.
CREATE TABLE record_versions (
    record_id TEXT NOT NULL,
    revision BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    batch_id TEXT NOT NULL REFERENCES batches (batch_id),
    device_id TEXT NOT NULL,
    -- the record's canonical JSON, as in records.jsonl
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (record_id, revision, sha256)
);

-- One row per household: which version is current, and the district's review of it.
CREATE TABLE records (
    record_id TEXT PRIMARY KEY,
    revision BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    kode_desa TEXT NOT NULL,
    enumerator TEXT NOT NULL,
    nama_kepala_keluarga TEXT NOT NULL,
    nomor_kk TEXT NOT NULL,
    status_verifikasi TEXT NOT NULL,
    -- 1 when versions came from more than one device: both kept, a person decides
    conflict BIGINT NOT NULL,
    -- diterima | perlu_perbaikan | disetujui
    review TEXT NOT NULL,
    review_note TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX records_by_village ON records (kode_desa);
CREATE INDEX record_versions_by_batch ON record_versions (batch_id);

-- District staff's signed-in browsers.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

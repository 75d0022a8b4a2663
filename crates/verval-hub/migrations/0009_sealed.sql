-- Issue #22: sealed batches. Phones seal each batch to the district's public keys (age);
-- the private keys never enter the database. A sealed batch is kept as it arrived, answered
-- with a receipt from its plaintext manifest, and opened when an admin unlocks the
-- district's key on the hub (or at import with a key file): then its households are stored
-- as any batch's, or, when its content contradicts its manifest, it is quarantined.

-- The public keys handed to phones (`verval-hub key add`). A retired key is no longer
-- handed out; what was sealed to it still opens with its private key.
CREATE TABLE district_keys (
    -- age1…
    recipient TEXT PRIMARY KEY,
    -- `Recipient::fingerprint`: what staff compare on a phone's screen
    fingerprint TEXT NOT NULL,
    label TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    retired_at BIGINT
);

CREATE TABLE sealed_batches (
    batch_id TEXT PRIMARY KEY,
    -- of the sealed file as received: a repeat upload is the same file
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    -- 'sync' (a device's upload) or 'file' (a file district staff imported)
    via TEXT NOT NULL,
    enumerator_id TEXT,
    enumerator TEXT NOT NULL,
    -- the device key of an upload, `file:<device id>` of a file (`ingest::Source::origin`)
    origin TEXT NOT NULL,
    device_id TEXT NOT NULL,
    record_count BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    -- the receipt given when it arrived (every record `tersegel`)
    receipt TEXT NOT NULL,
    -- the sealed file; emptied once opened (the opened batch is kept in `batches`)
    bytes BYTEA NOT NULL,
    -- tersegel (waiting for the key) | dibuka (opened, households stored) | karantina
    state TEXT NOT NULL,
    -- why it is quarantined, or why the key did not open it
    reason TEXT NOT NULL,
    opened_at BIGINT
);

CREATE INDEX sealed_batches_by_state ON sealed_batches (state, received_at);

-- What the plaintext manifest says of each record: all the hub shows until it is opened.
CREATE TABLE sealed_records (
    batch_id TEXT NOT NULL REFERENCES sealed_batches (batch_id),
    record_id TEXT NOT NULL,
    revision BIGINT NOT NULL,
    kode_desa TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (batch_id, record_id)
);

CREATE INDEX sealed_records_by_village ON sealed_records (kode_desa);

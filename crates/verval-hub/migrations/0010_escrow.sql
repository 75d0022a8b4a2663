-- Issue #23: a phone's data key escrowed to the district, and forgotten PINs. The phone
-- encrypts what it stores with one random data key; it sends that key sealed (age) to the
-- district's public keys, so that district staff, with the district's private key, can seal
-- it again to a one-time key the phone shows when its PIN is forgotten. The hub never holds
-- the data key in the clear except in memory while answering.

CREATE TABLE device_escrows (
    device_key TEXT NOT NULL,
    -- `vault::escrow::key_id`: names the data key, reveals nothing of it
    key_id TEXT NOT NULL,
    enumerator_id TEXT NOT NULL,
    -- the age file, unpadded base64url, as the phone sent it
    escrow TEXT NOT NULL,
    -- the fingerprints of the district keys the phone sealed it to, comma-separated
    district_keys TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (device_key, key_id)
);

-- A phone's latest request for its data key back: one per device, a new one replaces it.
CREATE TABLE pin_resets (
    device_key TEXT PRIMARY KEY,
    key_id TEXT NOT NULL,
    enumerator_id TEXT NOT NULL,
    -- the phone's one-time public key (age1…) and its fingerprint, which the enumerator
    -- reads out to district staff and staff type to answer
    one_time TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    -- the data key sealed to the one-time key alone (unpadded base64url)
    answer TEXT,
    answered_by TEXT,
    answered_at BIGINT
);

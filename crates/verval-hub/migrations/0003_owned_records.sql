-- Issue #17: who a device is, and where a household belongs, decided by the hub.

-- A device's key, given by the hub at enrolment (`dev-…`): the phone's own device id is
-- only a label, since any phone can claim any id. The same enumerator enrolling again with
-- the same phone id gets the same key back. Devices enrolled before get a key from their
-- token's hash.
ALTER TABLE devices ADD COLUMN device_key TEXT;
UPDATE devices SET device_key = 'dev-' || substr(token_hash, 1, 16);
-- When the token was last used; a token unused for longer than the district allows expires
-- (renewed by every sync). Devices enrolled before count from their next use.
ALTER TABLE devices ADD COLUMN last_seen_at BIGINT;

-- Where each version came from, as the hub knows it: the device key for a sync, `file:`
-- and the batch's device id for a file district staff imported. Two origins for one
-- household are a conflict a person decides.
ALTER TABLE record_versions ADD COLUMN origin TEXT;
UPDATE record_versions SET origin = 'file:' || device_id
    WHERE batch_id IN (SELECT batch_id FROM batches WHERE via = 'file');
UPDATE record_versions SET origin = COALESCE(
    (SELECT d.device_key FROM devices d, batches b
     WHERE b.batch_id = record_versions.batch_id
       AND d.enumerator_id = b.enumerator_id AND d.device_id = record_versions.device_id
     ORDER BY d.enrolled_at DESC LIMIT 1),
    'file:' || device_id)
    WHERE origin IS NULL;

-- The enrolled enumerator whose device sent the current version (NULL for files).
ALTER TABLE records ADD COLUMN enumerator_id TEXT;

-- When a raw batch's bytes were let go under the district's retention setting (the batch's
-- row and receipt stay: a repeat upload is still answered).
ALTER TABLE batches ADD COLUMN pruned_at BIGINT;

-- Records of the district's own forms (issue #25). Every version of such a record is kept in
-- record_versions beside the households' versions; this table says which version of each is
-- current, by form, so that household pages, reviews and exports never see them and a form's
-- own export reads them alone.
CREATE TABLE form_records (
    record_id TEXT PRIMARY KEY,
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    revision BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    kode_desa TEXT NOT NULL,
    enumerator_id TEXT,
    enumerator TEXT NOT NULL,
    origin TEXT NOT NULL,
    conflict INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE INDEX form_records_by_form ON form_records (form_id, kode_desa);

-- A form version reaches phones once published; NULL: imported, not yet published.
ALTER TABLE forms ADD COLUMN published_at BIGINT;
ALTER TABLE forms ADD COLUMN published_by TEXT;

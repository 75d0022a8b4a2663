-- The district's own forms (issue #25), imported from XLSForm: one row per form id and
-- version, its definition (`verval-form/1` JSON) as checked on import. A version, once
-- imported, never changes: a changed form is a new version.
CREATE TABLE forms (
    form_id TEXT NOT NULL,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    definition TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    PRIMARY KEY (form_id, version)
);

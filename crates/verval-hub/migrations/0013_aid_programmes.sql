-- Aid programmes the district adds to the form's list (issue #24): a regency's own aid, a
-- local philanthropy. Aid delivered after the round may name them; the recap counts them.
CREATE TABLE aid_programmes (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    -- the form's `sumber_dana` code
    funding TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    added_by TEXT NOT NULL
);

-- Issue #19: each member of the district's staff signs in with their own account, with a
-- role (`staff::Role`) and, for some, a region scope.

CREATE TABLE staff (
    -- what they sign in with: lowercase letters, digits, `.`, `_`, `-`
    username TEXT PRIMARY KEY,
    -- their full name, shown to other staff
    name TEXT NOT NULL,
    -- admin | operator | verifikator | supervisor | viewer
    role TEXT NOT NULL,
    -- Kemendagri codes at any level, comma-separated (35.13 = the regency, 35.13.14 = one
    -- kecamatan); empty for the whole district
    wilayah TEXT NOT NULL,
    -- argon2 PHC string
    password_hash TEXT NOT NULL,
    -- 1 while the password is a one-time one (a new account, a reset): changed at the
    -- next sign-in before anything else
    must_change_password BIGINT NOT NULL,
    -- 1 for the account made from the old single admin password: it chooses a username
    must_choose_username BIGINT NOT NULL,
    disabled_at BIGINT,
    created_at BIGINT NOT NULL
);

-- The hub before accounts had one admin password: it becomes the `admin` account, which
-- keeps signing in with that password and is then asked to choose its username.
INSERT INTO staff (username, name, role, wilayah, password_hash, must_change_password,
                   must_choose_username, disabled_at, created_at)
    SELECT 'admin', 'Admin', 'admin', '', value, 0, 1, NULL, 0
    FROM settings WHERE key = 'admin_password';
DELETE FROM settings WHERE key = 'admin_password';

-- Sessions now belong to an account, and can be listed and ended one by one. Browsers
-- signed in before sign in again, to their account.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN id TEXT;
ALTER TABLE sessions ADD COLUMN username TEXT;
ALTER TABLE sessions ADD COLUMN created_at BIGINT;
ALTER TABLE sessions ADD COLUMN address TEXT;
CREATE INDEX sessions_by_username ON sessions (username);

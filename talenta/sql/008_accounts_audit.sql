-- 008: accounts, failed sign-ins (for lockout), an append-only audit log and a small key/value table
-- (e.g. whether the database is the synthetic demo). Passwords are stored only as argon2id hashes.
CREATE TABLE IF NOT EXISTS app_user (
    username      VARCHAR PRIMARY KEY,
    display_name  VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,
    instansi      VARCHAR[] NOT NULL,        -- empty: every instansi
    opd           VARCHAR[] NOT NULL,        -- empty: every OPD
    email         VARCHAR,                   -- for single sign-on (matched case-insensitively)
    active        BOOLEAN NOT NULL,
    password_hash VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_login    TIMESTAMP
);

-- one row per failed sign-in; the row that reaches the limit carries the end of the lock
CREATE TABLE IF NOT EXISTS login_failure (
    username     VARCHAR NOT NULL,
    failed_at    TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE SEQUENCE IF NOT EXISTS seq_audit START 1;

-- append-only: the code has no UPDATE or DELETE path for this table
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id INTEGER PRIMARY KEY,
    waktu    TIMESTAMP NOT NULL,
    pengguna VARCHAR NOT NULL,
    peran    VARCHAR,
    aksi     VARCHAR NOT NULL,
    objek    VARCHAR,
    rincian  VARCHAR,                       -- JSON text
    hasil    VARCHAR NOT NULL CHECK (hasil IN ('berhasil', 'gagal'))
);

CREATE TABLE IF NOT EXISTS app_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- 010: succession planning (issue 17). Versioned succession rule sets (as rule_set in 002: exactly one
-- active, who and when) and the append-only decisions on a post's candidates (usul, rekomendasi,
-- tetapkan, tolak), each with its reason and its real author. The default rule set's parameters live in
-- talenta/succession_rules.py (SuccessionRules()); the first use inserts them (succession_rules.active).
CREATE SEQUENCE IF NOT EXISTS seq_succession_rule_set START 1;

CREATE TABLE IF NOT EXISTS succession_rule_set (
    rule_set_id  INTEGER PRIMARY KEY,
    name         VARCHAR NOT NULL,
    params       JSON NOT NULL,
    version      INTEGER NOT NULL,
    note         VARCHAR,
    created_by   VARCHAR,
    created_at   TIMESTAMP NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT false,
    activated_by VARCHAR,
    activated_at TIMESTAMP
);

CREATE SEQUENCE IF NOT EXISTS seq_succession_decision START 1;

CREATE TABLE IF NOT EXISTS succession_decision (
    decision_id   INTEGER PRIMARY KEY,
    jabatan_id    VARCHAR NOT NULL,
    nip           VARCHAR NOT NULL,
    langkah       VARCHAR NOT NULL CHECK (langkah IN ('usul', 'rekomendasi', 'tetapkan', 'tolak')),
    alasan        VARCHAR NOT NULL,
    justifikasi   VARCHAR,          -- why a non-top-ranked or not-ready candidate is set (shown with it)
    peringkat     INTEGER,          -- the candidate's rank and readiness when the step was taken
    kesiapan      VARCHAR,
    periode       INTEGER NOT NULL,
    tanggal_acuan DATE NOT NULL,
    rule_set_id   INTEGER,
    oleh          VARCHAR NOT NULL,
    peran         VARCHAR NOT NULL,
    pada          TIMESTAMP NOT NULL
);

-- 003: the Komite Talenta's decisions on suggested high-potential employees. Append-only: the latest
-- row per (nip, tahun) is the current decision; earlier rows are the history (who, when, what).
CREATE SEQUENCE IF NOT EXISTS seq_hipo_decision START 1;

CREATE TABLE IF NOT EXISTS hipo_decision (
    decision_id INTEGER PRIMARY KEY,
    nip         VARCHAR NOT NULL,
    tahun       INTEGER NOT NULL,
    keputusan   VARCHAR NOT NULL CHECK (keputusan IN ('diusulkan', 'disetujui', 'ditolak', 'perlu kajian')),
    catatan     VARCHAR,
    oleh        VARCHAR,
    pada        TIMESTAMP NOT NULL
);

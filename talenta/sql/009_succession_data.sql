-- 009: the data succession planning reads (issue 17). Current tables, one row per key, each with a
-- history table of every accepted row (as 001 does for employee/performance/assessment) so that a
-- batch can be undone column by column (007). The importer owns the key rules:
--   riwayat_jabatan  (nip, tmt_mulai, jabatan)
--   hukuman_disiplin (nip, tmt_mulai, jenis_hukuman)
--   diklat           (nip, nama_diklat, tahun)
--   formasi          (instansi, opd, jabatan); jabatan_id = jabatan_id(instansi, opd, jabatan)
ALTER TABLE employee ADD COLUMN IF NOT EXISTS tmt_jabatan DATE;
ALTER TABLE employee ADD COLUMN IF NOT EXISTS tmt_golongan DATE;
ALTER TABLE employee_history ADD COLUMN IF NOT EXISTS tmt_jabatan DATE;
ALTER TABLE employee_history ADD COLUMN IF NOT EXISTS tmt_golongan DATE;

CREATE TABLE IF NOT EXISTS riwayat_jabatan (
    nip           VARCHAR NOT NULL,
    jabatan       VARCHAR NOT NULL,
    jenis_jabatan VARCHAR,
    eselon        VARCHAR,
    opd           VARCHAR,
    tmt_mulai     DATE NOT NULL,
    tmt_selesai   DATE,                      -- NULL: the current post
    batch_id      INTEGER NOT NULL,
    row_number    INTEGER
);

CREATE TABLE IF NOT EXISTS hukuman_disiplin (
    nip           VARCHAR NOT NULL,
    tingkat       VARCHAR NOT NULL,          -- ringan | sedang | berat
    jenis_hukuman VARCHAR NOT NULL,
    tmt_mulai     DATE NOT NULL,
    tmt_selesai   DATE,
    batch_id      INTEGER NOT NULL,
    row_number    INTEGER
);

CREATE TABLE IF NOT EXISTS diklat (
    nip          VARCHAR NOT NULL,
    nama_diklat  VARCHAR NOT NULL,
    jenis_diklat VARCHAR,                    -- PKN II | PKA | PKP | PIM II | PIM III | PIM IV | other
    tahun        INTEGER NOT NULL,
    batch_id     INTEGER NOT NULL,
    row_number   INTEGER
);

-- A stable, short identifier of a post, the same whether the post comes from a formasi file or from
-- the employee master's holders (no formasi imported): 'J' and 8 hex digits.
CREATE OR REPLACE MACRO jabatan_id(i, o, j) AS
    'J' || upper(substr(md5(i || chr(31) || o || chr(31) || j), 1, 8));

CREATE TABLE IF NOT EXISTS formasi (
    jabatan_id   VARCHAR NOT NULL,
    instansi     VARCHAR NOT NULL,
    opd          VARCHAR NOT NULL,
    jabatan      VARCHAR NOT NULL,
    eselon       VARCHAR,
    pemangku_nip VARCHAR,                    -- NULL: vacant
    kritikal     BOOLEAN NOT NULL DEFAULT false,
    batch_id     INTEGER NOT NULL,
    row_number   INTEGER
);

CREATE TABLE IF NOT EXISTS riwayat_jabatan_history AS SELECT * FROM riwayat_jabatan WHERE false;
CREATE TABLE IF NOT EXISTS hukuman_disiplin_history AS SELECT * FROM hukuman_disiplin WHERE false;
CREATE TABLE IF NOT EXISTS diklat_history AS SELECT * FROM diklat WHERE false;
CREATE TABLE IF NOT EXISTS formasi_history AS SELECT * FROM formasi WHERE false;

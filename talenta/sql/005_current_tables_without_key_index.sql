-- 005: the current tables lose their PRIMARY KEY index (the key columns stay NOT NULL).
-- Measured: with the ART index, importing 12 million SKP rows in 1-million-row files took 84 s and
-- grew with every file (index inserts plus rewriting the whole index at each checkpoint); without it,
-- 8 s. Keys stay unique because every write goes through talenta/ingest/loader.py, which validates
-- that a file holds each key once, updates keys already stored and inserts only new ones, under one
-- process-wide write lock (and DuckDB allows one writing process). tests/storage check uniqueness.
CREATE TABLE employee_v5 (
    nip            VARCHAR NOT NULL,
    nama           VARCHAR NOT NULL,
    gelar_depan    VARCHAR,
    gelar_belakang VARCHAR,
    instansi       VARCHAR NOT NULL,
    opd            VARCHAR NOT NULL,
    unit_kerja     VARCHAR,
    jenis_asn      VARCHAR,
    jenis_kelamin  VARCHAR,
    tanggal_lahir  DATE,
    jenis_jabatan  VARCHAR,
    jabatan        VARCHAR,
    eselon         VARCHAR,
    golongan       VARCHAR,
    pendidikan     VARCHAR,
    tmt_cpns       DATE,
    batch_id       INTEGER NOT NULL,
    row_number     INTEGER
);
INSERT INTO employee_v5 SELECT * FROM employee;
DROP TABLE employee;
ALTER TABLE employee_v5 RENAME TO employee;

CREATE TABLE performance_v5 (
    nip                VARCHAR NOT NULL,
    tahun              INTEGER NOT NULL,
    predikat           VARCHAR,
    rating_hasil_kerja VARCHAR,
    rating_perilaku    VARCHAR,
    nilai_kinerja      DOUBLE,
    batch_id           INTEGER NOT NULL,
    row_number         INTEGER
);
INSERT INTO performance_v5 SELECT * FROM performance;
DROP TABLE performance;
ALTER TABLE performance_v5 RENAME TO performance;

CREATE TABLE assessment_v5 (
    nip                   VARCHAR NOT NULL,
    tahun                 INTEGER NOT NULL,
    jpm                   DOUBLE,
    nilai_potensi         DOUBLE,
    nilai_manajerial      DOUBLE,
    nilai_sosial_kultural DOUBLE,
    nilai_teknis          DOUBLE,
    kategori_jpm          VARCHAR,
    rekomendasi_asesmen   VARCHAR,
    batch_id              INTEGER NOT NULL,
    row_number            INTEGER
);
INSERT INTO assessment_v5 SELECT * FROM assessment;
DROP TABLE assessment;
ALTER TABLE assessment_v5 RENAME TO assessment;

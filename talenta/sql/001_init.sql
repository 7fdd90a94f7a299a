-- 001: the core tables. Later migrations add tables; they do not reshape these.
CREATE SEQUENCE IF NOT EXISTS seq_batch START 1;

CREATE TABLE IF NOT EXISTS import_batch (
    batch_id        INTEGER PRIMARY KEY,
    file_name       VARCHAR NOT NULL,
    file_sha256     VARCHAR NOT NULL,
    sheet           VARCHAR,
    kinds           VARCHAR[] NOT NULL,
    period          INTEGER,
    rows_read       INTEGER NOT NULL,
    rows_accepted   INTEGER NOT NULL,
    rows_rejected   INTEGER NOT NULL,
    rows_skipped    INTEGER NOT NULL DEFAULT 0,
    header_mapping  JSON,
    unknown_columns VARCHAR[],
    imported_at     TIMESTAMP NOT NULL,
    imported_by     VARCHAR,
    undone_at       TIMESTAMP,
    undone_by       VARCHAR
);

-- Current values, one row per key: what every query reads.
CREATE TABLE IF NOT EXISTS employee (
    nip            VARCHAR PRIMARY KEY,
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

CREATE TABLE IF NOT EXISTS performance (
    nip                VARCHAR NOT NULL,
    tahun              INTEGER NOT NULL,
    predikat           VARCHAR,
    rating_hasil_kerja VARCHAR,
    rating_perilaku    VARCHAR,
    nilai_kinerja      DOUBLE,
    batch_id           INTEGER NOT NULL,
    row_number         INTEGER,
    PRIMARY KEY (nip, tahun)
);

CREATE TABLE IF NOT EXISTS assessment (
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
    row_number            INTEGER,
    PRIMARY KEY (nip, tahun)
);

-- Further assessment aspects (BKN potensi aspects and others) as long rows: new aspects need no
-- new columns.
CREATE TABLE IF NOT EXISTS assessment_aspect (
    nip      VARCHAR NOT NULL,
    tahun    INTEGER NOT NULL,
    aspek    VARCHAR NOT NULL,
    nilai    DOUBLE,
    batch_id INTEGER NOT NULL,
    PRIMARY KEY (nip, tahun, aspek)
);

-- Every accepted row of every batch, so that undoing a batch restores what it replaced.
CREATE TABLE IF NOT EXISTS employee_history AS SELECT * FROM employee WHERE false;
CREATE TABLE IF NOT EXISTS performance_history AS SELECT * FROM performance WHERE false;
CREATE TABLE IF NOT EXISTS assessment_history AS SELECT * FROM assessment WHERE false;

CREATE TABLE IF NOT EXISTS rejected_row (
    batch_id     INTEGER NOT NULL,
    file_name    VARCHAR NOT NULL,
    sheet        VARCHAR,
    row_number   INTEGER NOT NULL,
    kinds        VARCHAR,
    nip          VARCHAR,
    reason_codes VARCHAR[] NOT NULL,
    columns      VARCHAR[],
    message      VARCHAR NOT NULL,
    original     JSON
);

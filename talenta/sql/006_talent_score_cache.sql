-- 006: scores of the whole population under one (rule values, period, data version), kept so that
-- aggregates (nine-box counts, pool per group, summary) scan one narrow, join-free table instead of
-- re-scoring millions of SKP and assessment rows on every request. A key is never updated: new data
-- (any import or undo) or other rule values give a new key; old keys are dropped (talentmap.py).
CREATE TABLE IF NOT EXISTS talent_score (
    cache_key              VARCHAR NOT NULL,
    nip                    VARCHAR NOT NULL,
    nama                   VARCHAR,
    gelar_depan            VARCHAR,
    gelar_belakang         VARCHAR,
    instansi               VARCHAR,
    opd                    VARCHAR,
    unit_kerja             VARCHAR,
    jenis_asn              VARCHAR,
    jenis_kelamin          VARCHAR,
    tanggal_lahir          DATE,
    jenis_jabatan          VARCHAR,
    jabatan                VARCHAR,
    eselon                 VARCHAR,
    golongan               VARCHAR,
    pendidikan             VARCHAR,
    tmt_cpns               DATE,
    skor_kinerja           DOUBLE,
    dasar_kinerja          VARCHAR,
    tahun_asesmen          INTEGER,
    jpm                    DOUBLE,
    tahun_asesmen_terakhir INTEGER,
    skor_potensial         DOUBLE,
    kin_level              INTEGER,
    pot_level              INTEGER,
    kotak                  INTEGER,
    alasan_kinerja         VARCHAR,
    alasan_potensial       VARCHAR
);

CREATE TABLE IF NOT EXISTS talent_score_key (
    cache_key    VARCHAR PRIMARY KEY,
    period       INTEGER NOT NULL,
    data_version VARCHAR NOT NULL,
    rules        JSON NOT NULL,
    n            BIGINT NOT NULL,
    seconds      DOUBLE NOT NULL,
    built_at     TIMESTAMP NOT NULL
);

-- 014: the fitted high-potential model of the latest period, stored by the write path (hipo.build_latest, run by
-- derived.refresh after an import, an undo or a rule-set activation) so that the Potensi Tinggi page, the CLI
-- `hipo`, the exports and the profile read it instead of refitting per server process (71 s at 5,6M).
-- One key per (fitted instansi, period, data version, rule values, model parameters); a key is never updated.
-- hipo_result holds hipo.fit's table row for row (features, cluster, flag, confidence, stability, reasons,
-- status); hipo_result_key holds the model's own figures (k, BIC per k, ARI ...) and the fit metadata.
-- Bounded like the score cache: the rows of the few most recent builds are kept (hipo.RESULT_BUILDS_KEPT).
CREATE TABLE IF NOT EXISTS hipo_result_key (
    result_key   VARCHAR PRIMARY KEY,
    build        VARCHAR NOT NULL,     -- (period, data version, rule values, parameters): one builder run
    instansi     JSON NOT NULL,        -- the fitted instansi (sorted list), or null: every instansi
    covers       JSON NOT NULL,        -- the instansi the fitted population holds (sorted list)
    period       INTEGER NOT NULL,
    data_version VARCHAR NOT NULL,
    rules_hash   VARCHAR NOT NULL,     -- sha256 of RuleSet.to_json()
    params       JSON NOT NULL,        -- HipoParams as JSON
    model        JSON NOT NULL,        -- k, bic, ari, hipo_clusters, n_fit, features_used, n_population
    n            BIGINT NOT NULL,
    seconds      DOUBLE NOT NULL,
    built_at     TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS hipo_result (
    result_key            VARCHAR NOT NULL,
    nip                   VARCHAR NOT NULL,
    nama                  VARCHAR,
    instansi              VARCHAR,
    opd                   VARCHAR,
    jenis_jabatan         VARCHAR,
    jenis_asn             VARCHAR,
    jabatan               VARCHAR,
    kotak                 INTEGER,
    skor_kinerja          DOUBLE,
    jpm_raw               DOUBLE,
    jpm                   DOUBLE,
    nilai_potensi         DOUBLE,
    nilai_manajerial      DOUBLE,
    nilai_sosial_kultural DOUBLE,
    nilai_teknis          DOUBLE,
    tren_kinerja          DOUBLE,
    cluster               BIGINT NOT NULL,
    hipo                  BOOLEAN NOT NULL,
    confidence            DOUBLE,
    stability             DOUBLE,
    perlu_kajian          BOOLEAN NOT NULL,
    alasan                VARCHAR,
    status                VARCHAR NOT NULL
);

-- 019: what the Potensi Tinggi page counts over a stored model (sql/014), stored with each key by the write path
-- (hipo.store_fit) per combination of the filter columns (scope.FILTER_COLUMNS: instansi, opd, jenis_jabatan,
-- jenis_asn), so that every view (the operator, tamu, an OPD or instansi account, any sidebar filter) adds up the
-- stored rows its limits select (hipo._stored_where) instead of grouping the key's rows (3,56M at 5,6M: 0,2-0,4 s
-- CPU per page visit).
-- hipo_result_group: hipo._VIEW_GROUPS, one row per (cluster, box, scatter cell, flag, review, status) with its
-- count; hipo_result_sum: per cluster the exact sum (DECIMAL) and the count of the values of every feature, so that
-- the cluster means of any selection are sum / count whatever combinations it adds up (hipo._means_sql).
-- whole = false: those rows per combination of filter values the key's rows have; whole = true: the key's totals,
-- added up from them (filter columns NULL), what a view without any limit reads (a few hundred rows).
-- The combinations are stored by (result_key, opd), the totals after them: an OPD limit reads its OPD's row groups.
-- A key without rows here (stored by an older writer) is grouped at read time, as before.
CREATE TABLE IF NOT EXISTS hipo_result_group (
    result_key    VARCHAR NOT NULL,
    whole         BOOLEAN NOT NULL,    -- the key's totals (filter columns NULL), else one combination of them
    instansi      VARCHAR,
    opd           VARCHAR,
    jenis_jabatan VARCHAR,
    jenis_asn     VARCHAR,
    cluster       BIGINT NOT NULL,
    kotak         INTEGER NOT NULL,    -- 0: belum terpetakan
    x             DOUBLE,              -- jpm rounded to the scatter's cell (hipo.CELL_JPM), half to even
    y             DOUBLE,              -- skor_kinerja rounded to hipo.CELL_KINERJA, half to even
    hipo          BOOLEAN NOT NULL,
    perlu_kajian  BOOLEAN NOT NULL,
    flag_verify   BOOLEAN NOT NULL,    -- status = 'perlu verifikasi' (hipo.STATUS_VERIFY)
    n             BIGINT NOT NULL
);

-- per feature (hipo.FEATURES) its sum (values cast to DECIMAL(38, 10): exact, so sums of sums are the sum) and
-- n_<feature>, how many values are not NULL (the mean's divisor, as avg counts)
CREATE TABLE IF NOT EXISTS hipo_result_sum (
    result_key              VARCHAR NOT NULL,
    whole                   BOOLEAN NOT NULL,
    instansi                VARCHAR,
    opd                     VARCHAR,
    jenis_jabatan           VARCHAR,
    jenis_asn               VARCHAR,
    cluster                 BIGINT NOT NULL,
    skor_kinerja            DECIMAL(38, 10),
    n_skor_kinerja          BIGINT NOT NULL,
    tren_kinerja            DECIMAL(38, 10),
    n_tren_kinerja          BIGINT NOT NULL,
    jpm                     DECIMAL(38, 10),
    n_jpm                   BIGINT NOT NULL,
    nilai_potensi           DECIMAL(38, 10),
    n_nilai_potensi         BIGINT NOT NULL,
    nilai_manajerial        DECIMAL(38, 10),
    n_nilai_manajerial      BIGINT NOT NULL,
    nilai_sosial_kultural   DECIMAL(38, 10),
    n_nilai_sosial_kultural BIGINT NOT NULL,
    nilai_teknis            DECIMAL(38, 10),
    n_nilai_teknis          BIGINT NOT NULL
);

-- the keys stored before this migration: the same statements as the write path's (hipo._STORE_GROUPS: tested),
-- the combinations first (by OPD), then each key's totals added up from them
INSERT INTO hipo_result_group BY NAME
SELECT result_key, false AS whole, instansi, opd, jenis_jabatan, jenis_asn, cluster, kotak, x, y, hipo, perlu_kajian,
       flag_verify, count(*) AS n
FROM (SELECT result_key, instansi, opd, jenis_jabatan, jenis_asn, cluster, coalesce(kotak, 0) AS kotak,
             round_even(jpm / 2, 0) * 2 AS x, round_even(skor_kinerja / 5, 0) * 5 AS y, hipo, perlu_kajian,
             status = 'perlu verifikasi' AS flag_verify
      FROM hipo_result WHERE result_key IN (SELECT result_key FROM hipo_result_key))
GROUP BY ALL ORDER BY result_key, opd;

INSERT INTO hipo_result_group BY NAME
SELECT result_key, true AS whole, cluster, kotak, x, y, hipo, perlu_kajian, flag_verify, sum(n) AS n
FROM hipo_result_group WHERE NOT whole GROUP BY ALL ORDER BY ALL;

INSERT INTO hipo_result_sum BY NAME
SELECT result_key, false AS whole, instansi, opd, jenis_jabatan, jenis_asn, cluster,
       sum(skor_kinerja::DECIMAL(38, 10)) AS skor_kinerja, count(skor_kinerja) AS n_skor_kinerja,
       sum(tren_kinerja::DECIMAL(38, 10)) AS tren_kinerja, count(tren_kinerja) AS n_tren_kinerja,
       sum(jpm::DECIMAL(38, 10)) AS jpm, count(jpm) AS n_jpm,
       sum(nilai_potensi::DECIMAL(38, 10)) AS nilai_potensi, count(nilai_potensi) AS n_nilai_potensi,
       sum(nilai_manajerial::DECIMAL(38, 10)) AS nilai_manajerial, count(nilai_manajerial) AS n_nilai_manajerial,
       sum(nilai_sosial_kultural::DECIMAL(38, 10)) AS nilai_sosial_kultural,
       count(nilai_sosial_kultural) AS n_nilai_sosial_kultural,
       sum(nilai_teknis::DECIMAL(38, 10)) AS nilai_teknis, count(nilai_teknis) AS n_nilai_teknis
FROM hipo_result WHERE result_key IN (SELECT result_key FROM hipo_result_key)
GROUP BY ALL ORDER BY result_key, opd;

INSERT INTO hipo_result_sum BY NAME
SELECT result_key, true AS whole, cluster,
       sum(skor_kinerja) AS skor_kinerja, sum(n_skor_kinerja) AS n_skor_kinerja,
       sum(tren_kinerja) AS tren_kinerja, sum(n_tren_kinerja) AS n_tren_kinerja,
       sum(jpm) AS jpm, sum(n_jpm) AS n_jpm,
       sum(nilai_potensi) AS nilai_potensi, sum(n_nilai_potensi) AS n_nilai_potensi,
       sum(nilai_manajerial) AS nilai_manajerial, sum(n_nilai_manajerial) AS n_nilai_manajerial,
       sum(nilai_sosial_kultural) AS nilai_sosial_kultural, sum(n_nilai_sosial_kultural) AS n_nilai_sosial_kultural,
       sum(nilai_teknis) AS nilai_teknis, sum(n_nilai_teknis) AS n_nilai_teknis
FROM hipo_result_sum WHERE NOT whole GROUP BY ALL ORDER BY ALL;

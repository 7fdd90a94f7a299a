-- 019: what the Potensi Tinggi page counts over a whole stored model (sql/014), stored with each key by the write
-- path (hipo.store_fit) so that a view that selects every row of the key (the operator, tamu, any account without
-- an OPD or instansi limit and without sidebar filters) reads a few hundred rows instead of grouping the key's
-- rows (3,56M at 5,6M: 0,3-0,4 s CPU per page visit). A filtered or OPD-limited view groups its rows as before.
-- hipo_result_group: hipo._VIEW_GROUPS over the key, one row per (cluster, box, scatter cell, flag, review, status)
-- with its count; hipo_result_mean: the mean of every feature per cluster (the page's cluster profiles).
-- A key without rows here (stored by an older writer) is grouped at read time, as before.
CREATE TABLE IF NOT EXISTS hipo_result_group (
    result_key   VARCHAR NOT NULL,
    cluster      BIGINT NOT NULL,
    kotak        INTEGER NOT NULL,     -- 0: belum terpetakan
    x            DOUBLE,               -- jpm rounded to the scatter's cell (hipo.CELL_JPM), half to even
    y            DOUBLE,               -- skor_kinerja rounded to hipo.CELL_KINERJA, half to even
    hipo         BOOLEAN NOT NULL,
    perlu_kajian BOOLEAN NOT NULL,
    flag_verify  BOOLEAN NOT NULL,     -- status = 'perlu verifikasi' (hipo.STATUS_VERIFY)
    n            BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS hipo_result_mean (
    result_key            VARCHAR NOT NULL,
    cluster               BIGINT NOT NULL,
    skor_kinerja          DOUBLE,
    tren_kinerja          DOUBLE,
    jpm                   DOUBLE,
    nilai_potensi         DOUBLE,
    nilai_manajerial      DOUBLE,
    nilai_sosial_kultural DOUBLE,
    nilai_teknis          DOUBLE
);

-- the keys stored before this migration (the same SQL as hipo._GROUPS_INSERT and hipo._MEANS_INSERT: tested)
INSERT INTO hipo_result_group
SELECT result_key, cluster, coalesce(kotak, 0) AS kotak, round_even(jpm / 2, 0) * 2 AS x,
       round_even(skor_kinerja / 5, 0) * 5 AS y, hipo, perlu_kajian, status = 'perlu verifikasi' AS flag_verify,
       count(*) AS n
FROM hipo_result WHERE result_key IN (SELECT result_key FROM hipo_result_key) GROUP BY ALL;

INSERT INTO hipo_result_mean
SELECT result_key, cluster, avg(skor_kinerja), avg(tren_kinerja), avg(jpm), avg(nilai_potensi), avg(nilai_manajerial),
       avg(nilai_sosial_kultural), avg(nilai_teknis)
FROM hipo_result WHERE result_key IN (SELECT result_key FROM hipo_result_key) GROUP BY ALL;

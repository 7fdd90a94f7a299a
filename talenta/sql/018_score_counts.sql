-- 018: each score-cache entry's counts per (instansi, opd, jenis_jabatan, jenis_asn, kotak, alasan_kode, and the
-- three coverage flags of the Data page), built with the entry by the write path (population.build_counts). The
-- talent map's figures, the pool per OPD, instansi, jenis jabatan or jenis ASN, Ringkasan's trend, the coverage
-- per OPD and every sentence built on them are sums over these rows (about half a million at 5,6M instead of 5,6M
-- employees) for any scope and sidebar filter. talent_score_key.counted
-- says an entry's counts are there; entries built before this table existed are counted by the next refresh,
-- and until then (or on a read-only copy of an older writer) the readers count the entry itself, as before.
-- The calibrated box moves employees between boxes: a basis that reads calibration moves counts the entry.
CREATE TABLE IF NOT EXISTS talent_score_count (
    cache_key VARCHAR NOT NULL,
    instansi VARCHAR,
    opd VARCHAR,
    jenis_jabatan VARCHAR,
    jenis_asn VARCHAR,
    kotak INTEGER,
    alasan_kode UTINYINT,
    ada_kinerja BOOLEAN,            -- overview._COVERAGE_CACHED's flags
    ada_asesmen BOOLEAN,
    asesmen_kedaluwarsa BOOLEAN,
    n BIGINT NOT NULL
);
-- The same per unit kerja of each OPD, without the jenis columns (the pool by unit kerja, an OPD account's
-- Ringkasan ranking, when no jenis filter is set): about 1,3 million rows per period at 5,6M.
CREATE TABLE IF NOT EXISTS talent_score_count_unit (
    cache_key VARCHAR NOT NULL,
    instansi VARCHAR,
    opd VARCHAR,
    unit_kerja VARCHAR,
    kotak INTEGER,
    alasan_kode UTINYINT,
    n BIGINT NOT NULL
);
ALTER TABLE talent_score_key ADD COLUMN IF NOT EXISTS counted BOOLEAN;

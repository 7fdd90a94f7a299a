-- 017: the population's filter combinations, built by the write path (population.build_groups) after every
-- import and undo: one row per (instansi, opd, jenis_jabatan, jenis_asn) with its number of employees, for the
-- data version it was counted on. The sidebar's filter options and the instansi an OPD-limited account's
-- high-potential model is fitted on read these rows (127.353 at 5,6M: 400 instansi) instead of scanning the 5,6M-row employee master;
-- without a row of the current data version the readers scan the master as before.
CREATE TABLE IF NOT EXISTS population_group (
    data_version VARCHAR NOT NULL,
    instansi VARCHAR,
    opd VARCHAR,
    jenis_jabatan VARCHAR,
    jenis_asn VARCHAR,
    n BIGINT NOT NULL
);

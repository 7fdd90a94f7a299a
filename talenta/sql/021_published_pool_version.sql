-- 021: the published pool tables (sql/020) keyed also by the code that built them (pool.published_version: a hash
-- of the suppression's and the counts' source and the numeric libraries), so that an upgrade that changes the
-- suppression never serves a table the new code would not publish; and by the calibration stamp of closes and
-- reopens only (population.closed_stamp: what the basis otomatis shows; a move in an open session leaves it).
-- Stored as plain arrays (one decode is a few NumPy views, not an Arrow IPC stream with pandas metadata per table).
-- The tables are derived: the next refresh (or the dashboard's start) builds them again.
DROP TABLE IF EXISTS published_pool;
CREATE TABLE published_pool (
    cache_key  VARCHAR NOT NULL,     -- talent_score_key.cache_key (rule values, period, data version)
    stamp      BIGINT NOT NULL,      -- population.closed_stamp of the period when it was built
    scope_key  VARCHAR NOT NULL,     -- pool.scope_key: the account's instansi limits ('*': every instansi)
    grouping   VARCHAR NOT NULL,     -- pool_table's ``by``
    threshold  INTEGER NOT NULL,     -- the small-group threshold it was suppressed at
    version    VARCHAR NOT NULL,     -- pool.published_version() of the code that built it
    groups     JSON NOT NULL,        -- the groups in the table's order (pool.POOL_COLUMNS "group")
    counts     BLOB NOT NULL,        -- int64, groups x pool.CELLS, row by row: the counts before suppression
    hidden     BLOB NOT NULL,        -- uint8, the same shape: 1 where the suppressed table hides the count
    shares     BLOB NOT NULL,        -- float64, groups x 2: krs_persen as shown (NaN when hidden), and true
    raw        JSON NOT NULL,        -- the talent map's figures it adds up to (privacy.MAP_KEYS)
    built_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (cache_key, stamp, scope_key, grouping, threshold, version)
);

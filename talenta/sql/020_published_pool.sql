-- 020: the pool table per OPD as a masked view publishes it (privacy.suppress_pool: counts, hidden cells and the
-- talent map it adds up to), built by the write path (pool.build_published) for the views without a sidebar
-- filter: a guest screen or a presentation reads the table instead of suppressing it on every first visit.
-- One row per (score-cache entry, calibration stamp, account limits, grouping, threshold). A view whose key is
-- missing here (another stamp after a calibration move, a new account's instansi, a sidebar filter) is
-- suppressed at read time, as before, by the same function: the stored table is what the reader would compute.
CREATE TABLE IF NOT EXISTS published_pool (
    cache_key  VARCHAR NOT NULL,     -- talent_score_key.cache_key (rule values, period, data version)
    stamp      BIGINT NOT NULL,      -- population.calibration_stamp of the period when it was built
    scope_key  VARCHAR NOT NULL,     -- pool.scope_key: the account's instansi limits ('*': every instansi)
    grouping   VARCHAR NOT NULL,     -- pool_table's ``by``
    threshold  INTEGER NOT NULL,     -- the small-group threshold it was suppressed at
    shown      BLOB NOT NULL,        -- the suppressed table (Arrow IPC stream, pool.POOL_COLUMNS)
    counts     BLOB NOT NULL,        -- its counts before suppression, same order (never shown: fairness.check)
    raw        JSON NOT NULL,        -- the talent map's figures it adds up to (privacy.MAP_KEYS)
    built_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (cache_key, stamp, scope_key, grouping, threshold)
);

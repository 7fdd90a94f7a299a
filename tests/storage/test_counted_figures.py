"""The masked path counts the talent map once per (group, box, reason) and sums those rows
(``talentmap.counted_figures_sql``): the same numbers as one filtered count per figure (``figure_sql``), for
the whole map and per group of every grouping, on the score cache and scored live."""
import pandas as pd
import pytest

from talenta import access, pool, population, privacy, rulesets, store, talentmap
from talenta.scope import Filters, Scope


@pytest.fixture(scope="module", params=["cache", "live"])
def demo(request, demo_db_file, tmp_path_factory):
    import shutil

    path = tmp_path_factory.mktemp("counted") / "t.duckdb"
    shutil.copy(demo_db_file, path)
    con = store.connect(path, read_only=request.param == "live")     # read-only: no score cache, scored live
    yield con, rulesets.active(con)
    con.close()


def _scopes(con):
    opd = store.query_one(con, "SELECT opd FROM employee GROUP BY opd ORDER BY count(*), opd LIMIT 1")[0]
    return [Scope(mask_identity=True, min_group=5),
            access.scope_for(access.User("b", "b", "opd", opd=(opd,)), presentation=True, min_group=5)]


def _filtered(con, scope, filters, rs, group=None):
    cols = ", ".join(talentmap.figure_sql(k) + " AS " + k for k in privacy.MAP_KEYS)
    sql = ("SELECT " + group + " AS \"group\", " + cols + " FROM final e GROUP BY ALL") if group else \
        ("SELECT " + cols + " FROM final")
    return population.query(con, scope, filters, rs, sql, talentmap.KRS_PARAMS)


def _counted(con, scope, filters, rs, group=None):
    return population.query(con, scope, filters, rs,
                            talentmap.counted_figures_sql(privacy.MAP_KEYS, group), talentmap.KRS_PARAMS)


@pytest.mark.parametrize("filters", [Filters(period=2025), Filters(period=2024, basis="terhitung")])
def test_counted_map_figures_equal_the_filtered_counts(demo, filters):
    con, rs = demo
    for scope in _scopes(con):
        a, b = _filtered(con, scope, filters, rs), _counted(con, scope, filters, rs)
        assert a.astype("int64").iloc[0].to_dict() == b.astype("int64").iloc[0].to_dict()
        assert b.iloc[0]["pegawai"] > 0


@pytest.mark.parametrize("by", list(pool.GROUPINGS))
def test_counted_figures_per_group_equal_the_filtered_counts(demo, by):
    con, rs = demo
    filters = Filters(period=2025)
    for scope in _scopes(con):
        a = _filtered(con, scope, filters, rs, pool.group_sql(by)).sort_values("group").reset_index(drop=True)
        b = _counted(con, scope, filters, rs, pool.group_sql(by)).sort_values("group").reset_index(drop=True)
        assert list(a["group"]) == list(b["group"]) and len(a) > 0
        keys = list(privacy.MAP_KEYS)
        pd.testing.assert_frame_equal(a[keys].astype("int64"), b[keys].astype("int64"))


@pytest.mark.parametrize("by", ["jenis_kelamin", "golongan", "jenis_asn", "opd"])
def test_masked_fairness_from_the_pool_scan_equals_the_separate_count(demo, by):
    """Without a pool table the masked check reads the boxes per group from the pool's own scan; given one, it
    counts them in a query of its own: the same table, merged groups and words either way."""
    from talenta import fairness

    con, rs = demo
    filters = Filters(period=2025)
    for scope in _scopes(con):
        one_scan = fairness.check(con, scope, filters.at(2025), rs, by)
        separate = fairness.check(con, scope, filters.at(2025), rs, by,
                                  pool_table=pool.pool_table(con, scope, filters.at(2025), rs, by))
        pd.testing.assert_frame_equal(one_scan.table, separate.table)
        pd.testing.assert_frame_equal(one_scan.boxes, separate.boxes)
        assert (one_scan.merged, one_scan.hidden, one_scan.sentence) == (separate.merged, separate.hidden,
                                                                         separate.sentence)


def _pool_agrees_with_the_filtered_counts(con, rs, scope, filters, by):
    """The masked pool's unsuppressed counts per group (added up from the counts per group, box and reason) are the
    filtered counts per group, and the talent map it keeps for the page is the filtered map."""
    talentmap.forget_figures()
    shown, counts = pool.pool_with_counts(con, scope, filters, rs, by)
    expected = _filtered(con, scope, filters, rs, pool.grouping(con, scope, filters, by)).set_index("group")
    assert sorted(counts["group"]) == sorted(expected.index) and len(counts) > 0
    cols = ["total", *pool.BOX_COLS, "belum_terpetakan", "krs"]
    got = counts.set_index("group")[cols].astype("int64")
    want = expected.rename(columns={"pegawai": "total"}).loc[got.index, cols].astype("int64")
    pd.testing.assert_frame_equal(got, want)
    assert list(shown["group"]) == list(counts["group"])
    whole = _filtered(con, scope, filters, rs).astype("int64").iloc[0].to_dict()
    assert talentmap.raw_figures(con, scope, filters, rs) == whole


@pytest.mark.parametrize("by", list(pool.GROUPINGS))
def test_the_masked_pool_counts_per_group_equal_the_filtered_counts(demo, by):
    con, rs = demo
    for filters in (Filters(period=2025), Filters(period=2024, basis="terhitung")):
        for scope in _scopes(con):
            _pool_agrees_with_the_filtered_counts(con, rs, scope, filters, by)


def test_the_masked_pool_counts_follow_calibration_moves(db_copy):
    """With moves of the Komite Talenta the calibrated basis counts the calibrated boxes, per group as in the map."""
    from talenta import accounts, actions

    con = store.connect(db_copy)
    rs = rulesets.active(con)
    placed = talentmap.placements(con, Scope(), Filters(period=2025, basis="terhitung").at(2025), rs, placed=True)
    komite = accounts.active_user(con, "komite")
    for _, p in placed.head(6).iterrows():
        actions.calibrate(con, komite, Scope(), 2025, rs, p["nip"], 9 if p["kotak"] != 9 else 1, "wawancara", "uji")
    for basis in ("terkalibrasi", "otomatis", "terhitung"):
        for by in ("opd", "golongan"):
            for scope in _scopes(con):
                _pool_agrees_with_the_filtered_counts(con, rs, scope, Filters(period=2025, basis=basis), by)
    moved = talentmap.raw_figures(con, Scope(), Filters(period=2025, basis="terkalibrasi").at(2025), rs)
    assert moved != talentmap.raw_figures(con, Scope(), Filters(period=2025, basis="terhitung").at(2025), rs)
    con.close()

"""Scoring live (no score-cache entry), a page's counts come from one scoring pass per (scope, filters):
``population.live_counts`` counts the employees per the stored counts' dimensions and every count is summed
from those rows. They must equal a direct count over ``final``, follow a change of the data, never mix two
scopes, and the talent map plus the pool per OPD must cost one scoring pass, not two."""
import shutil

import pandas as pd
import pytest

from talenta import access, overview, pool, population, rulesets, store, talentmap
from talenta.scope import Filters, Scope


@pytest.fixture(scope="module")
def live(demo_db_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("live") / "t.duckdb"
    shutil.copy(demo_db_file, path)
    con = store.connect(path, read_only=True)
    yield con, rulesets.active(con)
    con.close()


def _scopes(con):
    opd = store.query_one(con, "SELECT opd FROM employee GROUP BY opd ORDER BY count(*) DESC, opd LIMIT 1")[0]
    return [Scope(), access.scope_for(access.User("o", "o", "opd", opd=(opd,)), presentation=False, min_group=5),
            Scope(mask_identity=True, min_group=5)]


def _filters(con):
    opds = [r[0] for r in store.query_df(con, "SELECT DISTINCT opd FROM employee ORDER BY 1 LIMIT 2").itertuples(
        index=False)]
    return [Filters(period=2025), Filters(period=2024, basis="terhitung"), Filters(period=2025, opd=tuple(opds)),
            Filters(period=2025, jenis_jabatan=("Fungsional",))]


def _direct(con, scope, filters, rs, group, dims):
    sel = ("SELECT " + (group + ' AS "group", ' if group else "") + ", ".join(f"{population.COVERAGE_FLAGS.get(d, d)}"
                                                                          f" AS {d}" for d in dims) +
           ", count(*) AS n FROM final e GROUP BY ALL")
    with population.scoring_live():
        return population.query(con, scope, filters, rs, sel)


def _sorted(df, cols):
    return df[cols].astype({"n": "int64"}).sort_values(cols[:-1], na_position="first").reset_index(drop=True)


@pytest.mark.parametrize("by", ["opd", "instansi", "jenis_jabatan", "jenis_asn", None])
def test_live_counts_equal_a_direct_count(live, by):
    con, rs = live
    group = pool.group_sql(by) if by else None
    for dims in (("kotak", "alasan_kode"), ("opd", *population.COVERAGE_FLAGS)):
        for scope in _scopes(con):
            for filters in _filters(con):
                population.forget_live_counts()
                got = population.counts(con, scope, filters, None, group=group, dims=dims, rs=rs)
                want = _direct(con, scope, filters, rs, group, dims)
                cols = (["group"] if group else []) + list(dims) + ["n"]
                assert len(want) > 0 or not scope.unlimited or filters.jenis_jabatan
                pd.testing.assert_frame_equal(_sorted(got, cols), _sorted(want, cols), check_dtype=False)


def test_without_a_rule_set_or_per_unit_kerja_the_caller_counts_itself(live):
    con, rs = live
    f = Filters(period=2025)
    assert population.counts(con, Scope(), f.at(2025), None) is None
    assert population.counts(con, Scope(), f.at(2025), None, group="e.unit_kerja", unit=True, rs=rs) is None


def test_the_map_and_the_pool_cost_one_scoring_pass(live, monkeypatch):
    con, rs = live
    passes = []
    real = population.chain
    monkeypatch.setattr(population, "chain", lambda *a, **k: passes.append(a) or real(*a, **k))
    for scope in _scopes(con):
        talentmap.forget_figures()
        passes.clear()
        f = Filters(period=2025)
        with population.scoring_live():
            boxes = talentmap.box_counts(con, scope, f.at(2025), rs)
            table = pool.pool_table(con, scope, f.at(2025), rs, "opd")
            cover = overview.coverage_summary(con, scope, f.at(2025), rs)
        assert len(passes) == 1, (scope, len(passes))
        if not scope.min_group:           # (suppressed totals do not add up)
            assert int(table["total"].sum()) == cover["pegawai"]
            assert int(boxes["n"].sum()) == int(table[pool.BOX_COLS].sum().sum())


def test_live_counts_follow_the_data_and_keep_scopes_apart(db_copy):
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    f = Filters(period=2025)
    with population.scoring_live():
        everyone = talentmap.raw_figures(con, Scope(), f.at(2025), rs)
        opd_scope = _scopes(con)[1]
        own = talentmap.raw_figures(con, opd_scope, f.at(2025), rs)
        assert own["pegawai"] < everyone["pegawai"]
        assert talentmap.raw_figures(con, Scope(), f.at(2025), rs) == everyone       # kept: the same numbers
        # a new employee without records: one more unplaced, and the kept counts are not served again
        row = store.query_df(con, "SELECT * FROM employee LIMIT 1")
        row["nip"] = "199001012020011999"
        with store.transaction(con) as cur:
            cur.register("r", row)
            cur.execute("INSERT INTO employee SELECT * FROM r")
        after = talentmap.raw_figures(con, Scope(), f.at(2025), rs)
    assert after["pegawai"] == everyone["pegawai"] + 1
    assert after["belum_terpetakan"] == everyone["belum_terpetakan"] + 1
    con.close()

"""An OPD is an office of one instansi (review 11, D1): over several instansi "Dinas Kesehatan" of each government is
its own row, labelled with its instansi, in the pool table, the rankings, the movement, the fairness test, the
tables published to masked views and a group's list; a unit kerja is a unit of one OPD. A view of one instansi keeps
the plain names. The grouping by name used to add up the offices of every instansi into one row."""
from __future__ import annotations

import shutil

import pytest

from talenta import fairness, pool, population, privacy, rulesets, store
from talenta.scope import Filters, Scope


@pytest.fixture(scope="module")
def two(two_instansi_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("two") / "t.duckdb"
    shutil.copy(two_instansi_file, path)          # a copy: the tests publish tables into it
    con = store.connect(path)
    period = int(store.query_one(con, "SELECT max(tahun) FROM performance")[0])
    yield con, period, rulesets.active(con)
    con.close()


def _employees(con, by_sql: str, where: str = "TRUE", params: dict | None = None) -> dict[str, int]:
    df = store.query_df(con, f"SELECT {by_sql} AS g, count(*) AS n FROM employee e WHERE {where} GROUP BY 1",
                        params or {})
    return dict(zip(df["g"], df["n"].astype(int)))


def test_the_pool_table_counts_each_instansi_office_apart(two):
    con, period, rs = two
    shared = store.query_df(con, "SELECT opd FROM employee GROUP BY opd HAVING count(DISTINCT instansi) = 2")["opd"]
    assert len(shared) > 10                 # the demo's two governments have offices of the same name
    table = pool.pool_table(con, Scope(), Filters(period=period).at(period), rs, "opd")
    want = _employees(con, "e.opd || ' (' || e.instansi || ')'")
    assert dict(zip(table["group"], table["total"].astype(int))) == want
    name = shared.iloc[0]
    assert not (table["group"] == name).any()                   # no row adds up both governments' office
    assert sum(g.startswith(name + " (") for g in table["group"]) == 2
    # one instansi chosen: the plain names, the same counts
    one = sorted(store.query_df(con, "SELECT DISTINCT instansi FROM employee")["instansi"])[0]
    chosen = pool.pool_table(con, Scope(), Filters(period=period, instansi=(one,)).at(period), rs, "opd")
    assert dict(zip(chosen["group"], chosen["total"].astype(int))) == _employees(
        con, "e.opd", "e.instansi = $i", {"i": one})
    # an account limited to that instansi: the same
    limited = pool.pool_table(con, Scope(instansi=frozenset({one})), Filters(period=period).at(period), rs, "opd")
    assert list(limited["group"]) == list(chosen["group"])


def test_an_opd_chosen_by_name_over_two_instansi_is_two_offices(two):
    """The sidebar's OPD filter picks a name: over two instansi that is two offices, ranked as OPD (a ranking of
    their unit kerja added up the two offices' units)."""
    con, period, rs = two
    name = store.query_df(con, "SELECT opd FROM employee GROUP BY opd HAVING count(DISTINCT instansi) = 2 "
                               "ORDER BY opd LIMIT 1")["opd"].iloc[0]
    flt = Filters(period=period, opd=(name,))
    assert pool.ranking_by(con, Scope(), flt) == "opd"
    table = pool.pool_table(con, Scope(), flt.at(period), rs, "opd")
    assert len(table) == 2 and all(g.startswith(name + " (") for g in table["group"])
    one = sorted(store.query_df(con, "SELECT DISTINCT instansi FROM employee")["instansi"])[0]
    assert pool.ranking_by(con, Scope(), Filters(period=period, opd=(name,), instansi=(one,))) == "unit_kerja"
    # a group's list: the people of that instansi's office only
    label = table["group"].iloc[0]
    people = pool.group_members(con, Scope(), flt.at(period), rs, "opd", label)
    inst = label[len(name) + 2:-1]
    assert len(people) == int(table["total"].iloc[0]) and set(people["instansi"]) == {inst}


def test_unit_kerja_is_a_unit_of_one_opd(two):
    con, period, rs = two
    table = pool.pool_table(con, Scope(), Filters(period=period).at(period), rs, "unit_kerja")
    want = _employees(con, "coalesce(e.unit_kerja, 'Tidak diisi') || ' (' || e.opd || ' · ' || e.instansi || ')'")
    assert dict(zip(table["group"], table["total"].astype(int))) == want
    label, total = table["group"].iloc[0], int(table["total"].iloc[0])     # a unit's list: that unit's people
    assert len(pool.group_members(con, Scope(), Filters(period=period).at(period), rs, "unit_kerja", label)) == total
    one = sorted(store.query_df(con, "SELECT DISTINCT instansi FROM employee")["instansi"])[0]
    within = pool.pool_table(con, Scope(), Filters(period=period, instansi=(one,)).at(period), rs, "unit_kerja")
    label, total = within["group"].iloc[-1], int(within["total"].iloc[-1])
    assert len(pool.group_members(con, Scope(), Filters(period=period, instansi=(one,)).at(period), rs, "unit_kerja",
                                  label)) == total
    assert dict(zip(within["group"], within["total"].astype(int))) == _employees(
        con, "coalesce(e.unit_kerja, 'Tidak diisi') || ' (' || e.opd || ')'", "e.instansi = $i", {"i": one})


def test_masked_and_published_tables_keep_the_offices_apart(two):
    """A masked view (the guest screen, presentation mode) reads what the write path published: per office too, and
    every shown count is the office's own."""
    con, period, rs = two
    masked = Scope(mask_identity=True, min_group=5, may_unmask=False)
    pool.build_published(con, 5)
    key, _stamp, closed = population.lookup_closed(con, Filters(period=period).at(period), rs)
    published = pool._read_published(con, key, closed, masked, Filters(period=period), "opd", 5)
    assert published is not None                        # what the view reads was built by the write path
    shown = pool.pool_table(con, masked, Filters(period=period).at(period), rs, "opd")
    assert list(shown["group"]) == list(published[0]["group"])
    want = _employees(con, "e.opd || ' (' || e.instansi || ')'")
    assert set(shown["group"]) == set(want)
    for g, total in zip(shown["group"], shown["total"]):
        assert privacy.hidden(total) or int(total) == want[g]


def test_movement_and_fairness_by_opd_keep_the_offices_apart(two):
    con, period, rs = two
    flt = Filters(period=period)
    moved = pool.movement_by_group(con, Scope(), flt, period - 1, period, rs, "opd")
    want = set(_employees(con, "e.opd || ' (' || e.instansi || ')'"))
    groups = set(moved.index if "group" not in moved.columns else moved["group"])
    assert len(groups) > 53 and groups <= want                 # 53 names, more offices
    table, _ = fairness.counts(con, Scope(), flt.at(period), rs, "opd")
    assert set(table["group"]) <= want and len(table) > 53


def test_a_masked_bench_reads_each_offices_krs_from_the_pool(two):
    """The succession-strength tab of a masked view hid every office's KRS over two instansi: it looked the pool's
    count up by the plain OPD name, which the pool no longer has (review 13, M2)."""
    con, period, rs = two
    masked = Scope(mask_identity=True, min_group=5, may_unmask=False)
    flt = Filters(period=period)
    pool_krs = pool.pool_table(con, masked, flt.at(period), rs, "opd").set_index("group")["krs"]
    bench = pool.bench_strength(con, masked, flt.at(period), rs)
    assert "pool_group" not in bench.columns
    shown = bench["krs"].notna().sum()
    assert shown > 0
    for _, r in bench[bench["krs"].notna()].iterrows():       # a shown count is the pool's own
        assert int(r["krs"]) == int(pool_krs[f"{r['opd']} ({r['instansi']})"])

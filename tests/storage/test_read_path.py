"""Reads never write (issue 13 item 2): the write path (import, undo, rule-set activation) builds the score
cache of the active rule set for every period, and the pages' reads only read it, also on a read-only copy."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from talenta import actions, derived, overview, pool, population, rulesets, store, talentmap
from talenta.access import OPERATOR
from talenta.rules import RuleSet
from talenta.scope import Filters, Scope
from tests.conftest import spy_calls


def _page_reads(con) -> dict:
    """What Ringkasan, Peta Talenta, Talent Pool and Data read for the latest period (and the trend)."""
    rs = rulesets.active(con)
    periods = overview.periods(con)
    t = periods[-1]
    s, f = Scope(), Filters(period=t)
    talentmap.forget_figures()
    return {
        "summary": talentmap.summary(con, s, f.at(t), rs),
        "boxes": talentmap.box_counts(con, s, f.at(t), rs),
        "unplaced": talentmap.unplaced_counts(con, s, f.at(t), rs),
        "placements": talentmap.placements(con, s, f.at(t), rs, kotak=9, limit=50),
        "pool": pool.pool_table(con, s, f.at(t), rs, "opd"),
        "trend": pool.trend(con, s, f, periods, rs),
        "bench": pool.bench_strength(con, s, f.at(t), rs, dt.date(t, 12, 31)),
        "movement": pool.movement(con, s, f, periods[-2], t, rs),
        "movement_by_group": pool.movement_by_group(con, s, f, periods[-2], t, rs, "golongan"),
        "coverage": overview.coverage_by_opd(con, s, f.at(t)),
        "coverage_summary": overview.coverage_summary(con, s, f.at(t)),
        "incomplete": overview.incomplete_employees(con, s, f.at(t), limit=100),
    }


def _same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        if isinstance(a[k], pd.DataFrame):
            pd.testing.assert_frame_equal(a[k].reset_index(drop=True), b[k].reset_index(drop=True), obj=k)
        else:
            assert a[k] == b[k], k


@pytest.fixture
def live_count(monkeypatch):
    """How many times a read scored live (built the scoring chain) instead of reading the cache."""
    return spy_calls(monkeypatch, population, "chain")


def _keys_of_active(con) -> set[int]:
    rs = rulesets.active(con)
    return {t for t in overview.periods(con) if population.cache_key(con, t, rs) is not None}


def _correction(tmp_path, con, n: int = 30):
    nips = store.query_df(con, "SELECT nip FROM performance WHERE tahun = 2025 ORDER BY nip LIMIT $n", {"n": n})["nip"]
    p = tmp_path / "koreksi_skp.csv"
    p.write_text("nip,tahun,predikat\n" + "".join(f"{x},2025,Sangat Kurang\n" for x in nips), encoding="utf-8")
    return p


def test_after_an_import_no_read_writes_or_scores_live(db_copy, tmp_path, live_count):
    con = store.connect(db_copy)
    r = actions.import_one(con, OPERATOR, _correction(tmp_path, con))
    assert r.accepted > 0
    assert _keys_of_active(con) == set(overview.periods(con))        # every period, built by the import
    live_count.clear()
    writer = _page_reads(con)
    assert live_count == []                                            # the pages only read the cache
    with population.scoring_live():                                    # and it holds what live scoring gives
        _same(_page_reads(con), writer)
    built = store.query_df(con, "SELECT * FROM talent_score_key ORDER BY cache_key")
    con.close()
    live_count.clear()
    ro = store.connect(db_copy, read_only=True)                        # a replica: any write would raise
    _same(_page_reads(ro), writer)
    assert live_count == []
    pd.testing.assert_frame_equal(store.query_df(ro, "SELECT * FROM talent_score_key ORDER BY cache_key"), built)
    ro.close()


def test_an_undo_rebuilds_the_entries_of_the_data_it_leaves(db_copy, tmp_path, live_count):
    con = store.connect(db_copy)
    before = _page_reads(con)
    r = actions.import_one(con, OPERATOR, _correction(tmp_path, con))
    assert _page_reads(con)["summary"] != before["summary"]
    actions.undo(con, OPERATOR, r.batch)
    assert _keys_of_active(con) == set(overview.periods(con))
    live_count.clear()
    _same(_page_reads(con), before)
    assert live_count == []
    con.close()


def test_activating_a_rule_set_builds_its_entries(db_copy, live_count):
    con = store.connect(db_copy)
    first = rulesets.active(con)
    strict = RuleSet(kinerja_atas=95.0, potensial_tinggi=95.0)
    saved = actions.save_rule_set(con, OPERATOR, strict, name="Ketat", note="uji")     # admin: saved and active
    assert rulesets.active(con).to_json() == saved.to_json()
    assert _keys_of_active(con) == set(overview.periods(con))
    live_count.clear()
    _page_reads(con)
    assert live_count == []
    first_id = int(store.query_one(con, "SELECT min(rule_set_id) FROM rule_set")[0])
    actions.activate_rule_set(con, OPERATOR, first_id)
    assert rulesets.active(con).to_json() == first.to_json()
    assert _keys_of_active(con) == set(overview.periods(con))
    n = store.query_one(con, "SELECT count(*) FROM talent_score_key")[0]
    assert n <= max(population.CACHE_KEYS_KEPT, len(overview.periods(con)) + 2)     # bounded
    con.close()


def test_a_failed_refresh_leaves_the_import_landed_and_reads_score_live(db_copy, tmp_path, monkeypatch, live_count):
    con = store.connect(db_copy)

    def broken(_con):
        raise RuntimeError("builder rusak")

    monkeypatch.setattr(population, "build_active", broken)
    p = _correction(tmp_path, con)
    r = actions.import_one(con, OPERATOR, p)                           # no exception: the import stands
    assert store.query_one(con, "SELECT count(*) FROM import_batch WHERE batch_id = $b AND undone_at IS NULL",
                           {"b": r.batch})[0] == 1
    assert _keys_of_active(con) == set()                               # nothing built for the new data
    got = _page_reads(con)
    assert live_count                                                  # the reads scored live ...
    with population.scoring_live():
        _same(got, _page_reads(con))                                   # ... and saw the new data
    con.close()


def test_a_group_import_refreshes_once(db_copy, tmp_path, monkeypatch):
    from talenta import cli

    con = store.connect(db_copy)
    a = _correction(tmp_path, con)
    b = tmp_path / "kedua.csv"
    b.write_text(a.read_text(encoding="utf-8").replace("Sangat Kurang", "Kurang"), encoding="utf-8")
    con.close()
    calls = []
    real = derived.refresh
    monkeypatch.setattr(derived, "refresh", lambda c: calls.append(1) or real(c))
    assert cli.main(["--db", str(db_copy), "import", str(a), str(b)]) == 0
    assert len(calls) == 1
    con = store.connect(db_copy)
    assert _keys_of_active(con) == set(overview.periods(con))
    con.close()


def test_the_data_pages_coverage_from_the_cache_is_the_live_one(db_copy, live_count):
    from talenta import access

    con = store.connect(db_copy)
    tamu = access.scope_for(access.User("t", "t", "tamu"), presentation=False, min_group=5)
    opd = store.query_one(con, "SELECT opd FROM employee GROUP BY opd ORDER BY count(*) DESC LIMIT 1")[0]
    for scope, f in ((Scope(), Filters(period=2025)), (tamu, Filters(period=2025)),
                     (Scope(opd=frozenset({opd})), Filters(period=2024, jenis_jabatan=("Fungsional",)))):
        t = f.period
        reads = (lambda: overview.coverage_summary(con, scope, f.at(t)), lambda: overview.coverage_by_opd(con, scope, f.at(t)),
                 lambda: overview.incomplete_employees(con, scope, f.at(t), limit=500))
        cached = [r() for r in reads]
        with population.scoring_live():
            live = [r() for r in reads]
        assert cached[0] == live[0]
        for a, b in zip(cached[1:], live[1:]):
            pd.testing.assert_frame_equal(a, b)
    con.close()


def test_the_movement_between_consecutive_periods_reads_one_entry_and_equals_the_join_and_live(db_copy, monkeypatch):
    """Each entry stores the box of the period before (sql/016): the movement reads that one entry; the result is
    the join of the two entries' and the live scoring's, for everyone, a filter and a grouping."""
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    periods = overview.periods(con)
    a, b = periods[-2], periods[-1]
    ka, kb = population.cache_key(con, a, rs), population.cache_key(con, b, rs)
    assert ka and kb and population.previous_key(con, kb) == ka
    opd = store.query_one(con, "SELECT opd FROM employee GROUP BY opd ORDER BY count(*) DESC LIMIT 1")[0]
    cases = [(Scope(), Filters(period=b)), (Scope(), Filters(period=b, opd=(opd,)))]

    def reads():
        talentmap.forget_figures()
        return [(pool.movement(con, s, f, a, b, rs), pool.movement_by_group(con, s, f, a, b, rs, "golongan"))
                for s, f in cases]

    scanned = []
    real_query_df = store.query_df
    monkeypatch.setattr(store, "query_df", lambda c, sql, *p: scanned.append("kotak_sebelumnya" in sql and
                                                                           "JOIN talent_score" not in sql)
                        or real_query_df(c, sql, *p))
    one_entry = reads()
    assert any(scanned) and one_entry[0][0].to_numpy().sum() == store.query_one(con, "SELECT count(*) FROM employee")[0]
    monkeypatch.setattr(population, "previous_key", lambda con, key: None)      # the join of two entries
    joined = reads()
    with population.scoring_live():
        live = reads()
    for x, y, z in zip(one_entry, joined, live):
        for i in range(2):
            pd.testing.assert_frame_equal(x[i], y[i])
            pd.testing.assert_frame_equal(x[i], z[i])
    con.close()


def _options_scanned(con, scope: Scope) -> dict:
    """The sidebar's filter options read straight from the employee master."""
    where, params = scope.where("e")
    return {col: sorted(store.query_df(con, "SELECT DISTINCT " + col + " AS v FROM employee e WHERE " + where +
                                       " AND " + col + " IS NOT NULL", params)["v"].tolist())
            for col in overview.FILTER_OPTION_COLUMNS}


def test_filter_combinations_are_stored_by_every_write_and_never_read_stale(db_copy, tmp_path):
    """The sidebar's options and the OPD account's model instansi read the combinations the write path stored
    (sql/017); an import and an undo rebuild them; rows of an older data version are never read."""
    from talenta import hipo

    con = store.connect(db_copy)
    one = _options_scanned(con, Scope())["opd"][3]
    scopes = [Scope(), Scope(opd=frozenset({one})), Scope(instansi=frozenset(_options_scanned(con, Scope())["instansi"]))]
    assert population.groups(con, Scope()) is not None                 # built with the demo
    assert population.groups(con, Scope())["n"].sum() == store.query_one(con, "SELECT count(*) FROM employee")[0]
    for s in scopes:
        assert overview.filter_options(con, s) == _options_scanned(con, s)
    stored_status = [overview.status(con, s) for s in scopes]
    real = population.groups
    population.groups = lambda con, scope: None                           # the same counts from the master
    try:
        assert [overview.status(con, s) for s in scopes] == stored_status
    finally:
        population.groups = real
    master = tmp_path / "pegawai_baru.csv"
    master.write_text("NIP_BARU,NAMA,UNOR_INDUK_NAMA\n199001012021211003,Baru,Dinas <b>Baru</b>\n", encoding="utf-8")
    r = actions.import_one(con, OPERATOR, master)
    assert r.accepted == 1
    after = overview.filter_options(con, Scope())
    assert "Dinas <b>Baru</b>" in after["opd"] and after == _options_scanned(con, Scope())
    new = Scope(opd=frozenset({"Dinas <b>Baru</b>"}))
    assert overview.filter_options(con, new) == _options_scanned(con, new)
    assert hipo.fit_instansi(con, new, Filters(period=2025)) == tuple(_options_scanned(con, new)["instansi"])
    actions.undo(con, OPERATOR, r.batch)
    assert "Dinas <b>Baru</b>" not in overview.filter_options(con, Scope())["opd"]
    # a row written behind the write path's back changes the data version: the stored rows are not read
    with store.transaction(con) as cur:
        cur.execute("INSERT INTO employee (nip, nama, instansi, opd, batch_id) VALUES "
                    "('199001012021211004', 'X', 'Kota X', 'Dinas Lain', 0)")
    assert population.groups(con, Scope()) is None
    assert "Dinas Lain" in overview.filter_options(con, Scope())["opd"]
    con.close()


def test_stored_counts_give_the_figures_and_pools_that_counting_the_entry_gives(db_copy, monkeypatch):
    """The talent map's figures, the pool per OPD, instansi, jenis jabatan and jenis ASN, the coverage and the list
    of incomplete records read the entry's stored counts (sql/018) for any scope and filter, masked or not, and
    equal counting the entry's employees."""
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    t = overview.periods(con)[-1]
    opds = sorted(store.query_df(con, "SELECT DISTINCT opd FROM employee")["opd"])
    jab = sorted(store.query_df(con, "SELECT DISTINCT jenis_jabatan FROM employee WHERE jenis_jabatan IS NOT NULL")
                 ["jenis_jabatan"])
    cases = [(Scope(), Filters(period=t, basis="terhitung")), (Scope(), Filters(period=t)),
             (Scope(opd=frozenset(opds[:2])), Filters(period=t, basis="terhitung", jenis_jabatan=(jab[0],))),
             (Scope(mask_identity=True, min_group=5), Filters(period=t, basis="terhitung", opd=(opds[1],))),
             (Scope(mask_identity=True, min_group=5), Filters(period=t, basis="terhitung"))]

    def reads(s, f):
        talentmap.forget_figures()
        out = {"figures": talentmap.figures(con, s, f.at(t), rs), "boxes": talentmap.box_counts(con, s, f.at(t), rs),
               "unplaced": talentmap.unplaced_counts(con, s, f.at(t), rs)}
        for by in pool.COUNTED:
            talentmap.forget_figures()
            out["pool_" + by] = pool.pool_table(con, s, f.at(t), rs, by)
        out["coverage_summary"] = overview.coverage_summary(con, s, f.at(t))
        out["coverage"] = overview.coverage_by_opd(con, s, f.at(t))
        for limit in (1, 37, 100_000):      # the first rows cut across OPDs; everyone
            out[f"incomplete_{limit}"] = overview.incomplete_employees(con, s, f.at(t), limit=limit)
        return out

    used = []
    real = population.counts
    monkeypatch.setattr(population, "counts", lambda *a, **k: used.append(r := real(*a, **k)) or r)
    for s, f in cases:
        used.clear()
        stored = reads(s, f)
        if f.basis == "terhitung":      # every read summed the stored counts (but the pool by unit kerja under a
            missed = sum(u is None for u in used)                          # jenis filter: its counts keep no jenis)
            assert used and missed == (1 if f.jenis_jabatan else 0), (s, f)
        monkeypatch.setattr(population, "counts", lambda *a, **k: None)
        _same(reads(s, f), stored)                                         # = counting the entry's employees
        monkeypatch.setattr(population, "counts", lambda *a, **k: used.append(r := real(*a, **k)) or r)
    con.close()


def test_an_entry_whose_key_row_was_deleted_is_rebuilt_without_counting_twice(db_copy):
    """A key row deleted behind the write path's back (its rows and counts left) and the entry built again: the
    figures are those of live scoring, not twice them."""
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    t = overview.periods(con)[-1]
    f = Filters(period=t, basis="terhitung")
    key = population.cache_key(con, t, rs)
    with store.transaction(con) as cur:
        cur.execute("DELETE FROM talent_score_key WHERE cache_key = $k", {"k": key})
    assert population.build_scores(con, t, rs) == key
    talentmap.forget_figures()
    stored = (talentmap.figures(con, Scope(), f.at(t), rs), pool.pool_table(con, Scope(), f.at(t), rs, "unit_kerja"))
    with population.scoring_live():
        talentmap.forget_figures()
        live = (talentmap.figures(con, Scope(), f.at(t), rs), pool.pool_table(con, Scope(), f.at(t), rs, "unit_kerja"))
    assert stored[0] == live[0]
    pd.testing.assert_frame_equal(stored[1], live[1])
    assert store.query_one(con, "SELECT count(*) FROM talent_score WHERE cache_key = $k", {"k": key})[0] == \
        store.query_one(con, "SELECT count(*) FROM employee")[0]
    con.close()

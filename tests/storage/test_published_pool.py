"""The pool per OPD as masked views publish it (sql/020, ``pool.build_published``): built by the write path, read
by a guest screen or a presentation without a sidebar filter, and exactly what the reader would have suppressed
itself; every other view (a sidebar filter, an OPD account, another threshold, a calibration in progress) is
suppressed at read time as before."""
from __future__ import annotations

import pandas as pd
import pytest

from talenta import access, accounts, actions, derived, pool, population, privacy, rulesets, store, talentmap
from talenta.access import OPERATOR
from talenta.scope import Filters, Scope

T = 2025
TAMU = access.scope_for(access.User("t", "t", "tamu"), presentation=False, min_group=5)


@pytest.fixture
def db(db_copy):
    con = store.connect(db_copy)
    derived.refresh(con)
    yield con
    con.close()


@pytest.fixture
def suppressed(monkeypatch):
    """Every pool table suppressed at read time (``privacy.suppress_pool`` calls)."""
    calls = []
    real = privacy.suppress_pool
    monkeypatch.setattr(privacy, "suppress_pool", lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


def _read(con, scope, filters=Filters(period=T), by="opd"):
    talentmap.forget_figures()
    return pool.pool_with_counts(con, scope, filters, T, rulesets.active(con), by)


def _computed(con, scope, filters=Filters(period=T), by="opd"):
    """What the reader computes when nothing is published: the same call with the published tables emptied."""
    con.execute("CREATE TEMP TABLE keep AS SELECT * FROM published_pool")
    con.execute("DELETE FROM published_pool")
    try:
        talentmap.forget_figures()
        shown, counts = pool.pool_with_counts(con, scope, filters, T, rulesets.active(con), by)
        raw = talentmap.remember_figures(con, scope, filters, T, rulesets.active(con),
                                         _map_of(con, scope, filters))
        return shown, counts, raw
    finally:
        con.execute("INSERT INTO published_pool SELECT * FROM keep")
        con.execute("DROP TABLE keep")


def _map_of(con, scope, filters):
    """The talent map's raw figures the last pool read kept (``remember_figures``) for (scope, filters)."""
    memo = talentmap._memo(con)
    return next(v for k, v in reversed(memo.items()) if k[2] == scope)


def _same(a, b):
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])


def test_the_write_path_publishes_every_period_and_a_guest_screen_reads_it_unchanged(db, suppressed):
    rs = rulesets.active(db)
    rows = store.query_df(db, "SELECT * FROM published_pool")
    keys = {population.cache_key(db, t, rs) for t in population.periods(db)}
    assert set(rows["cache_key"]) == keys and set(rows["scope_key"]) == {"*"}
    assert set(rows["threshold"]) == {5} and set(rows["grouping"]) == {"opd"}

    suppressed.clear()
    got = _read(db, TAMU)
    assert suppressed == []                                   # read, not suppressed
    raw = _map_of(db, TAMU, Filters(period=T))
    expected = _computed(db, TAMU)
    assert len(suppressed) == 1                               # (the reference suppressed it)
    _same(got, expected)
    assert raw == expected[2]                                 # the talent map it adds up to, kept for the page
    assert got[0].isna().any().any()                          # (the demo has small cells: something is hidden)
    # the frames handed out are copies: changing one leaves the next read as it was
    got[0].loc[0, "total"] = -1
    _same(_read(db, TAMU), expected)


def test_an_account_limited_to_its_instansi_gets_its_own_table(db, suppressed):
    instansi = store.query_one(db, "SELECT min(instansi) FROM employee")[0]
    accounts.add_user(db, OPERATOR, "tamu_kota", "tamu", "rahasia-panjang-1", instansi=(instansi,))
    keys = set(store.query_df(db, "SELECT DISTINCT scope_key FROM published_pool")["scope_key"])
    assert keys == {"*", pool.scope_key(Scope(instansi=frozenset({instansi})))}
    scope = access.scope_for(accounts.active_user(db, "tamu_kota"), presentation=False, min_group=5)
    suppressed.clear()
    got = _read(db, scope)
    assert suppressed == []                 # published by the account's creation, not by the next import
    _same(got, _computed(db, scope))
    # another account given other limits gets its table as well
    accounts.add_user(db, OPERATOR, "tamu_dua", "tamu", "rahasia-panjang-2")
    accounts.change_role(db, OPERATOR, "tamu_dua", "pimpinan", instansi=(instansi, "Instansi Lain"))
    other = access.scope_for(accounts.active_user(db, "tamu_dua"), presentation=True, min_group=5)
    suppressed.clear()
    _same(_read(db, other), _computed(db, other))
    assert len(suppressed) == 1             # (only the reference suppressed it)


@pytest.mark.parametrize("how", ["filter", "opd_account", "threshold", "grouping"])
def test_a_view_that_is_not_published_is_suppressed_at_read_time(db, suppressed, how):
    opd = store.query_one(db, "SELECT min(opd) FROM employee")[0]
    scope, filters, by = TAMU, Filters(period=T), "opd"
    if how == "filter":
        filters = Filters(period=T, jenis_asn=("PNS",))
    elif how == "opd_account":
        scope = access.scope_for(access.User("o", "o", "opd", opd=(opd,)), presentation=True, min_group=5)
    elif how == "threshold":
        scope = access.scope_for(access.User("t", "t", "tamu"), presentation=False, min_group=7)
    else:
        by = "jenis_jabatan"
    suppressed.clear()
    got = _read(db, scope, filters, by)
    assert len(suppressed) == 1
    _same(got, _computed(db, scope, filters, by))


def test_a_calibration_move_is_read_live_and_a_close_publishes_the_calibrated_table(db, suppressed):
    rs = rulesets.active(db)
    before = _read(db, TAMU)
    komite = accounts.active_user(db, "komite")
    people = talentmap.placements(db, Scope(), Filters(period=T, basis="terhitung"), T, rs, kotak=5, placed=True)
    for nip in people["nip"].head(40):
        actions.calibrate(db, komite, Scope(), T, rs, nip, 9, "wawancara", "uji publikasi")
    suppressed.clear()
    moved = _read(db, TAMU)              # another calibration stamp: not the published table (moves not closed)
    assert len(suppressed) == 1
    _same(moved, before)                 # (the basis otomatis shows no move before the session is closed)

    instansi = store.query_one(db, "SELECT min(instansi) FROM employee")[0]
    actions.close_calibration(db, accounts.active_user(db, "pimpinan"), instansi, T)
    suppressed.clear()
    closed = _read(db, TAMU)
    assert suppressed == []              # the close published the calibrated table
    _same(closed, _computed(db, TAMU))
    assert int(closed[1]["kotak_9"].sum()) == int(before[1]["kotak_9"].sum()) + 40
    stamps = store.query_df(db, "SELECT DISTINCT stamp FROM published_pool WHERE cache_key = $k",
                            {"k": population.cache_key(db, T, rs)})["stamp"]
    assert list(stamps) == [population.calibration_stamp(db, T)]       # the table of the old stamp is gone


def test_the_builder_is_idempotent_and_keeps_one_threshold(db):
    rows = store.query_df(db, "SELECT cache_key, scope_key, built_at FROM published_pool ORDER BY ALL")
    pool.build_published(db)
    pd.testing.assert_frame_equal(store.query_df(db, "SELECT cache_key, scope_key, built_at FROM published_pool "
                                                     "ORDER BY ALL"), rows)
    pool.build_published(db, threshold=7)
    assert set(store.query_df(db, "SELECT threshold FROM published_pool")["threshold"]) == {7}
    pool.build_published(db, threshold=0)                 # no threshold: nothing to publish
    assert store.query_one(db, "SELECT count(*) FROM published_pool")[0] == 0


def test_a_read_only_copy_reads_what_its_writer_published(db_copy):
    con = store.connect(db_copy)
    derived.refresh(con)
    expected = _computed(con, TAMU)
    con.close()
    ro = store.connect(db_copy, read_only=True)
    try:
        talentmap.forget_figures()
        _same(pool.pool_with_counts(ro, TAMU, Filters(period=T), T, rulesets.active(ro), "opd"), expected)
    finally:
        ro.close()

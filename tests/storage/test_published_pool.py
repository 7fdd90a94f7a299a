"""The pool per OPD as masked views publish it (sql/020, ``pool.build_published``): built by the write path, read
by a guest screen or a presentation without a sidebar filter, and exactly what the reader would have suppressed
itself; every other view (a sidebar filter, an OPD account, another threshold, a calibration in progress) is
suppressed at read time as before."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from talenta import access, accounts, actions, derived, pool, population, privacy, rulesets, store, talentmap
from talenta.access import OPERATOR
from talenta.scope import Filters, Scope
from tests.conftest import spy_calls

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
    return spy_calls(monkeypatch, privacy, "suppress_pool")


def _read(con, scope, filters=Filters(period=T), by="opd"):
    talentmap.forget_figures()
    return pool.pool_with_counts(con, scope, filters.at(T), rulesets.active(con), by)


def _computed(con, scope, filters=Filters(period=T), by="opd"):
    """What the reader computes when nothing is published: the same call with the published tables emptied."""
    con.execute("CREATE TEMP TABLE keep AS SELECT * FROM published_pool")
    con.execute("DELETE FROM published_pool")
    try:
        talentmap.forget_figures()
        shown, counts = pool.pool_with_counts(con, scope, filters.at(T), rulesets.active(con), by)
        raw = talentmap.remember_figures(con, scope, filters.at(T), rulesets.active(con),
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
    # another account, its role changed, reads the published table as well
    accounts.add_user(db, OPERATOR, "tamu_dua", "tamu", "rahasia-panjang-2")
    # (its limits name the data's one instansi: accounts refuse an instansi the data does not hold, review 11)
    accounts.change_role(db, OPERATOR, "tamu_dua", "pimpinan", instansi=(instansi,))
    other = access.scope_for(accounts.active_user(db, "tamu_dua"), presentation=True, min_group=5)
    suppressed.clear()
    _same(_read(db, other), _computed(db, other))
    assert len(suppressed) == 1             # (only the reference suppressed it)


@pytest.mark.parametrize("how", ["filter", "opd_account", "threshold", "grouping"])
def test_a_view_that_is_not_published_is_suppressed_at_read_time(db, suppressed, how):
    opd = store.query_one(db, "SELECT min(opd) FROM employee")[0]
    scope, filters, by = TAMU, Filters(period=T), "opd"
    if how == "filter":           # a presenter's filter (a guest's filters are dropped: privacy.published_filters)
        scope = access.scope_for(access.User("k", "k", "komite"), presentation=True, min_group=5)
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


def test_a_move_in_an_open_session_keeps_the_table_and_a_close_publishes_the_calibrated_one(db, suppressed):
    rs = rulesets.active(db)
    before = _read(db, TAMU)
    komite = accounts.active_user(db, "komite")
    people = talentmap.placements(db, Scope(), Filters(period=T, basis="terhitung").at(T), rs, kotak=5, placed=True)
    for nip in people["nip"].head(40):
        actions.calibrate(db, komite, Scope(), T, rs, nip, 9, "wawancara", "uji publikasi")
    built = store.query_df(db, "SELECT * EXCLUDE (counts, hidden, shares) FROM published_pool ORDER BY ALL")
    derived.refresh(db, derived.PUBLISHED)          # (any later build, e.g. an account added during the session)
    pd.testing.assert_frame_equal(store.query_df(db, "SELECT * EXCLUDE (counts, hidden, shares) FROM published_pool "
                                                     "ORDER BY ALL"), built)     # nothing to rebuild
    suppressed.clear()
    moved = _read(db, TAMU)              # the basis otomatis shows no move of an open session: the same table
    assert suppressed == []
    _same(moved, before)
    _same(moved, _computed(db, TAMU))

    instansi = store.query_one(db, "SELECT min(instansi) FROM employee")[0]
    actions.close_calibration(db, accounts.active_user(db, "pimpinan"), instansi, T)
    suppressed.clear()
    closed = _read(db, TAMU)
    assert suppressed == []              # the close published the calibrated table
    _same(closed, _computed(db, TAMU))
    assert int(closed[1]["kotak_9"].sum()) == int(before[1]["kotak_9"].sum()) + 40
    stamps = store.query_df(db, "SELECT DISTINCT stamp FROM published_pool WHERE cache_key = $k",
                            {"k": population.cache_key(db, T, rs)})["stamp"]
    assert list(stamps) == [population.closed_stamp(db, T)] != [0]     # the table of the open session is gone

    actions.reopen_calibration(db, accounts.active_user(db, "pimpinan"), instansi, T, "uji buka kembali")
    suppressed.clear()
    _same(_read(db, TAMU), before)       # reopened: the computed boxes again, published again
    assert suppressed == []


def test_a_table_built_by_other_code_is_not_read_and_the_next_build_replaces_it(db, suppressed, monkeypatch):
    old = pool.published_version()
    monkeypatch.setattr(pool, "published_version", lambda: "another-release")
    suppressed.clear()
    got = _read(db, TAMU)
    assert len(suppressed) == 1                                       # suppressed at read time
    pool.build_published(db, threshold=5)
    assert set(store.query_df(db, "SELECT version FROM published_pool")["version"]) == {"another-release"}
    suppressed.clear()
    _same(_read(db, TAMU), got)
    assert suppressed == []
    monkeypatch.setattr(pool, "published_version", lambda: old)
    derived.refresh(db, derived.PUBLISHED)
    assert set(store.query_df(db, "SELECT version FROM published_pool")["version"]) == {old}


def _corrupt(con, how: str) -> None:
    rs = rulesets.active(con)
    key, other = population.cache_key(con, T, rs), population.cache_key(con, T - 1, rs)
    where = " WHERE cache_key = $k AND scope_key = '*'"
    hidden, shares = store.query_one(con, "SELECT hidden, shares FROM published_pool" + where, {"k": key})
    if how == "garbage":
        con.execute("UPDATE published_pool SET counts = $b" + where, {"k": key, "b": b"not arrays"})
    elif how == "unsuppressed":             # every count shown, every share too
        true = np.frombuffer(shares, np.float64).reshape(-1, 2)[:, 1]
        con.execute("UPDATE published_pool SET hidden = $h, shares = $s" + where,
                    {"k": key, "h": bytes(len(hidden)), "s": np.column_stack([true, true]).tobytes()})
    elif how == "other_map":
        con.execute("UPDATE published_pool SET raw = (SELECT raw FROM published_pool WHERE cache_key = $o "
                    "AND scope_key = '*')" + where, {"k": key, "o": other})
    elif how == "missing_key":
        con.execute("UPDATE published_pool SET raw = json_object('pegawai', 1)" + where, {"k": key})


@pytest.mark.parametrize("how", ["garbage", "unsuppressed", "other_map", "missing_key"])
def test_a_row_that_is_not_whole_is_never_shown_and_the_next_build_repairs_it(db, suppressed, how):
    expected = _computed(db, TAMU)
    _corrupt(db, how)
    suppressed.clear()
    _same(_read(db, TAMU), expected)                                  # as if nothing were published
    assert len(suppressed) == 1
    derived.refresh(db, derived.PUBLISHED)
    suppressed.clear()
    _same(_read(db, TAMU), expected)
    assert suppressed == []                                           # rebuilt


def test_the_builder_is_idempotent_and_keeps_what_another_threshold_built(db, suppressed):
    rows = store.query_df(db, "SELECT cache_key, scope_key, built_at FROM published_pool ORDER BY ALL")
    pool.build_published(db, threshold=5)
    pd.testing.assert_frame_equal(store.query_df(db, "SELECT cache_key, scope_key, built_at FROM published_pool "
                                                     "ORDER BY ALL"), rows)
    pool.build_published(db, threshold=7)          # (a CLI run with another TALENTA_MIN_GROUP)
    assert set(store.query_df(db, "SELECT threshold FROM published_pool")["threshold"]) == {5, 7}
    seven = access.scope_for(access.User("t", "t", "tamu"), presentation=False, min_group=7)
    suppressed.clear()
    _same(_read(db, seven), _computed(db, seven))
    assert len(suppressed) == 1                    # only the reference suppressed it
    pool.build_published(db, threshold=0)          # no threshold: nothing to publish, nothing dropped
    assert store.query_one(db, "SELECT count(*) FROM published_pool")[0] == len(rows) * 2


def test_the_limits_of_a_disabled_account_are_no_longer_published(db):
    instansi = store.query_one(db, "SELECT min(instansi) FROM employee")[0]
    accounts.add_user(db, OPERATOR, "tamu_kota", "tamu", "rahasia-panjang-1", instansi=(instansi,))
    mine = pool.scope_key(Scope(instansi=frozenset({instansi})))
    assert mine in set(store.query_df(db, "SELECT scope_key FROM published_pool")["scope_key"])
    accounts.disable_user(db, OPERATOR, "tamu_kota")
    derived.refresh(db, derived.PUBLISHED)
    assert set(store.query_df(db, "SELECT scope_key FROM published_pool")["scope_key"]) == {"*"}


def test_a_read_only_copy_reads_what_its_writer_published(db_copy):
    con = store.connect(db_copy)
    derived.refresh(con)
    expected = _computed(con, TAMU)
    con.close()
    ro = store.connect(db_copy, read_only=True)
    try:
        talentmap.forget_figures()
        _same(pool.pool_with_counts(ro, TAMU, Filters(period=T).at(T), rulesets.active(ro), "opd"), expected)
    finally:
        ro.close()


def test_a_version_that_cannot_be_computed_leaves_the_reader_suppressing(db, suppressed, monkeypatch):
    expected = _computed(db, TAMU)

    def broken():
        raise FileNotFoundError("pool.py")
    monkeypatch.setattr(pool, "published_version", broken)
    suppressed.clear()
    _same(_read(db, TAMU), expected)
    assert len(suppressed) == 1


def test_a_build_that_sees_another_rule_set_activated_meanwhile_writes_nothing(db, monkeypatch):
    db.execute("DELETE FROM published_pool")
    real, calls = rulesets.active, []

    def active(con):                    # the second look (under the write lock) finds another rule set active
        calls.append(1)
        rs = real(con)
        return rs if len(calls) == 1 else dataclasses.replace(rs, kinerja_sesuai=rs.kinerja_sesuai - 1)
    monkeypatch.setattr(rulesets, "active", active)
    pool.build_published(db, threshold=5)
    assert len(calls) == 2
    assert store.query_one(db, "SELECT count(*) FROM published_pool")[0] == 0

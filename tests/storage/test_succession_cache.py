"""The succession eligibility cache (sql/015, issue 17 item 7): built in the write path, it gives exactly what
the live computation gives (every post's candidates in the same order with the same unmet codes, under any
scope), is read without writing, and is left aside when the data, the date or the rules differ."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from talenta import derived, rulesets, store, succession, succession_rules
from talenta.scope import Scope
from tests import succession_data as sd

PERIOD = 2025


def _live(monkeypatch, fn, *args, **kw):
    with succession.computing_live():
        return fn(*args, **kw)


def _no_live(*_a, **_k):
    raise AssertionError("computed live although the cache holds this request")


@pytest.fixture
def demo_con(db_copy):
    con = store.connect(db_copy)
    yield con, rulesets.active(con), succession_rules.ensure_default(con)
    con.close()


def test_the_builder_is_registered_and_idempotent(demo_con):
    con, rs, srs = demo_con
    assert "succession:build_cache" in derived.BUILDERS
    assert derived.refresh(con)["succession:build_cache"] >= 0
    before = store.query_df(con, "SELECT cache_key, built_at, n_posts, n_eligibility FROM succession_cache_key")
    derived.refresh(con)
    after = store.query_df(con, "SELECT cache_key, built_at, n_posts, n_eligibility FROM succession_cache_key")
    pd.testing.assert_frame_equal(before, after)
    assert len(after) == 1 and after["n_posts"][0] > 0 and after["n_eligibility"][0] > 0


@pytest.mark.parametrize("scope", [
    Scope(),
    Scope(mask_identity=True, min_group=5),
    "one_opd",
], ids=["admin", "masked", "one_opd"])
def test_cached_equals_live_for_every_post(demo_con, monkeypatch, scope):
    con, rs, srs = demo_con
    derived.refresh(con)
    if scope == "one_opd":
        opd = store.query_one(con, "SELECT opd FROM formasi GROUP BY opd ORDER BY count(*) DESC, opd LIMIT 1")[0]
        inst = store.query_one(con, "SELECT min(instansi) FROM formasi")[0]
        scope = Scope(opd=frozenset([opd]), instansi=frozenset([inst]))
    live_posts = _live(monkeypatch, succession.targets, con, scope, PERIOD, rs, srs)
    monkeypatch.setattr(succession, "_run", _no_live)
    posts = succession.targets(con, scope, PERIOD, rs, srs)
    assert len(posts) > 3
    pd.testing.assert_frame_equal(posts, live_posts)
    # every post at once (ranked per post), then a few posts one by one as the page asks for them
    few = list(posts.sort_values(["n_kandidat", "jabatan_id"])["jabatan_id"].iloc[[0, len(posts) // 2, -1]])
    cached = [succession.candidates(con, scope, PERIOD, rs, srs)] + \
        [succession.candidates(con, scope, PERIOD, rs, srs, post=p) for p in few]
    monkeypatch.undo()
    live = [_live(monkeypatch, succession.candidates, con, scope, PERIOD, rs, srs)] + \
        [_live(monkeypatch, succession.candidates, con, scope, PERIOD, rs, srs, post=p) for p in few]
    for c, v in zip(cached, live):
        pd.testing.assert_frame_equal(c, v)      # ranking order, readiness, unmet codes, score parts
    assert set(cached[0]["jabatan_id"]) == set(posts.loc[posts["n_kandidat"] > 0, "jabatan_id"])
    assert len(cached[-1]) > 0


def test_ranking_summary_and_whole_table_match_live(demo_con, monkeypatch):
    con, rs, srs = demo_con
    derived.refresh(con)
    live = _live(monkeypatch, succession.ranking_summary, con, Scope(), PERIOD, rs, srs)
    live_table = _live(monkeypatch, succession.csv_frame, con, Scope(), PERIOD, rs, srs)
    monkeypatch.setattr(succession, "_run", _no_live)
    assert succession.ranking_summary(con, Scope(), PERIOD, rs, srs) == live
    pd.testing.assert_frame_equal(succession.csv_frame(con, Scope(), PERIOD, rs, srs), live_table)


def test_golden_cases_read_from_the_cache_as_computed(con, monkeypatch):
    sd.small(con)
    rs, srs = rulesets.active(con), succession_rules.DEFAULT
    assert succession.build_cache(con, PERIOD, rs, srs)
    live = _live(monkeypatch, succession.candidates, con, Scope(), PERIOD, rs, srs)
    monkeypatch.setattr(succession, "_run", _no_live)
    cached = succession.candidates(con, Scope(), PERIOD, rs, srs)
    pd.testing.assert_frame_equal(cached, live)
    assert set(cached["kesiapan"]) >= {"siap_sekarang", "siap_1_2_tahun", "kandidat_masa_depan", "tidak_memenuhi"}


def test_reads_never_write_and_other_requests_compute_live(demo_con, monkeypatch):
    con, rs, srs = demo_con
    with store.transaction(con) as cur:         # as before the write path's builder ran (the demo build runs it)
        cur.execute("DELETE FROM succession_cache_key")
    assert succession._cached(con, PERIOD, rs, srs, None, False) is None    # nothing built: live ...
    succession.targets(con, Scope(), PERIOD, rs, srs)
    assert store.query_one(con, "SELECT count(*) FROM succession_cache_key")[0] == 0   # ... and nothing stored
    derived.refresh(con)
    assert succession._cached(con, PERIOD, rs, srs, dt.date(PERIOD, 12, 31), False)   # the page's default date
    calls = []
    real = succession._run
    monkeypatch.setattr(succession, "_run", lambda *a, **k: calls.append(1) or real(*a, **k))
    succession.targets(con, Scope(), PERIOD, rs, srs, tanggal=dt.date(PERIOD, 6, 30))
    succession.targets(con, Scope(), PERIOD, rs, srs, all_=True)
    succession.targets(con, Scope(), PERIOD, rs, srs.with_(horizon_bulan=12))
    assert len(calls) == 3
    succession.targets(con, Scope(), PERIOD, rs, srs)
    assert len(calls) == 3


def test_new_data_leaves_the_old_key_aside_until_rebuilt(demo_con, monkeypatch):
    con, rs, srs = demo_con
    derived.refresh(con)
    nip = store.query_one(con, "SELECT min(nip) FROM succession_elig_cache")[0]
    with store.transaction(con) as cur:
        cur.execute("INSERT INTO hukuman_disiplin (nip, tmt_mulai, tmt_selesai, tingkat, jenis_hukuman, batch_id) "
                    "VALUES ($n, DATE '2025-06-01', NULL, 'berat', 'Penurunan jabatan', $b)",
                    {"n": nip, "b": sd.BATCH})
    assert succession._cached(con, PERIOD, rs, srs, None, False) is None
    live = succession.candidates(con, Scope(), PERIOD, rs, srs)
    assert set(live.loc[live["nip"] == nip, "kesiapan"]) == {"tidak_memenuhi"}
    derived.refresh(con)
    with monkeypatch.context() as m:
        m.setattr(succession, "_run", _no_live)
        pd.testing.assert_frame_equal(succession.candidates(con, Scope(), PERIOD, rs, srs), live)
    for months in (12, 13):          # a third key drops the oldest
        succession.build_cache(con, PERIOD, rs, srs.with_(horizon_bulan=months))
    assert store.query_one(con, "SELECT count(*) FROM succession_cache_key")[0] == succession.CACHE_KEYS_KEPT
    assert store.query_one(con, "SELECT count(DISTINCT cache_key) FROM succession_elig_cache")[0] \
        == succession.CACHE_KEYS_KEPT

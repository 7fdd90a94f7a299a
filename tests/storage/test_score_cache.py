"""The score cache (sql/006) gives exactly what live scoring gives, and never serves stale data."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from talenta import derived, hipo, pool, population, rulesets, store, talentmap
from talenta.ingest import import_file, undo_batch
from talenta.rules import RuleSet
from talenta.scope import Filters, Scope


def _both(fn):
    with population.scoring_live():
        live = fn()
    cached = fn()
    return live, cached


def _same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)
    else:
        assert a == b


@pytest.fixture
def con(db_copy):
    c = store.connect(db_copy)
    yield c
    c.close()


def test_cached_aggregates_equal_live_ones(con):
    rs = rulesets.active(con)
    opd = store.query_one(con, "SELECT opd FROM employee GROUP BY opd ORDER BY count(*) DESC LIMIT 1")[0]
    cases = [(Scope(), Filters(period=2025)), (Scope(opd=frozenset({opd})), Filters(period=2025)),
             (Scope(), Filters(period=2024, jenis_jabatan=("Fungsional",))),
             (Scope(), Filters(period=2023, jenis_asn=("PNS", "PPPK")))]
    for scope, f in cases:
        t = f.period
        for fn in (lambda: talentmap.summary(con, scope, f.at(t), rs),
                   lambda: talentmap.box_counts(con, scope, f.at(t), rs),
                   lambda: talentmap.unplaced_counts(con, scope, f.at(t), rs),
                   lambda: talentmap.individuals(con, scope, f.at(t), rs, limit=100_000),
                   lambda: pool.bench_strength(con, scope, f.at(t), rs, as_of=dt.date(2025, 12, 31)),
                   lambda: hipo.features(con, scope, f.at(t), rs),
                   *[lambda by=by: pool.pool_table(con, scope, f.at(t), rs, by) for by in pool.GROUPINGS]):
            _same(*_both(fn))
    keys = store.query_one(con, "SELECT count(*) FROM talent_score_key")[0]
    assert 1 <= keys <= population.CACHE_KEYS_KEPT
    n = store.query_one(con, "SELECT count(*) FROM employee")[0]
    assert store.query_one(con, "SELECT min(n), max(n) FROM talent_score_key") == (n, n)


def test_other_rule_values_never_share_an_entry(con):
    strict = RuleSet(kinerja_atas=95.0, potensial_tinggi=95.0)
    loose = RuleSet(kinerja_atas=80.0, potensial_tinggi=80.0)
    f = Filters(period=2025)
    a = talentmap.summary(con, Scope(), f.at(2025), strict)
    b = talentmap.summary(con, Scope(), f.at(2025), loose)
    assert a["kotak_9"] < b["kotak_9"]
    population.build_scores(con, 2025, strict)              # one of them cached, the other scored live
    assert talentmap.summary(con, Scope(), f.at(2025), strict) == a
    assert talentmap.summary(con, Scope(), f.at(2025), loose) == b


def test_an_import_or_an_undo_is_seen_at_once(con, tmp_path):
    rs = rulesets.active(con)
    f = Filters(period=2025)
    before = talentmap.summary(con, Scope(), f.at(2025), rs)
    nips = [r[0] for r in store.query_df(con, "SELECT nip FROM performance WHERE tahun = 2025 "
                                              "AND predikat <> 'Sangat Kurang' ORDER BY nip LIMIT 200").itertuples(index=False)]
    p = tmp_path / "koreksi.csv"
    p.write_text("nip,tahun,predikat\n" + "".join(f"{n},2025,Sangat Kurang\n" for n in nips), encoding="utf-8")
    r = import_file(con, p)
    after = talentmap.summary(con, Scope(), f.at(2025), rs)          # before any refresh: scored live
    assert after != before
    assert after["krs"] < before["krs"] or after["kotak_1"] > before["kotak_1"]
    derived.refresh(con)
    talentmap.forget_figures()
    assert talentmap.summary(con, Scope(), f.at(2025), rs) == after  # the rebuilt entry: the same
    undo_batch(con, r.batch, "tester")
    assert talentmap.summary(con, Scope(), f.at(2025), rs) == before


def test_a_read_only_database_reads_what_its_writer_built(db_copy):
    rw = store.connect(db_copy)
    rs = rulesets.active(rw)
    expected = pool.pool_table(rw, Scope(), Filters(period=2025).at(2025), rs, "opd")
    rw.close()
    ro = store.connect(db_copy, read_only=True)
    got = pool.pool_table(ro, Scope(), Filters(period=2025).at(2025), rs, "opd")
    _same(expected, got)
    ro.close()


def test_listings_with_their_skp_basis_equal_live_ones(con):
    rs = rulesets.active(con)
    f = Filters(period=2025)
    for kwargs in ({}, {"kotak": 9}, {"placed": False, "limit": 50}, {"search": "dinas", "limit": 200},
                   {"group": ("opd", store.query_one(con, "SELECT min(opd) FROM employee")[0]),
                    "group_expr": pool.group_sql("opd")}):
        live, cached = _both(lambda: talentmap.placements(con, Scope(), f, rs, **kwargs))
        assert live["dasar_kinerja"].notna().any()
        _same(live, cached)

"""Scoped and masked reads (issue 14 item 9, issue 13 items 3-4): the stored reason code agrees with the
reasons, a read looks the score-cache key up once, the Data page's windows are the active rule set's."""
from __future__ import annotations

import pytest

from talenta import access, overview, pool, population, privacy, rulesets, store, talentmap
from talenta.rules import RuleSet
from talenta.scope import Filters, Scope

F = Filters(period=2025)
TAMU = access.scope_for(access.User("t", "t", "tamu"), presentation=False, min_group=5)


@pytest.fixture
def con(db_copy):
    c = store.connect(db_copy)
    yield c
    c.close()


def test_the_stored_reason_code_is_the_reason_each_unplaced_employee_is_listed_with(con):
    key = population.build_scores(con, 2025, rulesets.active(con))
    df = store.query_df(con, "SELECT kotak, alasan_kinerja, alasan_potensial, alasan_kode FROM talent_score "
                             "WHERE cache_key = $k", {"k": key})
    placed = df["kotak"].notna()
    assert df.loc[placed, "alasan_kode"].isna().all()
    unplaced = df[~placed]
    no_kin, no_pot = unplaced["alasan_kinerja"].notna().tolist(), unplaced["alasan_potensial"].notna().tolist()
    expected = [("tanpa_kinerja_dan_asesmen" if k and has_p else "tanpa_kinerja" if k else p)
                for k, has_p, p in zip(no_kin, no_pot, unplaced["alasan_potensial"].astype(object))]
    got = [privacy.REASONS[int(c) - 1] for c in unplaced["alasan_kode"]]
    assert got == expected and len(set(got)) >= 3        # the demo has several reasons


def test_masked_reads_agree_with_the_unmasked_counts_they_suppress(con):
    rs = rulesets.active(con)
    raw = talentmap.raw_figures(con, Scope(), F.at(2025), rs)
    shown = talentmap.figures(con, TAMU, F.at(2025), rs)
    assert all(privacy.hidden(shown[k]) or shown[k] == raw[k] for k in privacy.MAP_KEYS)
    assert sum(raw[r] for r in privacy.REASONS) == raw["belum_terpetakan"]
    table = pool.pool_table(con, TAMU, F.at(2025), rs, "opd")
    full = pool.pool_table(con, Scope(), F.at(2025), rs, "opd").set_index("group")
    for _, row in table.iterrows():
        for c in ("total", *privacy.POOL_CELLS, "krs"):
            assert privacy.hidden(row[c]) or row[c] == full.loc[row["group"], c]


@pytest.mark.parametrize("basis", ["otomatis", "terhitung"])
@pytest.mark.parametrize("read", ["summary", "pool", "placements"])
def test_a_read_looks_the_cache_key_up_once(con, monkeypatch, read, basis):
    """One round trip for the score-cache key, the calibration stamp in the same one (the official basis reads it)."""
    rs = rulesets.active(con)
    population.build_scores(con, 2025, rs)
    talentmap.forget_figures()
    f = Filters(period=2025, basis=basis)
    trips = []
    real = store.query_one

    def spy(c, sql, params=None):
        # (the published pool table's read looks its own stamp up in the same round trip: not a second lookup)
        if ("talent_score_key" in sql or "kalibrasi_event" in sql) and "published_pool" not in sql:
            trips.append(sql)
        return real(c, sql, params)
    monkeypatch.setattr(store, "query_one", spy)
    {"summary": lambda: talentmap.summary(con, TAMU, f.at(2025), rs),
     "pool": lambda: pool.pool_table(con, TAMU, f.at(2025), rs, "opd"),
     "placements": lambda: talentmap.placements(con, TAMU, f.at(2025), rs, kotak=5)}[read]()
    assert len(trips) == 1 and "talent_score_key" in trips[0]
    # a masked scope reads the official basis whatever it asks for (``privacy.published_filters``): the stamp too
    assert "kalibrasi_event" in trips[0]


def test_the_data_pages_windows_are_the_active_rule_sets(con):
    scope = Scope()
    before = overview.coverage_summary(con, scope, F.at(2025))
    short = RuleSet(asesmen_years=1, kinerja_years=1)
    assert overview.coverage_summary(con, scope, F.at(2025), short) != before
    rulesets.save(con, short, name="Satu tahun", note="uji", user="uji")
    after = overview.coverage_summary(con, scope, F.at(2025))
    assert after == overview.coverage_summary(con, scope, F.at(2025), short)
    assert after["ada_asesmen"] < before["ada_asesmen"] and after["ada_kinerja"] < before["ada_kinerja"]
    listed = overview.incomplete_employees(con, scope, F.at(2025), limit=100_000)
    assert len(listed) == after["tidak_lengkap"]
    assert not listed["kekurangan"].str.contains("2024-2025").any()     # one kinerja year: "tahun 2025"


def test_the_masked_pool_table_is_suppressed_once_per_data_and_calibration(con, monkeypatch):
    """The same masked pool table again (a page, its cell lists, the exports) is not counted and suppressed again;
    a caller's change to its copy stays its own; a calibration move (a new stamp) counts it afresh."""
    import pandas as pd

    from talenta import accounts, actions

    rs = rulesets.active(con)
    population.build_scores(con, 2025, rs)
    talentmap.forget_figures()
    f = Filters(period=2025, basis="terkalibrasi")
    first, counts = pool.pool_with_counts(con, TAMU, f.at(2025), rs, "opd")
    runs = []
    real = population.query
    monkeypatch.setattr(population, "query", lambda *a, **k: runs.append(1) or real(*a, **k))
    again = pool.pool_table(con, TAMU, f.at(2025), rs, "opd")
    pd.testing.assert_frame_equal(first, again)
    assert not runs
    again.loc[0, "total"] = 123456
    again["extra"] = 1
    pd.testing.assert_frame_equal(first, pool.pool_table(con, TAMU, f.at(2025), rs, "opd"))
    assert talentmap.raw_figures(con, TAMU, f.at(2025), rs)["pegawai"] == int(counts["total"].sum()) and not runs
    placed = talentmap.placements(con, Scope(), Filters(period=2025, basis="terhitung").at(2025), rs, kotak=5)
    actions.calibrate(con, accounts.active_user(con, "komite"), Scope(), 2025, rs, placed["nip"].iloc[0], 9,
                      "wawancara", "uji")
    # a masked scope reads the official basis (``privacy.published_filters``): the move counts once it is decided
    actions.close_calibration(con, accounts.active_user(con, "pimpinan"), placed["instansi"].iloc[0], 2025)
    moved = pool.pool_with_counts(con, TAMU, f.at(2025), rs, "opd")[1]
    assert runs and int(moved["kotak_9"].sum()) == int(counts["kotak_9"].sum()) + 1
    assert int(moved["kotak_5"].sum()) == int(counts["kotak_5"].sum()) - 1

"""Changes against the previous period, signed Indonesian numbers, and the rankings behind Ringkasan."""
import math

import pandas as pd
import pytest

from talenta import fmt, overview, pool
from talenta.scope import Filters, Scope


@pytest.mark.parametrize("x, decimals, unit, text", [
    (1204, 0, "", "+1.204"), (-3, 0, "", "-3"), (0, 0, "", "0"), (2.46, 1, "poin", "+2,5 poin"),
    (-0.04, 1, "poin", "0"), (-12.25, 1, "poin", "-12,2 poin"), (None, 0, "", None), (math.nan, 1, "", None)])
def test_change_text(x, decimals, unit, text):
    assert fmt.change(x, decimals, unit) == text


def test_changes_of_counts_and_shares():
    now = {"pegawai": 100, "terpetakan": 60, "belum_terpetakan": 40, "krs": 15, "kotak_9": 5, "kotak_1": pd.NA,
           "krs_persen": 25.0, "persen_terpetakan": 0.6}
    before = {"pegawai": 90, "terpetakan": 50, "belum_terpetakan": 40, "krs": 10, "kotak_9": 7, "kotak_1": 6,
              "krs_persen": 20.0, "persen_terpetakan": 50 / 90}
    ch = overview.changes(now, before)
    assert (ch["pegawai"], ch["terpetakan"], ch["belum_terpetakan"], ch["kotak_9"]) == (10, 10, 0, -2)
    assert ch["kotak_1"] is None                         # hidden now: no change may reveal it
    assert ch["krs_persen"] == pytest.approx(5.0)         # percentage points
    assert overview.changes(now, None) == dict.fromkeys(ch)
    assert overview.changes({**now, "krs_persen": math.nan}, before)["krs_persen"] is None


def test_previous_period():
    assert overview.previous_period([2023, 2024, 2025], 2025) == 2024
    assert overview.previous_period([2021, 2025], 2025) == 2021
    assert overview.previous_period([2023, 2024], 2023) is None


def _table(rows):
    df = pd.DataFrame(rows, columns=["group", "total", "belum_terpetakan", "krs"])
    placed = df["total"] - df["belum_terpetakan"]
    return df.assign(krs_persen=100 * df["krs"] / placed)


def test_strongest_weakest_carry_the_placed_size_and_never_overlap():
    table = _table([("A", 20, 0, 10), ("B", 30, 10, 5), ("C", 12, 2, 1), ("D", 9, 6, 3)])
    best, worst = pool.strongest_weakest(table, 2, 5)
    assert best["group"].tolist() == ["A", "B"] and best["terpetakan"].tolist() == [20, 20]
    assert worst["group"].tolist() == ["C"]              # D has 3 placed: not ranked; A, B already strongest
    best, worst = pool.strongest_weakest(table, 1, 5)
    assert (best["group"].tolist(), worst["group"].tolist()) == (["A"], ["C"])


def test_strongest_weakest_with_a_hidden_size():
    table = _table([("A", 20, 0, 10), ("B", 30, 10, 5)])
    table["belum_terpetakan"] = pd.array([pd.NA, 10], dtype="Int64")
    best, _ = pool.strongest_weakest(table, 5, 5)
    assert best["group"].tolist() == ["B"]               # a size that is hidden is not ranked


def test_ranking_by_unit_kerja_within_one_opd(monkeypatch):
    extent = {"opd": 1}
    monkeypatch.setattr(pool, "view_extent", lambda con, scope, filters: (1, extent["opd"]))
    assert pool.ranking_by(None, Scope(), Filters(opd=("Dispora",))) == "unit_kerja"
    assert pool.ranking_by(None, Scope(), Filters(opd=("Dispora", "Bappeda"))) == "opd"
    assert pool.ranking_by(None, Scope(), Filters()) == "opd"
    assert pool.ranking_by(None, Scope(opd=frozenset({"Dinas Kesehatan"})), Filters()) == "unit_kerja"
    extent["opd"] = 2           # one name, the offices of two instansi (review 11, D1)
    assert pool.ranking_by(None, Scope(), Filters(opd=("Dinas Kesehatan",))) == "opd"
    assert "unit_kerja" in pool.GROUPINGS

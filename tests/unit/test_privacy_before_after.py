"""The faster suppression (equations as arrays, the Gram matrix summed from pairs of entries, the cheapest
neighbour found by a pointer per equation, the pool table's equations added at once) hides exactly the cells
the previous code hid (``privacy_before``, a frozen copy): same tables in, same shown and hidden cells out,
on random pool tables of every size (one group to more than the exact check's limit), box-to-box matrices
and tables of counts per group."""
import numpy as np
import pandas as pd
import pytest

from talenta import pool, privacy

from . import privacy_before as before


def _pool_table(rng, groups, scale):
    cells = rng.poisson(rng.uniform(0.05, 1.0, size=(groups, 10)) * scale)
    df = pd.DataFrame(cells, columns=[*pool.BOX_COLS, "belum_terpetakan"])
    df.insert(0, "group", [f"Dinas {i}" for i in range(groups)])
    df.insert(1, "total", cells.sum(axis=1))
    df["krs"] = cells[:, 6:9].sum(axis=1)
    placed = df["total"] - df["belum_terpetakan"]
    df["krs_persen"] = np.where(placed > 0, 100 * df["krs"] / placed.where(placed > 0, 1), np.nan)
    unplaced = int(df["belum_terpetakan"].sum())
    reasons = rng.multinomial(unplaced, [0.4, 0.3, 0.2, 0.1])
    raw = {"pegawai": int(df["total"].sum()), "terpetakan": int(placed.sum()), "belum_terpetakan": unplaced,
           **{c: int(df[c].sum()) for c in pool.BOX_COLS}, "krs": int(df["krs"].sum()),
           **dict(zip(privacy.REASONS, map(int, reasons)))}
    return df, raw


@pytest.mark.parametrize("seed", range(4))
def test_pool_tables_hide_the_same_cells_as_before(seed):
    rng = np.random.default_rng(100 + seed)
    hidden = 0
    for groups in (1, 2, 3, 7, 20, 53, 90, 160):
        for _ in range(3):
            threshold = int(rng.choice([2, 3, 5, 10]))
            df, raw = _pool_table(rng, groups, float(rng.choice([1, 3, 8, 20, 60, 300])))
            new, old = privacy.suppress_pool(df, raw, threshold), before.suppress_pool(df, raw, threshold)
            pd.testing.assert_frame_equal(new, old)
            hidden += int(new[["total", *privacy.POOL_CELLS, "krs"]].isna().sum().sum())
    assert hidden > 500       # the tables do hide cells (not a comparison of two empty masks)


def test_a_table_past_the_exact_limit_hides_the_same_cells_as_before():
    """More hidden cells than ``EXACT_MAX``: the rounds solve equations with one unknown instead."""
    rng = np.random.default_rng(7)
    df, raw = _pool_table(rng, 400, 2.0)
    new, old = privacy.suppress_pool(df, raw, 5), before.suppress_pool(df, raw, 5)
    pd.testing.assert_frame_equal(new, old)
    assert new[["total", *privacy.POOL_CELLS, "krs"]].isna().sum().sum() > privacy.EXACT_MAX


def _as_map(s):
    return {"pegawai": int(s.sum()), "terpetakan": int(s[1:].sum()), "belum_terpetakan": int(s[0]),
            **{f"kotak_{k}": int(s[k]) for k in range(1, 10)}, "krs": int(s[7:].sum()),
            "tanpa_kinerja": int(s[0]), **{r: 0 for r in privacy.REASONS[1:]}}


@pytest.mark.parametrize("seed", range(3))
def test_matrices_and_tables_per_group_hide_the_same_cells_as_before(seed):
    rng = np.random.default_rng(200 + seed)
    for _ in range(12):
        threshold = int(rng.choice([3, 5, 10]))
        m = pd.DataFrame(rng.poisson(rng.uniform(0, 1, (10, 10)) * rng.choice([1, 2, 6, 20])))
        rows, cols = m.to_numpy().sum(axis=1), m.to_numpy().sum(axis=0)
        pd.testing.assert_frame_equal(privacy.suppress_matrix(m, _as_map(rows), _as_map(cols), threshold),
                                      before.suppress_matrix(m, _as_map(rows), _as_map(cols), threshold))
        d = pd.DataFrame(rng.poisson(rng.uniform(0, 1, (int(rng.integers(1, 40)), 4)) * rng.choice([1, 3, 10])),
                         columns=list("abcd"))
        pd.testing.assert_frame_equal(privacy.suppress_rows(d, ["a", "b", "c"], threshold, rest="d"),
                                      before.suppress_rows(d, ["a", "b", "c"], threshold, rest="d"))
        assert (privacy.group_sizes_hidden(d["a"], threshold) == before.group_sizes_hidden(d["a"], threshold)).all()

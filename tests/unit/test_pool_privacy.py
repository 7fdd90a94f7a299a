"""Small-group suppression never shows, nor lets anyone derive, a count below the threshold."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from talenta import pool

THRESH = 5


@settings(max_examples=300, deadline=None)
@given(hnp.arrays(np.int64, st.tuples(st.integers(1, 8), st.integers(1, 10)), elements=st.integers(0, 40)))
def test_mask_hides_every_small_count_and_no_single_hidden_cell_per_line(values):
    hide = pool.suppression_mask(values, THRESH)
    small = (values > 0) & (values < THRESH)
    assert hide[small].all()
    assert not hide[values == 0].any()
    # secondary suppression: a line never keeps a single hidden cell while another non-zero cell could join it
    for axis in (0, 1):
        h, v = (hide, values) if axis == 1 else (hide.T, values.T)
        for line, vals in zip(h, v):
            if line.sum() == 1:
                assert (vals[~line] == 0).all()


def _pool_frame(rows):
    df = pd.DataFrame(rows, columns=pool.BOX_COLS + ["belum_terpetakan"])
    df.insert(0, "group", [f"G{i}" for i in range(len(df))])
    df.insert(1, "total", df[pool.BOX_COLS + ["belum_terpetakan"]].sum(axis=1))
    df["krs"] = df[["kotak_7", "kotak_8", "kotak_9"]].sum(axis=1)
    placed = df["total"] - df["belum_terpetakan"]
    df["krs_persen"] = np.where(placed > 0, df["krs"] / placed.where(placed > 0, 1), np.nan)
    return df[pool.POOL_COLUMNS]


def _solve(values, hidden, row_total_shown):
    """Independent check: every cell a reader can compute from the published table and totals."""
    known = {(i, j) for i in range(values.shape[0]) for j in range(values.shape[1]) if not hidden[i, j]}
    lines = [[(i, j) for j in range(values.shape[1])] for i in range(values.shape[0]) if row_total_shown[i]]
    lines += [[(i, j) for i in range(values.shape[0])] for j in range(values.shape[1])
              if values[:, j].sum() >= THRESH]
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [c for c in line if c not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                progress = True
    return known


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=10, max_size=10), min_size=1, max_size=8))
def test_suppressed_pool_shows_nothing_small_and_nothing_derivable(rows):
    df = _pool_frame(rows)
    out = pool.suppress_pool(df, THRESH)
    shown = out[pool.BOX_COLS + ["belum_terpetakan", "total", "krs"]]
    visible = shown.to_numpy(dtype=float, na_value=np.nan)
    assert not ((visible > 0) & (visible < THRESH)).any()
    values = df[pool.BOX_COLS + ["belum_terpetakan"]].to_numpy()
    hidden = out[pool.BOX_COLS + ["belum_terpetakan"]].isna().to_numpy()
    known = _solve(values, hidden, out["total"].notna().to_numpy())
    leaks = [(i, j) for (i, j) in known if hidden[i, j] and 0 < values[i, j] < THRESH]
    assert leaks == []
    for i in range(len(out)):
        if out[["kotak_7", "kotak_8", "kotak_9"]].iloc[i].isna().any():
            assert pd.isna(out["krs"].iloc[i]) and pd.isna(out["krs_persen"].iloc[i])


def test_threshold_zero_or_one_changes_nothing():
    df = _pool_frame([[1, 2, 0, 0, 3, 0, 1, 0, 0, 4]])
    pd.testing.assert_frame_equal(pool.suppress_pool(df, 0), df)
    pd.testing.assert_frame_equal(pool.suppress_pool(df, 1), df)


def test_small_group_hidden_whole():
    df = _pool_frame([[1, 1, 0, 0, 1, 0, 0, 0, 0, 1], [10, 20, 5, 6, 30, 0, 8, 9, 7, 40]])
    out = pool.suppress_pool(df, THRESH)
    assert out.iloc[0][["total", "krs"] + pool.BOX_COLS].isna().all()
    # row 0 is hidden whole; in the columns where it had people, row 1 is hidden too (column totals
    # would otherwise give row 0 away); elsewhere row 1 stays visible
    assert pd.isna(out.loc[1, "kotak_2"]) and out.loc[1, "kotak_4"] == 6 and out.loc[1, "total"] == 135

"""The faster suppression (equations as arrays, the Gram matrix summed from pairs of entries, the cheapest
neighbour found by a pointer per equation, the pool table's equations added at once) hides exactly the cells
the previous code hid (``privacy_before``, a frozen copy): same tables in, same shown and hidden cells out,
on random pool tables of every size (one group to more than the exact check's limit), box-to-box matrices
and tables of counts per group. The previous code chose, for a small count a reader could still work out, the
cheapest figure of its equations; the comparisons here run with that rule (``privacy.algorithm(effective=False)``):
``test_privacy_effective`` checks the rule that replaced it."""
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


@pytest.fixture
def cheapest_rule(privacy_rule):
    """The previous code's choice of a complementary cell (the cheapest of a leak's equations)."""
    privacy_rule(effective=False)


def assert_same_but_zeros(new: pd.DataFrame, old: pd.DataFrame, df: pd.DataFrame) -> int:
    """``new`` hides every cell ``old`` hides, and beyond them cells of ``privacy._no_run_of_ones`` (a hidden 0, or
    a count, beside hidden cells that would otherwise all be 1: mostly zeros); the shares follow. Returns how many
    cells were added."""
    cols = ["total", *privacy.POOL_CELLS, "krs"]
    n, o = new[cols].isna().to_numpy(), old[cols].isna().to_numpy()
    assert (n | ~o).all()
    added = n & ~o
    pd.testing.assert_frame_equal(new[cols].fillna(-1), old[cols].mask(added).fillna(-1))
    changed = added[:, cols.index("krs")] | added[:, cols.index("belum_terpetakan")]
    pd.testing.assert_series_equal(new["krs_persen"][~changed], old["krs_persen"][~changed])
    return int(added.sum())


@pytest.mark.parametrize("seed", range(4))
def test_pool_tables_hide_the_same_cells_as_before(cheapest_rule, seed):
    rng = np.random.default_rng(100 + seed)
    hidden = 0
    for groups in (1, 2, 3, 7, 20, 53, 90, 160):
        for _ in range(3):
            threshold = int(rng.choice([2, 3, 5, 10]))
            df, raw = _pool_table(rng, groups, float(rng.choice([1, 3, 8, 20, 60, 300])))
            new, old = privacy.suppress_pool(df, raw, threshold), before.suppress_pool(df, raw, threshold)
            assert_same_but_zeros(new, old, df)
            hidden += int(new[["total", *privacy.POOL_CELLS, "krs"]].isna().sum().sum())
    assert hidden > 500       # the tables do hide cells (not a comparison of two empty masks)


def pool_state(df: pd.DataFrame, raw: dict, out: pd.DataFrame, threshold: int):
    """A suppressed pool table with its talent map as the reader's system: its equations (``privacy._pool_layout``),
    which figures ``out`` hides (the map's as ``map_hidden`` decides) and every figure's true value."""
    cols = ["total", *privacy.POOL_CELLS, "krs"]
    _, _, m, idx, system = privacy._pool_layout(len(df))
    hide = np.zeros(system.n, bool)
    for k, h in privacy.map_hidden(raw, threshold).items():
        hide[m[k]] = h
    hide[idx.ravel()] = out[cols].isna().to_numpy().ravel()
    values = np.zeros(system.n)
    values[idx.ravel()] = df[cols].to_numpy().ravel()
    for k in privacy.MAP_KEYS:
        values[m[k]] = raw[k]
    return system, hide, values


def test_a_table_past_the_exact_limit_leaves_no_small_count_solvable():
    """More hidden cells than ``EXACT_MAX`` (a table per unit kerja): the check by blocks is exact, so nothing small
    is solvable from the table's totals, KRS and the talent map (review 4: 62 small counts of ``pool --by
    unit_kerja --as tamu`` followed from a row's total and KRS, which the one-unknown check missed). It hides
    every cell the previous code hid, and more."""
    rng = np.random.default_rng(7)
    df, raw = _pool_table(rng, 400, 2.0)
    new, old = privacy.suppress_pool(df, raw, 5), before.suppress_pool(df, raw, 5)
    cols = ["total", *privacy.POOL_CELLS, "krs"]
    assert new[cols].isna().sum().sum() > privacy.EXACT_MAX
    assert (new[cols].isna() | ~old[cols].isna()).all().all()          # hides at least what it hid
    system, hide, values = pool_state(df, raw, new, 5)
    idx = privacy._pool_layout(len(df))[3]
    small = np.flatnonzero(hide & (values > 0) & (values < 5))
    assert len(small) > 100 and not system.determined(hide, small).any()       # the dense exact check
    # and the previous output was not safe (what this test guards against)
    hide[idx.ravel()] = old[cols].isna().to_numpy().ravel()
    small = np.flatnonzero(hide & (values > 0) & (values < 5))
    assert system.determined(hide, small).any()


@pytest.mark.parametrize("seed", range(3))
def test_the_check_by_blocks_answers_as_the_dense_check(seed):
    """``determined_by_blocks`` (big tables) and ``determined`` (one factorisation) agree on every hidden figure of
    random hidden sets of pool tables of many sizes, the talent map's figures included."""
    rng = np.random.default_rng(300 + seed)
    asked = solvable = 0
    for groups in (1, 2, 5, 17, 60, 140):
        system = privacy._pool_layout(groups)[4]
        for share in (0.05, 0.2, 0.5, 0.8):
            hide = rng.random(system.n) < share
            ask = np.flatnonzero(hide)
            dense, blocks = system.determined(hide, ask), system.determined_by_blocks(hide, ask)
            np.testing.assert_array_equal(blocks, dense)
            asked, solvable = asked + len(ask), solvable + int(dense.sum())
    assert solvable > 100 and asked - solvable > 100      # both answers occur


def _as_map(s):
    return {"pegawai": int(s.sum()), "terpetakan": int(s[1:].sum()), "belum_terpetakan": int(s[0]),
            **{f"kotak_{k}": int(s[k]) for k in range(1, 10)}, "krs": int(s[7:].sum()),
            "tanpa_kinerja": int(s[0]), **{r: 0 for r in privacy.REASONS[1:]}}


def _matrix_solvable(m, rows, cols, out, totals, threshold) -> int:
    """Small hidden cells and totals of a movement matrix a reader can solve (dense exact check) from the maps,
    the shown cells and the shown movement totals."""
    fig = privacy.Figures()
    a, b = privacy._fix_map(fig, rows, threshold), privacy._fix_map(fig, cols, threshold)
    v = m.to_numpy()
    cell = [[fig.add(v[i, j]) for j in range(10)] for i in range(10)]
    key = lambda k: "belum_terpetakan" if k == 0 else f"kotak_{k}"  # noqa: E731
    for k in range(10):
        fig.sum(a[key(k)], [cell[k][j] for j in range(10)])
        fig.sum(b[key(k)], [cell[i][k] for i in range(10)])
    hide = np.zeros(0, bool)
    at = {}
    for k in privacy.MOVES:
        at[k] = fig.add(sum(v[i, j] for i, j in privacy.move_cells(k)))
        fig.sum(at[k], [cell[i][j] for i, j in privacy.move_cells(k)])
    hide = np.zeros(len(fig.values), bool)
    for i in range(10):
        for j in range(10):
            hide[cell[i][j]] = privacy.hidden(out.iat[i, j])
    for k in privacy.MOVES:
        hide[at[k]] = privacy.hidden(totals[k])
    for k, h in privacy.map_hidden(rows, threshold).items():
        hide[a[k]] = h
    for k, h in privacy.map_hidden(cols, threshold).items():
        hide[b[k]] = h
    vals = np.array(fig.values)
    small = np.flatnonzero(hide & (vals > 0) & (vals < threshold))
    return int(fig._determined(hide, only=np.isin(np.arange(len(vals)), small)).sum())


@pytest.mark.parametrize("seed", range(3))
def test_movement_matrices_with_their_totals_leave_nothing_small_solvable(seed):
    """The movement matrix is protected together with the totals published beside it (naik, tetap, turun, baru,
    tidak lagi); review 4 found every cell hidden in every masked output, because a small "tidak lagi" was taken
    as a figure of the maps and "baru" alone, which no cell could protect."""
    rng = np.random.default_rng(200 + seed)
    shown = 0
    for _ in range(12):
        threshold = int(rng.choice([3, 5, 10]))
        m = pd.DataFrame(rng.poisson(rng.uniform(0, 1, (10, 10)) * rng.choice([1, 2, 6, 20, 500])))
        rows, cols = _as_map(m.to_numpy().sum(axis=1)), _as_map(m.to_numpy().sum(axis=0))
        out, totals = privacy.suppress_movement(m, rows, cols, threshold)
        assert _matrix_solvable(m, rows, cols, out, totals, threshold) == 0
        shown += int(out.notna().sum().sum())
    assert shown > 300


def test_the_demo_movement_shows_its_large_flows():
    """The demo's 2024 -> 2025 matrix (21.700 employees; a small "tidak lagi" of 2): large cells and the naik and
    turun totals stay shown under masking."""
    v = np.array([[9071, 173, 1297, 47, 251, 1253, 2, 505, 251, 279], [0, 209, 147, 4, 0, 3, 0, 0, 0, 0],
                  [1, 96, 2437, 0, 176, 36, 0, 4, 0, 0], [0, 1, 0, 44, 0, 51, 0, 0, 0, 0],
                  [0, 1, 123, 0, 362, 0, 0, 11, 0, 0], [0, 1, 34, 33, 6, 2209, 1, 282, 12, 1],
                  [0, 0, 0, 0, 0, 0, 3, 0, 6, 0], [0, 0, 1, 0, 4, 238, 0, 876, 1, 8],
                  [1, 0, 0, 0, 0, 9, 3, 3, 387, 89], [0, 0, 0, 0, 0, 0, 0, 14, 100, 543]])
    m = pd.DataFrame(v)
    rows, cols = _as_map(v.sum(axis=1)), _as_map(v.sum(axis=0))
    out, totals = privacy.suppress_movement(m, rows, cols, 5)
    assert out.notna().sum().sum() >= 40 and out.iat[0, 2] == 1297
    assert totals["naik"] == v[1:, 1:][np.triu_indices(9, 1)].sum() and not privacy.hidden(totals["turun"])
    assert privacy.hidden(totals["tidak_terpetakan_lagi"]) and privacy.hidden(totals["baru_terpetakan"])
    assert _matrix_solvable(m, rows, cols, out, totals, 5) == 0


@pytest.mark.parametrize("seed", range(3))
def test_tables_per_group_hide_the_same_cells_as_before(cheapest_rule, seed):
    rng = np.random.default_rng(200 + seed)
    for _ in range(12):
        threshold = int(rng.choice([3, 5, 10]))
        d = pd.DataFrame(rng.poisson(rng.uniform(0, 1, (int(rng.integers(1, 40)), 4)) * rng.choice([1, 3, 10])),
                         columns=list("abcd"))
        pd.testing.assert_frame_equal(privacy.suppress_rows(d, ["a", "b", "c"], threshold, rest="d"),
                                      before.suppress_rows(d, ["a", "b", "c"], threshold, rest="d"))
        assert (privacy.group_sizes_hidden(d["a"], threshold) == before.group_sizes_hidden(d["a"], threshold)).all()


def test_no_run_of_hidden_ones_when_zeros_are_shown(cheapest_rule):
    """Review 4: the OPD table shows every 0, so a reader takes a hidden cell as at least 1; Bappeda's size less its
    KRS and shown cells left kotak 1 + kotak 3 = 2, so both were 1. For every group, the sums a reader reads off
    (size, KRS, size less KRS) over hidden cells never equal their number unless a 0 is hidden among them."""
    rng = np.random.default_rng(11)
    runs = added = 0
    for _ in range(40):
        df, raw = _pool_table(rng, int(rng.integers(3, 40)), float(rng.choice([2, 5, 12])))
        new, old = privacy.suppress_pool(df, raw, 5), before.suppress_pool(df, raw, 5)
        added += assert_same_but_zeros(new, old, df)
        cells = [*privacy.POOL_CELLS]
        krs = [f"kotak_{b}" for b in privacy.rules.KRS_BOXES]
        for frame in (new, old):
            for r in range(len(df)):
                hid = frame.iloc[r][cells].isna()
                size_shown, krs_shown = not pd.isna(frame.iloc[r]["total"]), not pd.isna(frame.iloc[r]["krs"])
                for part, known in ((cells, size_shown), (krs, krs_shown),
                                    ([c for c in cells if c not in krs], size_shown and krs_shown)):
                    if not known:        # a sum the reader cannot read off (the equations check the rest)
                        continue
                    h = [c for c in part if hid[c]]
                    vals = df.iloc[r][h].to_numpy()
                    run = len(h) >= 2 and vals.sum() == len(h) and (vals > 0).all()
                    if frame is new:
                        assert not run, (df.iloc[r].to_dict(), h)
                    else:
                        runs += run
    assert runs > 0 and added > 0        # the old tables had such runs; the new ones hide a 0 beside them
